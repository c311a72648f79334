// One leaf node link, either side: the INFO/CONNECT handshake, then interest (LS+/LS-) and messages
// (LMSG/HMSG) both ways, PING/PONG liveness and loop detection. The soliciting side dialed it (a
// remote of ours); the accepting side took it on the leafnodes port. Core's LinkConnection gives the
// router's view: one copy per link, queue groups listed, never cut as a slow consumer.

import { NatsParser, ParseErrorKind, WireError, errFrame, leafLoopDetected, leafMinVersion, subViolation } from '../protocol/nats/index.js';
import type { LeafConnect, LeafInfo, LeafOpHandler, PubFrame } from '../protocol/nats/index.js';
import { ConnectionKind, Keepalive, LinkConnection, WriteDeadline, closeSocket, isValidLiteralSubject, isValidSubscribeSubject, scheduleFlush } from '../core/index.js';
import type { Account, AuthOutcome, InterestFeed, InterestTally, KeepaliveOwner, WriteDeadlineOwner, Limits, PermissionRules, Permissions, Router, Subscription, TransportSocket } from '../core/index.js';
import { subjectToText } from '../util/index.js';
import type { CertIdentity } from '../util/index.js';
import { exemptFromPermissions, linkRules, neverCrossesIn, withDeny } from './leaf-permissions.js';

/** After a loop or a same-cluster refusal the soliciting side waits this long (nats-server's). */
const LOOP_DELAY_MS = 30_000;
/** The soliciting side waits this long for the first INFO, then for the INFO that confirms CONNECT. */
const FIRST_INFO_MS = 2_000;
const CONNECT_INFO_MS = 2_000;
/** How long a leaf refused for its version is held before the close (nats-server's leafNodeWaitBeforeClose). */
const MIN_VERSION_HOLD_MS = 5_000;
const LDS_PREFIX = '$LDS.';
const JS_ACK_PREFIX = '$JS.ACK.';
/** A leaf link has no max_control_line (long queue lists); this bounds a line that never ends. */
const LINK_CONTROL_LINE = 1024 * 1024;
const PING = Buffer.from('PING\r\n');
const PONG = Buffer.from('PONG\r\n');

/** A link moved onto TLS: its socket, the protocol version, and the peer's certificate (null: none). */
export interface SecuredLink {
  readonly socket: TransportSocket;
  readonly version: string;
  readonly identity: CertIdentity | null;
}

/** What a leaf connection needs from the leaf node service that made it. */
export interface LeafHost {
  readonly router: Router;
  /** The accepting side's INFO for `conn` (without client_id and nonce). */
  listenerInfo(conn: LeafConnection): Omit<LeafInfo, 'client_id'>;
  /** Our CONNECT to a remote, answering its first INFO. */
  connectFor(conn: LeafConnection, info: LeafInfo): LeafConnect;
  /**
   * Starts TLS on the link when it needs it: the accepting side right after its INFO (the listener
   * has `tls`), the soliciting side after the hub's INFO asks for it or the remote has `tls`. Null
   * when the link stays plain.
   */
  secure(conn: LeafConnection, socket: TransportSocket, info: LeafInfo | null): Promise<SecuredLink> | null;
  /** A soliciting link's remote's own deny lists (`deny_imports`, `deny_exports`). */
  remoteDenies(conn: LeafConnection): { readonly imports: readonly string[]; readonly exports: readonly string[] };
  /** The accepting side's login check; resolves with the account to bind. */
  authenticate(conn: LeafConnection, connect: LeafConnect): Promise<AuthOutcome>;
  /** A fresh nonce for an accepting side's INFO ('' when logins need none). */
  newNonce(): string;
  readonly authTimeoutMs: number;
  /** The account's loop-detection subject (`$LDS.<id>`), one per account and server. */
  loopSubject(account: Account): string;
  /** This server's cluster name as the other side compares it. */
  readonly clusterName: string;
  /** This server's JetStream domain ('' for none). */
  readonly domain: string;
  /** The oldest version an accepted leaf may run ('' for any). */
  readonly minVersion: string;
  /** The handshake finished: the link carries traffic. */
  registered(conn: LeafConnection): void;
  /** A later INFO from the accepting side (new leafnode_urls). */
  infoUpdated(conn: LeafConnection, info: LeafInfo): void;
  closed(conn: LeafConnection): void;
}

export class LeafConnection extends LinkConnection implements LeafOpHandler, InterestFeed, KeepaliveOwner, WriteDeadlineOwner {
  /** True when we dialed it (a configured remote). */
  readonly solicited: boolean;
  /** We are the spoke: only our own interest goes over, never what the hub told us. */
  isSpoke: boolean;
  /** Set once the handshake finished. */
  isRegistered = false;
  /** The other side's first INFO (soliciting side) or CONNECT (accepting side), for monitoring. */
  remoteInfo: LeafInfo | null = null;
  remoteConnect: LeafConnect | null = null;
  /** The link runs over a WebSocket (its TLS, if any, is the WebSocket's: no TLS after INFO). */
  readonly websocket: boolean;
  /** The address dialed or accepted from. */
  readonly ip: string;
  readonly port: number;
  /** Set when the close should delay the next attempt (a loop, the same cluster name). */
  retryDelayMs = 0;
  private readonly host: LeafHost;
  private socket: TransportSocket;
  /** The TLS protocol version in use ('' for none), for monitoring. */
  tlsVersion = '';
  /** The other side's TLS certificate, for `verify_and_map` (null: none, or no TLS). */
  tlsIdentity: CertIdentity | null = null;
  private readonly parser: NatsParser;
  private readonly keepalive: Keepalive;
  private tally: InterestTally | null = null;
  private nonce = '';
  private deadline: NodeJS.Timeout | null = null;
  private authPending = false;
  private readonly held: Buffer[] = [];
  private readonly writeDeadline: WriteDeadline;
  private loopSubjectOwn = '';
  /** The accepting side's leaf user's permissions (as configured, from the user's point of view). */
  private userRules: PermissionRules | undefined = undefined;

  constructor(host: LeafHost, cid: number, socket: TransportSocket, solicited: boolean, account: Account | null, ip: string, port: number, websocket = false) {
    super(cid, ConnectionKind.Leaf);
    this.websocket = websocket;
    this.host = host;
    this.socket = socket;
    this.solicited = solicited;
    this.isSpoke = solicited;
    this.ip = ip;
    this.port = port;
    this.parser = new NatsParser(this, LINK_CONTROL_LINE, host.router.limits.maxPayload, true);
    this.keepalive = new Keepalive(this);
    this.writeDeadline = new WriteDeadline(this, host.router);
    this.stallAtBytes = Math.max(host.router.limits.maxPending >> 1, 1);
    if (account !== null) this.bindTo(account, '');
  }

  /**
   * Binds the link to `account` with what may cross it (leaf-permissions.ts); rebound once the
   * handshake tells the other side's domain and permissions.
   */
  private bindTo(account: Account, user: string): void {
    const denies = this.solicited ? this.host.remoteDenies(this) : null;
    const input = denies !== null
      ? {
          remoteDomain: this.remoteInfo?.domain ?? '',
          send: withDeny(this.remoteInfo?.export, denies.exports),
          announce: withDeny(this.remoteInfo?.import, denies.imports),
        }
      : {
          remoteDomain: this.remoteConnect?.domain ?? '',
          send: withDeny(this.userRules?.subscribe, this.remoteConnect?.deny_pub ?? []),
          announce: this.userRules?.publish,
        };
    this.bindAccount(account, user, linkRules({ system: account.isSystem, domain: this.host.domain, ...input }));
  }

  get limits(): Limits {
    return this.host.router.limits;
  }

  get rttMs(): number {
    return this.keepalive.rttMs;
  }

  /** The other server's name ('' until the handshake tells it). */
  get remoteName(): string {
    return this.remoteConnect?.name ?? this.remoteInfo?.server_name ?? '';
  }

  label(): string {
    const name = this.remoteName;
    return `${this.ip}:${this.port} - lid:${this.cid}${name !== '' ? ` - "${name}"` : ''}`;
  }

  /** Starts the handshake: the accepting side sends INFO (then TLS when its listener has it), the soliciting side waits for INFO. */
  begin(): void {
    this.listen();
    if (this.solicited) {
      this.deadline = setTimeout(() => this.close('Read Error'), FIRST_INFO_MS);
      return;
    }
    this.nonce = this.host.newNonce();
    const info: LeafInfo = { ...this.host.listenerInfo(this), client_id: this.cid, ...(this.nonce !== '' && { nonce: this.nonce }) };
    this.sendNow(Buffer.from(`INFO ${JSON.stringify(info)}\r\n`, 'utf8'));
    this.deadline = setTimeout(() => this.closeWithError(WireError.AuthTimeout, 'Authentication Timeout'), this.host.authTimeoutMs);
    this.startTls(null, () => undefined);
  }

  private readonly onDataBound = (chunk: Buffer): void => this.onData(chunk);
  private readonly onDrainBound = (): void => this.onDrain();
  private readonly onErrorBound = (err: Error): void => this.onSocketError(err);
  private readonly onCloseBound = (): void => this.close('Client Closed');

  private listen(): void {
    this.socket.on('data', this.onDataBound);
    this.socket.on('drain', this.onDrainBound);
    this.socket.on('error', this.onErrorBound);
    this.socket.on('close', this.onCloseBound);
    // A socket from a proxy tunnel comes paused, with what the hub sent already waiting in it.
    this.socket.resume();
  }

  /**
   * Moves the link onto TLS when the host says it needs it, then runs `then`. Nothing is read while
   * the handshake runs; a failed one closes the link.
   */
  private startTls(info: LeafInfo | null, then: () => void): void {
    const raw = this.socket;
    const pending = this.host.secure(this, raw, info);
    if (pending === null) return then();
    raw.off('data', this.onDataBound);
    raw.off('drain', this.onDrainBound);
    raw.off('error', this.onErrorBound);
    raw.off('close', this.onCloseBound);
    // Errors until the handshake settles are the handshake's: it reports them.
    raw.on('error', () => undefined);
    pending.then(
      (up) => {
        if (this.closed) return void up.socket.destroy();
        this.socket = up.socket;
        this.tlsVersion = up.version;
        this.tlsIdentity = up.identity;
        this.listen();
        then();
      },
      (err: Error) => {
        this.host.router.log.error(`${this.label()} - TLS handshake error: ${err.message}`);
        this.socket = raw;
        this.close('TLS Handshake Error');
      },
    );
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    if (this.authPending) {
      this.held.push(Buffer.from(chunk));
      return;
    }
    this.feed(chunk);
  }

  private feed(chunk: Buffer): void {
    try {
      const used = this.parser.parse(chunk);
      if (this.authPending && used < chunk.length) this.held.push(Buffer.from(chunk.subarray(used)));
    } catch (err) {
      this.host.router.log.error(`${this.label()} - internal error processing input: ${(err as Error).stack ?? String(err)}`);
      this.close('Internal Error');
    }
  }

  private onSocketError(err: Error): void {
    const log = this.host.router.log;
    if (log.debugEnabled) log.debug(`${this.label()} - Leafnode connection error: ${err.message}`);
    this.close('Read Error');
  }

  // ---- handshake -------------------------------------------------------------------------------

  onInfo(json: string): void {
    let info: LeafInfo;
    try {
      info = JSON.parse(json) as LeafInfo;
    } catch {
      return this.close('Protocol Error');
    }
    if (!this.solicited) return;
    if (this.remoteInfo === null) return this.firstInfo(info);
    if (info.connect_info === true && !this.isRegistered) {
      if (this.remoteInfo !== null && (info.import !== undefined || info.export !== undefined)) {
        this.remoteInfo = { ...this.remoteInfo, ...(info.import !== undefined && { import: info.import }), ...(info.export !== undefined && { export: info.export }) };
      }
      return this.register();
    }
    this.host.infoUpdated(this, info);
  }

  /** The soliciting side's first INFO: check it is a leaf port, then CONNECT. */
  private firstInfo(info: LeafInfo): void {
    this.clearDeadline();
    if (!info.client_id || info.leafnode_urls === undefined) {
      this.host.router.log.error(`${this.label()} - Leafnode connection: attempted to connect to wrong port`);
      return this.close('Wrong Port');
    }
    this.remoteInfo = info;
    this.remoteCluster = info.cluster ?? '';
    this.headers = info.headers === true && !this.host.router.noHeaderSupport;
    this.nonce = info.nonce ?? '';
    this.host.infoUpdated(this, info);
    this.startTls(info, () => {
      const connect = { ...this.host.connectFor(this, info), tls_required: this.tlsVersion !== '' };
      this.sendNow(Buffer.from(`CONNECT ${JSON.stringify(connect)}\r\n`, 'utf8'));
      if (info.info_on_connect !== true) return this.register();
      this.deadline = setTimeout(() => this.closeWithError(WireError.StaleLeafConnection, 'Stale Leaf Node Connection'), CONNECT_INFO_MS);
    });
  }

  /** The nonce our INFO gave (accepting side) or the remote's INFO gave us (soliciting side). */
  get infoNonce(): string {
    return this.nonce;
  }

  onConnect(json: string): void {
    if (this.solicited || this.remoteConnect !== null) return;
    let connect: LeafConnect;
    try {
      connect = JSON.parse(json) as LeafConnect;
    } catch {
      return this.close('Protocol Error');
    }
    if (typeof connect !== 'object' || connect === null) return this.close('Protocol Error');
    if (connect.lang !== undefined) return this.closeWithError(WireError.ClientOnLeafPort, 'Protocol Error');
    this.remoteConnect = connect;
    this.remoteCluster = connect.cluster ?? '';
    if (this.remoteCluster !== '' && this.remoteCluster === this.host.clusterName) {
      return this.closeWithError(WireError.LeafSameCluster, 'Cluster Name Conflict');
    }
    this.headers = connect.headers === true && !this.host.router.noHeaderSupport;
    this.isSpoke = connect.is_hub === true;
    this.authPending = true;
    this.parser.stop();
    this.host.authenticate(this, connect).then(
      (outcome) => this.loginDone(outcome),
      (err: unknown) => {
        this.host.router.log.error(`${this.label()} - leafnode authentication error: ${(err as Error).message}`);
        this.loginDone({ ok: false });
      },
    );
  }

  private loginDone(outcome: AuthOutcome): void {
    if (this.closed) return;
    this.authPending = false;
    this.clearDeadline();
    const account = outcome.ok ? this.host.router.findAccount(outcome.account) : null;
    if (!outcome.ok || account === null) {
      this.host.router.log.error(`${this.label()} - ${WireError.AuthViolation}`);
      return this.closeWithError(WireError.AuthViolation, 'Authentication Failure');
    }
    this.userRules = outcome.permissions;
    this.bindTo(account, outcome.user ?? '');
    // The leaf enforces its user's permissions on its side too: what it may subscribe to (import) and publish (export).
    const perms = outcome.permissions;
    const info: LeafInfo = {
      ...this.host.listenerInfo(this),
      client_id: this.cid,
      connect_info: true,
      remote_account: account.name,
      ...(perms?.subscribe !== undefined && { import: perms.subscribe }),
      ...(perms?.publish !== undefined && { export: perms.publish }),
    };
    this.sendNow(Buffer.from(`INFO ${JSON.stringify(info)}\r\n`, 'utf8'));
    if (this.host.minVersion !== '' && !versionAtLeast(this.remoteConnect?.version ?? '', this.host.minVersion)) return this.refuseVersion();
    this.register();
    this.parser.resume();
    const held = this.held.splice(0);
    for (const chunk of held) {
      if (this.closed || this.authPending) break;
      this.feed(chunk);
    }
  }

  /**
   * A leaf older than min_version: it gets the INFO it waits for (so it does not give up and retry at
   * once), then the error, and the link closes after MIN_VERSION_HOLD_MS, as nats-server does.
   */
  private refuseVersion(): void {
    const text = leafMinVersion(this.host.minVersion);
    this.host.router.log.error(`${this.label()} - ${text}`);
    this.sendNow(errFrame(text));
    this.deadline = setTimeout(() => this.close('Minimum Version Required'), MIN_VERSION_HOLD_MS);
  }

  /** The handshake is over: our interest goes over and messages flow. */
  private register(): void {
    this.clearDeadline();
    this.isRegistered = true;
    const account = this.account as Account;
    this.bindTo(account, this.user);
    this.loopSubjectOwn = this.host.loopSubject(account);
    // The account's mapping sources go over whoever subscribes: a JetStream domain's API
    // (`$JS.<domain>.API.…`) is reached through them from the other side.
    const sources = (account.mappings?.sources() ?? []).filter((subject) => !this.isSpoke || (this.perms as Permissions).canSubscribe(subject, null));
    this.tally = account.feedInterest(this, [this.loopSubjectOwn, ...sources]);
    scheduleFlush(this);
    this.keepalive.connected();
    this.host.registered(this);
  }

  // ---- interest --------------------------------------------------------------------------------

  /**
   * Which subscriptions count as interest to send over: never this link's own, never those of a link
   * into the same cluster, and on a spoke only local ones (clients, code inside the server, and links
   * for which we are the hub), never what the hub told us.
   */
  counts(sub: Subscription): boolean {
    const c = sub.conn;
    if (c === this || !this.mayAnnounce(sub.subject, sub.queue)) return false;
    if (c.kind !== ConnectionKind.Leaf) return true;
    const link = c as LeafConnection;
    if (this.isSpoke && link.isSpoke) return false;
    return link.remoteCluster === '' || link.remoteCluster !== this.remoteCluster;
  }

  /** Whether interest in `subject` may be announced over this link (loop detection always is). */
  private mayAnnounce(subject: string, queue: string | null): boolean {
    return exemptFromPermissions(subject) || this.perms === null || this.perms.canSubscribe(subject, queue);
  }

  changed(subject: string, queue: string | null, total: number): void {
    if (this.closed) return;
    const key = queue === null ? subject : `${subject} ${queue}`;
    if (total > 0) this.outbound.appendText(queue === null ? `LS+ ${key}\r\n` : `LS+ ${key} ${total}\r\n`);
    else this.outbound.appendText(`LS- ${key}\r\n`);
    scheduleFlush(this);
  }

  onLeafSub(subject: string, queue: string | null, weight: number): void {
    if (!this.isRegistered) return;
    const account = this.account as Account;
    if (subject.startsWith(LDS_PREFIX) && subject === this.loopSubjectOwn) return this.loopDetected(account);
    // The hub holds a leaf to what its user may receive: asking for more closes the link (nats-server).
    if (!this.solicited && isValidLiteralSubject(subject) && !exemptFromPermissions(subject) && !(this.perms as Permissions).canPublish(subject)) {
      return this.closeWithError(subViolation(subject, null), 'Permissions Violation');
    }
    if (!isValidSubscribeSubject(subject)) {
      this.host.router.log.error(`${this.label()} - Invalid leafnode subscription ${JSON.stringify(subjectToText(subject))}, ignored`);
      return;
    }
    this.remoteSub(subject, queue, weight);
  }

  onLeafUnsub(subject: string, queue: string | null): void {
    this.remoteUnsub(subject, queue);
  }

  /** Our own loop-detection subject came back over this link: tell the other side and close. */
  private loopDetected(account: Account): void {
    const text = leafLoopDetected(account.name, LOOP_DELAY_MS / 1000);
    this.host.router.log.error(`${this.label()} - ${text}`);
    if (this.solicited) this.retryDelayMs = LOOP_DELAY_MS;
    this.sendNow(errFrame(text));
    this.close('Protocol Violation');
  }

  // ---- messages --------------------------------------------------------------------------------

  onPub(frame: PubFrame): void {
    if (!this.isRegistered) return;
    const size = frame.end - frame.start;
    this.inMsgs++;
    this.inBytes += size;
    this.keepalive.active = true;
    // Checked as sent, before the account's mappings: `$JS.<our domain>.API.…` crosses and becomes
    // our `$JS.API.…`, while `$JS.API.…` itself never crosses.
    const account = this.account as Account;
    if (neverCrossesIn(frame.subject, account.isSystem)) return;
    const mappings = account.mappings;
    if (mappings !== null) {
      const mapped = mappings.map(frame.subject);
      if (mapped !== null) frame.mapTo(mapped);
    }
    frame.deliverAs = '';
    const reply = frame.reply;
    // A JetStream delivery carries its message's own subject after `@` in the reply (see writeLinkMsg).
    if (reply.startsWith(JS_ACK_PREFIX)) {
      const at = reply.lastIndexOf('@');
      if (at > 0 && at < reply.length - 1) {
        frame.deliverAs = reply.slice(at + 1);
        frame.reply = reply.slice(0, at);
        frame.replyEnd = frame.replyStart + at;
        const told = frame.deliverAs;
        if (told.length > frame.subjectBytes.length) frame.subjectBytes = Buffer.allocUnsafe(told.length);
        frame.subjectLen = frame.subjectBytes.write(told, 0, 'latin1');
      }
    }
    this.host.router.route(this, frame);
  }

  onPing(): void {
    this.send(PONG);
  }

  onPong(): void {
    this.keepalive.pong();
  }

  onErr(text: string): void {
    this.host.router.log.error(`${this.label()} - Leafnode Error '${text}'`);
    if (this.solicited && (text.includes('Loop detected') || text.includes(WireError.LeafSameCluster))) this.retryDelayMs = LOOP_DELAY_MS;
    this.close('Parse Error');
  }

  onParseError(kind: ParseErrorKind): void {
    if (kind === ParseErrorKind.MaxPayload) {
      this.host.router.log.error(`${this.label()} - maximum payload exceeded: ${this.parser.refusedSize} vs ${this.parser.maxPayload}`);
      return this.closeWithError(WireError.MaxPayload, 'Maximum Payload Exceeded');
    }
    this.host.router.log.error(`${this.label()} - Leafnode parser error`);
    this.close('Protocol Error');
  }

  // ---- output ----------------------------------------------------------------------------------

  private send(frame: Buffer): void {
    if (this.closed) return;
    this.outbound.append(frame);
    scheduleFlush(this);
  }

  private sendNow(frame: Buffer): void {
    this.outbound.append(frame);
    this.flushOutbound();
  }

  sendPing(): void {
    this.send(PING);
  }

  closeStale(): void {
    this.closeWithError(WireError.StaleConnection, 'Stale Connection');
  }

  get pendingBytes(): number {
    return this.outbound.pendingBytes + this.socket.writableLength;
  }

  flushOutbound(): void {
    if (this.socket.destroyed || this.outbound.pendingBytes === 0) return;
    if (!this.outbound.flushTo(this.socket)) this.writeDeadline.backedUp();
  }

  writeDeadlineExceeded(): void {
    this.close('Slow Consumer (Write Deadline)', true);
  }

  private onDrain(): void {
    this.stall.drained();
    this.writeDeadline.clear();
  }

  pauseInput(): void {
    this.socket.pause();
  }

  resumeInput(): void {
    if (!this.authPending) this.socket.resume();
  }

  // ---- closing ---------------------------------------------------------------------------------

  closeWithError(text: string, reason: string): void {
    if (this.closed) return;
    this.host.router.log.error(`${this.label()} - ${text}`);
    this.sendNow(errFrame(text));
    this.close(reason);
  }

  close(reason: string, dropPending = false): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    this.stop = new Date();
    this.clearDeadline();
    this.parser.stop();
    this.keepalive.stop();
    this.writeDeadline.clear();
    this.stall.stop();
    this.tally?.stop();
    this.tally = null;
    closeSocket(this.socket, this.outbound, dropPending);
    this.parser.release();
    if (this.account !== null) this.removeAllSubs();
    this.host.closed(this);
  }

  private clearDeadline(): void {
    if (this.deadline !== null) clearTimeout(this.deadline);
    this.deadline = null;
  }
}

/** Whether `version` (`2.9.10`, `v2.10.0-beta`) is at least `min`; an unreadable one is not. */
function versionAtLeast(version: string, min: string): boolean {
  const parse = (v: string): number[] | null => {
    const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v);
    return m === null ? null : [Number(m[1]), Number(m[2]), Number(m[3])];
  };
  const have = parse(version);
  const need = parse(min);
  if (have === null || need === null) return false;
  for (let i = 0; i < 3; i++) if (have[i] !== need[i]) return (have[i] as number) > (need[i] as number);
  return true;
}
