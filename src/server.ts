// Composition root: builds the subsystems from Options, starts and stops them, lame duck, reload.

import fs from 'node:fs';
import os from 'node:os';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Authenticator, ClaimsRequests, outcomeJson } from './auth/index.js';
import type { AccountJwtDir, ClaimsOutcome, JwtAuthenticator, OperatorMode } from './auth/index.js';
import { describeChanges, diffOptions, jetStreamAccounts, resolveJetStreamStorage } from './config/index.js';
import type { JetStreamConfig, Options } from './config/index.js';
import { ConnectionKind, Router } from './core/index.js';
import type { InternalClient, MsgHandler, RouterConfig } from './core/index.js';
import type { JetStream } from './jetstream/index.js';
import type { LeafLinkState, LeafNodes, UplinkState } from './leaf/index.js';
import type { BridgeStatus } from './mqtt/index.js';
import type { JetStreamMonitorSource, MonitorServer, SystemRequests } from './monitor/index.js';
import { ServerStamp, SystemEvents } from './monitor/system/index.js';
import { headerValue, NATS_COMPAT_VERSION } from './protocol/nats/index.js';
import {
  authOptionsOf,
  diskAvailable,
  listenerAuthenticatorOf,
  loadTls,
  MqttFront,
  openLeafNodes,
  openAccountDir,
  openWebsocketListener,
  operatorModeOf,
  portsFilePath,
  StartError,
  withDomainMappings,
  withOperatorAccounts,
  writePortsFile,
} from './server/index.js';
import { boundPort, listenTcp } from './transports/index.js';
import type { TlsUpgrader, WebsocketClient, WebsocketListener } from './transports/index.js';
import { GLOBAL_ACCOUNT, linkAccounts, ListenError, withSystemLinks, formatGoDuration, formatHostPort, generateServerId } from './util/index.js';
import type { AccountJwtInfo, LinkedAccount, Logger } from './util/index.js';

export { StartError } from './server/index.js';

/** Re-reads the configuration (file, then flags) for a reload. */
export type OptionsLoader = () => Options;

export class Server {
  readonly id: string;
  readonly log: Logger;
  readonly startTime = new Date();
  opts: Options;
  router: Router;
  configLoadTime = new Date();
  lameDuck = false;

  private listener: net.Server | null = null;
  private websocket: WebsocketListener | null = null;
  private monitor: MonitorServer | null = null;
  private leafNodes: LeafNodes | null = null;
  private jetstream: JetStream | null = null;
  private systemEvents: SystemEvents | null = null;
  private tls: TlsUpgrader | null = null;
  private authenticator: Authenticator | JwtAuthenticator;
  /** WebSocket clients' own login (the websocket block's authorization or no_auth_user); null when they share the top-level one. */
  private websocketAuthenticator: Authenticator | null = null;
  /** MQTT clients' own login (the mqtt block's authorization or no_auth_user); null when they share the top-level one. */
  private mqttAuthenticator: Authenticator | null = null;
  private mqtt: MqttFront | null = null;
  /** Operator (JWT) mode's accounts and login; null otherwise. */
  private operator: OperatorMode | null;
  /** The full resolver's account JWTs on disk; null without that resolver. */
  private readonly accountDir: AccountJwtDir | null;
  /** The options as loaded, before operator mode filled in the accounts. */
  private configured: Options;
  private clientPort = 0;
  private shuttingDown = false;
  private pidFileWritten = false;
  private readonly loadOptions: OptionsLoader | null;
  private readonly exitHooks: (() => void)[] = [];
  private readonly programName: string;

  /** `programName` names the ports file, as nats-server uses its executable's name. */
  constructor(opts: Options, log: Logger, loadOptions: OptionsLoader | null = null, programName = 'leafgate') {
    this.log = log;
    this.loadOptions = loadOptions;
    this.programName = programName;
    this.id = generateServerId();
    this.tls = opts.tls !== undefined ? loadTls(opts.tls) : null;
    this.configured = opts;
    this.accountDir = openAccountDir(opts);
    this.operator = operatorModeOf(opts, this.accountDir);
    if (opts.websocket?.jwtCookie !== undefined && this.operator === null) {
      throw new Error(`trusted operators or trusted keys configuration is required for JWT authentication via cookie ${JSON.stringify(opts.websocket.jwtCookie)}`);
    }
    for (const warning of this.operator?.warnings ?? []) log.warn(warning);
    this.opts = withOperatorAccounts(opts, this.operator);
    this.authenticator = this.operator?.authenticator ?? new Authenticator(authOptionsOf(opts));
    this.websocketAuthenticator = this.operator === null ? listenerAuthenticatorOf(opts, 'websocket') : null;
    this.mqttAuthenticator = this.operator === null ? listenerAuthenticatorOf(opts, 'mqtt') : null;
    this.router = new Router(this.routerConfig(this.opts));
  }

  /** The WebSocket listener's bound port; 0 without one. */
  get websocketPort(): number {
    return this.websocket?.port ?? 0;
  }

  /** The MQTT bridges' state, for /varz and /healthz. */
  get mqttBridges(): readonly BridgeStatus[] {
    return this.mqtt?.bridges() ?? [];
  }

  /** The leaf node links that finished their handshake, for /leafz and /varz. */
  get leafLinks(): readonly LeafLinkState[] {
    return this.leafNodes?.states() ?? [];
  }

  /** The uplink's state, for /varz and /healthz; null without one. */
  get uplink(): UplinkState | null {
    return this.leafNodes?.uplinkState() ?? null;
  }

  /** The MQTT listener's bound port; 0 without one. */
  get mqttPort(): number {
    return this.mqtt?.port ?? 0;
  }

  get port(): number {
    return this.clientPort;
  }

  get httpPort(): number {
    return this.monitor?.port ?? 0;
  }

  /** An account's JWT in operator mode, for monitoring. */
  accountJwt(name: string): AccountJwtInfo | null {
    return this.operator?.accountJwts.get(name) ?? null;
  }

  /** What monitoring reads of JetStream; null while it is off or could not start. */
  get jetStreamSource(): JetStreamMonitorSource | null {
    return this.jetstream;
  }

  /**
   * The accounts' exports and imports with the system account's. The configuration's own were
   * checked when it loaded; what the system account adds is logged should it not link.
   */
  private linkedAccounts(opts: Options, accountNames: readonly string[]): ReadonlyMap<string, LinkedAccount> {
    const specs = opts.noSystemAccount ? opts.accounts : withSystemLinks(opts.accounts, opts.systemAccount, [GLOBAL_ACCOUNT, ...accountNames]);
    const links = linkAccounts(specs);
    for (const error of links.errors) this.log.error(`Error setting up system service imports: ${error}`);
    return links.accounts;
  }

  /** The router's view of `opts`; the authenticator is built beforehand, once per (re)load. */
  private routerConfig(opts: Options): RouterConfig {
    const authenticator = this.authenticator;
    const tlsRequired = opts.tls !== undefined && !opts.allowNonTls;
    return {
      limits: {
        maxControlLine: opts.maxControlLine,
        maxPayload: opts.maxPayload,
        maxPending: opts.maxPending,
        maxConnections: opts.maxConnections,
        maxSubscriptions: opts.maxSubscriptions,
        maxSubTokens: opts.maxSubTokens,
        pingIntervalMs: opts.pingIntervalMs,
        pingMax: opts.pingMax,
        writeDeadlineMs: opts.writeDeadlineMs,
      },
      authenticator,
      log: this.log,
      info: {
        server_id: this.id,
        server_name: opts.serverName !== '' ? opts.serverName : this.id,
        version: NATS_COMPAT_VERSION,
        proto: 1,
        go: `node${process.versions.node}`,
        host: opts.host,
        port: this.clientPort,
        headers: !opts.noHeaderSupport,
        ...(authenticator.advertiseRequired ? { auth_required: true } : {}),
        ...(tlsRequired ? { tls_required: true } : {}),
        ...(opts.tls?.verify === true ? { tls_verify: true } : {}),
        ...(opts.tls !== undefined && opts.allowNonTls ? { tls_available: true } : {}),
        max_payload: opts.maxPayload,
        ...(opts.clientAdvertise !== undefined ? { connect_urls: [opts.clientAdvertise] } : {}),
      },
      accountNames: authenticator.accountNames(),
      mappings: withDomainMappings(
        new Map([[GLOBAL_ACCOUNT, opts.mappings], ...opts.accounts.map((a) => [a.name, a.mappings ?? []] as const)]),
        opts.jetstream?.domain ?? '',
        jetStreamAccountNames(opts),
      ),
      links: this.linkedAccounts(opts, authenticator.accountNames()),
      ...(this.websocketAuthenticator !== null && { websocketAuth: { authenticator: this.websocketAuthenticator, authRequired: true } }),
      ...(this.mqttAuthenticator !== null && { mqttAuth: this.mqttAuthenticator }),
      ...(this.operator !== null && { accountConnectionLimits: new Map(this.operator.accounts.map((a) => [a.name, a.maxConnections])) }),
      systemAccount: opts.systemAccount,
      noHeaderSupport: opts.noHeaderSupport,
      maxTracedMsgLen: opts.maxTracedMsgLen,
      useSublistCache: !opts.disableSublistCache,
    };
  }

  /** Opens every listener; on any failure closes what was opened and rejects with a StartError. */
  async start(): Promise<void> {
    try {
      await this.open();
    } catch (err) {
      await this.closeOpened();
      throw err;
    }
  }

  private async open(): Promise<void> {
    const opts = this.opts;
    this.log.info(`Starting leafgate (nats-server ${NATS_COMPAT_VERSION} compatible)`);
    this.log.info(`  Name:     ${opts.serverName !== '' ? opts.serverName : this.id}`);
    this.log.info(`  ID:       ${this.id}`);
    if (opts.configFile !== undefined) this.log.info(`Using configuration file: ${opts.configFile}`);
    if (opts.pidFile !== undefined) {
      try {
        fs.writeFileSync(opts.pidFile, String(process.pid));
      } catch (err) {
        throw new StartError(`Could not write pidfile: ${(err as Error).message}`, err);
      }
      this.pidFileWritten = true;
    }
    if (opts.jetstream !== undefined) await this.startJetStream(opts.jetstream);
    if (opts.httpPort !== 0) {
      const httpHost = opts.httpHost !== '' ? opts.httpHost : opts.host;
      // Loaded only with monitoring on: node:http and the endpoints are a good part of an idle gateway's memory.
      const { MonitorServer } = await import('./monitor/index.js');
      this.monitor = new MonitorServer(this);
      await this.monitor.listen(httpHost, opts.httpPort, opts.httpBasePath).catch((err: Error) => {
        throw new StartError(`Can't start monitoring: ${err.message}`, err);
      });
      this.log.info(`Starting http monitor on ${formatHostPort(httpHost, this.monitor.port)}`);
    }
    if (opts.websocket !== undefined) this.websocket = await openWebsocketListener(opts.websocket, (client) => this.onWebsocketClient(client), this.log);
    if (opts.mqtt !== undefined) this.mqtt = await MqttFront.open(opts.mqtt, opts, this.router, this.log, () => !this.lameDuck && !this.shuttingDown);
    this.listener = await listenTcp({ host: opts.host, port: opts.port }, (socket) => this.onSocket(socket)).catch((err: Error) => {
      throw new StartError(err instanceof ListenError ? `Error listening on port: ${err.hostPort}, "${err.message}"` : err.message, err);
    });
    this.clientPort = boundPort(this.listener);
    // INFO carries the bound port, known only now.
    this.router.reconfigure(this.routerConfig(opts));
    if (this.tls !== null) this.log.info(opts.allowNonTls ? 'TLS offered to client connections' : 'TLS required for client connections');
    this.log.info(`Listening for client connections on ${formatHostPort(opts.host, this.clientPort)}`);
    if (opts.leafnodes !== undefined) this.leafNodes = await openLeafNodes(opts.leafnodes, opts, this.router, this.authenticator);
    this.answerSystemRequests();
    this.writePortsFile();
    this.log.info('Server is ready');
  }

  private onWebsocketClient(client: WebsocketClient): void {
    if (this.lameDuck || this.shuttingDown || (client.mqtt && this.mqtt === null)) {
      client.socket.destroy();
      return;
    }
    if (client.mqtt) {
      (this.mqtt as MqttFront).acceptWebsocket(client);
      return;
    }
    if (client.leaf) {
      if (this.leafNodes?.acceptWebsocket(client.socket, client.remoteAddress, client.socket.remotePort ?? 0) !== true) client.socket.destroy();
      return;
    }
    this.router.accept({
      socket: client.socket,
      type: 'WEBSOCKET',
      remoteAddress: client.remoteAddress,
      ...(client.forwardedFor !== undefined && { forwardedFor: client.forwardedFor }),
      ...(client.jwtCookie !== undefined && { jwtCookie: client.jwtCookie }),
      ...(client.tls !== undefined && { tls: client.tls }),
    });
  }

  /** Loaded only when enabled: the store (SQLite) is most of what JetStream costs at start. */
  private async startJetStream(config: JetStreamConfig): Promise<void> {
    const accounts = jetStreamAccounts(this.opts);
    if (!accounts.ok) throw new StartError(accounts.error, null);
    const storage = resolveJetStreamStorage(config, { tmpDir: os.tmpdir(), totalMemory: os.totalmem(), diskAvailable });
    const { JetStream } = await import('./jetstream/index.js');
    this.jetstream = new JetStream(
      this.router,
      { dir: storage.dataDir, syncInterval: config.syncInterval, maxMemoryStore: storage.maxMemory, maxFileStore: storage.maxStore, accounts: accounts.limits, domain: config.domain, serverName: this.opts.serverName !== '' ? this.opts.serverName : this.id },
      this.log,
    );
    try {
      this.jetstream.start();
    } catch (err) {
      throw new StartError(`Can't start JetStream: ${(err as Error).message}`, err);
    }
    const sync = config.syncInterval === 'always' ? 'always' : formatGoDuration(config.syncInterval);
    this.log.info(`Starting JetStream, store directory ${JSON.stringify(storage.dataDir)}, sync_interval ${sync}`);
  }

  /** A reload turned JetStream on or off. */
  private async restartJetStream(next: Options): Promise<void> {
    this.jetstream?.stop();
    this.jetstream = null;
    if (next.jetstream === undefined) return;
    try {
      await this.startJetStream(next.jetstream);
    } catch (err) {
      this.log.error(`JetStream could not start after the reload: ${(err as Error).message}`);
    }
  }

  /** Undoes a start that failed part way. */
  private async closeOpened(): Promise<void> {
    this.leafNodes?.stop();
    this.systemEvents?.stop();
    this.mqtt?.stop();
    this.mqtt = null;
    this.jetstream?.stop();
    this.stopListening();
    if (this.monitor !== null) await this.monitor.close();
    if (this.pidFileWritten) fs.rmSync(this.opts.pidFile!, { force: true });
  }

  private onSocket(socket: net.Socket): void {
    if (this.lameDuck || this.shuttingDown) {
      socket.destroy();
      return;
    }
    const tls = this.tls;
    this.router.accept({
      socket,
      type: 'STANDARD',
      ...(tls !== null ? { upgradeTls: (alreadyRead?: Buffer) => tls(socket, alreadyRead), tlsOptional: this.opts.allowNonTls, tlsTimeoutMs: this.opts.tls?.timeoutMs ?? 2000 } : {}),
    });
  }

  /** Applies a re-read configuration; refused changes keep the old configuration whole. */
  reload(): void {
    if (this.loadOptions === null) {
      this.log.error('Configuration reload failed: no configuration to reload');
      return;
    }
    let next: Options;
    let configured: Options;
    let operator: OperatorMode | null;
    try {
      next = this.loadOptions();
      operator = operatorModeOf(next, this.accountDir);
      configured = next;
      next = withOperatorAccounts(next, operator);
    } catch (err) {
      this.log.error(`Failed to reload server configuration: ${(err as Error).message}`);
      return;
    }
    const { changed, refused, refusal } = diffOptions(this.opts, next);
    if (refused.length > 0 || refusal !== undefined) {
      this.log.error(`Failed to reload server configuration: ${refusal ?? `config reload not supported for ${refused.join(', ')}`}`);
      return;
    }
    let tls: TlsUpgrader | null;
    let authenticator: Authenticator | JwtAuthenticator;
    let websocketAuthenticator: Authenticator | null;
    let mqttAuthenticator: Authenticator | null;
    try {
      // Everything that can fail comes first, so a failed reload changes nothing.
      tls = next.tls !== undefined ? loadTls(next.tls) : null;
      authenticator = operator?.authenticator ?? new Authenticator(authOptionsOf(next));
      websocketAuthenticator = operator === null ? listenerAuthenticatorOf(next, 'websocket') : null;
      mqttAuthenticator = operator === null ? listenerAuthenticatorOf(next, 'mqtt') : null;
      this.log.setOptions({ debug: next.debug, trace: next.trace, logtime: next.logtime, logFile: next.logFile });
    } catch (err) {
      this.log.error(`Failed to reload server configuration: ${(err as Error).message}`);
      return;
    }
    const previous = this.opts;
    this.tls = tls;
    this.operator = operator;
    this.configured = configured;
    this.authenticator = authenticator;
    this.websocketAuthenticator = websocketAuthenticator;
    this.mqttAuthenticator = mqttAuthenticator;
    this.opts = next;
    const authChanged = changed.some((k) => k === 'auth' || k === 'accounts' || k === 'systemAccount' || k === 'noSystemAccount' || k === 'operatorMode');
    this.router.reconfigure(this.routerConfig(next), authChanged);
    if (changed.includes('tls')) this.recheckPinnedCerts(next);
    if (changed.includes('jetstream')) void this.restartJetStream(next);
    this.configLoadTime = new Date();
    for (const line of describeChanges(previous, next, changed)) this.log.info(`Reloaded: ${line}`);
    this.log.info('Reloaded server configuration');
  }

  /**
   * The full resolver's requests: pushed account JWTs are stored and applied at once (users of a
   * changed account get its new limits and revocations; a deleted account's users are closed).
   */
  private answerClaimsRequests(client: InternalClient, stamp: ServerStamp, claims: ClaimsRequests): void {
    const payload = (msg: Parameters<MsgHandler>[0]): string => msg.data.toString('utf8', msg.start + msg.hdrLen, msg.end);
    const respond = (reply: string, outcome: ClaimsOutcome): void => {
      const account = outcome.account !== '' ? ` - ${outcome.account}` : '';
      if (outcome.error === undefined) this.log.debug(`${outcome.message}${account}`);
      else this.log.error(`${outcome.message}${account} - ${outcome.error}`);
      if (outcome.changed) this.applyStoredAccounts();
      if (reply !== '') client.answer(reply, null, Buffer.from(outcomeJson(outcome, stamp.next()), 'utf8'));
    };
    const update: MsgHandler = (msg) => {
      const tokens = msg.subject.split('.');
      const key = tokens.length === 6 ? (tokens[3] as string) : tokens.length === 5 ? (tokens[2] as string) : '';
      respond(msg.reply, claims.update(key, payload(msg)));
    };
    client.subscribe('$SYS.REQ.ACCOUNT.*.CLAIMS.UPDATE', null, update);
    client.subscribe('$SYS.ACCOUNT.*.CLAIMS.UPDATE', null, update);
    client.subscribe('$SYS.REQ.CLAIMS.UPDATE', null, update);
    client.subscribe('$SYS.REQ.ACCOUNT.*.CLAIMS.LOOKUP', null, (msg) => {
      if (msg.reply === '') return;
      const key = msg.subject.split('.')[3] as string;
      const jwt = claims.lookup(key);
      if (jwt === null) this.log.error(`Merging resulted in error: no matching JWT found for ${key}`);
      else client.answer(msg.reply, null, Buffer.from(jwt, 'utf8'));
    });
    client.subscribe('$SYS.REQ.CLAIMS.LIST', null, (msg) => {
      if (msg.reply !== '') client.answer(msg.reply, null, Buffer.from(`{"data":${JSON.stringify(claims.list())},"server":${stamp.next()}}`, 'utf8'));
    });
    client.subscribe('$SYS.REQ.CLAIMS.DELETE', null, (msg) => respond(msg.reply, claims.delete(payload(msg))));
  }

  /** The full resolver's accounts changed: operator mode is set up again from them and applied to every connection. */
  private applyStoredAccounts(): void {
    let operator: OperatorMode | null;
    try {
      operator = operatorModeOf(this.configured, this.accountDir);
    } catch (err) {
      this.log.error(`update resulted in error ${(err as Error).message}`);
      return;
    }
    if (operator === null) return;
    this.operator = operator;
    this.authenticator = operator.authenticator;
    this.opts = withOperatorAccounts(this.configured, operator);
    this.router.reconfigure(this.routerConfig(this.opts), true);
    const accounts = jetStreamAccounts(this.opts);
    if (this.jetstream !== null && accounts.ok) this.jetstream.configureAccounts(accounts.limits);
  }

  /** After a reload: TLS clients whose certificate is no longer pinned are closed, as nats-server does. */
  private recheckPinnedCerts(opts: Options): void {
    const pinned = opts.tls?.pinnedCerts;
    if (pinned === undefined) return;
    const allowed = new Set(pinned);
    const out = [...this.router.conns.values()].filter((c) => c.tlsVersion !== '' && !allowed.has(c.tlsPeerKeyId));
    if (out.length === 0) return;
    this.log.info(`Disconnect ${out.length} clients due to pinned certs reload`);
    for (const c of out) c.close('TLS Handshake Error');
  }

  /**
   * `$SYS.REQ.SERVER.PING[.*]` and `$SYS.REQ.SERVER.<id>.*` in the system account, answered by the
   * monitoring endpoints (loaded with the first request: most gateways are never asked).
   */
  /**
   * The system account's requests and events. The answering code loads with the first request or
   * the first statistics anyone listens for; events are built only for subscribers.
   */
  private answerSystemRequests(): void {
    const account = this.opts.noSystemAccount ? null : this.router.findAccount(this.opts.systemAccount);
    if (account === null) return;
    const client = this.router.createInternalClient(ConnectionKind.System, account, 'System requests');
    const stamp = new ServerStamp(this);
    let answerer: Promise<SystemRequests> | null = null;
    const requests = (): Promise<SystemRequests> => (answerer ??= import('./monitor/index.js').then((m) => new m.SystemRequests(this, stamp)));
    const onRequest: MsgHandler = (msg) => {
      if (msg.reply === '') return;
      const { subject, reply } = msg;
      const body = msg.data.toString('utf8', msg.start + msg.hdrLen, msg.end);
      void requests().then((r) => {
        const answer = r.answer(subject, body);
        if (answer !== null) client.answer(reply, null, Buffer.from(answer, 'utf8'));
      });
    };
    for (const subject of ['$SYS.REQ.SERVER.PING', '$SYS.REQ.SERVER.PING.*', `$SYS.REQ.SERVER.${this.id}.*`, '$SYS.REQ.ACCOUNT.*.*']) client.subscribe(subject, null, onRequest);
    client.subscribe('$SYS.REQ.USER.*.INFO', null, (msg, _sub, from) => {
      if (msg.reply === '') return;
      const reply = msg.reply;
      const info = msg.hdrLen > 0 ? headerValue(msg.data, msg.start, msg.start + msg.hdrLen, 'Nats-Request-Info') : null;
      void requests().then((r) => client.answer(reply, null, Buffer.from(r.userInfo(info, from), 'utf8')));
    });
    if (this.accountDir !== null && this.operator !== null) this.answerClaimsRequests(client, stamp, new ClaimsRequests(this.accountDir, this.operator.updateOperator, this.opts.systemAccount));
    this.systemEvents = new SystemEvents(client, stamp, this.id, () => requests().then((r) => r.statszMessage()), this.log);
    this.router.events = this.systemEvents;
    this.systemEvents.start();
  }

  /** Lame duck mode: stop accepting, tell clients, then close them gradually and exit. */
  async enterLameDuck(): Promise<void> {
    if (this.lameDuck || this.shuttingDown) return;
    this.lameDuck = true;
    this.log.info('Entering lame duck mode, stop accepting new clients');
    this.stopListening();
    const conns = [...this.router.conns.values()];
    if (conns.length === 0) return this.shutdown();
    // This server's own URL leaves connect_urls so clients reconnect elsewhere.
    this.router.broadcastInfo({ ldm: true, connect_urls: undefined });
    const grace = this.opts.lameDuckGracePeriodMs;
    this.log.info(`Waiting ${grace}ms grace period before closing clients`);
    await sleep(grace);
    const spread = Math.max(this.opts.lameDuckDurationMs - grace, 0);
    const pause = Math.min(spread / conns.length, 1000);
    this.log.info(`Closing ${conns.length} existing clients`);
    for (const conn of conns) {
      if (this.shuttingDown) return;
      conn.close('Server Shutdown');
      await sleep(pause * (0.5 + Math.random() / 2));
    }
    return this.shutdown();
  }

  async shutdown(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.log.info('Initiating Shutdown...');
    this.stopListening();
    this.leafNodes?.stop();
    this.router.closeAll('Server Shutdown');
    this.mqtt?.stop();
    this.mqtt = null;
    this.systemEvents?.stop();
    // After the clients: publishes still in this turn's group commit are committed as the stores close.
    this.jetstream?.stop();
    if (this.monitor !== null) await this.monitor.close();
    if (this.opts.pidFile !== undefined) fs.rmSync(this.opts.pidFile, { force: true });
    const portsFile = this.portsFilePath();
    if (portsFile !== null) fs.rmSync(portsFile, { force: true });
    this.log.info('Server Exiting..');
    for (const hook of this.exitHooks) hook();
  }

  /** Refuses new connections; open ones are closed separately (net.Server.close waits for them). */
  private stopListening(): void {
    void this.websocket?.close();
    this.websocket = null;
    this.mqtt?.stopListening();
    if (this.listener === null) return;
    this.listener.close();
    this.listener = null;
  }

  /** Called once shutdown has finished (the bin exits the process). */
  onExit(hook: () => void): void {
    this.exitHooks.push(hook);
  }

  /** nats-server's signal handling: INT/TERM stop, HUP reloads, USR1 reopens the log, USR2 enters lame duck. */
  installSignalHandlers(): void {
    process.on('SIGINT', () => void this.shutdown());
    process.on('SIGTERM', () => {
      if (this.lameDuck) return;
      void this.shutdown();
    });
    process.on('SIGHUP', () => this.reload());
    process.on('SIGUSR1', () => this.log.reopen());
    process.on('SIGUSR2', () => void this.enterLameDuck());
  }

  private portsFilePath(): string | null {
    return portsFilePath(this.opts.portsFileDir, this.programName);
  }

  private writePortsFile(): void {
    const file = this.portsFilePath();
    if (file === null || this.listener === null) return;
    writePortsFile(file, this.listener.address() as AddressInfo, this.opts.tls !== undefined && !this.opts.allowNonTls, this.monitor?.address ?? null, this.log);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The accounts JetStream serves (none when the configuration refuses it: the start stops then). */
function jetStreamAccountNames(opts: Options): string[] {
  const accounts = jetStreamAccounts(opts);
  return accounts.ok ? [...accounts.limits.keys()] : [];
}
