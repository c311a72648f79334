// The file store: one SQLite database per stream (see the README's JetStream storage section for the
// figures behind that), in WAL mode.
//
// Group commit: the first write of an event-loop turn opens a transaction and schedules its commit
// with setImmediate; every append, removal and consumer update of the turn runs inside it, so reads
// see them at once, and one commit makes them durable together (a turn of many appends commits in
// parts: commitPoint). The commit listeners hear the last sequence when it is
// durable (commit-reporter.ts), and the stream acks the publishes up to it; the event loop goes on
// parsing and committing the next batch meanwhile.
//
// With sync_interval a duration, a turn that only appended is made durable by one write to the
// append log (append-log.ts) instead, and the transaction stays open across turns: it commits every
// LOG_COMMIT_MS, or at the end of a turn with any other change (a removal, a purge, a consumer or
// configuration saved), and the log is emptied after each commit.
//
// State is kept as counters (messages, bytes, last sequence and time, subjects) updated with each
// change and written in the same commit, so opening a store reads one row and two index ends; it
// never walks the messages. Limits find what to drop through the sequence order (the oldest message
// is the first) and the (subject, seq) index.
//
// Memory: the counters, a bounded subject cache (subjects.ts), and the consumers' pending acks.
//
// Alongside: the reads (store-reads.ts), dropping messages (drops.ts), the counters (counters.ts).

import fs from 'node:fs';

import type { Database } from 'better-sqlite3';

import type { StorageBudget } from '../budget.js';
import { systemClock } from '../clock.js';
import { COMMIT_POINT_APPENDS } from '../commit-point.js';
import { StoreDamagedError, StoreVersionError, StoreWriteError } from '../errors.js';
import { subjectFilter } from '../filter.js';
import { discardNewRefusal, NO_LIMITS } from '../limits.js';
import { StoredTime } from '../stored-time.js';
import type { StoredTimeCheckpoint } from '../stored-time.js';
import { AppendRefusal } from '../types.js';
import type { ConsumerState, PurgeRequest, StoreClock, StoredHeaders, StoredMsg, StoreLimits, StreamStore, StreamStoreState } from '../types.js';
import { AppendLog } from './append-log.js';
import { CommitReporter } from './commit-reporter.js';
import { ConsumerTable } from './consumers.js';
import { StreamCounters } from './counters.js';
import { isDamage, openDatabase } from './database.js';
import { Drops } from './drops.js';
import { InsertBatch } from './insert-batch.js';
import { LOG_MAX_BYTES, OffloadPhase } from './offload-phase.js';
import type { OffloadHost } from './offload-phase.js';
import { migrate, SCHEMA_VERSION, schemaVersion } from './schema.js';
import { Statements } from './statements.js';
import { StoreReads } from './store-reads.js';
import type { RowInfo } from './statements.js';
import { fileStoreMsgSize } from './store-file.js';
import type { SqliteStoreOptions } from './store-file.js';
import { SubjectTable } from './subjects.js';
import type { SubjectEntry } from './subjects.js';

/**
 * How long deliveries and acks alone wait for a commit. A pull consumer's batch is usually delivered
 * and acked within it, so its pending-ack rows are never written at all; what a crash can cost is
 * redeliveries (at-least-once, as nats-server's periodic consumer flush does). An ack whose sender
 * waits for its confirmation, and any other write, commits them at the end of the turn.
 */
const CONSUMER_FLUSH_MS = 50;

/**
 * How long an open transaction whose appends are in the append log waits for its commit. The
 * commit writes each page the appends touched once rather than once a turn; what a crash costs
 * meanwhile is nothing acked (the log replays it), only consumer deliveries and acks riding along
 * (redeliveries, as with CONSUMER_FLUSH_MS).
 */
const LOG_COMMIT_MS = 100;

export class SqliteStore implements StreamStore {
  readonly kind = 'file' as const;
  readonly file: string;
  private readonly db: Database;
  private readonly st: Statements;
  private readonly batch: InsertBatch;
  private readonly subjects: SubjectTable;
  private readonly consumers: ConsumerTable;
  private readonly clock: StoreClock;
  private readonly time: StoredTime;
  private readonly budget: StorageBudget | null;
  private readonly reporter: CommitReporter;
  private limits: StoreLimits;
  private config: { json: string; createdNs: bigint } | null;
  private configDirty = false;
  private readonly c = new StreamCounters();
  /** The counters (and live subjects) when the open transaction began, restored if it rolls back. */
  private before: { counters: StreamCounters; liveSubjects: number } | null = null;
  private inTxn = false;
  /** Appends (and skips) the commit listeners have not heard of yet. */
  private unreported = 0;
  /** With sync_interval a duration: where a turn of appends is made durable before its commit. */
  private readonly log: AppendLog | null;
  /** The open transaction holds a change the append log cannot replay: the turn ends with a commit. */
  private mustCommit = false;
  /** A failed commit rolled back appends the log holds: the next transaction applies them first. */
  private logBehind = false;
  /** abortTurn() is applying the log again: a failure of that waits for the next write. */
  private reapplying = false;
  private logCommitTimer: NodeJS.Timeout | null = null;
  /** With the append log: the thread that applies it while the stream only receives appends. */
  private readonly phase: OffloadPhase | null;
  /** Nothing but appends since the last commit: the next log commit hands the file to the offload thread. */
  private quiet = false;
  private commitScheduled = false;
  /** A transaction of this turn that failed: reported at the end of the turn; appends refused until then. */
  private failure: { err: StoreWriteError; lastSeq: number } | null = null;
  private readonly drops: Drops;
  /** Subjects past the per-subject limit since the last settle(). */
  private readonly overLimit = new Set<SubjectEntry>();
  private readonly reads: StoreReads;
  private consumerTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(file: string, options: SqliteStoreOptions) {
    this.file = file;
    this.clock = options.clock ?? systemClock;
    this.limits = options.limits ?? NO_LIMITS;
    this.budget = options.budget ?? null;
    const sync = options.sync ?? 'always';
    const db = openDatabase(file, sync === 'always', options.pageSize);
    try {
      const wallMs = Number(this.clock.wallNs() / 1_000_000n);
      const fromVersion = schemaVersion(db);
      if (fromVersion > SCHEMA_VERSION) throw new StoreVersionError(file, fromVersion, SCHEMA_VERSION);
      migrate(db, wallMs);
      this.st = new Statements(db);
      this.batch = new InsertBatch(db);
      const row = this.sql.readStream.get() as Record<string, bigint | string | null>;
      this.c.readRow(row);
      this.config = row.config === null ? null : { json: row.config as string, createdNs: row.created_ns as bigint };
      const checkpoint: StoredTimeCheckpoint | null =
        fromVersion === 0
          ? null
          : { storedMs: Number(row.clock_stored_ms), wallMs: Number(row.clock_wall_ms), monoMs: Number(row.clock_mono_ms), bootId: row.clock_boot_id as string };
      this.time = new StoredTime(this.clock, checkpoint);
      this.subjects = new SubjectTable(this.st, Number(row.num_subjects));
      this.reads = new StoreReads({ counters: this.c, sql: () => this.st, syncSubjects: () => this.syncSubjectsOrReport() }, this.subjects);
      this.drops = new Drops({
        counters: this.c,
        subjects: this.subjects,
        readAhead: this.reads.readAhead,
        budget: this.budget,
        sql: () => this.sql,
        limits: () => this.limits,
      });
      this.consumers = new ConsumerTable(this.st);
      this.drops.refreshFirst(1);
    } catch (e) {
      db.close();
      if (isDamage(e)) throw new StoreDamagedError(file, (e as Error).message, { cause: e });
      throw e;
    }
    this.db = db;
    this.budget?.charge(this.c.bytes);
    this.reporter = new CommitReporter(file, sync);
    const logFile = `${file}-appends`;
    this.log = sync === 'always' ? null : new AppendLog(logFile);
    this.phase = this.log === null ? null : new OffloadPhase(this.offloadHost(this.log), file, logFile);
    if (this.log !== null) {
      this.reporter.syncAlso(this.log);
      this.logBehind = this.log.holdsRecords;
      // Applied now, committed with the next commit; a failure is reported like any other.
      if (this.logBehind) this.beginOrReport();
    }
  }

  /** The offload thread has the file (log-offload.ts); what the thread did shows once it is claimed back. */
  get offloading(): boolean {
    return this.phase?.active === true;
  }

  append(subject: string, hdr: Buffer | null, data: Buffer, at?: bigint): number | { refused: AppendRefusal } {
    if (this.phase?.active === true) {
      const seq = this.phase.append(subject, hdr, data, at);
      if (seq !== 0) return seq;
    }
    if (this.failure !== null || (this.logBehind && !this.ready())) return { refused: AppendRefusal.StorageFull };
    const rawLen = (hdr === null ? 0 : hdr.length) + data.length;
    const size = fileStoreMsgSize(subject, hdr, data);
    const seq = this.c.lastSeq + 1;
    let reserved = false;
    try {
      if (this.limits.discard === 'new') this.settle();
      const known = this.subjects.get(subject);
      const refusal = discardNewRefusal(this.limits, this.c.count, this.c.bytes, known === null ? 0 : known.msgs, rawLen, () => this.oldestOf(known)?.size ?? 0);
      if (refusal !== 0) return { refused: refusal };
      reserved = this.reserve(size);
      if (!reserved) return { refused: AppendRefusal.StorageFull };
      this.begin();
      return this.store(subject, known, hdr, data, at ?? this.clock.wallNs(), this.time.nowMs(), size, true);
    } catch (err) {
      if (reserved && this.c.lastSeq !== seq) this.budget?.release(size);
      this.abortTurn(err);
      return { refused: AppendRefusal.StorageFull };
    }
  }

  skip(): number {
    if (this.phase?.active === true) return this.phase.skip();
    if (!this.beginOrReport()) return this.c.lastSeq + 1;
    return this.skipAt(this.clock.wallNs(), true);
  }

  commitPoint(): void {
    if (this.phase?.active === true) {
      if (this.phase.pending >= COMMIT_POINT_APPENDS) this.phase.finishTurn();
    } else if (this.inTxn && this.unreported >= COMMIT_POINT_APPENDS) this.commitEarly();
  }

  onCommitted(listener: (lastSeq: number, err: Error | null) => void): void {
    this.reporter.listen(listener);
  }

  load(seq: number): StoredMsg | null {
    this.prepare();
    return this.reads.load(seq);
  }

  headersBetween(from: number, to: number): StoredHeaders[] {
    this.prepare();
    return this.reads.headersBetween(from, to);
  }

  loadNext(filter: string, seq: number): StoredMsg | null {
    this.prepare();
    return this.reads.loadNext(filter, seq);
  }

  loadLast(filter: string): StoredMsg | null {
    this.prepare();
    return this.reads.loadLast(filter);
  }

  lastSeqOfSubject(subject: string): number {
    this.touch();
    return this.reads.lastSeqOfSubject(subject);
  }

  remove(seq: number): boolean {
    this.prepare();
    const row = this.sql.rowOf.get(seq) as RowInfo | undefined;
    if (row === undefined) return false;
    try {
      this.beginChange();
      this.drops.row(row);
      this.drops.settle(row.seq);
      return true;
    } catch (err) {
      this.abortTurn(err);
      return false;
    }
  }

  purge(req: PurgeRequest): number {
    this.prepare();
    const f = subjectFilter(req.filter ?? '');
    // nats-server treats a purge "below sequence 1" as no sequence bound.
    const below = req.seq !== undefined && req.seq > 1 ? req.seq : 0;
    const keep = req.keep ?? 0;
    const before = this.c.count;
    try {
      if (f.all) {
        if (below === 0 && keep === 0) return this.purgeAll();
        if (keep >= this.c.count) return 0;
        // Without a filter, keep purges below last - keep + 1, as nats-server's compaction does.
        const bound = keep > 0 ? this.c.lastSeq - keep + 1 : below;
        this.beginChange();
        this.drops.below(bound);
        return before - this.c.count;
      }
      const slot = this.reads.filterSlot(f);
      if (slot === 0) return 0;
      let bound = below > 0 ? below : this.c.lastSeq + 1;
      if (keep > 0) {
        this.syncSubjects();
        if (keep >= (this.sql.sumMsgsOfSubjects.get(slot) as number)) return 0;
        bound = this.sql.newestOfSubjectsAt.get(slot, keep - 1) as number;
      }
      this.beginChange();
      this.drops.subjectsBelow(slot, bound);
      return before - this.c.count;
    } catch (err) {
      this.abortTurn(err);
      return 0;
    }
  }

  expire(): number {
    this.prepare();
    const maxAge = this.limits.maxAgeMs;
    if (maxAge <= 0 || this.c.count === 0) return -1;
    const now = this.time.nowMs();
    const expired = (r: RowInfo): boolean => r.stored_ms + maxAge <= now;
    let first = (this.sql.frontRows.all(this.c.firstSeq, 1) as RowInfo[])[0];
    if (expired(first)) {
      try {
        this.beginChange();
        this.drops.front(expired);
      } catch (err) {
        this.abortTurn(err);
        return 1000;
      }
      if (this.c.count === 0) return -1;
      first = (this.sql.frontRows.all(this.c.firstSeq, 1) as RowInfo[])[0];
    }
    return first.stored_ms + maxAge - now;
  }

  state(): StreamStoreState {
    this.prepare();
    return this.c.state(this.subjects.live);
  }

  subjectsState(filter: string): Map<string, number> {
    this.prepare();
    return this.reads.subjectsState(filter);
  }

  deletedSeqs(): number[] {
    this.prepare();
    return this.reads.deletedSeqs();
  }

  numPending(filter: string, seq: number, lastPerSubject: boolean): number {
    this.prepare();
    return this.reads.numPending(filter, seq, lastPerSubject);
  }

  setLimits(limits: StoreLimits): void {
    this.prepare();
    this.limits = limits;
    // The log's appends were stored under the limits it starts with: a commit empties it first.
    if (this.log !== null && !this.log.empty) this.changeOrReport();
    const perSubject = limits.maxMsgsPerSubject;
    if (perSubject <= 0 && !(limits.maxMsgs > 0 && this.c.count > limits.maxMsgs) && !(limits.maxBytes > 0 && this.c.bytes > limits.maxBytes)) return;
    try {
      this.beginChange();
      if (perSubject > 0) {
        this.subjects.sync();
        for (const id of this.sql.subjectIdsOver.all(perSubject) as number[]) this.drops.enforceSubjectLimit(this.subjects.byIdOf(id));
      }
      this.drops.enforceLimits(null);
    } catch (err) {
      this.abortTurn(err);
    }
  }

  saveConfig(json: string, createdNs: bigint): void {
    this.touch();
    this.config = { json, createdNs };
    this.configDirty = true;
    this.changeOrReport();
  }

  loadConfig(): { json: string; createdNs: bigint } | null {
    return this.config;
  }

  saveConsumer(name: string, configJson: string, createdNs: bigint): void {
    this.touch();
    this.consumers.save(name, configJson, createdNs);
    this.changeOrReport();
  }

  saveConsumerState(name: string, state: ConsumerState): void {
    this.touch();
    this.consumers.saveState(name, state);
    this.changeOrReport();
  }

  consumerDelivered(name: string, streamSeq: number, consumerSeq: number, timeMs: number, deliveries: number): void {
    this.touch();
    this.consumers.delivered(name, streamSeq, consumerSeq, timeMs, deliveries);
    this.consumerChanged();
  }

  consumerAcked(name: string, streamSeq: number, ackFloorStreamSeq: number, ackFloorConsumerSeq: number): void {
    this.touch();
    this.consumers.acked(name, streamSeq, ackFloorStreamSeq, ackFloorConsumerSeq);
    this.consumerChanged();
  }

  commitThisTurn(): void {
    this.touch();
    this.changeOrReport();
  }

  removeConsumer(name: string): void {
    this.touch();
    this.consumers.remove(name);
    this.changeOrReport();
  }

  loadConsumers(): Array<{ name: string; configJson: string; createdNs: bigint; state: ConsumerState | null }> {
    this.touch();
    return this.consumers.list();
  }

  close(): void {
    if (this.closed) return;
    this.touch();
    this.changeOrReport();
    this.commitTurn();
    this.closed = true;
    if (this.consumerTimer !== null) clearTimeout(this.consumerTimer);
    if (this.logCommitTimer !== null) clearTimeout(this.logCommitTimer);
    this.phase?.close();
    this.log?.close();
    this.reporter.close();
    this.budget?.release(this.c.bytes);
    this.db.close();
  }

  destroy(): void {
    this.close();
    // The log first: a stream made again under this name must never replay it.
    for (const suffix of ['-appends.old', '-appends', '', '-wal', '-shm']) fs.rmSync(this.file + suffix, { force: true });
  }

  /** The statements, once the queued appends are in the table: every statement but the inserts goes through here. */
  private get sql(): Statements {
    if (this.batch.pending) this.batch.flush();
    return this.st;
  }

  /**
   * Brings the store up to date before a call: the append log applied again if a failed commit left
   * it behind, the per-subject limit's pending drops done, queued rows inserted. A failure rolls back
   * and is reported (false), and the call starts from the state after it. Inside a write, a failure
   * throws instead: the write stops there, never going on from values read before the rollback.
   */
  private ready(): boolean {
    try {
      if (this.logBehind) this.begin();
      this.settle();
      if (this.batch.pending) this.batch.flush();
      return true;
    } catch (err) {
      this.abortTurn(err);
      return false;
    }
  }

  /** Any call but an append or a skip: it needs the file, and the next log commit does not hand it over. */
  private touch(): void {
    this.quiet = false;
    this.phase?.claim();
  }

  /** touch(), then ready(): what a read or a removal starts with. */
  private prepare(): boolean {
    this.touch();
    return this.ready();
  }

  private offloadHost(log: AppendLog): OffloadHost {
    return {
      file: this.file,
      counters: this.c,
      log,
      budget: this.budget,
      limits: () => this.limits,
      logged: () => this.logged() as AppendLog,
      storedNowMs: () => this.time.nowMs(),
      wallNs: () => this.clock.wallNs(),
      scheduleCommit: () => this.scheduleCommit(),
      ack: (lastSeq) => this.reporter.committed(lastSeq),
      fail: (err, attempted) => {
        this.failure = { err, lastSeq: Math.max(attempted, this.failure?.lastSeq ?? 0) };
        this.scheduleCommit();
      },
      settled: () => !this.closed && !this.inTxn && !this.logBehind && this.failure === null && this.overLimit.size === 0,
      subjects: this.subjects,
      readAhead: this.reads.readAhead,
      streamRow: () => this.st.readStream.get() as Record<string, bigint>,
      refreshFirst: () => this.drops.refreshFirst(1),
      applyLogAgain: () => (this.logBehind = log.holdsRecords),
      emptyLog: () => this.emptyLog(log),
    };
  }

  /** Drops what the per-subject limit left for later (see store()): before anything reads the store. */
  private settle(): void {
    if (this.overLimit.size === 0) return;
    for (const e of this.overLimit) this.drops.enforceSubjectLimit(e);
    this.overLimit.clear();
  }

  /** Room in the storage budget, counting what settle() would free. */
  private reserve(size: number): boolean {
    if (this.budget === null || this.budget.reserve(size)) return true;
    if (this.overLimit.size === 0) return false;
    this.settle();
    return this.budget.reserve(size);
  }

  private oldestOf(e: SubjectEntry | null): RowInfo | null {
    return e === null || e.msgs === 0 ? null : ((this.sql.oldestOfSubject.get(e.id) as RowInfo | undefined) ?? null);
  }

  private purgeAll(): number {
    const n = this.c.count;
    this.beginChange();
    this.drops.all();
    return n;
  }

  /** Subject counts into the table, for the queries that aggregate it. */
  private syncSubjects(): void {
    if (this.inTxn) this.subjects.sync();
  }

  /** For reads, which go on with what is there after a failure. */
  private syncSubjectsOrReport(): void {
    try {
      this.syncSubjects();
    } catch (err) {
      this.abortTurn(err);
    }
  }

  private begin(): void {
    if (this.closed) throw new Error(`stream store ${this.file} is closed`);
    this.phase?.claim();
    this.scheduleCommit();
    if (this.inTxn) return;
    this.before = { counters: this.c.snapshot(), liveSubjects: this.subjects.live };
    this.sql.begin.run();
    this.inTxn = true;
    if (this.logBehind) this.applyLog();
  }

  /** begin() for a change the append log cannot replay: this turn ends with a commit. */
  private beginChange(): void {
    this.begin();
    this.mustCommit = true;
  }

  /** begin() where a failure reaches the commit listeners; false when it failed. */
  private beginOrReport(): boolean {
    try {
      this.begin();
      return true;
    } catch (err) {
      this.abortTurn(err);
      return false;
    }
  }

  /** beginChange() for writes that return nothing: a failure reaches the commit listeners. */
  private changeOrReport(): void {
    try {
      this.beginChange();
    } catch (err) {
      this.abortTurn(err);
    }
  }

  /**
   * Stores a message as the next sequence in the open transaction, with the limits enforced;
   * `toLog`: also into the append log (false when it comes from there).
   */
  private store(subject: string, known: SubjectEntry | null, hdr: Buffer | null, data: Buffer, timeNs: bigint, storedMs: number, size: number, toLog: boolean): number {
    const seq = this.c.lastSeq + 1;
    const e = known ?? this.subjects.create(subject);
    this.batch.insert(seq, e.id, size, timeNs, storedMs, hdr, data);
    if (toLog) this.logged()?.append(seq, timeNs, storedMs, subject, hdr, data);
    this.c.added(seq, timeNs, size);
    this.subjects.added(e, seq);
    const { maxMsgs, maxBytes, maxMsgsPerSubject } = this.limits;
    // The per-subject limit alone drops each subject's oldest messages, the same ones whenever it
    // runs (so a replay of the append log ends the same): settle() does it later, after the turn's
    // acks when they go out through the append log.
    if (maxMsgs > 0 || maxBytes > 0) this.drops.enforceLimits(e);
    else if (maxMsgsPerSubject > 0 && e.msgs > maxMsgsPerSubject) this.overLimit.add(e);
    this.unreported++;
    return seq;
  }

  /** Uses the next sequence for nothing, in the open transaction. */
  private skipAt(timeNs: bigint, toLog: boolean): number {
    const seq = this.c.lastSeq + 1;
    if (toLog) this.logged()?.skip(seq, timeNs);
    this.c.skipped(seq, timeNs);
    this.unreported++;
    return seq;
  }

  /** The append log, if there is one, with the limits at its start. */
  private logged(): AppendLog | null {
    const log = this.log;
    if (log !== null && log.needsLimits) log.limits(this.limits);
    return log;
  }

  /**
   * Applies what the append log holds past the stored state (after a restart, or a failed commit
   * that rolled it back) to the open transaction, which commits LOG_COMMIT_MS later.
   */
  private applyLog(): void {
    const log = this.log as AppendLog;
    const current = this.limits;
    this.logBehind = false;
    try {
      for (const r of log.read()) {
        if (r.kind === 'limits') this.limits = r.limits;
        else if (r.seq <= this.c.lastSeq) continue;
        else if (r.kind === 'skip') this.skipAt(r.timeNs, false);
        else {
          const size = fileStoreMsgSize(r.subject, r.hdr, r.data);
          this.budget?.charge(size);
          this.store(r.subject, this.subjects.get(r.subject), r.hdr, r.data, r.timeNs, r.storedMs, size, false);
        }
      }
    } catch (err) {
      this.logBehind = true;
      throw err;
    }
    // Its publishers heard of these long ago.
    this.unreported = 0;
    // Back to the limits the store runs under (the log's may be older, or the defaults at open).
    if (this.limits !== current) this.setLimits(current);
  }

  /** Deliveries and acks ride along with this turn's commit if there is one, else wait CONSUMER_FLUSH_MS. */
  private consumerChanged(): void {
    if (this.inTxn) return;
    this.consumerTimer ??= setTimeout(this.onConsumerFlush, CONSUMER_FLUSH_MS);
  }

  private readonly onConsumerFlush = (): void => {
    this.consumerTimer = null;
    if (!this.closed) this.changeOrReport();
  };

  private scheduleCommit(): void {
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    setImmediate(this.onTurnEnd);
  }

  private readonly onTurnEnd = (): void => {
    this.commitScheduled = false;
    if (!this.closed) this.commitTurn();
  };

  private commitTurn(): void {
    if (this.logBehind && !this.inTxn) this.beginOrReport();
    if (this.phase?.active === true) this.phase.finishTurn();
    const committed = this.inTxn && this.finishTurn();
    const failure = this.failure;
    this.failure = null;
    if (failure !== null) this.reporter.failed(failure.lastSeq, failure.err);
    if (committed) this.reporter.committed(this.c.lastSeq);
    // After the acks: what the turn left for later (its rows, the per-subject limit).
    this.ready();
  }

  /**
   * A turn that brings many appends commits them in parts: the first part's acks go out (with
   * 'always', its sync runs) while the loop stores the rest, so a publisher's next messages arrive
   * meanwhile instead of after the turn.
   */
  private commitEarly(): void {
    if (this.finishTurn()) this.reporter.committed(this.c.lastSeq);
  }

  /**
   * Makes the turn's writes durable: a turn that only appended, with sync_interval a duration, by
   * writing them to the append log; any other by a commit. True when there is something to report.
   */
  private finishTurn(): boolean {
    const log = this.log;
    // A log at its bound commits at the end of the turn instead of waiting.
    if (log === null || this.mustCommit || log.size >= LOG_MAX_BYTES) return this.commitTxn();
    this.logCommitTimer ??= setTimeout(this.onLogCommit, LOG_COMMIT_MS);
    if (this.unreported === 0) return false;
    try {
      log.write();
    } catch {
      // The log could not take them (a full disk): the commit makes the whole transaction durable, or fails it.
      return this.commitTxn();
    }
    this.unreported = 0;
    return true;
  }

  private readonly onLogCommit = (): void => {
    this.logCommitTimer = null;
    if (this.closed || !this.inTxn) return;
    const unreported = this.unreported > 0;
    const quiet = this.quiet;
    const committed = this.commitTxn();
    if (committed && unreported) this.reporter.committed(this.c.lastSeq);
    if (committed && quiet) this.phase?.start();
  };

  /** Commits the open transaction; false when that failed (abortTurn() has then run). */
  private commitTxn(): boolean {
    try {
      this.settle();
      if (this.batch.pending) this.batch.flush();
      this.subjects.sync();
      this.consumers.flush();
      if (this.config !== null && this.configDirty) this.sql.writeConfig.run(this.config.json, this.config.createdNs);
      const cp = this.time.checkpoint();
      this.sql.writeStream.run(this.c.count, this.c.bytes, this.c.lastSeq, this.c.lastTimeNs, this.subjects.live, cp.storedMs, cp.wallMs, cp.monoMs, cp.bootId);
      this.sql.commit.run();
      this.inTxn = false;
      this.before = null;
      this.configDirty = false;
      this.consumers.committed();
      this.subjects.committed();
      if (this.consumerTimer !== null) {
        clearTimeout(this.consumerTimer);
        this.consumerTimer = null;
      }
      this.mustCommit = false;
      this.unreported = 0;
      this.quiet = true;
      if (this.log !== null) this.emptyLog(this.log);
      return true;
    } catch (err) {
      this.abortTurn(err);
      return false;
    }
  }

  /** After a commit: the log's records are in SQLite, whose WAL the next interval syncs. */
  private emptyLog(log: AppendLog): void {
    if (this.logCommitTimer !== null) clearTimeout(this.logCommitTimer);
    this.logCommitTimer = null;
    this.reporter.committedUnheard();
    try {
      // Records the interval already synced must not wait for the next one in an unsynced WAL.
      if (log.synced) this.reporter.syncNow();
    } catch {
      // Kept: the next commit empties it; a replay skips what is stored.
      return;
    }
    log.reset();
  }

  /**
   * A write failed: roll the transaction back and the counters with it. The messages of the turn are
   * gone; consumer and config changes stay pending and are written again with the next commit, and
   * appends of earlier turns that the append log holds are applied again by the next transaction.
   */
  private abortTurn(err: unknown): void {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('SQLITE_')) throw err;
    const attempted = this.c.lastSeq;
    this.batch.discard();
    this.overLimit.clear();
    this.mustCommit = false;
    this.unreported = 0;
    if (this.log !== null) {
      this.log.discard();
      if (this.log.holdsRecords) this.logBehind = true;
    }
    if (this.db.inTransaction) {
      try {
        this.st.rollback.run();
      } catch {
        // The transaction is already gone: SQLite rolls back by itself on some errors.
      }
    }
    this.inTxn = false;
    this.consumers.rolledBack();
    this.reads.readAhead.clear();
    const b = this.before;
    if (b !== null) {
      const bytes = b.counters.bytes;
      if (this.c.bytes > bytes) this.budget?.release(this.c.bytes - bytes);
      else this.budget?.charge(bytes - this.c.bytes);
      this.c.restore(b.counters);
      this.subjects.reset(b.liveSubjects);
      this.before = null;
    }
    this.drops.clear();
    const full = code === 'SQLITE_FULL';
    this.failure = { err: new StoreWriteError(this.file, full, { cause: err }), lastSeq: Math.max(attempted, this.failure?.lastSeq ?? 0) };
    this.scheduleCommit();
    // What was acknowledged stays readable: applied again at once (once: a failure of that waits for the next write).
    if (this.logBehind && !this.reapplying) {
      this.reapplying = true;
      this.beginOrReport();
      this.reapplying = false;
    }
  }
}
