// The subjects table and its cache. Each subject has a row with its message count and last sequence;
// the counts change with every append, so the cache holds the truth for subjects touched in the
// open transaction ("dirty") and writes them once at commit, however many appends a subject had.
// Between commits the cache is only a read cache, dropped whole when it grows past its bound: memory
// stays bounded whatever the number of subjects.

import type { SubjectFilter } from '../filter.js';
import type { Statements } from './statements.js';

export interface SubjectEntry {
  readonly id: number;
  readonly subject: string;
  msgs: number;
  lastSeq: number;
  dirty: boolean;
}

/**
 * The subjects a filter matches, kept up to date as subjects come and go: in the temp table
 * filter_subjects under `slot` for the queries, and in `ids` too while they are few.
 */
export interface FilterSubjects {
  readonly filter: SubjectFilter;
  readonly slot: number;
  size: number;
  /** The matching ids while there are at most SMALL_FILTER of them, else null. */
  ids: Set<number> | null;
}

const CACHE_MAX = 4096;
const FILTERS_MAX = 64;
const SMALL_FILTER = 64;

export class SubjectTable {
  /** Subjects with at least one message. */
  live = 0;
  private readonly st: Statements;
  private readonly byName = new Map<string, SubjectEntry>();
  private readonly byId = new Map<number, SubjectEntry>();
  private readonly dirty: SubjectEntry[] = [];
  private readonly filters = new Map<string, FilterSubjects>();
  private nextSlot = 1;

  constructor(st: Statements, live: number) {
    this.st = st;
    this.live = live;
  }

  /** The subject's entry (msgs may be 0 until the commit deletes it), or null. */
  get(subject: string): SubjectEntry | null {
    const cached = this.byName.get(subject);
    if (cached !== undefined) return cached;
    const row = this.st.subjectByName.get(Buffer.from(subject, 'latin1')) as { id: number; msgs: number; last_seq: number } | undefined;
    return row === undefined ? null : this.remember({ id: row.id, subject, msgs: row.msgs, lastSeq: row.last_seq, dirty: false });
  }

  byIdOf(id: number): SubjectEntry {
    const cached = this.byId.get(id);
    if (cached !== undefined) return cached;
    const row = this.st.subjectById.get(id) as { subject: Buffer; msgs: number; last_seq: number } | undefined;
    if (row === undefined) throw new Error(`store: message refers to unknown subject id ${id}`);
    return this.remember({ id, subject: row.subject.toString('latin1'), msgs: row.msgs, lastSeq: row.last_seq, dirty: false });
  }

  /** Inserts a subject not in the table (inside the open transaction). */
  create(subject: string): SubjectEntry {
    const id = Number(this.st.insertSubject.run(Buffer.from(subject, 'latin1')).lastInsertRowid);
    const e = this.remember({ id, subject, msgs: 0, lastSeq: 0, dirty: false });
    for (const m of this.filters.values()) if (m.filter.matches(subject)) this.addToFilter(m, id);
    return e;
  }

  added(e: SubjectEntry, seq: number): void {
    if (e.msgs++ === 0) this.live++;
    e.lastSeq = seq;
    this.markDirty(e);
  }

  /** `n` of the subject's messages went. */
  removed(e: SubjectEntry, n = 1): void {
    e.msgs -= n;
    if (e.msgs === 0) this.live--;
    this.markDirty(e);
  }

  markDirty(e: SubjectEntry): void {
    if (e.dirty) return;
    e.dirty = true;
    this.dirty.push(e);
  }

  /** Writes the dirty entries (inside the open transaction); subjects left without messages are deleted. */
  sync(): void {
    for (const e of this.dirty) {
      if (e.msgs === 0) {
        this.st.deleteSubject.run(e.id);
        this.forget(e);
      } else this.st.updateSubject.run(e.msgs, e.lastSeq, e.id);
      e.dirty = false;
    }
    this.dirty.length = 0;
  }

  /** After a commit: nothing is dirty, the cache may be dropped. */
  committed(): void {
    if (this.byName.size > CACHE_MAX) {
      this.byName.clear();
      this.byId.clear();
    }
  }

  /** After a rollback or a purge of everything: the table is the truth again. */
  reset(live: number): void {
    this.live = live;
    for (const e of this.dirty) e.dirty = false;
    this.dirty.length = 0;
    this.byName.clear();
    this.byId.clear();
    this.filters.clear();
    this.st.dropFilterSlots.run();
  }

  /** The subjects a filter (literal or wildcard, not "all") matches. */
  matching(filter: SubjectFilter): FilterSubjects {
    const known = this.filters.get(filter.pattern);
    if (known !== undefined) return known;
    if (this.filters.size >= FILTERS_MAX) {
      const [pattern, oldest] = this.filters.entries().next().value as [string, FilterSubjects];
      this.filters.delete(pattern);
      this.st.dropFilterSlot.run(oldest.slot);
    }
    const m: FilterSubjects = { filter, slot: this.nextSlot++, size: 0, ids: new Set() };
    if (filter.literal) {
      const e = this.get(filter.pattern);
      if (e !== null) this.addToFilter(m, e.id);
    } else {
      const ids: number[] = [];
      for (const row of this.st.allSubjects.iterate() as Iterable<{ id: number; subject: Buffer }>) {
        if (filter.matches(row.subject.toString('latin1'))) ids.push(row.id);
      }
      for (const id of ids) this.addToFilter(m, id);
    }
    this.filters.set(filter.pattern, m);
    return m;
  }

  private addToFilter(m: FilterSubjects, id: number): void {
    this.st.addFilterSubject.run(m.slot, id);
    m.size++;
    if (m.ids !== null) {
      m.ids.add(id);
      if (m.ids.size > SMALL_FILTER) m.ids = null;
    }
  }

  private remember(e: SubjectEntry): SubjectEntry {
    this.byName.set(e.subject, e);
    this.byId.set(e.id, e);
    return e;
  }

  private forget(e: SubjectEntry): void {
    this.byName.delete(e.subject);
    this.byId.delete(e.id);
    let matched = false;
    for (const m of this.filters.values()) {
      if (!m.filter.matches(e.subject)) continue;
      m.size--;
      m.ids?.delete(e.id);
      matched = true;
    }
    if (matched) this.st.dropFilterSubject.run(e.id);
  }
}
