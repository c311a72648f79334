// The memory store: a stream held in a Map by sequence, for `storage: memory` streams. Nothing
// survives the process; a commit is immediate and its listeners are told at the end of the turn, or
// at a commit point once the turn has gathered many appends, as with the file store.

import type { StorageBudget } from '../budget.js';
import { systemClock } from '../clock.js';
import { copyConsumerState, emptyConsumerState, recordAck, recordDelivery } from '../consumer-state.js';
import { subjectFilter } from '../filter.js';
import type { SubjectFilter } from '../filter.js';
import { COMMIT_POINT_APPENDS } from '../commit-point.js';
import { discardNewRefusal, NO_LIMITS } from '../limits.js';
import { StoredTime } from '../stored-time.js';
import { AppendRefusal } from '../types.js';
import type { ConsumerState, PurgeRequest, StoreClock, StoredHeaders, StoredMsg, StoreLimits, StreamStore, StreamStoreState } from '../types.js';

export interface MemoryStoreOptions {
  clock?: StoreClock;
  limits?: StoreLimits;
  /** max_memory_store (or the account's limit), shared with the other memory streams. */
  budget?: StorageBudget;
}

interface MemMsg extends StoredMsg {
  /** On the stored-time scale (stored-time.ts). */
  storedMs: number;
  size: number;
}

interface SubjectInfo {
  msgs: number;
  /** No message of the subject is below this (it may itself be gone: found lazily). */
  first: number;
  last: number;
}

interface ConsumerRecord {
  configJson: string;
  createdNs: bigint;
  state: ConsumerState | null;
}

/** nats-server's memory store accounting. */
export function memStoreMsgSize(subject: string, hdr: Buffer | null, data: Buffer): number {
  return subject.length + (hdr === null ? 0 : hdr.length) + data.length + 16;
}

export class MemoryStore implements StreamStore {
  readonly kind = 'memory' as const;
  private readonly msgs = new Map<number, MemMsg>();
  private readonly subjects = new Map<string, SubjectInfo>();
  private readonly consumers = new Map<string, ConsumerRecord>();
  private readonly listeners: Array<(lastSeq: number, err: Error | null) => void> = [];
  private readonly clock: StoreClock;
  private readonly time: StoredTime;
  private readonly budget: StorageBudget | null;
  private limits: StoreLimits;
  private config: { json: string; createdNs: bigint } | null = null;
  private count = 0;
  private bytes = 0;
  private firstSeq = 0;
  private lastSeq = 0;
  private lastTimeNs = 0n;
  private notifyScheduled = false;
  /** Appends since the listeners last heard of a commit (see commit-point.ts). */
  private appendsSinceNotice = 0;
  private closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.time = new StoredTime(this.clock, null);
    this.budget = options.budget ?? null;
    this.limits = options.limits ?? NO_LIMITS;
  }

  append(subject: string, hdr: Buffer | null, data: Buffer, at?: bigint): number | { refused: AppendRefusal } {
    const rawLen = (hdr === null ? 0 : hdr.length) + data.length;
    const size = memStoreMsgSize(subject, hdr, data);
    const info = this.subjects.get(subject);
    const refusal = discardNewRefusal(this.limits, this.count, this.bytes, info === undefined ? 0 : info.msgs, rawLen, () => this.oldestOfSubject(subject)?.size ?? 0);
    if (refusal !== 0) return { refused: refusal };
    if (this.budget !== null && !this.budget.reserve(size)) return { refused: AppendRefusal.StorageFull };
    const seq = ++this.lastSeq;
    const timeNs = at ?? this.clock.wallNs();
    this.msgs.set(seq, { seq, subject, hdr: hdr === null ? null : Buffer.from(hdr), data: Buffer.from(data), timeNs, storedMs: this.time.nowMs(), size });
    if (this.count === 0) this.firstSeq = seq;
    this.count++;
    this.bytes += size;
    this.lastTimeNs = timeNs;
    if (info === undefined) this.subjects.set(subject, { msgs: 1, first: seq, last: seq });
    else {
      info.msgs++;
      info.last = seq;
    }
    this.enforceLimits(subject);
    this.appendsSinceNotice++;
    this.scheduleNotify();
    return seq;
  }

  skip(): number {
    const seq = ++this.lastSeq;
    this.lastTimeNs = this.clock.wallNs();
    if (this.count === 0) this.firstSeq = seq + 1;
    this.scheduleNotify();
    return seq;
  }

  commitPoint(): void {
    if (this.appendsSinceNotice >= COMMIT_POINT_APPENDS) this.notify();
  }

  onCommitted(listener: (lastSeq: number, err: Error | null) => void): void {
    this.listeners.push(listener);
  }

  load(seq: number): StoredMsg | null {
    return this.msgs.get(seq) ?? null;
  }

  loadNext(filter: string, seq: number): StoredMsg | null {
    const f = subjectFilter(filter);
    let from = Math.max(seq, this.firstSeq);
    let to = this.lastSeq;
    if (f.literal) {
      const info = this.subjects.get(filter);
      if (info === undefined) return null;
      from = Math.max(from, info.first);
      to = info.last;
    }
    for (let s = from; s <= to; s++) {
      const m = this.msgs.get(s);
      if (m !== undefined && f.matches(m.subject)) return m;
    }
    return null;
  }

  headersBetween(from: number, to: number): StoredHeaders[] {
    const out: StoredHeaders[] = [];
    for (let s = Math.max(from, this.firstSeq); s <= Math.min(to, this.lastSeq); s++) {
      const m = this.msgs.get(s);
      if (m !== undefined && m.hdr !== null) out.push({ seq: s, timeNs: m.timeNs, hdr: m.hdr });
    }
    return out;
  }

  loadLast(filter: string): StoredMsg | null {
    const f = subjectFilter(filter);
    if (f.all) {
      for (let s = this.lastSeq; s >= this.firstSeq && s > 0; s--) {
        const m = this.msgs.get(s);
        if (m !== undefined) return m;
      }
      return null;
    }
    let last = 0;
    for (const [subject, info] of this.subjects) if (info.last > last && f.matches(subject)) last = info.last;
    return last === 0 ? null : (this.msgs.get(last) ?? null);
  }

  lastSeqOfSubject(subject: string): number {
    return this.subjects.get(subject)?.last ?? 0;
  }

  remove(seq: number): boolean {
    const removed = this.removeMsg(seq);
    if (removed) this.scheduleNotify();
    return removed;
  }

  purge(req: PurgeRequest): number {
    const f = subjectFilter(req.filter ?? '');
    // nats-server treats a purge "below sequence 1" as no sequence bound.
    const below = req.seq !== undefined && req.seq > 1 ? req.seq : 0;
    const keep = req.keep ?? 0;
    if (f.all && below === 0 && keep === 0) return this.purgeAll();
    let maxRemove = Infinity;
    if (keep > 0) {
      const total = this.matchingCount(f);
      if (keep >= total) return 0;
      // Without a filter, keep purges below last - keep + 1, as nats-server's compaction does, which
      // keeps fewer than `keep` when some of the last ones were deleted.
      if (!f.all) maxRemove = total - keep;
    }
    let removed = 0;
    const end = f.all && keep > 0 ? this.lastSeq - keep + 1 : below > 0 ? below : this.lastSeq + 1;
    for (let s = this.firstSeq; s < end && removed < maxRemove && this.count > 0; s++) {
      const m = this.msgs.get(s);
      if (m !== undefined && f.matches(m.subject)) {
        this.removeMsg(s);
        removed++;
      }
    }
    if (removed > 0) this.scheduleNotify();
    return removed;
  }

  expire(): number {
    const maxAge = this.limits.maxAgeMs;
    if (maxAge <= 0) return -1;
    const now = this.time.nowMs();
    let expired = false;
    while (this.count > 0) {
      const first = this.msgs.get(this.firstSeq) as MemMsg;
      if (first.storedMs + maxAge > now) {
        if (expired) this.scheduleNotify();
        return first.storedMs + maxAge - now;
      }
      this.removeMsg(first.seq);
      expired = true;
    }
    if (expired) this.scheduleNotify();
    return -1;
  }

  state(): StreamStoreState {
    const numDeleted = this.count === 0 ? 0 : this.lastSeq - this.firstSeq + 1 - this.count;
    return {
      msgs: this.count,
      bytes: this.bytes,
      firstSeq: this.firstSeq,
      firstTimeNs: this.count === 0 ? 0n : (this.msgs.get(this.firstSeq) as MemMsg).timeNs,
      lastSeq: this.lastSeq,
      lastTimeNs: this.lastTimeNs,
      numSubjects: this.subjects.size,
      numDeleted,
    };
  }

  subjectsState(filter: string): Map<string, number> {
    const f = subjectFilter(filter);
    const out = new Map<string, number>();
    for (const [subject, info] of this.subjects) if (f.matches(subject)) out.set(subject, info.msgs);
    return out;
  }

  deletedSeqs(): number[] {
    const out: number[] = [];
    if (this.count === 0) return out;
    for (let s = this.firstSeq; s <= this.lastSeq; s++) if (!this.msgs.has(s)) out.push(s);
    return out;
  }

  numPending(filter: string, seq: number, lastPerSubject: boolean): number {
    const f = subjectFilter(filter);
    if (lastPerSubject) {
      let n = 0;
      for (const [subject, info] of this.subjects) if (info.last >= seq && f.matches(subject)) n++;
      return n;
    }
    if (seq <= this.firstSeq) return this.matchingCount(f);
    let n = 0;
    for (let s = seq; s <= this.lastSeq; s++) {
      const m = this.msgs.get(s);
      if (m !== undefined && f.matches(m.subject)) n++;
    }
    return n;
  }

  setLimits(limits: StoreLimits): void {
    this.limits = limits;
    if (limits.maxMsgsPerSubject > 0) for (const subject of [...this.subjects.keys()]) this.enforceSubjectLimit(subject);
    this.enforceLimits(null);
    this.scheduleNotify();
  }

  saveConfig(json: string, createdNs: bigint): void {
    this.config = { json, createdNs };
  }

  loadConfig(): { json: string; createdNs: bigint } | null {
    return this.config;
  }

  saveConsumer(name: string, configJson: string, createdNs: bigint): void {
    const known = this.consumers.get(name);
    this.consumers.set(name, { configJson, createdNs, state: known?.state ?? null });
  }

  saveConsumerState(name: string, state: ConsumerState): void {
    const c = this.consumers.get(name);
    if (c !== undefined) c.state = copyConsumerState(state);
  }

  consumerDelivered(name: string, streamSeq: number, consumerSeq: number, timeMs: number, deliveries: number): void {
    const c = this.consumers.get(name);
    if (c !== undefined) recordDelivery((c.state ??= emptyConsumerState()), streamSeq, consumerSeq, timeMs, deliveries);
  }

  consumerAcked(name: string, streamSeq: number, ackFloorStreamSeq: number, ackFloorConsumerSeq: number): void {
    const c = this.consumers.get(name);
    if (c !== undefined) recordAck((c.state ??= emptyConsumerState()), streamSeq, ackFloorStreamSeq, ackFloorConsumerSeq);
  }

  removeConsumer(name: string): void {
    this.consumers.delete(name);
  }

  commitThisTurn(): void {
    // Nothing waits: the memory store's state is current at once.
  }

  loadConsumers(): Array<{ name: string; configJson: string; createdNs: bigint; state: ConsumerState | null }> {
    return [...this.consumers].map(([name, c]) => ({ name, configJson: c.configJson, createdNs: c.createdNs, state: c.state === null ? null : copyConsumerState(c.state) }));
  }

  /** A memory stream is gone once closed: its bytes go back to the budget. */
  close(): void {
    if (this.closed) return;
    this.budget?.release(this.bytes);
    this.closed = true;
  }

  destroy(): void {
    this.close();
    this.msgs.clear();
    this.subjects.clear();
    this.consumers.clear();
    this.config = null;
  }

  private purgeAll(): number {
    const n = this.count;
    this.budget?.release(this.bytes);
    this.msgs.clear();
    this.subjects.clear();
    this.count = 0;
    this.bytes = 0;
    this.firstSeq = this.lastSeq + 1;
    if (n > 0) this.scheduleNotify();
    return n;
  }

  private matchingCount(f: SubjectFilter): number {
    if (f.all) return this.count;
    if (f.literal) return this.subjects.get(f.pattern)?.msgs ?? 0;
    let n = 0;
    for (const [subject, info] of this.subjects) if (f.matches(subject)) n += info.msgs;
    return n;
  }

  /** The per-subject limit for `subject` (null: none), then max_msgs and max_bytes from the front. */
  private enforceLimits(subject: string | null): void {
    if (subject !== null) this.enforceSubjectLimit(subject);
    const { maxMsgs, maxBytes } = this.limits;
    if (maxMsgs > 0) while (this.count > maxMsgs) this.removeMsg(this.firstSeq);
    if (maxBytes > 0) while (this.bytes > maxBytes && this.count > 0) this.removeMsg(this.firstSeq);
  }

  private enforceSubjectLimit(subject: string): void {
    const max = this.limits.maxMsgsPerSubject;
    if (max <= 0) return;
    for (let info = this.subjects.get(subject); info !== undefined && info.msgs > max; info = this.subjects.get(subject)) {
      this.removeMsg((this.oldestOfSubject(subject) as MemMsg).seq);
    }
  }

  private oldestOfSubject(subject: string): MemMsg | null {
    const info = this.subjects.get(subject);
    if (info === undefined) return null;
    for (let s = info.first; s <= info.last; s++) {
      const m = this.msgs.get(s);
      if (m !== undefined && m.subject === subject) {
        info.first = s;
        return m;
      }
    }
    return null;
  }

  private removeMsg(seq: number): boolean {
    const m = this.msgs.get(seq);
    if (m === undefined) return false;
    this.msgs.delete(seq);
    this.count--;
    this.bytes -= m.size;
    this.budget?.release(m.size);
    const info = this.subjects.get(m.subject) as SubjectInfo;
    if (--info.msgs === 0) this.subjects.delete(m.subject);
    else {
      if (seq === info.first) info.first = seq + 1;
      if (seq === info.last) info.last = this.prevOfSubject(m.subject, seq - 1, info.first);
    }
    if (this.count === 0) this.firstSeq = this.lastSeq + 1;
    else if (seq === this.firstSeq) while (!this.msgs.has(this.firstSeq)) this.firstSeq++;
    return true;
  }

  private prevOfSubject(subject: string, from: number, floor: number): number {
    for (let s = from; s >= floor; s--) if (this.msgs.get(s)?.subject === subject) return s;
    return floor;
  }

  private scheduleNotify(): void {
    if (this.notifyScheduled || this.closed) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      if (!this.closed) this.notify();
    });
  }

  private notify(): void {
    this.appendsSinceNotice = 0;
    for (const l of this.listeners) l(this.lastSeq, null);
  }
}
