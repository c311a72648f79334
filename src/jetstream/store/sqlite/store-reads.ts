// The file store's reads: messages by sequence, by subject filter, in order through the read-ahead
// windows, and the counts the API reports. The store settles what it left for later (the per-subject
// limit) before each call.

import { subjectFilter } from '../filter.js';
import type { SubjectFilter } from '../filter.js';
import type { StoredHeaders, StoredMsg } from '../types.js';
import { READ_AHEAD_ROWS, ReadAhead, unpackRows } from './read-ahead.js';
import type { Statements, MsgRow } from './statements.js';
import type { StreamCounters } from './counters.js';
import type { SubjectTable } from './subjects.js';

/** Average stored message size (bytes) above which loadNext reads no rows ahead. */
const READ_AHEAD_MAX_AVERAGE = 8 * 1024;
/** A window reads ahead at most this many rows, and of larger messages at most this many bytes' worth. */
const READ_AHEAD_MAX_ROWS = 256;
const READ_AHEAD_MAX_BYTES = 256 * 1024;

/** What the reads see of the store. */
export interface StoreView {
  readonly counters: StreamCounters;
  /** The statements, with the queued appends in the table. */
  sql(): Statements;
  /** Subject counts into the subjects table, for the queries that aggregate it. */
  syncSubjects(): void;
}

export class StoreReads {
  readonly readAhead = new ReadAhead();
  private readonly view: StoreView;
  private readonly subjects: SubjectTable;

  constructor(view: StoreView, subjects: SubjectTable) {
    this.view = view;
    this.subjects = subjects;
  }

  load(seq: number): StoredMsg | null {
    return this.toMsg(this.view.sql().loadMsg.get(seq) as MsgRow | undefined);
  }

  headersBetween(from: number, to: number): StoredHeaders[] {
    return (this.view.sql().headersBetween.all(from, to) as Array<{ seq: bigint; time_ns: bigint; hdr: Buffer }>).map((r) => ({ seq: Number(r.seq), timeNs: r.time_ns, hdr: r.hdr }));
  }

  loadNext(filter: string, seq: number): StoredMsg | null {
    const f = subjectFilter(filter);
    const from = Math.max(seq, this.view.counters.firstSeq);
    if (f.all) return this.nextInOrder(from);
    if (f.literal) {
      const e = this.subjects.get(filter);
      return e === null || e.msgs === 0 ? null : this.toMsg(this.view.sql().nextMsgOfSubject.get(e.id, from) as MsgRow | undefined);
    }
    const m = this.subjects.matching(f);
    if (m.size === 0) return null;
    if (m.ids === null) return this.toMsg(this.view.sql().nextMsgOfSubjects.get(from, m.slot) as MsgRow | undefined);
    // A few subjects: one index seek each beats walking the stream past the others' messages.
    let next: MsgRow | undefined;
    for (const id of m.ids) {
      const row = this.view.sql().nextMsgOfSubject.get(id, from) as MsgRow | undefined;
      if (row !== undefined && (next === undefined || row.seq < next.seq)) next = row;
    }
    return this.toMsg(next);
  }

  loadLast(filter: string): StoredMsg | null {
    const f = subjectFilter(filter);
    if (f.all) return this.toMsg(this.view.sql().lastMsg.get() as MsgRow | undefined);
    if (f.literal) {
      const e = this.subjects.get(filter);
      return e === null || e.msgs === 0 ? null : this.load(e.lastSeq);
    }
    const m = this.subjects.matching(f);
    if (m.size === 0) return null;
    this.view.syncSubjects();
    const last = this.view.sql().maxLastOfSubjects.get(m.slot) as number;
    return last === 0 ? null : this.load(last);
  }

  lastSeqOfSubject(subject: string): number {
    const e = this.subjects.get(subject);
    return e === null || e.msgs === 0 ? 0 : e.lastSeq;
  }

  subjectsState(filter: string): Map<string, number> {
    const f = subjectFilter(filter);
    const out = new Map<string, number>();
    if (f.literal) {
      const e = this.subjects.get(filter);
      if (e !== null && e.msgs > 0) out.set(filter, e.msgs);
      return out;
    }
    this.view.syncSubjects();
    for (const row of this.view.sql().allSubjects.iterate() as Iterable<{ subject: Buffer; msgs: number }>) {
      const subject = row.subject.toString('latin1');
      if (row.msgs > 0 && f.matches(subject)) out.set(subject, row.msgs);
    }
    return out;
  }

  deletedSeqs(): number[] {
    const out: number[] = [];
    if (this.view.counters.count === 0) return out;
    let expected = this.view.counters.firstSeq;
    for (const seq of this.view.sql().seqsBetween.iterate(this.view.counters.firstSeq, this.view.counters.lastSeq) as Iterable<number>) {
      while (expected < seq) out.push(expected++);
      expected = seq + 1;
    }
    while (expected <= this.view.counters.lastSeq) out.push(expected++);
    return out;
  }

  numPending(filter: string, seq: number, lastPerSubject: boolean): number {
    const f = subjectFilter(filter);
    if (lastPerSubject) {
      if (f.literal) return this.lastSeqOfSubject(filter) >= Math.max(seq, 1) ? 1 : 0;
      this.view.syncSubjects();
      if (f.all) return this.view.sql().countAllSubjectsLastFrom.get(seq) as number;
      return this.view.sql().countSubjectsLastFrom.get(this.subjects.matching(f).slot, seq) as number;
    }
    if (this.view.counters.count === 0 || seq > this.view.counters.lastSeq) return 0;
    if (f.all) {
      if (seq <= this.view.counters.firstSeq) return this.view.counters.count;
      // Count the shorter side of `seq`.
      return seq - this.view.counters.firstSeq < this.view.counters.lastSeq - seq ? this.view.counters.count - (this.view.sql().countBelow.get(seq) as number) : (this.view.sql().countFrom.get(seq) as number);
    }
    const slot = this.filterSlot(f);
    if (slot === 0) return 0;
    if (seq <= this.view.counters.firstSeq) {
      this.view.syncSubjects();
      return this.view.sql().sumMsgsOfSubjects.get(slot) as number;
    }
    return this.view.sql().countOfSubjectsFrom.get(slot, seq) as number;
  }

  toMsg(row: MsgRow | undefined): StoredMsg | null {
    if (row === undefined) return null;
    return { seq: Number(row.seq), subject: this.subjects.byIdOf(Number(row.sid)).subject, hdr: row.hdr, data: row.data, timeNs: row.time_ns };
  }

  /** The first message at or after `from`, through the read-ahead windows. */
  private nextInOrder(from: number): StoredMsg | null {
    const kept = this.readAhead.next(from);
    if (kept !== undefined) return kept;
    // Windows of large messages would hold megabytes: those are read one at a time.
    const c = this.view.counters;
    const average = c.count === 0 ? 0 : c.bytes / c.count;
    const most = Math.min(READ_AHEAD_MAX_ROWS, Math.floor(READ_AHEAD_MAX_BYTES / Math.max(average, 1)));
    const ahead = average > READ_AHEAD_MAX_AVERAGE ? 0 : this.readAhead.aheadFor(from, Math.max(READ_AHEAD_ROWS, most));
    if (ahead > 0) {
      const [numbers, bytes] = this.view.sql().packedMsgs.get(from, ahead) as [string, Buffer | null];
      const msgs = unpackRows(numbers, bytes, this.subjectOf);
      if (msgs.length === 0) return null;
      this.readAhead.keep(msgs, ahead, c.lastSeq);
      return msgs[0];
    }
    const msg = this.toMsg(this.view.sql().nextMsg.get(from) as MsgRow | undefined);
    if (msg !== null) this.readAhead.keep([msg], 1, this.view.counters.lastSeq);
    return msg;
  }

  /** The filter's slot in filter_subjects, 0 when it matches no subject. */
  filterSlot(f: SubjectFilter): number {
    const m = this.subjects.matching(f);
    return m.size === 0 ? 0 : m.slot;
  }

  private readonly subjectOf = (sid: number): string => this.subjects.byIdOf(sid).subject;
}
