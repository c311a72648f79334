// What MQTT keeps across restarts, and the interface of the store that keeps it. Sessions,
// subscriptions, retained messages and QoS 1/2 messages in flight live in tables of their own (not
// in JetStream streams and consumers, whose per-subscription cost is what makes nats-server's MQTT
// scale poorly). Topics and client ids are stored as the client sent them (UTF-8 text).

/** One MQTT subscription of a session, with its MQTT 5 options (3.1.1 sessions keep the defaults). */
export interface StoredSubscription {
  /** The topic filter as subscribed, `$share/<group>/` prefix included. */
  readonly filter: string;
  readonly qos: 0 | 1 | 2;
  readonly noLocal: boolean;
  readonly retainAsPublished: boolean;
  /** 0 send retained on subscribe, 1 only when the subscription is new, 2 never. */
  readonly retainHandling: 0 | 1 | 2;
  /** MQTT 5 subscription identifier; 0 for none. */
  readonly subscriptionId: number;
}

/** A session that outlives its connection (3.1.1 clean=0, or MQTT 5 session expiry > 0). */
export interface StoredSession {
  /** The NATS account the client logged in to. */
  readonly account: string;
  readonly clientId: string;
  /** 4 (3.1.1) or 5. */
  readonly protocolVersion: 4 | 5;
  /** Seconds the session outlives its connection; 0xFFFFFFFF never expires (3.1.1 clean=0). */
  readonly expirySeconds: number;
  /** When its connection ended (ms since the epoch); 0 while connected. Expiry counts from here. */
  readonly disconnectedAtMs: number;
  readonly subscriptions: readonly StoredSubscription[];
}

/** MQTT 5 properties that travel with an application message (absent ones are not stored). */
export interface MessageProperties {
  readonly payloadFormatIndicator?: boolean;
  readonly contentType?: string;
  readonly responseTopic?: string;
  readonly correlationData?: Buffer;
  readonly userProperties?: ReadonlyArray<readonly [string, string]>;
}

/** A message as MQTT stores it. */
export interface StoredMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1 | 2;
  readonly properties: MessageProperties | null;
  /** When the message expires (ms since the epoch, MQTT 5 message expiry); 0 never. */
  readonly expiresAtMs: number;
}

/** The retained message of one topic in one account. */
export interface StoredRetained extends StoredMessage {
  readonly account: string;
}

/** Where an outbound QoS 1/2 message stands. */
export const OutboundState = {
  /** Queued, or sent and not yet acknowledged (PUBACK / PUBREC). */
  Publish: 0,
  /** QoS 2: PUBREC received, PUBREL sent, PUBCOMP awaited. The message itself is no longer needed. */
  Released: 1,
} as const;
export type OutboundState = (typeof OutboundState)[keyof typeof OutboundState];

/** A QoS 1/2 message for a session, queued or in flight. */
export interface StoredOutbound {
  readonly account: string;
  readonly clientId: string;
  /** Order within the session, increasing; assigned by the caller. */
  readonly seq: number;
  /** The packet id it was sent with; 0 while not sent yet. */
  readonly packetId: number;
  readonly state: OutboundState;
  /** The message (in state Released the payload may be empty). */
  readonly message: StoredMessage;
  /** Set on a delivery that should carry RETAIN=1 (retain-as-published). */
  readonly retain: boolean;
  /** MQTT 5 subscription identifiers of the matching subscriptions. */
  readonly subscriptionIds: readonly number[];
}

/** An inbound QoS 2 message: stored at PUBLISH (answered by PUBREC), published at PUBREL. */
export interface StoredInbound {
  readonly account: string;
  readonly clientId: string;
  readonly packetId: number;
  readonly message: StoredMessage;
  readonly retain: boolean;
}

/** A message waiting in a bridge's outbox for the remote broker. */
export interface OutboxMessage {
  /** Order within the bridge's outbox, increasing; assigned by the caller. */
  readonly seq: number;
  /** The remote topic. */
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1;
  readonly retain: boolean;
  readonly properties: MessageProperties | null;
  /** When it was put in the outbox (ms since the epoch), for max_age. */
  readonly storedAtMs: number;
}

/** What a bridge's outbox holds: `bytes` counts topics and payloads. */
export interface OutboxSummary {
  readonly count: number;
  readonly bytes: number;
  /** 0 when empty. */
  readonly firstSeq: number;
  readonly lastSeq: number;
}

/** How many waiting (unsent) messages of each session load() reads; a session with more reads the rest with readQueued. */
export const QUEUED_AT_START = 1024;

/** Everything stored, read once at start. */
export interface MqttState {
  readonly sessions: StoredSession[];
  readonly retained: StoredRetained[];
  /** In seq order within each session: those in flight, and the first QUEUED_AT_START waiting. */
  readonly outbound: StoredOutbound[];
  readonly inbound: StoredInbound[];
}

/**
 * The store. Writes are applied in memory order and made durable together: every write made during
 * one turn of the event loop goes into one transaction, committed at the end of the turn, then synced
 * by the sync policy. `whenDurable` calls back once every write made before it is durable (or failed).
 * A turn is stored whole or not at all: when one of its writes fails in storage (a full disk), its
 * waiters get the error. A write whose arguments SQLite cannot take throws at the call instead, and
 * the rest of its turn goes on.
 */
export interface MqttStore {
  load(): MqttState;
  putSession(session: StoredSession): void;
  /** Removes the session with its outbound and inbound messages. */
  deleteSession(account: string, clientId: string): void;
  putRetained(retained: StoredRetained): void;
  deleteRetained(account: string, topic: string): void;
  putOutbound(message: StoredOutbound): void;
  /** A sent message's packet id and state. In state Released the stored payload is dropped (it reads back empty). */
  updateOutbound(account: string, clientId: string, seq: number, packetId: number, state: OutboundState): void;
  deleteOutbound(account: string, clientId: string, seq: number): void;
  /** Up to `limit` of a session's messages not yet sent (packet id 0) after `afterSeq`, in seq order; pending writes of this turn included. */
  readQueued(account: string, clientId: string, afterSeq: number, limit: number): StoredOutbound[];
  /** The highest seq of a session's messages; 0 for none. */
  lastSeq(account: string, clientId: string): number;
  putInbound(message: StoredInbound): void;
  deleteInbound(account: string, clientId: string, packetId: number): void;
  putOutbox(bridge: string, message: OutboxMessage): void;
  /** Removes the messages `from` to `to`, both included. */
  deleteOutboxRange(bridge: string, from: number, to: number): void;
  /** Removes every message up to `seq`; what they held (count and bytes of those still there). */
  deleteOutboxThrough(bridge: string, seq: number): { count: number; bytes: number };
  /** Up to `limit` messages after `afterSeq`, oldest first; pending writes of this turn included. */
  readOutbox(bridge: string, afterSeq: number, limit: number): OutboxMessage[];
  /** The seq and byte size of up to `limit` messages from the oldest, to drop beyond max_bytes. */
  outboxSizes(bridge: string, limit: number): Array<{ seq: number; bytes: number }>;
  /** The newest message stored before `ms`; 0 for none. */
  lastOutboxBefore(bridge: string, ms: number): number;
  outboxSummary(bridge: string): OutboxSummary;
  /** Drops the outboxes of bridges no longer configured; which they were, and how many messages each held. */
  dropOtherOutboxes(bridges: readonly string[]): Array<{ bridge: string; count: number }>;
  /**
   * Never calls back synchronously, even with nothing pending. With a sync interval (not 'always')
   * "durable" means committed, as in JetStream: safe from a crash of the process, and from a power cut
   * once the next sync of the WAL, at most the interval later, has run.
   */
  whenDurable(done: (err: Error | null) => void): void;
  /** Commits and syncs what is pending and settles the callbacks waiting for it, then closes the file. Writes after it throw. */
  close(): void;
}
