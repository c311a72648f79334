// A client connection: protocol operations in, messages out. One class for every kind of connection
// that speaks the client protocol; its kind says how the router treats it.

import { CONNECT_DEFAULTS, ClientParser, ParseErrorKind, decodeConnect, WireError, errFrame, pubViolation, replyViolation, subRevokedViolation, subTokensViolation, subViolation } from '../protocol/nats/index.js';
import type { ClientOpHandler, ConnectOptions, PubFrame } from '../protocol/nats/index.js';
import { Outbound, scheduleFlush } from './outbound.js';
import type { Flushable } from './outbound.js';
import { Permissions } from './permissions.js';
import type { PermissionRules } from './permissions.js';
import { isValidLiteralSubject, isValidSubscribeSubject, subjectMatches, tokenCount } from './subject.js';
import { Subscription } from './subscription.js';
import type { Account } from './account.js';
import type { AcceptedSocket, AuthFailureOutcome, AuthOutcome, ConnectionType, TransportSocket } from './transport.js';
import type { Router } from './router.js';
import { noRespondersFrame } from './msg-writer.js';

export const ConnectionKind = { Client: 0 } as const;
export type ConnectionKind = (typeof ConnectionKind)[keyof typeof ConnectionKind];

const PONG = Buffer.from('PONG\r\n');
const PING = Buffer.from('PING\r\n');
const OK = Buffer.from('+OK\r\n');
/** Longest a publisher waits for a subscriber it overfills (nats-server stalls producers similarly briefly). */
const STALL_MS = 100;
/** A busy client's keepalive PING is skipped unless its RTT is older than this (nats-server: an hour). */
const RTT_REFRESH_MS = 3_600_000;

/** Reserved reply prefixes a client may not use (nats-server isReservedReply). */
const RESERVED_REPLY = ['_R_.', '$JS.ACK.', '_GR_.'];

export class Connection implements ClientOpHandler, Flushable {
  readonly cid: number;
  readonly kind: ConnectionKind = ConnectionKind.Client;
  readonly type: ConnectionType;
  readonly outbound = new Outbound();
  readonly subs = new Map<string, Subscription>();
  readonly start: Date;
  readonly ip: string;
  readonly port: number;

  opts: ConnectOptions = CONNECT_DEFAULTS;
  account: Account | null = null;
  user = '';
  perms: Permissions | null = null;
  /** CONNECT said headers:true (and the server supports them). */
  headers = false;
  tlsVersion = '';
  tlsCipher = '';
  closed = false;
  closeReason = '';
  stop: Date | null = null;

  inMsgs = 0;
  outMsgs = 0;
  inBytes = 0;
  outBytes = 0;
  lastActivity: number;
  rttMs = 0;

  private readonly router: Router;
  private readonly onError = (err: Error): void => this.onSocketError(err);
  private readonly onClose = (): void => this.close('Client Closed');
  private socket: TransportSocket;
  private readonly parser: ClientParser;
  /** `ip:port - cid:N`, then with the client's version, lang and name once CONNECT gives them (nats-server's label). */
  private logLabel: string;
  /** `ip:port - cid:N`, what the label is before CONNECT. */
  private readonly baseLabel: string;
  private authed: boolean;
  private authPending = false;
  /** Input that arrived while an authentication was in progress. */
  private stash: Buffer[] = [];
  /** Message or subscription traffic since the last keepalive tick. */
  private active = false;
  private pingsOut = 0;
  private pingSentAt = 0;
  /** When the last PING that measured rttMs went out; -1 before the first. */
  private rttPingAt = -1;
  /** performance.now() at accept: CONNECT's arrival gives the first RTT estimate. */
  private readonly acceptedAt: number;
  private pingTimer: NodeJS.Timeout | null = null;
  private authTimer: NodeJS.Timeout | null = null;
  private writeDeadline: NodeJS.Timeout | null = null;
  private stallTimer: NodeJS.Timeout | null = null;
  /** Publishers waiting for this connection to drain. */
  private readonly stalledProducers = new Set<Connection>();
  /** The subscriber this publisher waits for while stalled. */
  private stalledOn: Connection | null = null;
  private connectSeen = false;
  /** A PING after CONNECT was answered: from then on the client may get async INFO. */
  private pingAnswered = false;

  constructor(router: Router, cid: number, accepted: AcceptedSocket) {
    this.router = router;
    this.cid = cid;
    this.type = accepted.type;
    this.socket = accepted.socket;
    this.start = new Date();
    this.acceptedAt = performance.now();
    this.lastActivity = this.start.getTime();
    this.ip = accepted.remoteAddress ?? accepted.socket.remoteAddress ?? '';
    this.port = accepted.socket.remotePort ?? 0;
    const limits = router.limits;
    this.baseLabel = this.logLabel = `${this.ip}:${this.port} - cid:${cid}`;
    this.parser = new ClientParser(this, limits.maxControlLine, limits.maxPayload);
    const auth = router.authenticator;
    this.authed = !auth.configured;
    // With a no_auth_user any first operation is let in (loginWithoutConnect); otherwise it must be CONNECT.
    this.parser.connectFirst = !this.authed && auth.noAuthLogin === null;
    if (this.authed) this.bindAccount(router.globalAccount(), '', undefined);
  }

  /** Sends INFO and starts reading; does the TLS upgrade first when the listener requires it. */
  begin(accepted: AcceptedSocket): void {
    this.socket.on('error', this.onError);
    this.socket.on('close', this.onClose);
    this.sendNow(Buffer.from(this.router.infoFor(this), 'latin1'));
    const limits = this.router.limits;
    if (this.router.authenticator.configured) {
      this.authTimer = setTimeout(() => this.authTimeout(), this.router.authenticator.timeoutMs);
    }
    this.armPing(limits.pingIntervalMs);
    if (accepted.upgradeTls === undefined) this.attach();
    else if (accepted.tlsOptional === true) this.startTlsIfOffered(accepted);
    else this.startTls(accepted);
  }

  /**
   * allow_non_tls: a TLS ClientHello (first byte 0x16, a handshake record) starts TLS with the bytes
   * already read; anything else is plain protocol.
   */
  private startTlsIfOffered(accepted: AcceptedSocket): void {
    this.socket.once('data', (first: Buffer) => {
      if (first[0] === 0x16) return this.startTls(accepted, first);
      this.attach();
      this.onData(first);
    });
  }

  private startTls(accepted: AcceptedSocket, first?: Buffer): void {
    const raw = this.socket;
    const timer = setTimeout(() => this.closeWithError(WireError.SecureConnectionRequired, 'TLS Handshake Error'), accepted.tlsTimeoutMs ?? 2000);
    (accepted.upgradeTls as NonNullable<AcceptedSocket['upgradeTls']>)(first).then(
      (up) => {
        clearTimeout(timer);
        if (this.closed) {
          up.socket.destroy();
          return;
        }
        // Only our own listeners move: the TLS socket keeps its own on the raw one.
        raw.off('close', this.onClose);
        raw.off('error', this.onError);
        this.socket = up.socket;
        this.tlsVersion = up.version;
        this.tlsCipher = up.cipher;
        this.socket.on('error', this.onError);
        this.socket.on('close', this.onClose);
        this.attach();
      },
      (err: Error) => {
        clearTimeout(timer);
        this.router.log.error(`${this.label()} - TLS handshake error: ${err.message}`);
        this.close('TLS Handshake Error');
      },
    );
  }

  private attach(): void {
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('drain', () => this.onDrain());
  }

  label(): string {
    return this.logLabel;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    if (this.authPending) {
      this.stash.push(Buffer.from(chunk));
      return;
    }
    this.lastActivity = Date.now();
    this.feed(chunk, true);
  }

  /** Parses input; what is left when an authentication starts is stashed (copied when `copy`, the read buffer being Node's). */
  private feed(chunk: Buffer, copy: boolean): void {
    try {
      const used = this.parser.parse(chunk);
      if (this.authPending && used < chunk.length) this.stash.push(copy ? Buffer.from(chunk.subarray(used)) : chunk.subarray(used));
    } catch (err) {
      this.internalError(err);
    }
  }

  /** A bug must cost at most the connection whose input hit it, never the server. */
  private internalError(err: unknown): void {
    this.router.log.error(`${this.label()} - internal error processing input: ${(err as Error).stack ?? String(err)}`);
    this.close('Internal Error');
  }

  private onSocketError(err: Error): void {
    if (this.router.log.debugEnabled) this.router.log.debug(`${this.label()} - Client connection error: ${err.message}`);
    this.close('Read Error');
  }

  // ---- protocol operations -------------------------------------------------------------------

  onConnect(json: string): void {
    if (this.router.log.traceEnabled) this.router.log.trace(`${this.label()} - <<- [CONNECT ${json}]`);
    const opts = decodeConnect(json);
    if (opts === null) return this.close('Protocol Error');
    this.logLabel = connectLabel(this.baseLabel, opts);
    if (opts.protocol !== undefined && (opts.protocol < 0 || opts.protocol > 1)) {
      return this.closeWithError(WireError.InvalidClientProtocol, 'Protocol Error');
    }
    if (opts.no_responders === true && opts.headers !== true) {
      return this.closeWithError(WireError.NoRespondersRequiresHeaders, 'Protocol Error');
    }
    this.connectSeen = true;
    // As nats-server: until a PING measures it, the RTT is estimated by INFO out to CONNECT in.
    if (this.rttMs === 0) this.rttMs = Math.max(performance.now() - this.acceptedAt, 1e-6);
    this.parser.connectFirst = false;
    this.opts = opts;
    this.headers = opts.headers === true && !this.router.noHeaderSupport;
    const auth = this.router.authenticator;
    if (!auth.configured) {
      if (opts.account || opts.new_account === true) return this.authViolation(NO_USER);
      // Auth may have been switched off by a reload since this client was accepted.
      if (!this.authed) this.admit(this.router.globalAccount(), '', undefined);
      return this.connected();
    }
    this.authPending = true;
    this.parser.stop();
    this.socket.pause();
    this.authenticate(auth);
  }

  private authenticate(auth: Router['authenticator']): void {
    auth.authenticate(this.opts, { connectionType: this.type }).then(
      (outcome) => {
        // A reload while the check ran: decide with the configuration now in force.
        if (this.router.authenticator !== auth && !this.closed) return this.authenticate(this.router.authenticator);
        this.guard(() => this.onAuthenticated(outcome));
      },
      (err: Error) => {
        this.router.log.error(`${this.label()} - authentication error: ${err.message}`);
        this.guard(() => this.onAuthenticated(NO_USER));
      },
    );
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.internalError(err);
    }
  }

  private onAuthenticated(outcome: AuthOutcome): void {
    if (this.closed) return;
    this.authPending = false;
    if (!outcome.ok) return this.authViolation(outcome);
    const account = this.router.findAccount(outcome.account);
    if (account === null) return this.authViolation({ ok: false, user: outcome.user ?? '' });
    this.admit(account, outcome.user ?? '', outcome.permissions);
    this.connected();
    this.parser.resume();
    this.socket.resume();
    const stash = this.stash;
    this.stash = [];
    for (const chunk of stash) {
      if (this.closed) return;
      if (this.authPending) this.stash.push(chunk);
      else this.feed(chunk, false);
    }
  }

  /**
   * An operation before CONNECT: nats-server lets the client in as the no_auth_user (telnet demos), with
   * neither a password nor a connection type check. Without one the client is refused and closed: false.
   */
  private loginWithoutConnect(): boolean {
    const auth = this.router.authenticator;
    const login = auth.noAuthLogin;
    const account = login === null ? null : this.router.findAccount(login.account);
    if (login === null || account === null) {
      this.authViolation(auth.refusedBeforeConnect);
      return false;
    }
    this.admit(account, login.user ?? '', login.permissions);
    return true;
  }

  /** Authentication passed: the client is bound to its account and the CONNECT deadline ends. */
  private admit(account: Account, user: string, rules: PermissionRules | undefined): void {
    this.authed = true;
    if (this.authTimer !== null) {
      clearTimeout(this.authTimer);
      this.authTimer = null;
    }
    this.bindAccount(account, user, rules);
  }

  private bindAccount(account: Account, user: string, rules: PermissionRules | undefined): void {
    if (this.account !== null && this.account !== account) {
      this.removeAllSubs();
      this.account.conns.delete(this);
    }
    this.account = account;
    account.conns.add(this);
    this.user = user;
    this.perms = rules !== undefined ? new Permissions(rules) : null;
  }

  /** The server's configuration was reloaded. */
  reconfigured(reauthorize: boolean): void {
    if (this.closed) return;
    this.parser.maxControlLine = this.router.limits.maxControlLine;
    this.parser.maxPayload = this.router.limits.maxPayload;
    const maxSubs = this.router.limits.maxSubscriptions;
    if (maxSubs > 0 && this.subs.size > maxSubs) {
      // nats-server tells the client, then closes it shortly after so the error can be read.
      this.sendErr(WireError.MaxSubscriptions);
      setTimeout(() => this.close('Maximum Subscriptions Exceeded'), 20).unref();
      return;
    }
    if (!reauthorize || !this.authed || this.authPending) return;
    const auth = this.router.authenticator;
    if (!auth.configured) {
      this.perms = null;
      return;
    }
    auth.authenticate(this.opts, { connectionType: this.type }).then(
      (outcome) => this.guard(() => this.reauthorized(outcome)),
      () => this.guard(() => this.reauthorized(NO_USER)),
    );
  }

  private reauthorized(outcome: AuthOutcome): void {
    if (this.closed) return;
    if (!outcome.ok) return this.authViolation(outcome);
    if (outcome.account !== this.account?.name) return this.authViolation({ ok: false, user: outcome.user ?? '' });
    this.user = outcome.user ?? '';
    const perms = outcome.permissions !== undefined ? new Permissions(outcome.permissions) : null;
    this.perms = perms;
    if (perms === null) return;
    for (const sub of [...this.subs.values()]) {
      if (perms.canSubscribe(sub.subject, sub.queue)) continue;
      this.removeSub(sub);
      this.sendErr(subRevokedViolation(sub.subject, sub.sid));
    }
  }

  private connected(): void {
    if (this.router.closing) return this.close('Server Shutdown');
    if (this.opts.verbose) this.sendOp(OK, 'OK');
    // nats-server re-arms the first keepalive shortly after CONNECT so RTT is known early.
    this.armPing(Math.min(this.router.limits.pingIntervalMs, 2000) * (1 + Math.random() * 0.2));
  }

  onPub(frame: PubFrame): void {
    if (!this.authed && !this.loginWithoutConnect()) return;
    if (frame.isHpub && !this.headers) return this.close('Protocol Error');
    const router = this.router;
    if (router.log.traceEnabled) this.tracePub(frame);
    const size = frame.end - frame.start;
    this.inMsgs++;
    this.inBytes += size;
    this.active = true;
    const subject = frame.subject;
    if (this.opts.pedantic && !isValidLiteralSubject(subject)) this.sendErr(WireError.InvalidPublishSubject);
    if (subject.charCodeAt(0) === 0x5f && subject.startsWith('_GR_.')) return this.pubDenied(subject);
    if (this.perms !== null && !this.perms.canPublish(subject)) return this.pubDenied(subject);
    const reply = frame.reply;
    if (reply !== '' && isReservedReply(reply)) return this.sendErr(replyViolation(reply));
    if (this.opts.verbose) this.sendOp(OK, 'OK');
    const delivered = router.route(this, frame);
    if (delivered === 0 && reply !== '' && this.opts.no_responders === true) this.sendNoResponders(reply);
  }

  private pubDenied(subject: string): void {
    this.router.log.error(`${this.label()} - Publish Violation - User "${this.user}", Subject "${subject}"`);
    this.sendErr(pubViolation(subject));
  }

  private sendNoResponders(reply: string): void {
    for (const sub of this.subs.values()) {
      if (subjectMatches(reply, sub.subject)) return this.send(noRespondersFrame(reply, sub.sid));
    }
  }

  onSub(subject: string, queue: string | null, sid: string): void {
    if (!this.authed && !this.loginWithoutConnect()) return;
    const router = this.router;
    if (router.log.traceEnabled) router.log.trace(`${this.label()} - <<- [SUB ${subject}${queue === null ? '' : ' ' + queue} ${sid}]`);
    this.active = true;
    if (!isValidSubscribeSubject(subject)) return this.sendErr(WireError.InvalidSubject);
    const limits = router.limits;
    if (limits.maxSubTokens > 0 && tokenCount(subject) > limits.maxSubTokens) return this.sendErr(subTokensViolation(subject));
    if (this.perms !== null && !this.perms.canSubscribe(subject, queue)) {
      router.log.error(`${this.label()} - Subscription Violation - User "${this.user}", Subject "${subject}", SID ${sid}`);
      return this.sendErr(subViolation(subject, queue));
    }
    if (limits.maxSubscriptions > 0 && this.subs.size >= limits.maxSubscriptions) {
      router.log.error(`${this.label()} - Maximum Subscriptions Exceeded (max ${limits.maxSubscriptions})`);
      return this.sendErr(WireError.MaxSubscriptions);
    }
    // A SUB reusing a sid is acknowledged and ignored, after the same checks (nats-server's order).
    if (this.subs.has(sid)) {
      if (this.opts.verbose) this.sendOp(OK, 'OK');
      return;
    }
    const sub = new Subscription(this, subject, queue, sid);
    this.subs.set(sid, sub);
    (this.account as Account).sublist.insert(sub);
    if (this.opts.verbose) this.sendOp(OK, 'OK');
  }

  onUnsub(sid: string, max: number): void {
    if (!this.authed && !this.loginWithoutConnect()) return;
    if (this.router.log.traceEnabled) this.router.log.trace(`${this.label()} - <<- [UNSUB ${sid}${max >= 0 ? ' ' + max : ''}]`);
    this.active = true;
    const sub = this.subs.get(sid);
    if (sub !== undefined) {
      if (max > 0 && sub.delivered < max) sub.max = max;
      else this.removeSub(sub);
    }
    if (this.opts.verbose) this.sendOp(OK, 'OK');
  }

  onPing(): void {
    if (!this.authed && !this.loginWithoutConnect()) return;
    if (this.router.log.traceEnabled) this.router.log.trace(`${this.label()} - <<- [PING]`);
    this.active = true;
    if (this.connectSeen) this.pingAnswered = true;
    this.sendOp(PONG, 'PONG');
  }

  onPong(): void {
    if (this.router.log.traceEnabled) this.router.log.trace(`${this.label()} - <<- [PONG]`);
    this.pingsOut = 0;
    if (this.pingSentAt > 0) {
      this.rttMs = Math.max(performance.now() - this.pingSentAt, 1e-6);
      this.rttPingAt = this.pingSentAt;
      this.pingSentAt = 0;
    }
  }

  onParseError(kind: ParseErrorKind): void {
    switch (kind) {
      case ParseErrorKind.UnknownOp:
        return this.closeWithError(WireError.UnknownOp, 'Protocol Error');
      case ParseErrorKind.MaxControlLine:
        return this.closeWithError(WireError.MaxControlLine, 'Maximum Control Line Exceeded');
      case ParseErrorKind.MaxPayload:
        return this.closeWithError(WireError.MaxPayload, 'Maximum Payload Exceeded');
      case ParseErrorKind.NotConnect:
        return this.authViolation(this.router.authenticator.refusedBeforeConnect);
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
    this.router.log.trace(`${this.label()} - <<- [${op} ${frame.subject}${reply} ${sizes}]`);
    const max = this.router.maxTracedMsgLen;
    const body = frame.payload.toString('latin1');
    this.router.log.trace(`${this.label()} - <<- MSG_PAYLOAD: [${JSON.stringify(max > 0 && body.length > max ? body.slice(0, max) + '...' : body)}]`);
  }

  // ---- subscriptions ---------------------------------------------------------------------------

  removeSub(sub: Subscription): void {
    if (sub.closed) return;
    sub.closed = true;
    this.subs.delete(sub.sid);
    (this.account as Account).sublist.remove(sub);
  }

  private removeAllSubs(): void {
    for (const sub of this.subs.values()) this.removeSub(sub);
  }

  /** On close the subscriptions leave the sublist but stay listed, for /connz?state=closed. */
  private retireSubs(): void {
    const sublist = (this.account as Account | null)?.sublist;
    for (const sub of this.subs.values()) {
      if (sub.closed) continue;
      sub.closed = true;
      sublist?.remove(sub);
    }
  }

  /**
   * Called by the router after each delivery: counts toward UNSUB max and marks activity. Returns true
   * when this client is over half its max_pending, so the publisher should wait for it.
   */
  delivered(sub: Subscription, bytes: number): boolean {
    this.outMsgs++;
    this.outBytes += bytes;
    this.active = true;
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

  /**
   * Fast-producer stall (as nats-server): stop reading from this publisher until the subscriber it
   * overfills drains, or for at most STALL_MS, so a burst does not push a healthy subscriber past
   * max_pending. A subscriber that never drains is still cut by max_pending or the write deadline.
   */
  stallFor(consumer: Connection): void {
    if (this.stallTimer !== null || this.closed || consumer === this) return;
    this.socket.pause();
    consumer.stalledProducers.add(this);
    this.stalledOn = consumer;
    this.stallTimer = setTimeout(() => this.unstall(), STALL_MS);
  }

  private unstall(): void {
    if (this.stallTimer === null) return;
    clearTimeout(this.stallTimer);
    this.stallTimer = null;
    this.stalledOn?.stalledProducers.delete(this);
    this.stalledOn = null;
    if (!this.closed && !this.authPending) this.socket.resume();
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

  /** Traces a delivery (called by the router only when tracing is on). */
  traceDelivery(sub: Subscription, subject: string, reply: string, size: number): void {
    this.router.log.trace(`${this.label()} - ->> [MSG ${subject} ${sub.sid}${reply === '' ? '' : ' ' + reply} ${size}]`);
  }

  sendErr(text: string): void {
    if (this.router.log.traceEnabled) this.router.log.trace(`${this.label()} - ->> [-ERR '${text}']`);
    this.send(errFrame(text));
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
    if (!ok && this.writeDeadline === null && !this.closed) {
      this.writeDeadline = setTimeout(() => {
        this.writeDeadline = null;
        this.router.log.warn(`${this.label()} - Slow Consumer Detected: WriteDeadline of ${this.router.limits.writeDeadlineMs}ms exceeded`);
        this.router.stats.slowConsumers++;
        this.close('Slow Consumer (Write Deadline)', true);
      }, this.router.limits.writeDeadlineMs);
    }
  }

  private onDrain(): void {
    for (const p of this.stalledProducers) p.unstall();
    if (this.writeDeadline !== null) {
      clearTimeout(this.writeDeadline);
      this.writeDeadline = null;
    }
  }

  /** Bytes queued for this client, in our buffer and the socket's. */
  get pendingBytes(): number {
    return this.outbound.pendingBytes + this.socket.writableLength;
  }

  private slowConsumer(): void {
    if (this.closed) return;
    this.router.stats.slowConsumers++;
    this.router.log.warn(`${this.label()} - Slow Consumer Detected: MaxPending of ${this.router.limits.maxPending} Exceeded`);
    this.close('Slow Consumer (Pending Bytes)', true);
  }

  // ---- keepalive -------------------------------------------------------------------------------

  private armPing(ms: number): void {
    if (this.pingTimer !== null) clearTimeout(this.pingTimer);
    if (this.closed) return;
    this.pingTimer = setTimeout(() => this.keepalive(), ms);
  }

  private keepalive(): void {
    this.pingTimer = null;
    if (this.closed) return;
    const limits = this.router.limits;
    if (this.active && this.pingSentAt === 0 && this.rttPingAt >= 0 && performance.now() - this.rttPingAt < RTT_REFRESH_MS) {
      // Traffic in the last interval proves the connection alive; skip this PING unless the RTT
      // is only the CONNECT estimate or stale.
      this.active = false;
      return this.armPing(limits.pingIntervalMs);
    }
    this.active = false;
    if (this.pingsOut + 1 > limits.pingMax) {
      this.router.log.debug(`${this.label()} - Stale Client Connection - Closing`);
      return this.closeWithError(WireError.StaleConnection, 'Stale Connection');
    }
    this.pingsOut++;
    if (this.pingSentAt === 0) this.pingSentAt = performance.now();
    this.sendOp(PING, 'PING');
    this.armPing(limits.pingIntervalMs);
  }

  // ---- closing ---------------------------------------------------------------------------------

  /** Logged as nats-server logs it: the client's label, and the user tried when users are configured. */
  private authViolation(failure: AuthFailureOutcome): void {
    if (this.closed) return;
    const user = failure.user === undefined ? '' : ` - User ${JSON.stringify(failure.user)}`;
    this.router.log.error(`${this.label()} - authentication error${user}`);
    this.sendErrNow(WireError.AuthViolation);
    this.close('Authentication Failure');
  }

  /** No CONNECT in time: nats-server logs this at debug level only. */
  private authTimeout(): void {
    if (this.closed) return;
    if (this.router.log.debugEnabled) this.router.log.debug(`${this.label()} - ${WireError.AuthTimeout}`);
    this.sendErrNow(WireError.AuthTimeout);
    this.close('Authentication Timeout');
  }

  closeWithError(text: string, reason: string): void {
    if (this.closed) return;
    this.router.log.error(`${this.label()} - ${text}`);
    this.sendErrNow(text);
    this.close(reason);
  }

  private sendErrNow(text: string): void {
    if (this.router.log.traceEnabled) this.router.log.trace(`${this.label()} - ->> [-ERR '${text}']`);
    this.sendNow(errFrame(text));
  }

  /** Closes once; pending output is flushed first unless the peer is too slow to take it. */
  close(reason: string, dropPending = false): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    this.stop = new Date();
    this.parser.stop();
    for (const t of [this.pingTimer, this.authTimer, this.writeDeadline]) if (t !== null) clearTimeout(t);
    this.pingTimer = this.authTimer = this.writeDeadline = null;
    this.unstall();
    for (const p of this.stalledProducers) p.unstall();
    if (dropPending) {
      this.socket.destroy();
    } else {
      if (this.outbound.pendingBytes > 0 && !this.socket.destroyed) this.outbound.flushTo(this.socket);
      this.socket.end();
      // A peer that never reads would keep a half-closed socket open forever.
      setTimeout(() => this.socket.destroy(), 1000).unref();
    }
    // Closed connections stay listed for /connz; keep them small.
    this.outbound.discard();
    this.parser.release();
    this.stash = [];
    this.retireSubs();
    this.account?.conns.delete(this);
    this.router.closed(this);
  }

  /** Whether async INFO may be sent: the client speaks protocol 1 and its first PING after CONNECT was answered. */
  get wantsAsyncInfo(): boolean {
    return this.pingAnswered && this.opts.protocol === 1;
  }
}

const NO_USER: AuthFailureOutcome = Object.freeze({ ok: false });

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
