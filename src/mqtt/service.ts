// MQTT as a service of the broker: the connections, the sessions (one per client id and account),
// retained messages and wills. MQTT clients' messages are NATS messages of their account: each
// account has one internal client that publishes for MQTT clients and holds every session's
// subscriptions, so NATS clients, JetStream and MQTT clients see each other's messages.

import { ConnectionKind, Permissions } from '../core/index.js';
import type { Account, AuthSuccessOutcome, ConnectionType, CoreLog, InternalClient, Router, Subscription, TransportSocket } from '../core/index.js';
import type { PubFrame } from '../protocol/nats/index.js';
import { Reason, filterToSubject, parentOfFullWildcard, subjectToTopic, topicToSubject } from '../protocol/mqtt/index.js';
import type { IPublishPacket } from '../protocol/mqtt/index.js';
import { LongTimer, keepBytes, randomBase62 } from '../util/index.js';
import { BridgeRuleError, MqttBridge } from './bridge/index.js';
import type { BridgeHost, BridgeOptions, BridgeStatus } from './bridge/index.js';
import { MqttConnection } from './mqtt-connection.js';
import type { MqttTls, Will } from './mqtt-connection.js';
import { fromHeaders, mqttHeaders } from './nats-headers.js';
import { packetProperties } from './properties.js';
import { RetainedMessages } from './retained.js';
import { NEVER_EXPIRES, Session, SessionSubscription, sessionKey } from './session.js';
import type { MessageProperties, MqttStore, StoredMessage, StoredRetained, StoredSubscription } from './store/index.js';

export interface MqttServiceOptions {
  readonly ackWaitMs: number;
  readonly maxAckPending: number;
  readonly rejectQos2Publish: boolean;
  readonly downgradeQos2Subscribe: boolean;
  /** The longest keepalive an MQTT 5 client gets (Server Keep Alive); 0 for no maximum. */
  readonly maxKeepaliveSeconds: number;
  readonly bridges: readonly BridgeSpec[];
}

/** A bridge as configured: its account by name (absent: the global account). */
export type BridgeSpec = Omit<BridgeOptions, 'account'> & { readonly account?: string };

/** A subscription made: what SUBACK grants and the retained messages that go after it. */
export interface Subscribed {
  readonly granted: number;
  readonly sub: SessionSubscription;
  readonly retained: readonly StoredRetained[];
}

/** The publish being routed, read by the deliveries it causes instead of decoding its headers again. */
interface Publishing {
  readonly subject: string;
  readonly message: StoredMessage;
  readonly retain: boolean;
  readonly from: MqttConnection | null;
  /** It came in over a bridge: no bridge sends it out again. */
  readonly bridged: boolean;
}

/** Caches of topic <-> subject conversions stop growing here; they start over when full. */
const CACHE_MAX = 10_000;
const TOPIC_ALIAS_MAXIMUM = 64;
/** An MQTT packet's header and topic beside the NATS message it becomes. */
const PACKET_OVERHEAD = 64 * 1024;

export class MqttService implements BridgeHost {
  readonly conns = new Set<MqttConnection>();
  readonly sessions = new Map<string, Session>();
  readonly retained: RetainedMessages;
  readonly topicAliasMaximum = TOPIC_ALIAS_MAXIMUM;
  private readonly clients = new Map<Account, InternalClient>();
  private readonly subjects = new Map<string, string | null>();
  private readonly topics = new Map<string, string>();
  private readonly topicBuffers = new Map<string, Buffer>();
  /** Wills waiting out their delay, by session key. */
  private readonly delayedWills = new Map<string, NodeJS.Timeout>();
  private readonly bridges: MqttBridge[] = [];
  private current: Publishing | null = null;
  /** Set when a delivery wrote to the store during the publish in progress. */
  private wroteStore = false;

  constructor(
    readonly router: Router,
    readonly store: MqttStore,
    readonly config: MqttServiceOptions,
    readonly log: CoreLog,
  ) {
    this.retained = new RetainedMessages(store);
  }

  /** The largest packet a client may send: a NATS message of max_payload plus its topic and header. */
  get maxPacketSize(): number {
    return this.router.limits.maxPayload + PACKET_OVERHEAD;
  }

  get connectTimeoutMs(): number {
    return this.router.authenticatorFor('MQTT').timeoutMs;
  }

  /** Restores the stored sessions (subscribed again, so they keep receiving) and retained messages. */
  start(): void {
    const state = this.store.load();
    const now = Date.now();
    this.retained.adopt(state.retained, now);
    const outbound = groupBy(state.outbound, (o) => sessionKey(o.account, o.clientId));
    const inbound = groupBy(state.inbound, (i) => sessionKey(i.account, i.clientId));
    for (const stored of state.sessions) {
      const account = this.router.findAccount(stored.account);
      // Kept for when the account is back: a configuration edited by mistake does not cost sessions.
      if (account === null) {
        this.log.warn(`MQTT session ${JSON.stringify(stored.clientId)} of unknown account ${JSON.stringify(stored.account)} is kept, not restored`);
        continue;
      }
      const session = new Session(account, stored.clientId, this.store, stored.expirySeconds, stored.protocolVersion);
      // A session whose server stopped while it was connected was away from then on.
      session.disconnectedAtMs = stored.disconnectedAtMs !== 0 ? stored.disconnectedAtMs : now;
      if (this.expired(session, now)) {
        this.store.deleteSession(stored.account, stored.clientId);
        continue;
      }
      this.sessions.set(session.key, session);
      session.adopt(outbound.get(session.key) ?? [], inbound.get(session.key) ?? []);
      for (const options of stored.subscriptions) {
        const made = this.makeSubscription(session, options);
        if (made !== null) session.subs.set(options.filter, made);
      }
      this.scheduleExpiry(session);
    }
    this.startBridges();
  }

  /** Starts the bridges; an outbox of a bridge no longer configured is dropped, and said so. */
  private startBridges(): void {
    const specs = this.config.bridges;
    for (const { bridge, count } of this.store.dropOtherOutboxes(specs.map((b) => b.name))) {
      this.log.warn(`MQTT bridge "${bridge}" is no longer configured: its outbox of ${count} messages is dropped`);
    }
    for (const spec of specs) {
      const account = spec.account === undefined ? this.router.globalAccount() : this.router.findAccount(spec.account);
      if (account === null) throw new BridgeRuleError(spec.name, `account ${JSON.stringify(spec.account)} is not defined`);
      this.bridges.push(new MqttBridge(this, { ...spec, account }));
    }
    for (const bridge of this.bridges) bridge.start();
  }

  bridgeStatus(): BridgeStatus[] {
    return this.bridges.map((b) => b.status());
  }

  /** `tls`: what the handshake told, for mqtts. */
  accept(socket: TransportSocket, type: ConnectionType, remoteAddress: string, tls: MqttTls | null = null): MqttConnection {
    const conn = new MqttConnection(this, socket, type, remoteAddress, tls);
    this.conns.add(conn);
    return conn;
  }

  assignClientId(): string {
    return `leafgate-${randomBase62(16)}`;
  }

  permissionsOf(outcome: AuthSuccessOutcome): Permissions | null {
    return outcome.permissions === undefined ? null : new Permissions(outcome.permissions);
  }

  /** The subject of a topic name; null when it has none. */
  subjectOf(topic: string): string | null {
    let s = this.subjects.get(topic);
    if (s === undefined) {
      const converted = topicToSubject(topic);
      s = typeof converted === 'string' ? converted : null;
      if (this.subjects.size >= CACHE_MAX) this.subjects.clear();
      this.subjects.set(topic, s);
    }
    return s;
  }

  topicOf(subject: string): string {
    let t = this.topics.get(subject);
    if (t === undefined) {
      t = subjectToTopic(subject);
      if (this.topics.size >= CACHE_MAX) this.topics.clear();
      this.topics.set(subject, t);
    }
    return t;
  }

  topicBytes(topic: string): Buffer {
    let b = this.topicBuffers.get(topic);
    if (b === undefined) {
      b = Buffer.from(topic, 'utf8');
      if (this.topicBuffers.size >= CACHE_MAX) this.topicBuffers.clear();
      this.topicBuffers.set(topic, b);
    }
    return b;
  }

  /** The account's MQTT client: it publishes for MQTT clients and holds the sessions' subscriptions. */
  private clientFor(account: Account): InternalClient {
    let c = this.clients.get(account);
    if (c === undefined || c.closed) {
      c = this.router.createInternalClient(ConnectionKind.Account, account, `MQTT ${account.name}`);
      this.clients.set(account, c);
    }
    return c;
  }

  // ---- sessions --------------------------------------------------------------------------------

  /**
   * The session a logged-in connection gets: one connected elsewhere is taken over (that connection
   * is closed, its will sent [MQTT-3.1.4-3]), a clean start drops what was kept, else it is resumed.
   */
  attachSession(conn: MqttConnection, clean: boolean, expirySeconds: number): { session: Session; present: boolean } {
    const account = conn.account as Account;
    const key = sessionKey(account.name, conn.clientId);
    const taken = this.sessions.get(key)?.conn;
    if (taken !== null && taken !== undefined) {
      this.log.warn(`${taken.label()} - Client ID taken over by ${conn.ip}:${conn.port}`);
      taken.sendDisconnect(Reason.SessionTakenOver);
      taken.close('Duplicate Client ID', true);
    }
    // A will still waiting out its delay is not sent once the session is back [MQTT-3.1.3-9].
    const will = this.delayedWills.get(key);
    if (will !== undefined) clearTimeout(will);
    this.delayedWills.delete(key);
    let session = this.sessions.get(key);
    if (session !== undefined && clean) {
      this.dropSession(session);
      session = undefined;
    }
    const present = session !== undefined;
    if (session === undefined) {
      session = new Session(account, conn.clientId, this.store, expirySeconds, conn.version);
      this.sessions.set(key, session);
    } else {
      if (session.persistent && expirySeconds === 0) this.store.deleteSession(account.name, conn.clientId);
      session.expirySeconds = expirySeconds;
      session.protocolVersion = conn.version;
    }
    this.enforcePermissions(session, conn.perms);
    conn.session = session;
    session.conn = conn;
    session.disconnectedAtMs = 0;
    session.save();
    return { session, present };
  }

  /**
   * After a reload with `reauthorize`: the client's login is checked against the users now in force
   * (one no longer allowed in, or now of another account, is closed) and its permissions applied.
   */
  recheck(conn: MqttConnection): void {
    const login = conn.login;
    if (conn.closed || conn.session === null || login === null) return;
    const auth = this.router.authenticatorFor(conn.type);
    if (!auth.configured) return this.enforcePermissions(conn.session, (conn.perms = null));
    auth
      .authenticate(login, { connectionType: conn.type, nonce: '', tlsIdentity: conn.tlsIdentity, host: conn.ip })
      .then(
        (outcome) => {
          if (conn.closed || conn.session === null) return;
          if (!outcome.ok || outcome.account !== conn.account?.name) {
            this.log.error(`${conn.label()} - authentication error after reload - User ${JSON.stringify(conn.user)}`);
            conn.sendDisconnect(Reason.NotAuthorized);
            return conn.close('Authentication Failure', false);
          }
          conn.user = outcome.user ?? '';
          conn.perms = this.permissionsOf(outcome);
          this.enforcePermissions(conn.session, conn.perms);
        },
        (err: Error) => {
          this.log.error(`${conn.label()} - authentication error after reload: ${err.message}`);
          conn.close('Authentication Failure', false);
        },
      )
      .catch((err: Error) => {
        this.log.error(`${conn.label()} - internal error: ${err.stack ?? String(err)}`);
        conn.close('Internal Error', false);
      });
  }

  /**
   * The permissions a session's client has now: subscriptions they no longer allow are removed, and
   * messages waiting for the client that they deny are not sent (a session restored or kept while its
   * client was away queued them under no permissions, or older ones).
   */
  private enforcePermissions(session: Session, perms: Permissions | null): void {
    session.perms = perms;
    session.denied = null;
    if (perms === null) return;
    let removed = false;
    for (const [filter, sub] of [...session.subs]) {
      const subject = filterToSubject(sub.filter) as string;
      const parent = parentOfFullWildcard(subject);
      if (perms.canSubscribe(subject, sub.group) && (parent === null || perms.canSubscribe(parent, sub.group))) continue;
      this.log.error(`MQTT session ${JSON.stringify(session.clientId)} - Subscription Violation - subscription to ${JSON.stringify(filter)} removed`);
      this.unsubscribeNats(session, sub);
      session.subs.delete(filter);
      removed = true;
    }
    if (removed) session.save();
    session.denied = perms.filtersDelivery
      ? (topic) => {
          const subject = this.subjectOf(topic);
          return subject !== null && perms.deniesDelivery(subject);
        }
      : null;
    if (session.denied !== null) session.dropDenied(session.denied);
  }

  /** MQTT 5 DISCONNECT may change the session's expiry (not from 0 [MQTT-3.14.2-2]). */
  changeExpiry(conn: MqttConnection, seconds: number): void {
    const session = conn.session as Session;
    if (session.expirySeconds === 0 && seconds > 0) return conn.protocolError('session expiry set at DISCONNECT after 0 at CONNECT', Reason.ProtocolError);
    if (session.persistent && seconds === 0) this.store.deleteSession(session.account.name, session.clientId);
    session.expirySeconds = seconds;
  }

  /** A connection closed: its session is kept or dropped, its will sent (now or after its delay). */
  closed(conn: MqttConnection, publishWill: boolean): void {
    this.conns.delete(conn);
    const session = conn.session;
    const now = Date.now();
    if (session !== null && session.conn === conn) {
      session.detach(now);
      if (!session.persistent) this.dropSession(session);
      else {
        session.save();
        this.scheduleExpiry(session);
      }
    }
    const will = conn.will;
    conn.will = null;
    if (!publishWill || will === null || conn.account === null) return;
    const account = conn.account;
    const delay = Math.min(will.delaySeconds, session?.expirySeconds ?? 0);
    if (delay <= 0 || session === null) return this.publishWill(account, will);
    const key = session.key;
    this.delayedWills.set(
      key,
      setTimeout(() => {
        this.delayedWills.delete(key);
        this.guarded(`will of ${JSON.stringify(session.clientId)}`, () => this.publishWill(account, will));
      }, delay * 1000),
    );
  }

  private publishWill(account: Account, will: Will): void {
    if (will.perms !== null && !will.perms.canPublish(will.subject)) {
      this.log.error(`Will refused - Publish Violation, Subject "${will.subject}"`);
      return;
    }
    const message: StoredMessage = { topic: will.topic, payload: will.payload, qos: will.qos, properties: will.properties, expiresAtMs: will.expirySeconds > 0 ? Date.now() + will.expirySeconds * 1000 : 0 };
    this.publishIn(account, null, will.subject, message, will.retain);
  }

  private dropSession(session: Session): void {
    for (const sub of session.subs.values()) this.unsubscribeNats(session, sub);
    session.subs.clear();
    if (this.sessions.get(session.key) === session) this.sessions.delete(session.key);
    if (session.expiryTimer !== null) session.expiryTimer.stop();
    session.expiryTimer = null;
    if (session.persistent) this.store.deleteSession(session.account.name, session.clientId);
  }

  private expired(session: Session, nowMs: number): boolean {
    return session.expirySeconds !== NEVER_EXPIRES && session.disconnectedAtMs + session.expirySeconds * 1000 <= nowMs;
  }

  private scheduleExpiry(session: Session): void {
    if (session.expirySeconds === NEVER_EXPIRES || session.conn !== null) return;
    const timer = new LongTimer(() => {
      if (session.conn === null) this.guarded(`expiry of session ${JSON.stringify(session.clientId)}`, () => this.dropSession(session));
    });
    timer.at(session.disconnectedAtMs + session.expirySeconds * 1000);
    session.expiryTimer = timer;
  }

  /** Timer work with no connection to close: a bug in it is logged, and the server carries on. */
  private guarded(what: string, work: () => void): void {
    try {
      work();
    } catch (err) {
      this.log.error(`MQTT ${what} - internal error: ${(err as Error).stack ?? String(err)}`);
    }
  }

  // ---- subscriptions ---------------------------------------------------------------------------

  /** A SUBSCRIBE filter: the subscription made, or the failure code for SUBACK. */
  subscribe(conn: MqttConnection, requested: StoredSubscription): Subscribed | number {
    const session = conn.session as Session;
    const shared = splitShare(requested.filter);
    if (shared === null) return Reason.TopicFilterInvalid;
    // [MQTT-3.8.3-4]: no-local on a shared subscription is a protocol error.
    if (shared.group !== null && requested.noLocal) {
      conn.protocolError('no local on a shared subscription', Reason.ProtocolError);
      return Reason.ProtocolError;
    }
    const subject = filterToSubject(shared.filter);
    if (typeof subject !== 'string') {
      this.log.error(`${conn.label()} - invalid topic filter ${JSON.stringify(requested.filter)}`);
      return Reason.TopicFilterInvalid;
    }
    const perms = conn.perms;
    const parent = parentOfFullWildcard(subject);
    if (perms !== null && (!perms.canSubscribe(subject, shared.group) || (parent !== null && !perms.canSubscribe(parent, shared.group)))) {
      this.log.error(`${conn.label()} - Subscription Violation - User ${JSON.stringify(conn.user)}, Subject "${subject}"`);
      return Reason.NotAuthorized;
    }
    const qos = Math.min(requested.qos, this.config.downgradeQos2Subscribe ? 1 : 2) as 0 | 1 | 2;
    const options: StoredSubscription = { ...requested, qos };
    const existing = session.subs.get(requested.filter);
    if (existing !== undefined) this.unsubscribeNats(session, existing);
    const sub = this.makeSubscription(session, options) as SessionSubscription;
    session.subs.set(requested.filter, sub);
    session.save();
    // Retained messages go to a new subscription, and to a repeated one unless retain handling says not [MQTT-3.3.1-9, 3.3.1-10].
    const wantRetained = shared.group === null && (options.retainHandling === 0 || (options.retainHandling === 1 && existing === undefined));
    return { granted: qos, sub, retained: wantRetained ? this.retained.match(session.account.name, shared.filter, Date.now()) : [] };
  }

  /** The retained messages a subscription gets after SUBACK, with RETAIN set [MQTT-3.3.1-8]. */
  sendRetained(conn: MqttConnection, s: Subscribed): void {
    const session = conn.session as Session;
    const perms = conn.perms;
    const ids = s.sub.ids;
    for (const r of s.retained) {
      if (perms !== null && perms.filtersDelivery) {
        const subject = this.subjectOf(r.topic);
        if (subject !== null && perms.deniesDelivery(subject)) continue;
      }
      const qos = Math.min(r.qos, s.granted) as 0 | 1 | 2;
      if (qos === 0) this.sendQos0(conn, r, true, ids);
      else session.enqueue({ topic: r.topic, payload: r.payload, qos, properties: r.properties, expiresAtMs: r.expiresAtMs }, true, ids);
    }
  }

  unsubscribe(conn: MqttConnection, filter: string): boolean {
    const session = conn.session as Session;
    const sub = session.subs.get(filter);
    if (sub === undefined) return false;
    this.unsubscribeNats(session, sub);
    session.subs.delete(filter);
    session.save();
    return true;
  }

  private makeSubscription(session: Session, options: StoredSubscription): SessionSubscription | null {
    const shared = splitShare(options.filter);
    if (shared === null) return null;
    const subject = filterToSubject(shared.filter);
    if (typeof subject !== 'string') return null;
    const sub = new SessionSubscription(options, shared.filter, shared.group);
    const client = this.clientFor(session.account);
    const handler = (f: PubFrame): void => this.deliver(session, sub, f);
    sub.nats.push(client.subscribe(subject, shared.group, handler));
    const parent = parentOfFullWildcard(subject);
    if (parent !== null) sub.nats.push(client.subscribe(parent, shared.group, handler));
    return sub;
  }

  private unsubscribeNats(session: Session, sub: SessionSubscription): void {
    const client = this.clientFor(session.account);
    for (const s of sub.nats) client.unsubscribe(s);
    sub.nats = [];
  }

  // ---- bridges ---------------------------------------------------------------------------------

  subscribeIn(account: Account, subject: string, handler: (f: PubFrame) => void): Subscription {
    return this.clientFor(account).subscribe(subject, null, handler);
  }

  unsubscribeIn(account: Account, sub: Subscription): void {
    this.clientFor(account).unsubscribe(sub);
  }

  publishBridged(account: Account, subject: string, message: StoredMessage, retain: boolean): boolean {
    return this.publishIn(account, null, subject, message, retain, true);
  }

  isBridged(f: PubFrame): boolean {
    const cur = this.current;
    return cur !== null && cur.bridged && cur.subject === f.subject;
  }

  noteStoreWrite(): void {
    this.wroteStore = true;
  }

  // ---- messages --------------------------------------------------------------------------------

  /**
   * A client's publish into its account (after the account's mappings and its publish permission:
   * a refused one is dropped, and still acknowledged, as nats-server does). True when it wrote to the
   * store, so its acknowledgement waits for the write to be durable.
   */
  publish(conn: MqttConnection, subject: string, message: StoredMessage, retain: boolean): boolean {
    return this.publishIn(conn.account as Account, conn, subject, message, retain);
  }

  private publishIn(account: Account, from: MqttConnection | null, subject: string, message: StoredMessage, retain: boolean, bridged = false): boolean {
    let msg = message;
    const mapped = account.mappings?.map(subject) ?? null;
    if (mapped !== null) {
      subject = mapped;
      msg = { ...msg, topic: this.topicOf(mapped) };
    }
    const perms = from?.perms ?? null;
    if (perms !== null && !perms.canPublish(subject)) {
      this.log.error(`${from?.label()} - Publish Violation - User ${JSON.stringify(from?.user ?? '')}, Subject "${subject}"`);
      return false;
    }
    const outerWrote = this.wroteStore;
    this.wroteStore = false;
    if (retain) {
      this.retained.set({ ...msg, account: account.name });
      this.wroteStore = true;
    }
    const responseTopic = msg.properties?.responseTopic;
    const reply = responseTopic === undefined ? null : this.subjectOf(responseTopic);
    const outer = this.current;
    this.current = { subject, message: msg, retain, from, bridged };
    try {
      this.clientFor(account).publish(subject, reply ?? '', mqttHeaders(msg.qos, msg.properties), msg.payload);
    } finally {
      this.current = outer;
    }
    const wrote = this.wroteStore;
    // A publish made during another's deliveries (a will) must not clear what the outer one wrote.
    this.wroteStore = outerWrote || wrote;
    return wrote;
  }

  /** A message for one subscription of a session: its QoS is the lower of the publish's and the subscription's. */
  private deliver(session: Session, sub: SessionSubscription, f: PubFrame): void {
    const cur = this.current;
    const conn = session.conn;
    let qos: 0 | 1 | 2 = 0;
    let properties: MessageProperties | null = null;
    let retain = false;
    let expiresAtMs = 0;
    if (cur !== null && cur.subject === f.subject) {
      if (sub.options.noLocal && cur.from !== null && cur.from === conn) return;
      qos = cur.message.qos;
      properties = cur.message.properties;
      retain = cur.retain;
      expiresAtMs = cur.message.expiresAtMs;
    } else if (f.hdrLen > 0) {
      const h = fromHeaders(f.data.subarray(f.start, f.start + f.hdrLen), session.protocolVersion === 5);
      qos = h.qos;
      properties = h.properties;
    }
    const q = Math.min(qos, sub.options.qos) as 0 | 1 | 2;
    // A QoS 0 message for a client that is away goes nowhere: no topic work for it.
    if (q === 0 && conn === null) return;
    const subject = f.receivedSubject;
    const topic = this.topicOf(subject);
    // A NATS subject such as `/` has no MQTT topic: an empty one is not a topic name [MQTT-4.7.3-1].
    if (topic === '' || (sub.skipsDollarTopics && topic.charCodeAt(0) === 0x24)) return;
    const perms = session.perms;
    if (perms !== null && perms.filtersDelivery && perms.deniesDelivery(subject)) return;
    const body = f.data.subarray(f.start + f.hdrLen, f.end);
    const rap = sub.options.retainAsPublished && retain;
    const ids = sub.ids;
    const reply = f.reply;
    if (conn !== null && q === 0) {
      if (conn.version === 4 || (properties === null && ids.length === 0 && reply === '' && expiresAtMs === 0)) {
        conn.sendPlainPublish(topic, body, 0, rap, false, 0);
        return;
      }
      return this.sendQos0(conn, { topic, payload: body, qos: 0, properties: withResponse(properties, reply, this), expiresAtMs }, rap, ids);
    }
    const message: StoredMessage = { topic, payload: keepBytes(body), qos: q, properties: withResponse(properties, reply, this), expiresAtMs };
    if (session.enqueue(message, rap, ids)) this.wroteStore = true;
  }

  private sendQos0(conn: MqttConnection, msg: StoredMessage, retain: boolean, ids: readonly number[]): void {
    const packet = this.publishPacket(conn, msg, retain, ids, 0, false);
    if (packet === null) conn.sendPlainPublish(msg.topic, msg.payload, 0, retain, false, 0);
    else conn.sendPublishPacket(packet);
  }

  /** A PUBLISH with MQTT 5 properties for this client; null when a plain one does (3.1.1, or nothing to carry). */
  publishPacket(conn: MqttConnection, msg: StoredMessage, retain: boolean, ids: readonly number[], packetId: number, dup: boolean): IPublishPacket | null {
    if (conn.version !== 5) return null;
    const props: IPublishPacket['properties'] = msg.properties === null ? {} : packetProperties(msg.properties);
    if (ids.length > 0) props.subscriptionIdentifier = ids.length === 1 ? ids[0] : [...ids];
    if (msg.expiresAtMs !== 0) props.messageExpiryInterval = Math.max(1, Math.ceil((msg.expiresAtMs - Date.now()) / 1000));
    if (Object.keys(props).length === 0) return null;
    return { cmd: 'publish', topic: msg.topic, payload: msg.payload, qos: msg.qos, retain, dup, ...(msg.qos > 0 && { messageId: packetId }), properties: props };
  }

  /** Closes every MQTT connection (shutdown); sessions stay in the store. */
  stop(): void {
    for (const conn of [...this.conns]) {
      conn.sendDisconnect(Reason.ServerShuttingDown);
      conn.close('Server Shutdown', false);
    }
    for (const t of this.delayedWills.values()) clearTimeout(t);
    this.delayedWills.clear();
    for (const s of this.sessions.values()) s.expiryTimer?.stop();
    for (const b of this.bridges) b.stop();
    for (const c of this.clients.values()) c.close('Server Shutdown');
    this.store.close();
  }
}

/** `$share/<group>/<filter>` split; null for a malformed share (no group, no filter, wildcards in the group). */
function splitShare(filter: string): { group: string | null; filter: string } | null {
  if (!filter.startsWith('$share/')) return { group: null, filter };
  const rest = filter.slice(7);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return null;
  const group = rest.slice(0, slash);
  if (/[+#\s.*>]/.test(group)) return null;
  return { group, filter: rest.slice(slash + 1) };
}

/** A NATS reply subject becomes the MQTT 5 response topic. */
function withResponse(props: MessageProperties | null, reply: string, service: MqttService): MessageProperties | null {
  if (reply === '') return props;
  return { ...(props ?? {}), responseTopic: service.topicOf(reply) };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = out.get(k);
    if (list === undefined) out.set(k, (list = []));
    list.push(item);
  }
  return out;
}
