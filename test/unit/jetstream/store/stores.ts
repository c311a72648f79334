// The two stores behind one factory, so one table of expectations runs against both.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { TestContext } from 'node:test';

import { MemoryStore, memStoreMsgSize, NO_LIMITS, openSqliteStore, fileStoreMsgSize } from '../../../../src/jetstream/store/index.js';
import type { StorageBudget, StoreClock, StoreLimits, StreamStore } from '../../../../src/jetstream/store/index.js';
import { tempDir } from '../../../helpers/temp-dir.js';

export interface OpenOptions {
  limits?: Partial<StoreLimits>;
  clock?: StoreClock;
  budget?: StorageBudget;
}

export interface StoreKind {
  readonly name: 'memory' | 'sqlite' | 'sqlite, sync_interval 60s';
  open(t: TestContext, options?: OpenOptions): StreamStore;
  size(subject: string, hdr: Buffer | null, data: Buffer): number;
}

export function limits(partial: Partial<StoreLimits> = {}): StoreLimits {
  return { ...NO_LIMITS, ...partial };
}

export const STORE_KINDS: readonly StoreKind[] = [
  {
    name: 'memory',
    open: (t, o = {}) => {
      const store = new MemoryStore({ limits: limits(o.limits), clock: o.clock, budget: o.budget });
      t.after(() => store.close());
      return store;
    },
    size: memStoreMsgSize,
  },
  {
    name: 'sqlite',
    open: (t, o = {}) => {
      const dir = tempDir(t, 'leafgate-store-');
      const store = openSqliteStore({ dir: dir.dir, name: 'S', limits: limits(o.limits), clock: o.clock, budget: o.budget });
      t.after(() => store.close());
      return store;
    },
    size: fileStoreMsgSize,
  },
  {
    // Appends acked through the append log, committed later.
    name: 'sqlite, sync_interval 60s',
    open: (t, o = {}) => {
      const dir = tempDir(t, 'leafgate-store-');
      const store = openSqliteStore({ dir: dir.dir, name: 'S', sync: 60_000, limits: limits(o.limits), clock: o.clock, budget: o.budget });
      t.after(() => store.close());
      return store;
    },
    size: fileStoreMsgSize,
  },
];

/** Resolves after the current turn's group commit (its setImmediate ran first). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * What a store's commit listeners heard. With sync 'always' they hear a commit only once its WAL sync
 * is done, a thread-pool job later than the turn: `heardCount(n)` waits for that instead of a turn.
 */
export class CommitLog {
  readonly heard: Array<[number, Error | null]> = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(store: StreamStore) {
    store.onCommitted((seq, err) => {
      this.heard.push([seq, err]);
      this.waiters = this.waiters.filter((w) => (w.count <= this.heard.length ? (w.resolve(), false) : true));
    });
  }

  heardCount(count: number): Promise<void> {
    if (this.heard.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  get last(): [number, Error | null] {
    return this.heard[this.heard.length - 1];
  }
}

export function text(b: Buffer | null | undefined): string | null {
  return b === null || b === undefined ? null : b.toString('latin1');
}

/** Appends and insists it was stored. */
export function put(store: StreamStore, subject: string, data = 'x', hdr: string | null = null): number {
  const r = store.append(subject, hdr === null ? null : Buffer.from(hdr, 'latin1'), Buffer.from(data, 'latin1'));
  if (typeof r !== 'number') throw new Error(`append to ${subject} refused: ${r.refused}`);
  return r;
}

/** The sequences a store holds, in order, by walking loadNext. */
export function seqs(store: StreamStore, filter = ''): number[] {
  const out: number[] = [];
  for (let m = store.loadNext(filter, 0); m !== null; m = store.loadNext(filter, m.seq + 1)) out.push(m.seq);
  return out;
}

/** The store's files as a crash would leave them, copied to `to`; without the append log when `withLog` is false. */
export function crashCopy(file: string, to: string, withLog = true): string {
  // The logs first: the offload thread may commit a rotated log and remove it meanwhile, and the
  // WAL copied after has what it committed.
  for (const suffix of [...(withLog ? ['-appends.old', '-appends'] : []), '', '-wal']) {
    try {
      fs.copyFileSync(file + suffix, to + suffix);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return to;
}

export async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(done(), what);
}

export function assertSameMessages(copy: StreamStore, live: StreamStore, when: string): void {
  const a = copy.state();
  const b = live.state();
  assert.deepEqual(a, b, `${when}: state`);
  assert.deepEqual(seqs(copy), seqs(live), `${when}: sequences`);
  for (const seq of seqs(live)) {
    const m = copy.load(seq);
    const n = live.load(seq);
    assert.deepEqual([m?.subject, text(m?.hdr), m?.data.toString('hex'), m?.timeNs], [n?.subject, text(n?.hdr), n?.data.toString('hex'), n?.timeNs], `${when}: seq ${seq}`);
  }
  assert.deepEqual([...copy.subjectsState('>')].sort(), [...live.subjectsState('>')].sort(), `${when}: subjects`);
}
