// One MQTT session: the client's subscriptions (NATS subscriptions of the account's MQTT client, so
// a persistent session keeps receiving while its client is away), its QoS 1/2 messages queued and in
// flight with their packet ids, and the QoS 2 messages it sent that await PUBREL. A persistent
// session writes every change to the store; a clean one lives in memory only.

import type { Account, Permissions, Subscription } from '../core/index.js';
import type { LongTimer } from '../util/index.js';
import { OutboundState, QUEUED_AT_START } from './store/index.js';
import type { MqttStore, StoredInbound, StoredMessage, StoredOutbound, StoredSession, StoredSubscription } from './store/index.js';
import type { MqttConnection } from './mqtt-connection.js';

const NO_IDS: readonly number[] = Object.freeze([]);

/** A 3.1.1 persistent session, or MQTT 5's "never expires". */
export const NEVER_EXPIRES = 0xffffffff;

/** One subscription as the client made it, with the NATS subscriptions that serve it. */
export class SessionSubscription {
  /** NATS subscriptions: one, or two for `x/#` (which also matches `x`). */
  nats: Subscription[] = [];
  /** The subscription identifier deliveries carry (MQTT 5), made once: none is an empty list. */
  readonly ids: readonly number[];
  constructor(
    readonly options: StoredSubscription,
    /** The filter without its `$share/<group>/` prefix. */
    readonly filter: string,
    /** The share group; null when not shared. */
    readonly group: string | null,
  ) {
    this.ids = options.subscriptionId > 0 ? [options.subscriptionId] : NO_IDS;
  }

  /** A filter starting with a wildcard does not match `$` topics [MQTT-4.7.2-1]. */
  get skipsDollarTopics(): boolean {
    const c = this.filter.charCodeAt(0);
    return c === 0x2b || c === 0x23;
  }
}

/** A QoS 1/2 message for the client, queued or in flight. */
export interface OutboundMessage {
  seq: number;
  packetId: number;
  state: OutboundState;
  message: StoredMessage;
  retain: boolean;
  subscriptionIds: readonly number[];
  /** When it was last sent (ms since the epoch); 0 while queued. */
  sentAtMs: number;
}

/**
 * A persistent session keeps at most this many unsent messages in memory: the rest wait in the store
 * (where every message of a persistent session is anyway) and are read a page at a time, so a client
 * away for days costs disk, not heap.
 */
const QUEUE_IN_MEMORY = QUEUED_AT_START;

export class Session {
  readonly key: string;
  conn: MqttConnection | null = null;
  readonly subs = new Map<string, SessionSubscription>();
  /** Not yet sent (over the in-flight limit, or the client is away); for a persistent session, the first of them. */
  queue: OutboundMessage[] = [];
  /** A persistent session's unsent messages that are only in the store, after those in `queue`. */
  private spilled = 0;
  /** Whether the client's permissions deny a topic: messages read back from the store are held to it. */
  denied: ((topic: string) => boolean) | null = null;
  /** Sent and not yet acknowledged, by packet id, in the order sent. */
  readonly inflight = new Map<number, OutboundMessage>();
  /** QoS 2 messages received, awaiting PUBREL, by packet id. */
  readonly inbound = new Map<number, StoredInbound>();
  expirySeconds: number;
  protocolVersion: 4 | 5;
  disconnectedAtMs = 0;
  /** Removes the session when it has been away longer than its expiry. */
  expiryTimer: LongTimer | null = null;
  /** The permissions of the client that last connected: deliveries while it is away obey them too. */
  perms: Permissions | null = null;
  private nextSeq = 1;
  private nextPacketId = 1;

  constructor(
    readonly account: Account,
    readonly clientId: string,
    private readonly store: MqttStore,
    expirySeconds: number,
    protocolVersion: 4 | 5,
  ) {
    this.key = sessionKey(account.name, clientId);
    this.expirySeconds = expirySeconds;
    this.protocolVersion = protocolVersion;
  }

  /** Kept in the store: it outlives its connection. */
  get persistent(): boolean {
    return this.expirySeconds > 0;
  }

  /** Writes the session record (subscriptions included). */
  save(): void {
    if (!this.persistent) return;
    this.store.putSession(this.record());
  }

  record(): StoredSession {
    return {
      account: this.account.name,
      clientId: this.clientId,
      protocolVersion: this.protocolVersion,
      expirySeconds: this.expirySeconds,
      disconnectedAtMs: this.disconnectedAtMs,
      subscriptions: [...this.subs.values()].map((s) => s.options),
    };
  }

  /** Restores what the store kept of this session's messages. */
  adopt(outbound: readonly StoredOutbound[], inbound: readonly StoredInbound[]): void {
    for (const o of outbound) {
      const m: OutboundMessage = { seq: o.seq, packetId: o.packetId, state: o.state, message: o.message, retain: o.retain, subscriptionIds: o.subscriptionIds, sentAtMs: 0 };
      if (o.packetId !== 0) this.inflight.set(o.packetId, m);
      else this.hold(m);
      if (o.seq >= this.nextSeq) this.nextSeq = o.seq + 1;
    }
    // A full first page may have more behind it, in the store: how many is found out by reading them.
    if (this.queue.length >= QUEUE_IN_MEMORY) {
      this.spilled = Number.MAX_SAFE_INTEGER;
      this.nextSeq = Math.max(this.nextSeq, this.store.lastSeq(this.account.name, this.clientId) + 1);
    }
    for (const i of inbound) this.inbound.set(i.packetId, i);
  }

  /**
   * A QoS 1/2 message for the client: sent now when it is connected and under its in-flight limit,
   * else queued. Stored first when the session is persistent. True when it wrote to the store.
   */
  enqueue(message: StoredMessage, retain: boolean, subscriptionIds: readonly number[]): boolean {
    const m: OutboundMessage = { seq: this.nextSeq++, packetId: 0, state: OutboundState.Publish, message, retain, subscriptionIds, sentAtMs: 0 };
    const conn = this.conn;
    const sendNow = conn !== null && this.queue.length === 0 && this.spilled === 0 && this.inflight.size < conn.maxInflight;
    if (sendNow) m.packetId = this.allocatePacketId();
    if (this.persistent) this.store.putOutbound(this.stored(m));
    if (sendNow) {
      this.inflight.set(m.packetId, m);
      (conn as MqttConnection).sendPublish(m, false);
    } else this.hold(m);
    return this.persistent;
  }

  /** An unsent message joins the queue, or, past what memory holds, is left in the store. */
  private hold(m: OutboundMessage): void {
    if (this.persistent && (this.spilled > 0 || this.queue.length >= QUEUE_IN_MEMORY)) this.spilled++;
    else this.queue.push(m);
  }

  /** The queue ran dry: the next page of what waits in the store. False when nothing does. */
  private refill(): boolean {
    if (this.spilled === 0) return false;
    const rows = this.store.readQueued(this.account.name, this.clientId, 0, QUEUE_IN_MEMORY);
    this.spilled = rows.length < QUEUE_IN_MEMORY ? 0 : this.spilled - rows.length;
    for (const o of rows) {
      if (this.denied?.(o.message.topic) === true) {
        this.store.deleteOutbound(this.account.name, this.clientId, o.seq);
        continue;
      }
      this.queue.push({ seq: o.seq, packetId: 0, state: o.state, message: o.message, retain: o.retain, subscriptionIds: o.subscriptionIds, sentAtMs: 0 });
    }
    return this.queue.length > 0 || this.spilled > 0;
  }

  /** Drops the messages not yet delivered whose topic `denied` says may not go to the client (permissions changed). */
  dropDenied(denied: (topic: string) => boolean): void {
    const drop = (m: OutboundMessage): boolean => {
      if (m.state === OutboundState.Released || !denied(m.message.topic)) return false;
      if (this.persistent) this.store.deleteOutbound(this.account.name, this.clientId, m.seq);
      return true;
    };
    this.queue = this.queue.filter((m) => !drop(m));
    for (const [id, m] of [...this.inflight]) if (drop(m)) this.inflight.delete(id);
  }

  /** PUBACK (QoS 1) or PUBCOMP (QoS 2): the message is delivered. False when the packet id is not in flight. */
  completed(packetId: number): boolean {
    const m = this.inflight.get(packetId);
    if (m === undefined) return false;
    this.inflight.delete(packetId);
    if (this.persistent) this.store.deleteOutbound(this.account.name, this.clientId, m.seq);
    this.pump();
    return true;
  }

  /** PUBREC: the client has the QoS 2 message; PUBREL follows. False when the packet id is not in flight. */
  received(packetId: number): boolean {
    const m = this.inflight.get(packetId);
    if (m === undefined) return false;
    if (m.state !== OutboundState.Released) {
      m.state = OutboundState.Released;
      if (this.persistent) this.store.updateOutbound(this.account.name, this.clientId, m.seq, m.packetId, m.state);
    }
    return true;
  }

  /** Sends queued messages while the in-flight limit allows. */
  pump(): void {
    const conn = this.conn;
    if (conn === null) return;
    const now = Date.now();
    while (this.inflight.size < conn.maxInflight && !conn.closed) {
      if (this.queue.length === 0 && !this.refill()) break;
      const m = this.queue.shift();
      if (m === undefined) continue;
      if (m.message.expiresAtMs !== 0 && m.message.expiresAtMs <= now) {
        if (this.persistent) this.store.deleteOutbound(this.account.name, this.clientId, m.seq);
        continue;
      }
      m.packetId = this.allocatePacketId();
      if (this.persistent) this.store.updateOutbound(this.account.name, this.clientId, m.seq, m.packetId, m.state);
      this.inflight.set(m.packetId, m);
      conn.sendPublish(m, false);
    }
  }

  /** A client (re)connected to this session: what was in flight goes again, DUP set [MQTT-4.4.0-1], then the queue. */
  attach(conn: MqttConnection): void {
    if (conn.closed) return;
    this.conn = conn;
    this.disconnectedAtMs = 0;
    this.expiryTimer?.stop();
    this.expiryTimer = null;
    for (const m of [...this.inflight.values()].sort((a, b) => a.seq - b.seq)) conn.sendPublish(m, true);
    this.pump();
  }

  /**
   * Sends again, DUP set, what has waited `ackWaitMs` for its acknowledgement (nats-server's ack_wait,
   * for 3.1.1 clients; MQTT 5 forbids resending on a live connection [MQTT-4.4.0-1]).
   */
  redeliver(nowMs: number, ackWaitMs: number): void {
    const conn = this.conn;
    if (conn === null) return;
    for (const m of this.inflight.values()) {
      if (m.sentAtMs !== 0 && nowMs - m.sentAtMs >= ackWaitMs) conn.sendPublish(m, true);
    }
  }

  detach(nowMs: number): void {
    this.conn = null;
    this.disconnectedAtMs = nowMs;
  }

  /** The next packet id not in flight, 1..65535. */
  private allocatePacketId(): number {
    for (;;) {
      const id = this.nextPacketId;
      this.nextPacketId = id === 65535 ? 1 : id + 1;
      if (!this.inflight.has(id)) return id;
    }
  }

  private stored(m: OutboundMessage): StoredOutbound {
    return { account: this.account.name, clientId: this.clientId, seq: m.seq, packetId: m.packetId, state: m.state, message: m.message, retain: m.retain, subscriptionIds: m.subscriptionIds };
  }
}

export function sessionKey(account: string, clientId: string): string {
  return `${account}\u0000${clientId}`;
}
