// The MQTT store on SQLite: one file for the server's sessions, retained messages and QoS 1/2
// messages, opened with JetStream's helpers (WAL, damage checks, exclusive lock: one server owns the file).
//
// Group commit: the first write of an event-loop turn begins a transaction and schedules its commit
// with setImmediate; every write of the turn runs in it at once, so its bytes are taken while the
// caller's buffers are valid and a bad argument throws at the call. One COMMIT at the end of the turn
// makes them durable together, and JetStream's CommitReporter says when the turn's waiters hear of
// it, as it does for a stream: with sync 'always' after an fdatasync of the WAL that started after
// the commit (one fdatasync serves every commit it covers), with an interval at once, the WAL being
// fdatasynced every interval when something was committed since the last time.
//
// A write that fails in SQLite (a full disk) rolls the turn back, the turn's later writes are
// skipped, and its waiters hear the error: a turn is stored whole or not at all.

import type { Database, Statement } from 'better-sqlite3';

import { CommitReporter, isDamage, openDatabase, StoreDamagedError, StoreVersionError, StoreWriteError } from '../../jetstream/index.js';
import { encodeProperties, encodeSubscriptionIds, encodeSubscriptions, inboundOf, outboundOf, outboxOf, retainedOf, sessionOf } from './records.js';
import type { InboundRow, OutboundRow, OutboxRow, RetainedRow, SessionRow } from './records.js';
import { migrate, SCHEMA_VERSION, schemaVersion } from './schema.js';
import { Statements } from './statements.js';
import type { MqttState, MqttStore, OutboundState, OutboxMessage, OutboxSummary, StoredInbound, StoredOutbound, StoredRetained, StoredSession } from './types.js';

export interface MqttStoreOptions {
  /** The database file, made when missing. */
  readonly file: string;
  /** As JetStream's sync_interval: 'always', or the milliseconds between syncs of the WAL. */
  readonly sync: 'always' | number;
}

export function openMqttStore(options: MqttStoreOptions): MqttStore {
  return new SqliteMqttStore(options.file, options.sync);
}

type Done = (err: Error | null) => void;

/**
 * A value that cannot be bound (better-sqlite3's TypeError), or one SQLite refuses (a NULL where a
 * field was missing, a value past its size limit): SQLite undoes that one statement and the
 * transaction stays open, so the turn's other writes are not lost to one caller's bug.
 */
function isArgumentError(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code !== 'string' || !code.startsWith('SQLITE_') || code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_TOOBIG' || code === 'SQLITE_MISMATCH';
}

/** The callbacks that wait for one commit. */
interface Waiters {
  readonly commit: number;
  readonly callbacks: Done[];
}

class SqliteMqttStore implements MqttStore {
  private readonly file: string;
  private readonly db: Database;
  private readonly st: Statements;
  private readonly reporter: CommitReporter;
  private inTxn = false;
  private commitScheduled = false;
  /** A write of this turn failed in SQLite; the turn was rolled back and reports this at its end. */
  private failure: StoreWriteError | null = null;
  /** Commits made or failed so far: the reporter knows them by this count. */
  private commits = 0;
  /** The last commit the reporter passed on. */
  private heard = 0;
  /** Oldest commit first. */
  private readonly waiting: Waiters[] = [];
  private closed = false;

  constructor(file: string, sync: 'always' | number) {
    this.file = file;
    // No other connection ever opens the file, so the exclusive lock costs nothing and halves a small commit (database.ts).
    const db = openDatabase(file, true);
    try {
      const version = schemaVersion(db);
      if (version > SCHEMA_VERSION) throw new StoreVersionError(file, version, SCHEMA_VERSION);
      migrate(db);
      this.st = new Statements(db);
    } catch (e) {
      db.close();
      if (isDamage(e)) throw new StoreDamagedError(file, (e as Error).message, { cause: e });
      throw e;
    }
    this.db = db;
    this.reporter = new CommitReporter(file, sync);
    this.reporter.listen(this.onReported);
  }

  load(): MqttState {
    return {
      sessions: (this.st.sessions.all() as SessionRow[]).map(sessionOf),
      retained: (this.st.retained.all() as RetainedRow[]).map(retainedOf),
      outbound: (this.st.outbound.all() as OutboundRow[]).map(outboundOf),
      inbound: (this.st.inbound.all() as InboundRow[]).map(inboundOf),
    };
  }

  putSession(s: StoredSession): void {
    this.write(this.st.putSession, s.account, s.clientId, s.protocolVersion, s.expirySeconds, s.disconnectedAtMs, encodeSubscriptions(s.subscriptions));
  }

  deleteSession(account: string, clientId: string): void {
    this.write(this.st.deleteSession, account, clientId);
    this.write(this.st.deleteSessionOutbound, account, clientId);
    this.write(this.st.deleteSessionInbound, account, clientId);
  }

  putRetained(r: StoredRetained): void {
    this.write(this.st.putRetained, r.account, r.topic, r.payload, r.qos, encodeProperties(r.properties), r.expiresAtMs);
  }

  deleteRetained(account: string, topic: string): void {
    this.write(this.st.deleteRetained, account, topic);
  }

  putOutbound(o: StoredOutbound): void {
    const m = o.message;
    const ids = encodeSubscriptionIds(o.subscriptionIds);
    this.write(this.st.putOutbound, o.account, o.clientId, o.seq, o.packetId, o.state, m.topic, m.payload, m.qos, encodeProperties(m.properties), m.expiresAtMs, o.retain ? 1 : 0, ids);
  }

  updateOutbound(account: string, clientId: string, seq: number, packetId: number, state: OutboundState): void {
    this.write(this.st.updateOutbound, packetId, state, state, account, clientId, seq);
  }

  deleteOutbound(account: string, clientId: string, seq: number): void {
    this.write(this.st.deleteOutbound, account, clientId, seq);
  }

  lastSeq(account: string, clientId: string): number {
    return (this.st.lastSeq.get(account, clientId) as { seq: number | null }).seq ?? 0;
  }

  readQueued(account: string, clientId: string, afterSeq: number, limit: number): StoredOutbound[] {
    return (this.st.queued.all(account, clientId, afterSeq, limit) as OutboundRow[]).map(outboundOf);
  }

  putInbound(i: StoredInbound): void {
    const m = i.message;
    this.write(this.st.putInbound, i.account, i.clientId, i.packetId, m.topic, m.payload, m.qos, encodeProperties(m.properties), m.expiresAtMs, i.retain ? 1 : 0);
  }

  deleteInbound(account: string, clientId: string, packetId: number): void {
    this.write(this.st.deleteInbound, account, clientId, packetId);
  }

  putOutbox(bridge: string, m: OutboxMessage): void {
    this.write(this.st.putOutbox, bridge, m.seq, m.topic, m.payload, m.qos, m.retain ? 1 : 0, encodeProperties(m.properties), m.storedAtMs);
  }

  deleteOutboxRange(bridge: string, from: number, to: number): void {
    this.write(this.st.deleteOutboxRange, bridge, from, to);
  }

  deleteOutboxThrough(bridge: string, seq: number): { count: number; bytes: number } {
    const held = this.st.outboxThroughSize.get(bridge, seq) as { count: number; bytes: number };
    this.write(this.st.deleteOutboxThrough, bridge, seq);
    return held;
  }

  readOutbox(bridge: string, afterSeq: number, limit: number): OutboxMessage[] {
    return (this.st.readOutbox.all(bridge, afterSeq, limit) as OutboxRow[]).map(outboxOf);
  }

  outboxSizes(bridge: string, limit: number): Array<{ seq: number; bytes: number }> {
    return this.st.outboxSizes.all(bridge, limit) as Array<{ seq: number; bytes: number }>;
  }

  lastOutboxBefore(bridge: string, ms: number): number {
    return (this.st.lastOutboxBefore.get(bridge, ms) as { seq: number | null }).seq ?? 0;
  }

  outboxSummary(bridge: string): OutboxSummary {
    const row = this.st.outboxSummary.get(bridge) as { count: number; bytes: number; first: number | null; last: number | null };
    return { count: row.count, bytes: row.bytes, firstSeq: row.first ?? 0, lastSeq: row.last ?? 0 };
  }

  dropOtherOutboxes(bridges: readonly string[]): Array<{ bridge: string; count: number }> {
    const dropped: Array<{ bridge: string; count: number }> = [];
    for (const { bridge } of this.st.outboxBridges.all() as Array<{ bridge: string }>) {
      if (bridges.includes(bridge)) continue;
      dropped.push({ bridge, count: this.outboxSummary(bridge).count });
      this.write(this.st.deleteBridgeOutbox, bridge);
    }
    return dropped;
  }

  whenDurable(done: Done): void {
    // Writes of this turn wait for its commit; with none, the last commit is what every earlier write waits for.
    const commit = this.inTxn || this.failure !== null ? this.commits + 1 : this.commits;
    if (commit === this.heard) {
      setImmediate(done, null);
      return;
    }
    const last = this.waiting.at(-1);
    if (last !== undefined && last.commit === commit) last.callbacks.push(done);
    else this.waiting.push({ commit, callbacks: [done] });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.commitTurn();
    // With sync 'always' this syncs the WAL for the commits whose callbacks wait, then calls them. With an
    // interval their callbacks were called at the commit, and db.close() checkpoints: it syncs the WAL first.
    this.reporter.close();
    this.db.close();
  }

  /**
   * Runs a write in the turn's transaction, opening it (and scheduling its commit) for the turn's
   * first. Skipped when a write of the turn failed: the turn fails whole. A bad argument throws
   * here, and the turn goes on without this write.
   */
  private write(statement: Statement, ...params: unknown[]): void {
    if (this.closed) throw new Error(`mqtt store ${this.file} is closed`);
    if (this.failure !== null) return;
    if (!this.commitScheduled) {
      this.commitScheduled = true;
      setImmediate(this.onTurnEnd);
    }
    try {
      if (!this.inTxn) {
        this.st.begin.run();
        this.inTxn = true;
      }
      statement.run(...params);
    } catch (e) {
      if (isArgumentError(e)) throw e;
      this.failure = this.abort(e);
    }
  }

  private readonly onTurnEnd = (): void => {
    this.commitScheduled = false;
    if (!this.closed) this.commitTurn();
  };

  private commitTurn(): void {
    if (!this.inTxn && this.failure === null) return;
    const commit = ++this.commits;
    let err = this.failure;
    this.failure = null;
    if (this.inTxn) {
      try {
        this.st.commit.run();
        this.inTxn = false;
      } catch (e) {
        err = this.abort(e);
      }
    }
    if (err === null) this.reporter.committed(commit);
    else this.reporter.failed(commit, err);
  }

  private abort(e: unknown): StoreWriteError {
    if (this.db.inTransaction) {
      try {
        this.st.rollback.run();
      } catch {
        // The transaction is already gone: SQLite rolls back by itself on some errors.
      }
    }
    this.inTxn = false;
    return new StoreWriteError(this.file, (e as { code?: unknown }).code === 'SQLITE_FULL', { cause: e });
  }

  private readonly onReported = (commit: number, err: Error | null): void => {
    this.heard = commit;
    while (this.waiting.length > 0 && this.waiting[0].commit <= commit) for (const done of (this.waiting.shift() as Waiters).callbacks) done(err);
  };
}
