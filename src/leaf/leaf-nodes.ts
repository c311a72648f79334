// The leaf node service: the accepting listener (`leafnodes { port }`) and the remotes this server
// dials, with every link they make. It answers for the links what the server decides (INFO, CONNECT,
// logins, the loop-detection subject per account) and lists them for monitoring.

import os from 'node:os';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { boundPort, listenTcp, secureSocket } from '../transports/index.js';
import type { TlsUpgrader } from '../transports/index.js';
import type { Account, ClientAuthenticator, Router, TransportSocket } from '../core/index.js';
import type { LeafConnect, LeafInfo } from '../protocol/nats/index.js';
import { randomBase62 } from '../util/index.js';
import { LeafAuth } from './leaf-auth.js';
import type { LeafListenerLogin } from './leaf-auth.js';
import { LeafConnection } from './leaf-connection.js';
import type { LeafHost, SecuredLink } from './leaf-connection.js';
import { LeafRemote } from './leaf-remote.js';
import { Uplink } from './uplink.js';
import type { UplinkOptions, UplinkState } from './uplink.js';
import type { LeafDialer, LeafRemoteOptions, LeafTarget } from './leaf-remote.js';

/** nats-server's default TLS handshake deadline for leaf links. */
const DEFAULT_TLS_TIMEOUT_MS = 2000;

/** What the server configures. */
export interface LeafNodesOptions {
  /** The accepting listener: '' for all interfaces; port 0 for none, -1 for a free one. */
  readonly host: string;
  readonly port: number;
  /** `host:port` told to leafs in place of the listener's address. */
  readonly advertise: string;
  readonly login?: LeafListenerLogin;
  readonly reconnectDelayMs: number;
  readonly remotes: readonly LeafRemoteOptions[];
  /** Leafs whose CONNECT names an older version are refused (`min_version`). */
  readonly minVersion?: string;
  /** TLS on the listener: leafs must start it right after our INFO. */
  readonly tls?: { readonly upgrade: TlsUpgrader; readonly timeoutMs: number; readonly verify: boolean };
  /** This server's JetStream domain ('' for none) and whether JetStream runs. */
  readonly domain: string;
  readonly jetstream: boolean;
}

/** A link as monitoring shows it (the monitor declares its own copy of this shape). */
export interface LeafLinkState {
  readonly name: string;
  readonly isSpoke: boolean;
  readonly account: string;
  readonly ip: string;
  readonly port: number;
  readonly rttMs: number;
  readonly inMsgs: number;
  readonly outMsgs: number;
  readonly inBytes: number;
  readonly outBytes: number;
  readonly subjects: readonly string[];
}

/** What a link's end hands back to the remote that dialed it. */
interface LinkEnd {
  readonly registered: boolean;
  readonly retryDelayMs: number;
}

export class LeafNodes implements LeafHost, LeafDialer {
  readonly router: Router;
  readonly reconnectDelayMs: number;
  /** Every link, from the first byte to its close. */
  readonly links = new Set<LeafConnection>();
  readonly remotes: LeafRemote[];
  /** The store-and-forward uplink, when configured. */
  private uplink: Uplink | null = null;
  private readonly options: LeafNodesOptions;
  private readonly auth: LeafAuth;
  private listener: net.Server | null = null;
  private readonly loopSubjects = new Map<Account, string>();
  /** Soliciting links: their remote, the address dialed, and who waits for their end. */
  private readonly dialed = new Map<LeafConnection, { remote: LeafRemote; target: LeafTarget; done: (end: LinkEnd) => void }>();

  constructor(router: Router, options: LeafNodesOptions, clients: ClientAuthenticator) {
    this.router = router;
    this.options = options;
    this.reconnectDelayMs = options.reconnectDelayMs;
    this.auth = new LeafAuth(options.login, clients);
    this.remotes = options.remotes.map((r) => new LeafRemote(r, this));
  }

  get authTimeoutMs(): number {
    return this.auth.timeoutMs;
  }

  /** The listener's bound port; 0 without one. */
  get port(): number {
    return this.listener === null ? 0 : boundPort(this.listener);
  }

  get minVersion(): string {
    return this.options.minVersion ?? '';
  }

  get domain(): string {
    return this.options.domain;
  }

  /** This server's cluster name as leafs compare it: without a cluster, its server name (as nats-server 2.9.10 sends). */
  get clusterName(): string {
    return this.router.serverName;
  }

  async start(): Promise<void> {
    const { host, port } = this.options;
    if (port !== 0) {
      this.listener = await listenTcp({ host: host === '' ? '0.0.0.0' : host, port: port < 0 ? 0 : port }, (socket) => this.accept(socket));
      this.router.log.info(`Listening for leafnode connections on ${host === '' ? '0.0.0.0' : host}:${this.port}`);
    }
    for (const remote of this.remotes) remote.start();
  }

  /** Starts the uplink over the remotes of its account (after JetStream, which keeps its backlog, is up). */
  async startUplink(options: UplinkOptions): Promise<void> {
    const uplink = new Uplink(this.router, options, this.router.log);
    await uplink.start();
    this.uplink = uplink;
    for (const link of this.links) if (this.carriesUplink(link)) uplink.connected();
  }

  /** The uplink as monitoring shows it; null without one. */
  uplinkState(): UplinkState | null {
    if (this.uplink === null) return null;
    let rtt = 0;
    for (const link of this.links) if (this.carriesUplink(link)) rtt = link.rttMs;
    return this.uplink.state(rtt);
  }

  /** Whether the uplink forwards over `link`: a registered link we dialed, bound to the uplink's account. */
  private carriesUplink(link: LeafConnection): boolean {
    return this.uplink !== null && link.solicited && link.isRegistered && !link.closed && link.account?.name === this.uplink.options.account;
  }

  /** Stops listening and dialing and closes every link. */
  stop(): void {
    this.uplink?.stop();
    for (const remote of this.remotes) remote.stop();
    this.listener?.close();
    this.listener = null;
    for (const link of [...this.links]) link.close('Server Shutdown');
  }

  private accept(socket: net.Socket): void {
    const ip = unmapped(socket.remoteAddress ?? '');
    const link = new LeafConnection(this, this.router.newLinkCid(), socket, false, null, ip, socket.remotePort ?? 0);
    this.links.add(link);
    link.begin();
  }

  /** The registered links, as monitoring shows them. */
  states(): LeafLinkState[] {
    const out: LeafLinkState[] = [];
    for (const l of this.links) {
      if (!l.isRegistered || l.closed) continue;
      out.push({
        name: l.remoteName,
        isSpoke: l.isSpoke,
        account: (l.account as Account).name,
        ip: l.ip,
        port: l.port,
        rttMs: l.rttMs,
        inMsgs: l.inMsgs,
        outMsgs: l.outMsgs,
        inBytes: l.inBytes,
        outBytes: l.outBytes,
        subjects: [...l.subs.keys()],
      });
    }
    return out;
  }

  /**
   * A leaf came in on the websocket listener (a path with `/leafnode`). Taken only when leafs are
   * accepted at all (a leafnodes port), as in nats-server.
   */
  acceptWebsocket(socket: TransportSocket, ip: string, port: number): boolean {
    if (this.listener === null) return false;
    const link = new LeafConnection(this, this.router.newLinkCid(), socket, false, null, unmapped(ip), port, true);
    this.links.add(link);
    link.begin();
    return true;
  }

  linkUp(remote: LeafRemote, stream: Duplex, target: LeafTarget): Promise<LinkEnd> {
    const account = this.router.findAccount(remote.options.account) ?? this.router.globalAccount();
    const link = new LeafConnection(this, this.router.newLinkCid(), stream as unknown as TransportSocket, true, account, target.host, target.port, target.kind !== 'tcp');
    link.isSpoke = !remote.options.hub;
    this.links.add(link);
    return new Promise((done) => {
      this.dialed.set(link, { remote, target, done });
      link.begin();
    });
  }

  listenerInfo(link: LeafConnection): Omit<LeafInfo, 'client_id'> {
    const info = this.router.serverInfo;
    const self = this.advertised();
    return {
      server_id: info.server_id,
      server_name: info.server_name,
      version: info.version,
      proto: 1,
      go: info.go,
      host: this.options.host === '' ? '0.0.0.0' : this.options.host,
      port: this.port,
      headers: !this.router.noHeaderSupport,
      auth_required: true,
      max_payload: this.router.limits.maxPayload,
      ...(this.options.tls !== undefined && !link.websocket && { tls_required: true, ...(this.options.tls.verify && { tls_verify: true }) }),
      ...(this.options.jetstream && { jetstream: true }),
      ip: self,
      ...(this.options.domain !== '' && { domain: this.options.domain }),
      info_on_connect: true,
      leafnode_urls: [self],
    };
  }

  /** The listener's address as leafs should dial it: the advertise setting, or a real address for 0.0.0.0. */
  private advertised(): string {
    if (this.options.advertise !== '') return this.options.advertise;
    const host = this.options.host;
    return `${host === '' || host === '0.0.0.0' || host === '::' ? firstAddress() : host}:${this.port}`;
  }

  connectFor(link: LeafConnection): LeafConnect {
    const via = this.dialed.get(link);
    const url = via?.target.url;
    const creds = via?.remote.options.credentials;
    const nkey = via?.remote.options.nkey;
    // The hub need not send what we would drop: our deny_imports become its publish deny for this link.
    const denyImports = via?.remote.options.denyImports ?? [];
    const info = this.router.serverInfo;
    return {
      version: info.version,
      tls_required: false,
      server_id: info.server_id,
      name: info.server_name,
      ...(this.options.domain !== '' && { domain: this.options.domain }),
      cluster: this.clusterName,
      headers: !this.router.noHeaderSupport,
      jetstream: this.options.jetstream,
      ...(via?.remote.options.hub === true && { is_hub: true }),
      // One login, in nats-server's order: credentials, an nkey, the URL's user and password.
      ...(creds === undefined && nkey === undefined && url !== undefined && url.username !== '' && { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }),
      ...(creds !== undefined && { jwt: creds.jwt, sig: creds.sign(link.infoNonce) }),
      ...(creds === undefined && nkey !== undefined && { nkey: nkey.publicKey, sig: nkey.sign(link.infoNonce) }),
      ...(denyImports.length > 0 && { deny_pub: [...denyImports] }),
    };
  }

  secure(link: LeafConnection, socket: TransportSocket, info: LeafInfo | null): Promise<SecuredLink> | null {
    if (!link.solicited) {
      const tls = this.options.tls;
      if (tls === undefined || link.websocket) return null;
      return deadline(
        tls.upgrade(socket as unknown as net.Socket).then((up) => ({ socket: up.socket, version: up.version, identity: up.peerIdentity })),
        tls.timeoutMs,
        socket,
      );
    }
    const via = this.dialed.get(link);
    if (via === undefined || via.target.kind !== 'tcp') return null;
    const remoteTls = via.remote.options.tls;
    if (remoteTls === undefined && info?.tls_required !== true) return null;
    const { timeoutMs, ...dialTls } = remoteTls ?? { insecure: false, timeoutMs: DEFAULT_TLS_TIMEOUT_MS };
    return secureSocket(socket as unknown as Duplex, via.target.host, dialTls, timeoutMs).then((up) => ({ socket: up.stream as unknown as TransportSocket, version: up.tls?.version ?? '', identity: null }));
  }

  remoteDenies(link: LeafConnection): { readonly imports: readonly string[]; readonly exports: readonly string[] } {
    const options = this.dialed.get(link)?.remote.options;
    return { imports: options?.denyImports ?? [], exports: options?.denyExports ?? [] };
  }

  authenticate(link: LeafConnection, connect: LeafConnect): ReturnType<LeafAuth['authenticate']> {
    return this.auth.authenticate(connect, link.infoNonce, link.ip, link.websocket ? 'LEAFNODE_WS' : 'LEAFNODE', link.tlsIdentity);
  }

  newNonce(): string {
    return this.auth.newNonce();
  }

  loopSubject(account: Account): string {
    let subject = this.loopSubjects.get(account);
    if (subject === undefined) {
      subject = `$LDS.${randomBase62(22)}`;
      this.loopSubjects.set(account, subject);
    }
    return subject;
  }

  registered(link: LeafConnection): void {
    const account = (link.account as Account).name;
    if (!link.solicited) {
      // A leaf that comes back before its old link timed out replaces it (same name, cluster and account).
      for (const other of this.links) {
        if (other === link || other.solicited || !other.isRegistered || other.account !== link.account) continue;
        if (other.remoteConnect?.name === link.remoteConnect?.name && other.remoteCluster === link.remoteCluster) other.close('Duplicate Leafnode Connection');
      }
    }
    this.router.log.info(`${link.label()} - Leafnode connection created${link.solicited ? ` for account: ${account}` : ''}`);
    if (this.carriesUplink(link)) this.uplink?.connected();
  }

  infoUpdated(link: LeafConnection, info: LeafInfo): void {
    const via = this.dialed.get(link);
    if (via !== undefined && info.leafnode_urls !== undefined) via.remote.learn(info.leafnode_urls, via.target);
  }

  closed(link: LeafConnection): void {
    this.links.delete(link);
    if (link.isRegistered) this.router.log.info(`${link.label()} - Leafnode connection closed: ${link.closeReason}${link.account !== null ? ` - Account: ${link.account.name}` : ''}`);
    else if (link.solicited) this.router.log.warn(`${link.label()} - Leafnode connection closed before the handshake finished: ${link.closeReason}`);
    if (this.uplink !== null && link.solicited && link.isRegistered && link.account?.name === this.uplink.options.account) this.uplink.disconnected();
    const via = this.dialed.get(link);
    if (via === undefined) return;
    this.dialed.delete(link);
    via.done({ registered: link.isRegistered, retryDelayMs: link.retryDelayMs });
  }

  logError(message: string): void {
    this.router.log.error(message);
  }

  logDebug(message: string): void {
    if (this.router.log.debugEnabled) this.router.log.debug(message);
  }
}

/** Rejects when `work` is not done within `ms`, closing the socket it runs on. */
function deadline<T>(work: Promise<T>, ms: number, socket: TransportSocket): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no handshake within ${ms} ms`));
    }, ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: Error) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d. */
function unmapped(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/** The first non-internal IPv4 address, else loopback: what a 0.0.0.0 listener tells leafs to dial. */
function firstAddress(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
