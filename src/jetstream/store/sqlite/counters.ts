// A stream file's counters: kept in memory, changed with each write, written to the stream row with
// each commit, and put back as they were when a transaction rolls back.

import type { StreamStoreState } from '../types.js';

export class StreamCounters {
  count = 0;
  bytes = 0;
  /** 0 for a never-written stream; last + 1 once emptied. */
  firstSeq = 0;
  firstTimeNs = 0n;
  lastSeq = 0;
  lastTimeNs = 0n;

  /** A message of `size` stored as `seq`. */
  added(seq: number, timeNs: bigint, size: number): void {
    this.lastSeq = seq;
    this.lastTimeNs = timeNs;
    if (this.count === 0) {
      this.firstSeq = seq;
      this.firstTimeNs = timeNs;
    }
    this.count++;
    this.bytes += size;
  }

  /** `seq` used for nothing: an empty stream's first sequence moves past it. */
  skipped(seq: number, timeNs: bigint): void {
    this.lastSeq = seq;
    this.lastTimeNs = timeNs;
    if (this.count === 0) {
      this.firstSeq = seq + 1;
      this.firstTimeNs = 0n;
    }
  }

  /** The counters the stream row holds (the first sequence is not among them: it is found in the table). */
  readRow(row: Record<string, unknown>): void {
    this.count = Number(row.msgs);
    this.bytes = Number(row.bytes);
    this.lastSeq = Number(row.last_seq);
    this.lastTimeNs = row.last_time_ns as bigint;
  }

  /** A copy, to restore() after a rollback. */
  snapshot(): StreamCounters {
    const s = new StreamCounters();
    s.restore(this);
    return s;
  }

  state(numSubjects: number): StreamStoreState {
    const empty = this.count === 0;
    return {
      msgs: this.count,
      bytes: this.bytes,
      firstSeq: this.firstSeq,
      firstTimeNs: empty ? 0n : this.firstTimeNs,
      lastSeq: this.lastSeq,
      lastTimeNs: this.lastTimeNs,
      numSubjects,
      numDeleted: empty ? 0 : this.lastSeq - this.firstSeq + 1 - this.count,
    };
  }

  restore(from: StreamCounters): void {
    this.count = from.count;
    this.bytes = from.bytes;
    this.firstSeq = from.firstSeq;
    this.firstTimeNs = from.firstTimeNs;
    this.lastSeq = from.lastSeq;
    this.lastTimeNs = from.lastTimeNs;
  }
}
