// The store's side of the offload thread (log-offload.ts): when a stream file hands its file to the
// thread, what an append does meanwhile, and how the file is claimed back.
//
// While the phase runs, an append goes into the append log and the counters only; the turn's
// appends are written to the log and acked at its end (or at a commit point), and the thread reads
// them from there. Any other call claims the file back first (sqlite-store.ts).

import type { StorageBudget } from '../budget.js';
import { StoreWriteError } from '../errors.js';
import type { StoreLimits } from '../types.js';
import type { AppendLog } from './append-log.js';
import type { StreamCounters } from './counters.js';
import { LogOffload } from './log-offload.js';
import type { ReadAhead } from './read-ahead.js';
import { fileStoreMsgSize } from './store-file.js';
import type { SubjectTable } from './subjects.js';

/** What the phase needs of its store. */
export interface OffloadHost {
  readonly file: string;
  readonly counters: StreamCounters;
  readonly log: AppendLog;
  readonly budget: StorageBudget | null;
  readonly subjects: SubjectTable;
  readonly readAhead: ReadAhead;
  limits(): StoreLimits;
  /** The log, with the limits it is stored under at its start. */
  logged(): AppendLog;
  storedNowMs(): number;
  wallNs(): bigint;
  /** The end of the turn runs the store's commitTurn(). */
  scheduleCommit(): void;
  /** Appends up to `lastSeq` are durable: their publishers hear it. */
  ack(lastSeq: number): void;
  /** Appends up to `attempted` failed: reported at the end of the turn. */
  fail(err: StoreWriteError, attempted: number): void;
  /** No failure waits to be reported, nothing waits to be applied again, no transaction is open. */
  settled(): boolean;
  /** The stream row as the file has it. */
  streamRow(): Record<string, bigint>;
  /** The first sequence found again in the table. */
  refreshFirst(): void;
  /** The next transaction applies again what the log holds past the file. */
  applyLogAgain(): void;
  /** Everything the log holds is committed: the log starts again empty. */
  emptyLog(): void;
}

/**
 * The append log's bound: with the event loop's transaction, the log commits at the end of the turn
 * past it; while the thread has the file, it is rotated (and emptied after a claim at twice this).
 */
export const LOG_MAX_BYTES = 8 * 1024 * 1024;

export class OffloadPhase {
  private readonly host: OffloadHost;
  private readonly offload: LogOffload;
  /** Appends since the last log write. */
  private unwritten = 0;

  constructor(host: OffloadHost, file: string, logFile: string) {
    this.host = host;
    this.offload = new LogOffload(file, logFile);
  }

  /** The thread has the file. */
  get active(): boolean {
    return this.offload.active;
  }

  /** Appends since the last log write, which a commit point may write. */
  get pending(): number {
    return this.unwritten;
  }

  /**
   * Hands the file to the thread (after a commit, with nothing but appends since the one before),
   * if no append could need it. A limit that drops messages claims it back before its first drop; a
   * stream past half its max_msgs or max_bytes stays with the event loop, as do those with max_age
   * or a per-subject limit (every append, or every expiry, would claim it).
   */
  start(): void {
    const h = this.host;
    if (this.offload.active || !h.settled()) return;
    const { maxMsgs, maxBytes, maxAgeMs, maxMsgsPerSubject, discard } = h.limits();
    if (maxAgeMs > 0 || maxMsgsPerSubject > 0 || discard !== 'old') return;
    if ((maxMsgs > 0 && h.counters.count >= maxMsgs / 2) || (maxBytes > 0 && h.counters.bytes >= maxBytes / 2)) return;
    this.offload.start(h.log.size);
  }

  /** An append into the log and the counters; 0 when it needs the file (a drop, a full budget, a failed phase): claimed back first. */
  append(subject: string, hdr: Buffer | null, data: Buffer, at: bigint | undefined): number {
    const h = this.host;
    const c = h.counters;
    const size = fileStoreMsgSize(subject, hdr, data);
    const { maxMsgs, maxBytes } = h.limits();
    const drops = (maxMsgs > 0 && c.count >= maxMsgs) || (maxBytes > 0 && c.bytes + size > maxBytes);
    if (drops || this.offload.failed || (h.budget !== null && !h.budget.reserve(size))) {
      this.claim();
      return 0;
    }
    const seq = c.lastSeq + 1;
    const timeNs = at ?? h.wallNs();
    h.logged().append(seq, timeNs, h.storedNowMs(), subject, hdr, data);
    c.added(seq, timeNs, size);
    this.unwritten++;
    h.scheduleCommit();
    return seq;
  }

  skip(): number {
    const h = this.host;
    const seq = h.counters.lastSeq + 1;
    const timeNs = h.wallNs();
    h.logged().skip(seq, timeNs);
    h.counters.skipped(seq, timeNs);
    this.unwritten++;
    h.scheduleCommit();
    return seq;
  }

  /**
   * The end of a turn (or a commit point): the appends are written to the log and acked. A log grown
   * to LOG_MAX_BYTES is rotated (append-log.ts) without waiting for the thread, once the thread has
   * the log open and has finished the last rotated file; one grown to twice that (the thread cannot
   * keep up) is emptied after claiming the file back, and the file handed over again.
   */
  finishTurn(): void {
    const h = this.host;
    const log = h.log;
    if (log.rotating && this.offload.rotatedDone) log.dropRotated();
    if (this.offload.failed || log.size >= 2 * LOG_MAX_BYTES) {
      // claim() acks the turn's appends, or reports their failure.
      this.claim();
      if (!h.settled()) return;
      h.emptyLog();
      this.start();
      return;
    }
    if (this.unwritten === 0) return;
    const err = this.write();
    if (err !== null) {
      this.claim(err);
      return;
    }
    this.unwritten = 0;
    h.ack(h.counters.lastSeq);
    if (log.size >= LOG_MAX_BYTES && !log.rotating && this.offload.begun) this.rotate(log);
  }

  /**
   * Takes the file back: the turn's appends written to the log, the phase ended once the thread has
   * committed all of it, and the counters read from the file. The turn's appends are acked here. What
   * the file lacks (the thread failed, or the log write did: `writeErr`) is reported as the turn's
   * failure; what of it the log holds is applied again.
   */
  claim(writeErr: unknown = null): void {
    if (!this.offload.active) return;
    const h = this.host;
    const attempted = h.counters.lastSeq;
    const err = writeErr ?? this.write();
    const failure = this.offload.release();
    if (h.log.rotating && this.offload.rotatedDone) h.log.dropRotated();
    this.reload();
    if (err === null && failure === null) {
      if (this.unwritten > 0) h.ack(h.counters.lastSeq);
    } else {
      const code = (err as { code?: unknown } | null)?.code;
      const full = err === null ? failure === 'full' : code === 'ENOSPC' || code === 'EDQUOT';
      const cause = err ?? new Error(`the append log applier thread could not commit (${failure ?? 'other'})`);
      h.fail(new StoreWriteError(h.file, full, { cause }), attempted);
    }
    this.unwritten = 0;
  }

  close(): void {
    this.offload.close();
  }

  /** After the phase: the counters and subjects as the file has them; what the log holds past them is applied again. */
  private reload(): void {
    const h = this.host;
    const c = h.counters;
    const row = h.streamRow();
    h.subjects.reset(Number(row.num_subjects));
    h.readAhead.clear();
    if (Number(row.last_seq) === c.lastSeq) return;
    const bytes = c.bytes;
    c.readRow(row);
    if (bytes > c.bytes) h.budget?.release(bytes - c.bytes);
    else h.budget?.charge(c.bytes - bytes);
    h.refreshFirst();
    h.applyLogAgain();
  }

  private rotate(log: AppendLog): void {
    const end = log.size;
    try {
      log.rotate();
    } catch {
      // Kept as it is: at twice its bound the file is claimed back and the log emptied instead.
      return;
    }
    this.offload.rotated(end);
  }

  /** Writes the turn's appends to the log and tells the thread; the error if the write failed. */
  private write(): unknown {
    if (this.unwritten === 0) return null;
    const log = this.host.log;
    try {
      log.write();
    } catch (err) {
      return err;
    }
    this.offload.published(log.size);
    return null;
  }
}
