// A client connection: a socket speaking the client protocol. Operations come in through the parser,
// messages go out through the outbound buffer. How the stream starts (TLS), the login, the keepalive
// and the producer stall each live in their own module; this one runs the operations and the output.

import { NatsParser, ParseErrorKind, decodeConnect, WireError, errFrame, pubViolation, replyViolation, subTokensViolation, subViolation } from '../protocol/nats/index.js';
import type { ClientOpHandler, ConnectOptions, PubFrame } from '../protocol/nats/index.js';
import { ClientLogin } from './client-login.js';
import { closeSocket } from './close-socket.js';
import { Connection, ConnectionKind } from './connection.js';
import { Keepalive } from './keepalive.js';
import type { KeepaliveOwner } from './keepalive.js';
import { noRespondersFrame } from './msg-writer.js';
import { Outbound, scheduleFlush } from './outbound.js';
import type { Flushable } from './outbound.js';
import type { PermissionRules } from './permissions.js';
import { ProducerStall } from './producer-stall.js';
import type { StallOwner } from './producer-stall.js';
import { isValidLiteralSubject, isValidSubscribeSubject, rfc3339Nano, subjectMatches, subjectToText, tokenCount } from '../util/index.js';
import type { CertIdentity } from '../util/index.js';
import { Subscription } from './subscription.js';
import { startTransport } from './tls-start.js';
import { WriteDeadline } from './write-deadline.js';
import type { WriteDeadlineOwner } from './write-deadline.js';
import type { TransportStartOwner } from './tls-start.js';
import type { Account } from './account.js';
import type { AcceptedSocket, ConnectionLimits, ConnectionType, TlsUpgrade, TransportSocket } from './transport.js';
import type { Limits, Router } from './router.js';

const PONG = Buffer.from('PONG\r\n');
const PING = Buffer.from('PING\r\n');
const OK = Buffer.from('+OK\r\n');

/** Reserved reply prefixes a client may not use (nats-server isReservedReply). */
const RESERVED_REPLY = ['_R_.', '$JS.ACK.', '_GR_.'];

export class ClientConnection extends Connection implements ClientOpHandler, Flushable, KeepaliveOwner, StallOwner, TransportStartOwner, WriteDeadlineOwner {
  readonly type: ConnectionType;
  readonly outbound = new Outbound();
  readonly ip: string;
  readonly port: number;
  tlsVersion = '';
  tlsCipher = '';
  /** The client certificate's key id (TlsUpgrade.peerKeyId); '' without TLS or a certificate. */
  tlsPeerKeyId = '';
  /** Who the client certificate names (TlsUpgrade.peerIdentity). */
  tlsIdentity: CertIdentity | null = null;
  lastActivity: number;
  /** What this client's INFO gave it to sign ('' for nothing): the authenticator checks the signature. */
  nonce = '';
  /** The key that signed the login's JWT, and the JWT's name ('' without one): monitoring shows them. */
  issuerKey = '';
  nameTag = '';
  tags: readonly string[] = [];
  /** When the login stops being valid (ms since the epoch); 0 for never. */
  loginExpiresAtMs = 0;
  /** The login's own limits (a JWT's), lowered further by the server's in applyLimits; null without any. */
  loginLimits: ConnectionLimits | null = null;
  /** Subscriptions this client may hold; -1 for no limit. */
  private maxSubs: number;

  private readonly router: Router;
  private readonly onError = (err: Error): void => this.onSocketError(err);
  private readonly onClose = (): void => this.close('Client Closed');
  private socket: TransportSocket;
  private readonly parser: NatsParser;
  private readonly login: ClientLogin;
  private readonly keepalive: Keepalive;
  /** Publishers overfilling this client wait on it. */
  readonly stall: ProducerStall;
  /** `ip:port - cid:N`, then with the client's version, lang and name once CONNECT gives them (nats-server's label). */
  private logLabel: string;
  /** `ip:port - cid:N`, what the label is before CONNECT. */
  private readonly baseLabel: string;
  /** A user JWT from the transport (a WebSocket cookie), for a CONNECT without one; '' for none. */
  private readonly jwtCookie: string;
  private readonly writeDeadline: WriteDeadline;
  private connectSeen = false;
  /** A PING after CONNECT was answered: from then on the client may get async INFO. */
  private pingAnswered = false;

  constructor(router: Router, cid: number, accepted: AcceptedSocket) {
    super(cid, ConnectionKind.Client);
    this.router = router;
    this.type = accepted.type;
    if (accepted.tls !== undefined) {
      this.tlsVersion = accepted.tls.version;
      this.tlsCipher = accepted.tls.cipher;
      this.tlsPeerKeyId = accepted.tls.peerKeyId;
      this.tlsIdentity = accepted.tls.peerIdentity;
    }
    this.socket = accepted.socket;
    this.lastActivity = this.start.getTime();
    // A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d; Go (and so nats-server) shows a.b.c.d.
    const ip = accepted.remoteAddress ?? accepted.socket.remoteAddress ?? '';
    this.ip = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
    this.port = accepted.socket.remotePort ?? 0;
    this.jwtCookie = accepted.jwtCookie ?? '';
    const limits = router.limits;
    const forwarded = accepted.forwardedFor === undefined ? '' : `${accepted.forwardedFor.includes(':') ? `[${accepted.forwardedFor}]` : accepted.forwardedFor}/`;
    // nats-server numbers WebSocket clients `wid` in its log lines.
    this.baseLabel = this.logLabel = `${forwarded}${this.ip}:${this.port} - ${this.type === 'WEBSOCKET' ? 'wid' : 'cid'}:${cid}`;
    this.parser = new NatsParser(this, limits.maxControlLine, limits.maxPayload);
    this.maxSubs = limits.maxSubscriptions > 0 ? limits.maxSubscriptions : -1;
    this.keepalive = new Keepalive(this);
    this.stall = new ProducerStall(this);
    this.writeDeadline = new WriteDeadline(this, router);
    this.login = new ClientLogin(this, router);
    const auth = router.authenticatorFor(this.type);
    // With a no_auth_user any first operation is let in (loginWithoutConnect); otherwise it must be CONNECT.
    this.parser.connectFirst = !this.login.authed && auth.noAuthLogin === null;
    if (this.login.authed) this.bindTo(router.globalAccount(), '', undefined);
  }

  get limits(): Limits {
    return this.router.limits;
  }

  get rttMs(): number {
    return this.keepalive.rttMs;
  }

  /** Sends INFO and starts reading; does the TLS upgrade first when the listener requires it. */
  begin(accepted: AcceptedSocket): void {
    this.socket.on('error', this.onError);
    this.socket.on('close', this.onClose);
    this.nonce = this.router.authenticatorFor(this.type).newNonce();
    this.sendNow(Buffer.from(this.router.infoFor(this), 'utf8'));
    this.login.startDeadline();
    this.keepalive.arm(this.router.limits.pingIntervalMs);
    startTransport(accepted, this);
  }

  attach(firstBytes: Buffer | null): void {
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('drain', () => this.onDrain());
    if (firstBytes !== null) this.onData(firstBytes);
  }

  upgraded(up: TlsUpgrade): void {
    // Only our own listeners move: the TLS socket keeps its own on the raw one.
    this.socket.off('close', this.onClose);
    this.socket.off('error', this.onError);
    this.socket = up.socket;
    this.tlsVersion = up.version;
    this.tlsCipher = up.cipher;
    this.tlsPeerKeyId = up.peerKeyId;
    this.tlsIdentity = up.peerIdentity;
    this.socket.on('error', this.onError);
    this.socket.on('close', this.onClose);
    this.attach(null);
  }

  handshakeTimedOut(): void {
    this.closeWithError(WireError.SecureConnectionRequired, 'TLS Handshake Error');
  }

  handshakeFailed(err: Error): void {
    this.router.log.error(`${this.label()} - TLS handshake error: ${err.message}`);
    this.close('TLS Handshake Error');
  }

  label(): string {
    return this.logLabel;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    if (this.login.pending) return this.login.hold(chunk, true);
    this.lastActivity = Date.now();
    this.feed(chunk, true);
  }

  /** Parses input; what is left when an authentication starts is held (copied when `copy`, the read buffer being Node's). */
  feed(chunk: Buffer, copy: boolean): void {
    try {
      const used = this.parser.parse(chunk);
      if (this.login.pending && used < chunk.length) this.login.hold(chunk.subarray(used), copy);
    } catch (err) {
      this.internalError(err);
    }
  }

  /** Runs `fn`; a bug must cost at most the connection whose input hit it, never the server. */
  guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.internalError(err);
    }
  }

  private internalError(err: unknown): void {
    this.router.log.error(`${this.label()} - internal error processing input: ${(err as Error).stack ?? String(err)}`);
    this.close('Internal Error');
  }

  private onSocketError(err: Error): void {
    if (this.router.log.debugEnabled) this.router.log.debug(`${this.label()} - Client connection error: ${err.message}`);
    this.close('Read Error');
  }

  /** Stops reading while the login runs. */
  holdInput(): void {
    this.parser.stop();
    this.socket.pause();
  }

  releaseInput(): void {
    this.parser.resume();
    this.socket.resume();
  }

  pauseInput(): void {
    this.socket.pause();
  }

  resumeInput(): void {
    if (!this.login.pending) this.socket.resume();
  }

  /**
   * nats-server's ClientInfo details of this client (for shared requests and events): the user is
   * the one logged in, or the one CONNECT named when the login failed.
   */
  clientInfo(): Record<string, unknown> {
    return {
      start: rfc3339Nano(this.start.getTime()),
      host: this.ip,
      id: this.cid,
      acc: this.account?.name ?? '',
      user: this.user !== '' ? this.user : this.opts.user,
      name: this.opts.name,
      lang: this.opts.lang,
      ver: this.opts.version,
      rtt: Math.round(this.rttMs * 1e6),
      jwt: this.opts.jwt,
      issuer_key: this.issuerKey,
      name_tag: this.nameTag,
      tags: this.tags.length > 0 ? this.tags : undefined,
      kind: 'Client',
      client_type: 'nats',
    };
  }

  /** Logged in (CONNECT accepted, or let in as the no_auth_user). */
  get authed(): boolean {
    return this.login.authed;
  }

  bindTo(account: Account, user: string, rules: PermissionRules | undefined): void {
    if (this.account !== null && this.account !== account) this.account.conns.delete(this);
    this.bindAccount(account, user, rules);
    account.conns.add(this);
  }

  // ---- protocol operations -------------------------------------------------------------------

  onConnect(json: string): void {
    if (this.router.log.traceEnabled) this.router.log.trace(`${this.label()} - <<- [CONNECT ${json}]`);
    const decoded = decodeConnect(json);
    if (decoded === null) return this.close('Protocol Error');
    const opts = this.jwtCookie !== '' && !decoded.jwt ? { ...decoded, jwt: this.jwtCookie } : decoded;
    this.logLabel = connectLabel(this.baseLabel, opts);
    if (opts.protocol !== undefined && (opts.protocol < 0 || opts.protocol > 1)) {
      return this.closeWithError(WireError.InvalidClientProtocol, 'Protocol Error');
    }
    if (opts.no_responders === true && opts.headers !== true) {
      return this.closeWithError(WireError.NoRespondersRequiresHeaders, 'Protocol Error');
    }
    this.connectSeen = true;
    this.keepalive.connectArrived();
    this.parser.connectFirst = false;
    this.opts = opts;
    this.headers = opts.headers === true && !this.router.noHeaderSupport;
    this.login.connect();
  }

  /** The login passed. */
  connected(): void {
    if (this.router.closing) return this.close('Server Shutdown');
    if (this.opts.verbose) this.sendOp(OK, 'OK');
    this.keepalive.connected();
  }

  /** The server's configuration was reloaded. */
  reconfigured(reauthorize: boolean): void {
    if (this.closed) return;
    this.parser.maxControlLine = this.router.limits.maxControlLine;
    this.limitsFrom(this.loginLimits, false);
    if (this.maxSubs >= 0 && this.subs.size > this.maxSubs) return this.tooManySubs();
    if (reauthorize) this.login.recheck();
  }

  /**
   * Sets this connection's payload and subscription limits from its login's and the server's, the
   * lower of each (nats-server's applyAccountLimits, with its log lines). False when the client
   * already holds as many subscriptions as its login allows: it is then told so and closed.
   */
  applyLimits(): boolean {
    this.limitsFrom(this.loginLimits, true);
    if (this.loginLimits === null || this.maxSubs < 0 || this.subs.size < this.maxSubs) return true;
    this.tooManySubs();
    return false;
  }

  private limitsFrom(own: ConnectionLimits | null, log: boolean): void {
    const limits = this.router.limits;
    const serverSubs = limits.maxSubscriptions > 0 ? limits.maxSubscriptions : -1;
    const ownPayload = own?.payload ?? -1;
    const ownSubs = own?.subs ?? -1;
    this.parser.maxPayload = ownPayload >= 0 && ownPayload < limits.maxPayload ? ownPayload : limits.maxPayload;
    this.maxSubs = ownSubs >= 0 && (serverSubs < 0 || ownSubs <= serverSubs) ? ownSubs : serverSubs;
    if (!log) return;
    if (ownPayload > limits.maxPayload) this.router.log.error(`${this.label()} - Max Payload set to ${limits.maxPayload} from server overrides account or user config`);
    if (ownSubs >= 0 && serverSubs >= 0 && ownSubs > serverSubs) this.router.log.error(`${this.label()} - Max Subscriptions set to ${serverSubs} from server overrides account or user config`);
  }

  /** nats-server tells the client, then closes it shortly after so the error can be read. */
  private tooManySubs(): void {
    this.sendErr(WireError.MaxSubscriptions);
    setTimeout(() => this.close('Maximum Subscriptions Exceeded'), 20).unref();
  }

  onPub(frame: PubFrame): void {
    if (!this.login.authed && !this.login.loginWithoutConnect()) return;
    if (frame.isHpub && !this.headers) return this.close('Protocol Error');
    const router = this.router;
    if (router.log.traceEnabled) this.tracePub(frame);
    const size = frame.end - frame.start;
    this.inMsgs++;
    this.inBytes += size;
    const account = this.account as Account;
    account.inMsgs++;
    account.inBytes += size;
    this.keepalive.active = true;
    let subject = frame.subject;
    if (this.opts.pedantic && !isValidLiteralSubject(subject)) this.sendErr(WireError.InvalidPublishSubject);
    const mappings = account.mappings;
    if (mappings !== null) {
      const mapped = mappings.map(subject);
      if (mapped !== null) {
        if (router.log.traceEnabled) router.log.trace(`${this.label()} - <<- [MAPPING ${subjectToText(subject)} -> ${subjectToText(mapped)}]`);
        frame.mapTo(mapped);
        subject = mapped;
      }
    }
    if (subject.charCodeAt(0) === 0x5f && subject.startsWith('_GR_.')) return this.pubDenied(subject);
    if (this.perms !== null && !this.perms.canPublish(subject)) return this.pubDenied(subject);
    const reply = frame.reply;
    if (reply !== '' && isReservedReply(reply)) return this.sendErr(replyViolation(reply));
    if (this.opts.verbose) this.sendOp(OK, 'OK');
    // An answer through a service import (`_R_.…`) is published once: the match cache need not learn it.
    const delivered = router.route(this, frame, subject.charCodeAt(0) === 0x5f && subject.startsWith('_R_.'));
    if (delivered === 0 && reply !== '' && this.opts.no_responders === true) this.sendNoResponders(reply);
  }

  private pubDenied(subject: string): void {
    this.router.log.error(`${this.label()} - Publish Violation - ${this.authUserLabel()}, Subject "${subjectToText(subject)}"`);
    this.sendErr(pubViolation(subject));
  }

  /** Who the client is in violation logs (nats-server's getAuthUser). */
  private authUserLabel(): string {
    const o = this.opts;
    if (o.nkey) return `Nkey ${JSON.stringify(o.nkey)}`;
    if (o.user) return `User ${JSON.stringify(o.user)}`;
    if (o.jwt) return `JWT User ${JSON.stringify(this.user)}`;
    return this.user !== '' ? `User ${JSON.stringify(this.user)}` : 'User "N/A"';
  }

  private sendNoResponders(reply: string): void {
    for (const sub of this.subs.values()) {
      if (subjectMatches(reply, sub.subject)) return this.send(noRespondersFrame(reply, sub.sid));
    }
  }

  onSub(subject: string, queue: string | null, sid: string): void {
    if (!this.login.authed && !this.login.loginWithoutConnect()) return;
    const router = this.router;
    if (router.log.traceEnabled) router.log.trace(`${this.label()} - <<- [SUB ${subjectToText(`${subject}${queue === null ? '' : ' ' + queue} ${sid}`)}]`);
    this.keepalive.active = true;
    if (!isValidSubscribeSubject(subject)) return this.sendErr(WireError.InvalidSubject);
    const limits = router.limits;
    if (limits.maxSubTokens > 0 && tokenCount(subject) > limits.maxSubTokens) return this.sendErr(subTokensViolation(subject));
    if (this.perms !== null && !this.perms.canSubscribe(subject, queue)) {
      router.log.error(`${this.label()} - Subscription Violation - ${this.authUserLabel()}, Subject "${subjectToText(subject)}", SID ${subjectToText(sid)}`);
      return this.sendErr(subViolation(subject, queue));
    }
    if (this.maxSubs >= 0 && this.subs.size >= this.maxSubs) {
      router.log.error(`${this.label()} - Maximum Subscriptions Exceeded (max ${this.maxSubs})`);
      return this.sendErr(WireError.MaxSubscriptions);
    }
    // A SUB reusing a sid is acknowledged and ignored, after the same checks (nats-server's order).
    if (!this.subs.has(sid)) this.addSub(new Subscription(this, subject, queue, sid));
    if (this.opts.verbose) this.sendOp(OK, 'OK');
  }

  onUnsub(sid: string, max: number): void {
    if (!this.login.authed && !this.login.loginWithoutConnect()) return;
    if (this.router.log.traceEnabled) this.router.log.trace(`${this.label()} - <<- [UNSUB ${subjectToText(sid)}${max >= 0 ? ' ' + max : ''}]`);
    this.keepalive.active = true;
    const sub = this.subs.get(sid);
    if (sub !== undefined) {
      if (max > 0 && sub.delivered < max) sub.max = max;
      else this.removeSub(sub);
    }
    if (this.opts.verbose) this.sendOp(OK, 'OK');
  }

  onPing(): void {
    if (!this.login.authed && !this.login.loginWithoutConnect()) return;
    if (this.router.log.traceEnabled) this.router.log.trace(`${this.label()} - <<- [PING]`);
    this.keepalive.active = true;
    if (this.connectSeen) this.pingAnswered = true;
    this.sendOp(PONG, 'PONG');
  }

  onPong(): void {
    if (this.router.log.traceEnabled) this.router.log.trace(`${this.label()} - <<- [PONG]`);
    this.keepalive.pong();
  }

  onParseError(kind: ParseErrorKind): void {
    switch (kind) {
      case ParseErrorKind.UnknownOp:
        return this.closeWithError(WireError.UnknownOp, 'Protocol Error');
      case ParseErrorKind.MaxControlLine:
        return this.closeWithError(WireError.MaxControlLine, 'Maximum Control Line Exceeded');
      case ParseErrorKind.MaxPayload:
        this.router.log.error(`${this.label()} - maximum payload exceeded: ${this.parser.refusedSize} vs ${this.parser.maxPayload}`);
        this.sendErrNow(WireError.MaxPayload);
        return this.close('Maximum Payload Exceeded');
      case ParseErrorKind.NotConnect:
        return this.login.refuse(this.router.authenticatorFor(this.type).refusedBeforeConnect);
      case ParseErrorKind.PeerError:
        return this.close('Client Closed');
      default:
        return this.close('Protocol Error');
    }
  }

  private tracePub(frame: PubFrame): void {
    const op = frame.isHpub ? 'HPUB' : 'PUB';
    const reply = frame.reply === '' ? '' : ' ' + frame.reply;
    const sizes = frame.isHpub ? `${frame.hdrLen} ${frame.size}` : `${frame.size}`;
    this.router.log.trace(`${this.label()} - <<- [${op} ${subjectToText(frame.subject + reply)} ${sizes}]`);
    const max = this.router.maxTracedMsgLen;
    const body = subjectToText(frame.payload.toString('latin1'));
    this.router.log.trace(`${this.label()} - <<- MSG_PAYLOAD: [${JSON.stringify(max > 0 && body.length > max ? body.slice(0, max) + '...' : body)}]`);
  }

  // ---- deliveries ------------------------------------------------------------------------------

  /**
   * Called by the router after each delivery: counts toward UNSUB max and marks activity. Returns true
   * when this client is over half its max_pending, so the publisher should wait for it.
   */
  delivered(sub: Subscription, bytes: number): boolean {
    this.outMsgs++;
    this.outBytes += bytes;
    this.keepalive.active = true;
    sub.delivered++;
    if (sub.max > 0 && sub.delivered >= sub.max) this.removeSub(sub);
    const pending = this.pendingBytes;
    const max = this.router.limits.maxPending;
    if (pending > max) {
      this.slowConsumer();
      return false;
    }
    scheduleFlush(this);
    return pending > max >> 1;
  }

  stallFor(consumer: ProducerStall): void {
    this.stall.waitFor(consumer);
  }

  // ---- output ----------------------------------------------------------------------------------

  send(frame: Buffer): void {
    if (this.closed) return;
    this.outbound.append(frame);
    scheduleFlush(this);
  }

  /** Sends a control op, traced as nats-server traces it (`->> [PONG]`). */
  private sendOp(frame: Buffer, name: string): void {
    if (this.router.log.traceEnabled) this.router.log.trace(`${this.label()} - ->> [${name}]`);
    this.send(frame);
  }

  sendPing(): void {
    this.sendOp(PING, 'PING');
  }

  /** Traces a delivery (called by the router only when tracing is on). */
  traceDelivery(sub: Subscription, subject: string, reply: string, size: number): void {
    this.router.log.trace(`${this.label()} - ->> [MSG ${subjectToText(`${subject} ${sub.sid}${reply === '' ? '' : ' ' + reply}`)} ${size}]`);
  }

  sendErr(text: string): void {
    if (this.router.log.traceEnabled) this.router.log.trace(`${this.label()} - ->> [-ERR '${subjectToText(text)}']`);
    this.send(errFrame(text));
  }

  /** Writes -ERR at once, ahead of a close. */
  sendErrNow(text: string): void {
    if (this.router.log.traceEnabled) this.router.log.trace(`${this.label()} - ->> [-ERR '${subjectToText(text)}']`);
    this.sendNow(errFrame(text));
  }

  /** Writes at once (INFO, and -ERR before a close) rather than at the end of the turn. */
  private sendNow(frame: Buffer): void {
    this.outbound.append(frame);
    this.flushOutbound();
  }

  flushOutbound(): void {
    if (this.closed && this.socket.destroyed) return;
    if (this.outbound.pendingBytes === 0) return;
    const ok = this.outbound.flushTo(this.socket);
    if (this.socket.writableLength > this.router.limits.maxPending) return this.slowConsumer();
    if (!ok) this.writeDeadline.backedUp();
  }

  writeDeadlineExceeded(): void {
    if (this.account !== null) this.account.slowConsumers++;
    this.close('Slow Consumer (Write Deadline)', true);
  }

  private onDrain(): void {
    this.stall.drained();
    this.writeDeadline.clear();
  }

  /** Bytes queued for this client, in our buffer and the socket's. */
  get pendingBytes(): number {
    return this.outbound.pendingBytes + this.socket.writableLength;
  }

  private slowConsumer(): void {
    if (this.closed) return;
    this.router.stats.slowConsumers++;
    if (this.account !== null) this.account.slowConsumers++;
    this.router.log.warn(`${this.label()} - Slow Consumer Detected: MaxPending of ${this.router.limits.maxPending} Exceeded`);
    this.close('Slow Consumer (Pending Bytes)', true);
  }

  // ---- closing ---------------------------------------------------------------------------------

  closeStale(): void {
    this.router.log.debug(`${this.label()} - Stale Client Connection - Closing`);
    this.closeWithError(WireError.StaleConnection, 'Stale Connection');
  }

  closeWithError(text: string, reason: string): void {
    if (this.closed) return;
    this.router.log.error(`${this.label()} - ${text}`);
    this.sendErrNow(text);
    this.close(reason);
  }

  /** Closes once; pending output is flushed first unless the peer is too slow to take it. */
  close(reason: string, dropPending = false): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    this.stop = new Date();
    this.parser.stop();
    this.keepalive.stop();
    this.login.release();
    this.writeDeadline.clear();
    this.stall.stop();
    closeSocket(this.socket, this.outbound, dropPending);
    this.parser.release();
    this.retireSubs();
    this.account?.conns.delete(this);
    this.router.closed(this);
  }

  /** Whether async INFO may be sent: the client speaks protocol 1 and its first PING after CONNECT was answered. */
  get wantsAsyncInfo(): boolean {
    return this.pingAnswered && this.opts.protocol === 1;
  }
}

/** nats-server's client label after CONNECT: `<label> - "v<version>:<lang>:<name>"`, leaving out what is empty. */
function connectLabel(base: string, opts: ConnectOptions): string {
  const parts: string[] = [];
  if (opts.version) parts.push(`v${opts.version}`);
  if (opts.lang) parts.push(opts.lang);
  if (opts.name) parts.push(opts.name);
  return parts.length === 0 ? base : `${base} - ${JSON.stringify(parts.join(':'))}`;
}

function isReservedReply(reply: string): boolean {
  for (let i = 0; i < RESERVED_REPLY.length; i++) if (reply.startsWith(RESERVED_REPLY[i])) return true;
  return false;
}
