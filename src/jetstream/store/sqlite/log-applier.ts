// Applying the append log to SQLite on the store's second thread (log-offload.ts).
//
// While a stream only receives appends, the event loop writes each turn's records to the append log
// and acks them; this reads the log behind it and inserts the records into the stream file through
// a connection of its own, committing every OFFLOAD_COMMIT_MS. It runs only while the event loop's
// connection leaves the file alone, so it owns the counters for that time: it reads them from the
// stream row when a phase begins and writes them back with each commit.
//
// The streams that get here have no limit that drops a message on an append (the store claims the
// file back before any drop), so each record becomes one row and one subject count.

import fs from 'node:fs';

import type { Database, Statement } from 'better-sqlite3';

import { StreamCounters } from './counters.js';
import { openDatabase } from './database.js';
import { InsertBatch } from './insert-batch.js';
import { LogRangeReader, rotatedLogName } from './append-log.js';
import type { LogRecordView } from './append-log.js';
import { Statements } from './statements.js';
import { SubjectTable } from './subjects.js';
import type { SubjectEntry } from './subjects.js';
import { WalSync } from './wal-sync.js';

/** How often a phase commits what it applied. */
export const OFFLOAD_COMMIT_MS = 100;
/**
 * How often a running phase looks for new records: a few hundred a look in a publish flood, read
 * and inserted together, rather than a wake and a read per turn of the event loop.
 */
export const OFFLOAD_NAP_MS = 2;

export class LogApplier {
  private readonly db: Database;
  private readonly st: Statements;
  private readonly batch: InsertBatch;
  private readonly subjects: SubjectTable;
  private readonly writeCounters: Statement;
  private readonly logFile: string;
  private logFd: number;
  /** The log's rotations seen (log-offload-protocol.ts). */
  private generation = 0;
  /** A rotated file applied, to remove once committed. */
  private rotatedApplied = false;
  private readonly wal: WalSync;
  private readonly c = new StreamCounters();
  /** The largest stored time applied: the stored-time checkpoint the commit leaves (stored-time.ts). */
  private storedMs = 0;
  /** Where the next record to read starts in the log. */
  private offset = 0;
  private inTxn = false;
  private readonly reader = new LogRangeReader();
  /**
   * The subject of the last record applied, its bytes and its entry: a flood to a few subjects finds
   * its entry without making a string a record. Forgotten at each commit (the table may drop its
   * cache then).
   */
  private lastSubject = Buffer.allocUnsafe(256);
  private lastSubjectLen = -1;
  private lastEntry: SubjectEntry | null = null;

  constructor(file: string, logFile: string) {
    this.db = openDatabase(file, false);
    try {
      // Appends touch the last pages of the table and its index: a quarter of the event loop's cache
      // is enough, and saved 7 MB of RSS with a 1M-message stream.
      this.db.pragma('cache_size = -2048');
      this.st = new Statements(this.db);
      this.batch = new InsertBatch(this.db);
      this.subjects = new SubjectTable(this.st, 0);
      // The checkpoint says nothing of this process's boot: a restart counts the wall clock's advance
      // since the commit, never less than 0, so stored time still never goes backwards.
      this.writeCounters = this.db.prepare(
        "UPDATE stream SET msgs = ?, bytes = ?, last_seq = ?, last_time_ns = ?, num_subjects = ?, clock_stored_ms = max(clock_stored_ms, ?), clock_wall_ms = ?, clock_mono_ms = 0, clock_boot_id = '' WHERE id = 1",
      );
      this.logFile = logFile;
      this.wal = new WalSync(file);
      this.logFd = fs.openSync(logFile, 'r');
    } catch (e) {
      this.db.close();
      throw e;
    }
  }

  /** Whether there is something to commit. */
  get pending(): boolean {
    return this.inTxn;
  }

  /**
   * A phase begins with the log's records from `from` on, its rotations counted from `generation`:
   * the file's state is read afresh, and the log's file opened again (it may be another by now).
   */
  begin(from: number, generation: number): void {
    this.reopenLog();
    this.generation = generation;
    const row = this.st.readStream.get() as Record<string, bigint>;
    this.c.readRow(row);
    this.storedMs = 0;
    this.subjects.reset(Number(row.num_subjects));
    this.lastEntry = null;
    this.offset = from;
  }

  /** Inserts the log's records up to `end` (a block boundary) into the open transaction. */
  applyTo(end: number): void {
    if (end <= this.offset) return;
    if (!this.inTxn) {
      this.st.begin.run();
      this.inTxn = true;
    }
    this.reader.read(this.logFd, this.offset, end, this.apply);
    this.offset = end;
  }

  /** The log was rotated: its records up to `rotatedEnd` applied from the old file, the new one read from its start. */
  rotated(rotatedEnd: number, generation: number): void {
    this.applyTo(rotatedEnd);
    this.reopenLog();
    this.offset = 0;
    this.generation = generation;
    this.rotatedApplied = true;
  }

  /** The log rotations this phase has followed. */
  get rotations(): number {
    return this.generation;
  }

  /**
   * After a commit: a rotated file whose records it holds is removed, once the WAL with them is on
   * disk (the file may have been synced at an interval: what it promised must not wait for the next).
   * True when it was.
   */
  removeRotated(): boolean {
    if (!this.rotatedApplied || this.inTxn) return false;
    this.wal.syncNow();
    fs.rmSync(rotatedLogName(this.logFile), { force: true });
    this.rotatedApplied = false;
    return true;
  }

  commit(): void {
    if (!this.inTxn) return;
    if (this.batch.pending) this.batch.flush();
    this.subjects.sync();
    this.writeCounters.run(this.c.count, this.c.bytes, this.c.lastSeq, this.c.lastTimeNs, this.subjects.live, this.storedMs, Date.now());
    this.st.commit.run();
    this.inTxn = false;
    this.lastEntry = null;
    this.subjects.committed();
  }

  /** After a failure: what the phase applied since its last commit is gone from the file. */
  rollback(): void {
    this.batch.discard();
    this.inTxn = false;
    this.lastEntry = null;
    if (this.db.inTransaction) this.st.rollback.run();
  }

  close(): void {
    fs.closeSync(this.logFd);
    this.wal.close();
    this.db.close();
  }

  private reopenLog(): void {
    fs.closeSync(this.logFd);
    this.logFd = fs.openSync(this.logFile, 'r');
  }

  private readonly apply = (r: LogRecordView): void => {
    // The limits record: nothing here drops a message (see the top of the file).
    if ((!r.isAppend && !r.isSkip) || r.seq <= this.c.lastSeq) return;
    if (r.isSkip) {
      this.c.skipped(r.seq, r.timeNs);
      return;
    }
    const e = this.entryOf(r);
    const size = r.storedSize;
    this.batch.insertFrom(r.seq, e.id, size, r.timeNs, r.storedMs, r.buf, r.hdrAt, r.hdrLen, r.buf, r.dataAt, r.dataLen);
    this.c.added(r.seq, r.timeNs, size);
    this.subjects.added(e, r.seq);
    if (r.storedMs > this.storedMs) this.storedMs = r.storedMs;
  };

  private entryOf(r: LogRecordView): SubjectEntry {
    const len = r.subjectLen;
    if (this.lastEntry !== null && len === this.lastSubjectLen && r.buf.compare(this.lastSubject, 0, len, r.subjectAt, r.subjectAt + len) === 0) return this.lastEntry;
    const subject = r.subject();
    const e = this.subjects.get(subject) ?? this.subjects.create(subject);
    if (this.lastSubject.length < len) this.lastSubject = Buffer.allocUnsafe(len);
    r.buf.copy(this.lastSubject, 0, r.subjectAt, r.subjectAt + len);
    this.lastSubjectLen = len;
    this.lastEntry = e;
    return e;
  }
}
