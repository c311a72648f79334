// The file store with sync_interval a duration, while a stream only receives appends: its thread
// applies the append log to SQLite (log-offload.ts) and any other call claims the file back. A crash
// is simulated as in append-log-store.test.ts, by copying the files while the store is open.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';

import { openSqliteStore } from '../../../../src/jetstream/store/index.js';
import type { SqliteStore, StoreLimits, StreamStore } from '../../../../src/jetstream/store/index.js';
import { smallDiskFor } from '../../../helpers/small-disk.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { prng, randomBytes } from '../../core/prng.js';
import { assertSameMessages, CommitLog, crashCopy, limits, nextTurn, put, text, until } from './stores.js';

const SYNC = 60_000;
/** Longer than the store's LOG_COMMIT_MS and the thread's OFFLOAD_COMMIT_MS. */
const PERIOD_MS = 130;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function open(t: TestContext, file: string, partial: Partial<StoreLimits> = {}): SqliteStore {
  const store = openSqliteStore({ file, sync: SYNC, limits: limits(partial) });
  t.after(() => store.close());
  return store;
}

/**
 * Appends in turns until the store hands its file over (two log commits with nothing but appends);
 * the same appends go to `reference` if given.
 */
async function offload(store: SqliteStore, reference: StreamStore | null = null): Promise<void> {
  for (let i = 0; i < 4 && !store.offloading; i++) {
    const data = Buffer.from(`warm-up ${i}`);
    const seq = store.append('w', null, data, BigInt(i));
    if (reference !== null) assert.equal(reference.append('w', null, data, BigInt(i)), seq);
    await nextTurn();
    await sleep(PERIOD_MS);
  }
  assert.ok(store.offloading, 'the store handed its file to the thread');
}

test('appends while the thread has the file are acked, committed by the thread, and all there once a read claims it back', async (t) => {
  const dir = tempDir(t);
  const file = dir.path('S.db');
  const store = open(t, file);
  const log = new CommitLog(store);
  await offload(store);
  store.state();
  assert.equal(store.offloading, false, 'a read claims the file back');
  await offload(store);
  const first = log.last[0] + 1;
  for (let turn = 0; turn < 5; turn++) {
    for (let i = 0; i < 20; i++) put(store, `s.${i % 4}`, `t${turn}m${i}`, i % 3 === 0 ? `NATS/1.0\r\nT: ${turn}\r\n\r\n` : null);
    await nextTurn();
  }
  const last = first + 99;
  assert.equal(log.last[0], last, 'acked at the end of each turn');
  assert.ok(store.offloading, 'appends leave the file with the thread');
  await sleep(PERIOD_MS);
  // Nothing but the thread committed them: a copy without the append log has them.
  const committed = open(t, crashCopy(file, dir.path('committed.db'), false));
  assert.equal(committed.state().lastSeq, last);
  assert.equal(text(committed.load(last)?.data), 't4m19');

  const state = store.state();
  assert.equal(store.offloading, false);
  assert.equal(state.lastSeq, last);
  assert.equal(state.numSubjects, 5, 'w and s.0 to s.3');
  assert.equal(text(store.load(first)?.hdr), 'NATS/1.0\r\nT: 0\r\n\r\n');
  assert.deepEqual([...store.subjectsState('s.*')].sort(), [['s.0', 25], ['s.1', 25], ['s.2', 25], ['s.3', 25]]);
  assertSameMessages(committed, store, 'claimed back');
  // The store goes on as before: a removal, more appends, a reopen.
  assert.equal(store.remove(first), true);
  const next = put(store, 's.0', 'after');
  await nextTurn();
  store.close();
  const again = open(t, file);
  assert.equal(again.state().lastSeq, next);
  assert.equal(again.load(first), null);
  assert.equal(text(again.load(next)?.data), 'after');
});

test('a crash while the thread has the file loses nothing acked (the restart replays the log past what the thread committed)', async (t) => {
  const dir = tempDir(t);
  const file = dir.path('S.db');
  const store = open(t, file);
  const log = new CommitLog(store);
  await offload(store);
  for (let round = 0; round < 6; round++) {
    for (let turn = 0; turn < 3; turn++) {
      for (let i = 0; i < 30; i++) put(store, `r.${round}.${i % 5}`, `${round}.${turn}.${i}`);
      await nextTurn();
    }
    if (round % 2 === 1) await sleep(PERIOD_MS);
    const acked = log.last[0];
    const copy = open(t, crashCopy(file, dir.path(`copy-${round}.db`)));
    assert.ok(store.offloading, `round ${round}: still offloaded`);
    assert.equal(copy.state().lastSeq, acked, `round ${round}: every acked append`);
    assert.equal(text(copy.load(acked)?.data), `${round}.2.29`);
  }
  const copy = open(t, crashCopy(file, dir.path('last.db')));
  assertSameMessages(copy, store, 'after claiming back');
});

test('the log is rotated as it grows while the thread has the file; the thread finishes and removes the old one; a crash meanwhile loses nothing', async (t) => {
  const dir = tempDir(t);
  const file = dir.path('S.db');
  const store = open(t, file);
  const log = new CommitLog(store);
  await offload(store);
  // The thread has started and opened the log (a rotation waits for that).
  await sleep(PERIOD_MS);
  const big = Buffer.alloc(1024 * 1024, 7);
  let sawRotated = 0;
  for (let i = 0; i < 20; i++) {
    big[0] = i;
    store.append('big', null, big);
    await nextTurn();
    await sleep(5);
    if (fs.existsSync(`${file}-appends.old`)) {
      const copy = open(t, crashCopy(file, dir.path(`rotating-${sawRotated++}.db`)));
      assert.equal(copy.state().lastSeq, log.last[0], `turn ${i}: every acked append`);
      assert.equal(copy.load(log.last[0])?.data[0], i);
    }
  }
  assert.ok(sawRotated > 0, 'the log was rotated');
  assert.ok(store.offloading, 'still offloaded after the rotations');
  assert.ok(fs.statSync(`${file}-appends`).size < 9 * 1024 * 1024, 'the log stays near its bound');
  await until('the thread removes the rotated file', () => !fs.existsSync(`${file}-appends.old`));
  const copy = open(t, crashCopy(file, dir.path('copy.db')));
  assertSameMessages(copy, store, 'after the rotations');
});

for (const [name, partial] of [
  ['no limits', {}],
  ['max_msgs 900', { maxMsgs: 900 }],
  ['max_bytes 90000', { maxBytes: 90_000 }],
] as const) {
  test(`${name}: appends, reads, removals and purges with the thread taking the file and giving it back agree with the store that never hands it over`, async (t) => {
    const dir = tempDir(t);
    const file = dir.path('S.db');
    const store = open(t, file, partial);
    // The same store at sync_interval 'always', which never hands its file over, is the reference.
    const reference = openSqliteStore({ file: dir.path('always.db'), limits: limits(partial) });
    t.after(() => reference.close());
    const rnd = prng(21);
    await offload(store, reference);
    let offloaded = 0;
    for (let turn = 0; turn < 80; turn++) {
      const n = 1 + Math.floor(rnd() * 50);
      for (let i = 0; i < n; i++) {
        if (rnd() < 0.03) {
          assert.equal(store.skip(), reference.skip());
          continue;
        }
        const subject = `d.${Math.floor(rnd() * 8)}`;
        const hdr = rnd() < 0.3 ? Buffer.from(`NATS/1.0\r\nI: ${turn}.${i}\r\n\r\n`) : null;
        const data = randomBytes(rnd, Math.floor(rnd() * 100));
        assert.deepEqual(store.append(subject, hdr, data, 1_000_000n * BigInt(turn * 100 + i)), reference.append(subject, hdr, data, 1_000_000n * BigInt(turn * 100 + i)));
      }
      // Mostly turns of appends alone, so that the thread gets the file between the other calls.
      const r = rnd() * 2;
      if (r < 0.08) {
        const seq = 1 + Math.floor(rnd() * reference.state().lastSeq);
        assert.equal(store.remove(seq), reference.remove(seq), `remove ${seq}`);
      } else if (r < 0.12) {
        const req = { filter: `d.${Math.floor(rnd() * 8)}`, keep: Math.floor(rnd() * 5) };
        assert.equal(store.purge(req), reference.purge(req), `purge ${JSON.stringify(req)}`);
      } else if (r < 0.2) {
        const seq = 1 + Math.floor(rnd() * reference.state().lastSeq);
        assert.equal(store.loadNext('d.3', seq)?.seq, reference.loadNext('d.3', seq)?.seq, `loadNext ${seq}`);
      }
      await nextTurn();
      if (store.offloading) offloaded++;
      if (turn % 6 === 5) await sleep(PERIOD_MS);
    }
    assert.ok(offloaded > 0, 'the thread had the file at some point');
    assertSameMessages(store, reference, 'live');
    store.close();
    assertSameMessages(open(t, file, partial), reference, 'reopened');
  });
}

for (const [name, partial] of [
  ['max_msgs 100', { maxMsgs: 100 }],
  ['max_bytes 4000', { maxBytes: 4000 }],
] as const) {
  test(`${name}: the first append the limit drops for claims the file back, and drops as a store that never hands it over`, async (t) => {
    const dir = tempDir(t);
    const store = open(t, dir.path('S.db'), partial);
    const reference = openSqliteStore({ file: dir.path('always.db'), limits: limits(partial) });
    t.after(() => reference.close());
    await offload(store, reference);
    let claimed = false;
    for (let turn = 0; turn < 15; turn++) {
      for (let i = 0; i < 10; i++) {
        const data = Buffer.from(`${turn}.${i}`);
        const at = BigInt(turn * 10 + i);
        assert.equal(store.append(`l.${i % 3}`, null, data, at), reference.append(`l.${i % 3}`, null, data, at));
      }
      await nextTurn();
      claimed ||= !store.offloading;
    }
    assert.ok(claimed, 'the limit claimed the file back');
    assertSameMessages(store, reference, 'live');
    store.close();
    assertSameMessages(open(t, dir.path('S.db'), partial), reference, 'reopened');
  });
}

test('a full disk while the thread has the file: what was acked stays readable and survives reopening; writes resume with space', async (t) => {
  const disk = smallDiskFor(t, '1m');
  if (disk === null) return;
  const file = path.join(disk.dir, 'S.db');
  const store = disk.keep(openSqliteStore({ file, sync: SYNC }));
  const log = new CommitLog(store);
  await offload(store);
  fs.writeFileSync(path.join(disk.dir, 'filler'), Buffer.alloc(600 * 1024));
  let acked = 0;
  let failed = false;
  for (let turn = 0; turn < 200 && !failed; turn++) {
    for (let i = 0; i < 8; i++) if (typeof store.append('bulk', null, Buffer.alloc(4096, turn % 256)) !== 'number') break;
    await log.heardCount(log.heard.length + 1);
    // The thread's commit may be what fails: give it the time.
    if (turn % 10 === 9) await sleep(PERIOD_MS);
    for (const [seq, err] of log.heard) {
      if (err === null) acked = Math.max(acked, seq);
      else failed = true;
    }
  }
  assert.ok(failed, 'the disk never filled');
  assert.ok(acked > 0);
  const readable = (s: SqliteStore, seq: number): boolean => s.load(seq)?.data.length === 4096;
  assert.ok(store.state().lastSeq >= acked);
  for (let seq = 5; seq <= acked; seq++) assert.ok(readable(store, seq), `seq ${seq}`);

  fs.rmSync(path.join(disk.dir, 'filler'));
  const seq = put(store, 'after', 'space is back');
  await until('the write after is heard', () => log.last[0] === seq && log.last[1] === null);
  store.close();
  const again = disk.keep(openSqliteStore({ file, sync: SYNC }));
  assert.equal(again.state().lastSeq, seq);
  for (let s = 5; s <= acked; s++) assert.ok(readable(again, s), `reopened: seq ${s}`);
  assert.equal(text(again.load(seq)?.data), 'space is back');
});
