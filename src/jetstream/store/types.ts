// The StreamStore seam: what a stream needs from its storage, implemented by the SQLite store (file
// streams) and the memory store alike, so the stream and consumer code never knows which it has.

/** A stored message's header block, with where and when it was stored. */
export interface StoredHeaders {
  seq: number;
  timeNs: bigint;
  hdr: Buffer;
}

/** A stored message. Buffers returned by a store belong to the caller (never a view of a reused buffer). */
export interface StoredMsg {
  seq: number;
  /** Internal subject form (see util subject text): the wire bytes as a latin1 string. */
  subject: string;
  /** The NATS header block (`NATS/1.0\r\n...\r\n\r\n`), or null when the message had none. */
  hdr: Buffer | null;
  data: Buffer;
  /** Wall-clock time it was stored, nanoseconds since the epoch (reported as the message time). */
  timeNs: bigint;
}

/** The limits a store enforces itself on every append, as nats-server's stores do. -1 / 0 = unlimited. */
export interface StoreLimits {
  maxMsgs: number;
  maxBytes: number;
  /** Milliseconds a message may stay stored (0 = forever), counted on the store's clock (see StoreClock). */
  maxAgeMs: number;
  maxMsgsPerSubject: number;
  /** 'new' refuses an append past max_msgs/max_bytes instead of evicting the oldest. */
  discard: 'old' | 'new';
  /** With discard 'new': also refuse past max_msgs_per_subject instead of evicting. */
  discardNewPerSubject: boolean;
}

export interface StreamStoreState {
  msgs: number;
  bytes: number;
  /** 0 for a never-written stream; last + 1 once emptied. */
  firstSeq: number;
  firstTimeNs: bigint;
  lastSeq: number;
  lastTimeNs: bigint;
  numSubjects: number;
  /** Sequences between first and last that are not stored (deleted or purged inside the range). */
  numDeleted: number;
}

/** Why an append was refused (nats-server's store error texts are kept by jetstream/errors). */
export const AppendRefusal = {
  MaxMsgs: 1,
  MaxBytes: 2,
  MaxMsgsPerSubject: 3,
  /** The store's storage limit (max_file_store / max_memory_store) or the disk itself is full. */
  StorageFull: 4,
} as const;
export type AppendRefusal = (typeof AppendRefusal)[keyof typeof AppendRefusal];

export interface PurgeRequest {
  /** Only this subject (wildcards allowed). */
  filter?: string;
  /** Purge up to but not including this sequence. */
  seq?: number;
  /** Keep this many newest messages (of those matching the filter, counted together). */
  keep?: number;
}

/** The durable part of a consumer: restored at start without replaying the stream. */
export interface ConsumerState {
  /** Last delivered stream and consumer sequence. */
  deliveredStreamSeq: number;
  deliveredConsumerSeq: number;
  /** Everything at or below these is acknowledged. */
  ackFloorStreamSeq: number;
  ackFloorConsumerSeq: number;
  /** Delivered and not yet acknowledged: stream seq -> { consumer seq, delivery time in ms }. */
  pending: Map<number, { consumerSeq: number; timeMs: number }>;
  /** Stream seq -> times delivered, for messages delivered more than once. */
  redelivered: Map<number, number>;
}

/**
 * Time as the store counts it. `wallNs` is what a message's timestamp reports; max_age counts "stored
 * time" instead (see stored-time.ts), built from `monoMs`, which never jumps with the wall clock, and
 * resumed across restarts: exactly within one boot of the machine (same `bootId`, so `monoMs` of the
 * earlier process is comparable), by the wall clock's advance across a reboot when that advance is not
 * negative. A board without a battery-backed clock boots in the past and jumps forward when NTP syncs:
 * that jump neither expires the backlog at once nor keeps it forever. Injected so tests control it.
 */
export interface StoreClock {
  wallNs(): bigint;
  /** Monotonic milliseconds; within one boot comparable between processes (CLOCK_MONOTONIC). */
  monoMs(): number;
  /** Identifies the current boot of the machine; '' when unknown (then every start counts as a reboot). */
  bootId(): string;
}

export interface StreamStore {
  readonly kind: 'file' | 'memory';

  /**
   * Appends one message (the buffers are borrowed: copy what you keep) and returns its sequence, or a
   * refusal. The message is visible to load*() at once; it is durable only once `onCommitted` reports
   * a sequence at or past it. Ack publishes and deliver to consumers only up to that sequence: a
   * failed commit rolls its appends back and hands their sequences out again. `timeNs` is the message's
   * time when it is not now (a mirror keeps its origin's times); max_age still counts from the append.
   */
  append(subject: string, hdr: Buffer | null, data: Buffer, timeNs?: bigint): number | { refused: AppendRefusal };
  /**
   * Called after each group commit (the writes of one event-loop turn) with the last sequence it covers.
   * With an error (disk full, I/O), every append of that turn is rolled back, from state() too, and
   * `lastSeq` is the last sequence the failed turn had handed out: appends above the previous commit and
   * at or below it failed, and their sequences are handed out again. The store keeps serving reads.
   */
  onCommitted(listener: (lastSeq: number, err: Error | null) => void): void;
  /**
   * A point between appends, where commit listeners may run: a store whose turn has gathered enough
   * appends commits them now, so their acks go out while the rest of the turn is stored (the
   * publisher refills its window meanwhile) instead of all at the end of the turn.
   */
  commitPoint(): void;
  /**
   * Uses the next sequence without storing anything (an interest stream's message nobody wants, as
   * nats-server's SkipMsg): the last sequence moves, an empty store's first sequence moves past it, and
   * a non-empty store counts it as deleted. Durable and reported to `onCommitted` like an append.
   */
  skip(): number;

  load(seq: number): StoredMsg | null;
  /** The first message at or after `seq` whose subject matches `filter` ('' or '>' = any). */
  loadNext(filter: string, seq: number): StoredMsg | null;
  /** The last message whose subject matches `filter` (a literal subject or a wildcard). */
  loadLast(filter: string): StoredMsg | null;
  /**
   * The messages from `from` to `to` that carry headers, in order, without their payloads: for state
   * kept in headers (the duplicate window's Msg-Ids) rebuilt after a restart.
   */
  headersBetween(from: number, to: number): StoredHeaders[];
  /** The newest message's sequence on exactly this subject, 0 when there is none. */
  lastSeqOfSubject(subject: string): number;

  /** Removes one message; false when it was not there. */
  remove(seq: number): boolean;
  /** Returns how many messages were purged. */
  purge(req: PurgeRequest): number;
  /** Drops messages past max_age; returns the delay in ms until the next one expires (-1: none stored). */
  expire(): number;

  state(): StreamStoreState;
  /** Subject -> number of stored messages, for subjects matching `filter`. */
  subjectsState(filter: string): Map<string, number>;
  /** Sequences between first and last that are not stored. */
  deletedSeqs(): number[];
  /** Messages at or after `seq` matching `filter`; with `lastPerSubject`, only each subject's newest. */
  numPending(filter: string, seq: number, lastPerSubject: boolean): number;

  setLimits(limits: StoreLimits): void;

  /** The stream's configuration document and creation time, kept with its data. */
  saveConfig(json: string, createdNs: bigint): void;
  loadConfig(): { json: string; createdNs: bigint } | null;

  /**
   * Consumer configuration and state, kept with the stream's data and written in the appends' group
   * commit; deliveries and acks alone may wait a little for one (see commitThisTurn).
   */
  saveConsumer(name: string, configJson: string, createdNs: bigint): void;
  /** Replaces the consumer's whole state (a reset); the incremental calls below are the usual path. */
  saveConsumerState(name: string, state: ConsumerState): void;
  /**
   * One delivery: `streamSeq` went out as `consumerSeq` at `timeMs`, its `deliveries`-th time (1 = first).
   * Raises the delivered sequences and records the pending ack; O(1), not a snapshot.
   */
  consumerDelivered(name: string, streamSeq: number, consumerSeq: number, timeMs: number, deliveries: number): void;
  /**
   * `streamSeq` acknowledged (0: none, only the floor moved) with the ack floor now at these sequences;
   * pending entries at or below the floor are dropped with it (ack all, or a floor catching up).
   */
  consumerAcked(name: string, streamSeq: number, ackFloorStreamSeq: number, ackFloorConsumerSeq: number): void;
  removeConsumer(name: string): void;
  /**
   * Deliveries and acks may wait a little for a commit of their own; this makes the end of the current
   * turn commit them (an ack whose sender waits for its confirmation).
   */
  commitThisTurn(): void;
  loadConsumers(): Array<{ name: string; configJson: string; createdNs: bigint; state: ConsumerState | null }>;

  /** Commits what is pending and closes. */
  close(): void;
  /** Closes and deletes everything stored. */
  destroy(): void;
}
