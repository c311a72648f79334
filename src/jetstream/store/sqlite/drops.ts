// Dropping messages from a stream file: one by sequence, a subject's oldest (its limit), from the
// front (max_msgs, max_bytes, max_age, purges), keeping the counters, the subjects' counts and last
// sequences, the read-ahead and the storage budget right. The store calls these inside its
// transaction, and settle() after a group of drops.

import type { StorageBudget } from '../budget.js';
import type { StoreLimits } from '../types.js';
import type { StreamCounters } from './counters.js';
import type { ReadAhead } from './read-ahead.js';
import type { RowInfo, Statements } from './statements.js';
import type { SubjectEntry, SubjectTable } from './subjects.js';

/** Rows fetched per step when dropping messages from the front. */
export const FRONT_BATCH = 256;

export interface DropsHost {
  readonly counters: StreamCounters;
  readonly subjects: SubjectTable;
  readonly readAhead: ReadAhead;
  readonly budget: StorageBudget | null;
  /** The statements, with the queued appends in the table. */
  sql(): Statements;
  limits(): StoreLimits;
}

export class Drops {
  private readonly host: DropsHost;
  /** Subjects whose last sequence went away in the current group of drops. */
  private readonly lastGone = new Set<SubjectEntry>();

  constructor(host: DropsHost) {
    this.host = host;
  }

  /** A rolled-back group of drops. */
  clear(): void {
    this.lastGone.clear();
  }

  /** Every message (a purge without a filter or bound). */
  all(): void {
    const h = this.host;
    const c = h.counters;
    h.sql().deleteAllMsgs.run();
    h.readAhead.clear();
    h.sql().deleteAllSubjects.run();
    h.subjects.reset(0);
    h.budget?.release(c.bytes);
    c.count = 0;
    c.bytes = 0;
    c.firstSeq = c.lastSeq + 1;
    c.firstTimeNs = 0n;
  }

  /**
   * Every message below `bound` (a purge by sequence without a filter): counted per subject and
   * deleted in one statement each, not row by row, then settle(). A reader purging what it has read
   * (the uplink, every few acknowledgements) pays for two statements, not a round trip a message.
   * A subject keeps its last sequence: if that were below `bound`, none of its messages would be left.
   */
  below(bound: number): void {
    const h = this.host;
    const c = h.counters;
    const groups = h.sql().subjectCountsBelow.all(bound) as { sid: number; msgs: number; bytes: number }[];
    if (groups.length === 0) return;
    h.sql().deleteBelow.run(bound);
    h.readAhead.removedRange(c.firstSeq, bound - 1);
    let bytes = 0;
    for (const g of groups) {
      const e = h.subjects.byIdOf(g.sid);
      h.subjects.removed(e, g.msgs);
      c.count -= g.msgs;
      bytes += g.bytes;
    }
    c.bytes -= bytes;
    h.budget?.release(bytes);
    this.settle(c.firstSeq);
  }

  /** The messages below `bound` on the subjects of filter slot `slot` (a filtered purge), then settle(). */
  subjectsBelow(slot: number, bound: number): void {
    let first = this.host.counters.lastSeq + 1;
    for (;;) {
      const rows = this.host.sql().rowsOfSubjectsBelow.all(slot, bound, FRONT_BATCH) as RowInfo[];
      if (rows.length === 0) break;
      for (const r of rows) {
        this.row(r);
        if (r.seq < first) first = r.seq;
      }
    }
    this.settle(first);
  }

  /** The per-subject limit for `e` (null: none), then max_msgs and max_bytes from the front. */
  enforceLimits(e: SubjectEntry | null): void {
    if (e !== null) this.enforceSubjectLimit(e);
    const { maxMsgs, maxBytes } = this.host.limits();
    if (maxMsgs > 0 && this.host.counters.count > maxMsgs) {
      let excess = this.host.counters.count - maxMsgs;
      this.front(() => excess-- > 0, Math.min(excess, FRONT_BATCH));
    }
    // An append past max_bytes usually drops one or a few messages: fetch a few at a time.
    if (maxBytes > 0 && this.host.counters.bytes > maxBytes) this.front(() => this.host.counters.bytes > maxBytes, 8);
  }

  enforceSubjectLimit(e: SubjectEntry): void {
    const max = this.host.limits().maxMsgsPerSubject;
    if (max <= 0 || e.msgs <= max) return;
    let first = Infinity;
    while (e.msgs > max) {
      const gone = this.host.sql().deleteOldestOfSubject.get(e.id) as RowInfo;
      this.dropped(gone);
      if (gone.seq < first) first = gone.seq;
    }
    this.settle(first);
  }

  /** Drops messages from the front while `drop` says so (it sees them oldest first). */
  front(drop: (r: RowInfo) => boolean, batch: number = FRONT_BATCH): void {
    const start = this.host.counters.firstSeq;
    let from = start;
    outer: for (;;) {
      const rows = this.host.sql().frontRows.all(from, batch) as RowInfo[];
      if (rows.length === 0) break;
      for (const r of rows) {
        if (!drop(r)) break outer;
        this.row(r);
      }
      from = rows[rows.length - 1].seq + 1;
    }
    this.settle(start);
  }

  /** Deletes one message and its share of the counters; settle() finishes the job. */
  row(r: RowInfo): void {
    this.host.sql().deleteMsg.run(r.seq);
    this.dropped(r);
  }

  /** The counters' side of row(), for a row already deleted. */
  dropped(r: RowInfo): void {
    this.host.readAhead.removed(r.seq);
    this.host.counters.count--;
    this.host.counters.bytes -= r.size;
    this.host.budget?.release(r.size);
    const e = this.host.subjects.byIdOf(r.sid);
    this.host.subjects.removed(e);
    if (e.msgs > 0 && e.lastSeq === r.seq) this.lastGone.add(e);
  }

  /** After removals of which the lowest was `lowest`: the first sequence and subjects' last sequences. */
  settle(lowest: number): void {
    for (const e of this.lastGone) if (e.msgs > 0) e.lastSeq = this.host.sql().lastSeqOfSubject.get(e.id) as number;
    this.lastGone.clear();
    if (lowest <= this.host.counters.firstSeq || this.host.counters.count === 0) this.refreshFirst(this.host.counters.firstSeq);
  }

  refreshFirst(from: number): void {
    const row = this.host.counters.count === 0 ? undefined : (this.host.sql().firstSeqTime.get(from) as { seq: bigint; time_ns: bigint } | undefined);
    if (row === undefined) {
      this.host.counters.firstSeq = this.host.counters.lastSeq === 0 ? 0 : this.host.counters.lastSeq + 1;
      this.host.counters.firstTimeNs = 0n;
    } else {
      this.host.counters.firstSeq = Number(row.seq);
      this.host.counters.firstTimeNs = row.time_ns;
    }
  }
}
