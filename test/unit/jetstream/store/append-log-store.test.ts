// The file store with sync_interval a duration: a turn of appends is acked once the append log has
// it, SQLite commits later. A crash is simulated by copying the store's files while it is open (what
// kill -9 would leave on disk): the copy must hold everything the listeners heard.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';

import { AppendRefusal, openSqliteStore } from '../../../../src/jetstream/store/index.js';
import type { SqliteStore, StoreLimits } from '../../../../src/jetstream/store/index.js';
import { smallDiskFor } from '../../../helpers/small-disk.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { prng, randomBytes } from '../../core/prng.js';
import { assertSameMessages, CommitLog, crashCopy, limits, nextTurn, put, seqs, text, until } from './stores.js';

const SYNC = 60_000;

function open(t: TestContext, file: string, partial: Partial<StoreLimits> = {}): SqliteStore {
  const store = openSqliteStore({ file, sync: SYNC, limits: limits(partial) });
  t.after(() => store.close());
  return store;
}

test('a turn of appends is heard once the append log has it; the commit follows and empties the log', async (t) => {
  const dir = tempDir(t);
  const file = dir.path('S.db');
  const store = open(t, file);
  const log = new CommitLog(store);
  for (let i = 0; i < 10; i++) put(store, `s.${i % 3}`, `m${i}`);
  await nextTurn();
  assert.deepEqual(log.heard, [[10, null]]);
  assert.ok(fs.statSync(`${file}-appends`).size > 0, 'the turn is in the append log');
  const withoutLog = open(t, crashCopy(file, dir.path('no-log.db'), false));
  assert.equal(withoutLog.state().msgs, 0, 'and not yet committed to SQLite');
  const withLog = open(t, crashCopy(file, dir.path('log.db')));
  assertSameMessages(withLog, store, 'replayed');

  await until('the commit empties the log', () => fs.statSync(`${file}-appends`).size === 0);
  const committed = open(t, crashCopy(file, dir.path('committed.db'), false));
  assertSameMessages(committed, store, 'committed');
  assert.deepEqual(log.heard, [[10, null]], 'the commit itself is not reported again');
});

test('a change the log cannot replay (a removal) commits at the end of its turn', async (t) => {
  const dir = tempDir(t);
  const file = dir.path('S.db');
  const store = open(t, file);
  for (let i = 0; i < 5; i++) put(store, 's');
  await nextTurn();
  assert.ok(fs.statSync(`${file}-appends`).size > 0);
  assert.equal(store.remove(2), true);
  put(store, 's');
  await nextTurn();
  assert.equal(fs.statSync(`${file}-appends`).size, 0);
  const copy = open(t, crashCopy(file, dir.path('copy.db'), false));
  assert.deepEqual(seqs(copy), [1, 3, 4, 5, 6]);
});

test('a write of the log cut short by the crash (its turn never acked): the store opens with the turns before', async (t) => {
  const dir = tempDir(t);
  const file = dir.path('S.db');
  const store = open(t, file);
  for (let turn = 0; turn < 3; turn++) {
    for (let i = 0; i < 4; i++) put(store, 's', `t${turn}m${i}`);
    await nextTurn();
  }
  const copy = crashCopy(file, dir.path('copy.db'));
  fs.truncateSync(`${copy}-appends`, fs.statSync(`${copy}-appends`).size - 3);
  const reopened = open(t, copy);
  assert.deepEqual(seqs(reopened), Array.from({ length: 8 }, (_, i) => i + 1));
  assert.equal(text(reopened.load(8)?.data), 't1m3');
  // It goes on from there, and that survives the next crash too.
  assert.equal(put(reopened, 's', 'after'), 9);
  await nextTurn();
  const again = open(t, crashCopy(copy, dir.path('again.db')));
  assert.deepEqual(seqs(again), Array.from({ length: 9 }, (_, i) => i + 1));
  assert.equal(text(again.load(9)?.data), 'after');
});

for (const [name, partial] of [
  ['max_msgs_per_subject 2', { maxMsgsPerSubject: 2 }],
  ['max_msgs_per_subject 1 and max_msgs 40', { maxMsgsPerSubject: 1, maxMsgs: 40 }],
  ['max_bytes 3000', { maxBytes: 3000 }],
] as const) {
  test(`${name}: a crash after any turn leaves what the store held (seeded random appends and skips)`, async (t) => {
    const dir = tempDir(t);
    const file = dir.path('S.db');
    const store = open(t, file, partial);
    const rnd = prng(11);
    let copies = 0;
    for (let turn = 0; turn < 40; turn++) {
      const n = 1 + Math.floor(rnd() * 20);
      for (let i = 0; i < n; i++) {
        if (rnd() < 0.05) {
          store.skip();
          continue;
        }
        const hdr = rnd() < 0.3 ? Buffer.from(`NATS/1.0\r\nI: ${turn}.${i}\r\n\r\n`) : null;
        const r = store.append(`kv.${Math.floor(rnd() * 6)}`, hdr, randomBytes(rnd, Math.floor(rnd() * 200)));
        assert.equal(typeof r, 'number');
      }
      await nextTurn();
      if (turn % 7 === 6) {
        const copy = open(t, crashCopy(file, dir.path(`copy-${copies++}.db`)));
        assertSameMessages(copy, store, `turn ${turn}`);
      }
    }
  });
}

test('a full disk: what was acked stays readable and survives reopening; a refused turn is reported; writes resume with space', async (t) => {
  const disk = smallDiskFor(t, '1m');
  if (disk === null) return;
  const file = path.join(disk.dir, 'S.db');
  const store = disk.keep(openSqliteStore({ file, sync: SYNC }));
  const log = new CommitLog(store);
  const filler = path.join(disk.dir, 'filler');
  fs.writeFileSync(filler, Buffer.alloc(700 * 1024));
  let acked = 0;
  let failed = false;
  for (let turn = 0; turn < 200 && !failed; turn++) {
    for (let i = 0; i < 8; i++) if (typeof store.append('bulk', null, Buffer.alloc(4096, turn)) !== 'number') break;
    await log.heardCount(log.heard.length + 1);
    // The commit LOG_COMMIT_MS after a turn may be what fails: give it the time.
    if (turn % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 150));
    for (const [seq, err] of log.heard) {
      if (err === null) acked = Math.max(acked, seq);
      else failed = true;
    }
  }
  assert.ok(failed, 'the disk never filled');
  assert.ok(acked > 0);
  const state = store.state();
  assert.ok(state.lastSeq >= acked, `acked ${acked}, state ${state.lastSeq}`);
  for (let seq = 1; seq <= acked; seq++) assert.equal(store.load(seq)?.data[0], Math.floor((seq - 1) / 8), `seq ${seq}`);

  fs.rmSync(filler);
  const seq = put(store, 'after', 'space is back');
  await until('the write after is heard', () => log.last[0] === seq && log.last[1] === null);
  store.close();
  const again = disk.keep(openSqliteStore({ file, sync: SYNC }));
  assert.equal(again.state().lastSeq, seq);
  for (let s = 1; s <= acked; s++) assert.equal(again.load(s)?.data[0], Math.floor((s - 1) / 8), `reopened: seq ${s}`);
  assert.equal(text(again.load(seq)?.data), 'space is back');
});

/** Makes the store's next insert of queued rows fail as a full disk does. */
function failNextInsert(store: SqliteStore): void {
  const batch = (store as unknown as { batch: { flush(): void; discard(): void } }).batch;
  const flush = batch.flush.bind(batch);
  batch.flush = () => {
    batch.flush = flush;
    batch.discard();
    throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  };
}

for (const sync of ['always', SYNC] as const) {
  test(`sync_interval ${sync}: an insert failing inside max_msgs' drops rolls back and stops; nothing acked goes`, async (t) => {
    const dir = tempDir(t);
    const file = dir.path('S.db');
    const options = { file, sync, limits: limits({ maxMsgs: 10 }) };
    const store = openSqliteStore(options);
    t.after(() => store.close());
    const log = new CommitLog(store);
    for (let i = 1; i <= 10; i++) put(store, 's', `m${i}`);
    await log.heardCount(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    for (let i = 11; i <= 13; i++) put(store, 's', `m${i}`);
    await log.heardCount(2);
    const kept = Array.from({ length: 10 }, (_, i) => i + 4);
    assert.deepEqual(seqs(store), kept);
    failNextInsert(store);
    assert.deepEqual(store.append('s', null, Buffer.from('refused')), { refused: AppendRefusal.StorageFull });
    await until('the failure is heard', () => log.heard.some(([, err]) => err !== null));
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.deepEqual(seqs(store), kept, 'live');
    store.close();
    const again = openSqliteStore(options);
    t.after(() => again.close());
    assert.deepEqual(seqs(again), kept, 'reopened');
    assert.equal(text(again.load(13)?.data), 'm13');
  });
}

test("an insert failing in the per-subject limit's later drops (at a read) rolls back; nothing acked goes", async (t) => {
  const dir = tempDir(t);
  const file = dir.path('S.db');
  const options = { file, sync: SYNC, limits: limits({ maxMsgsPerSubject: 2 }) };
  const store = openSqliteStore(options);
  t.after(() => store.close());
  const log = new CommitLog(store);
  for (let i = 0; i < 3; i++) put(store, 's', `s${i}`);
  await log.heardCount(1);
  await new Promise((resolve) => setTimeout(resolve, 150));
  for (let i = 0; i < 3; i++) put(store, 'a', `a${i}`);
  await log.heardCount(2);
  // Acked: s1, s2 (seqs 2, 3), a1, a2 (5, 6).
  assert.deepEqual(seqs(store), [2, 3, 5, 6]);
  put(store, 'a', 'not acked');
  failNextInsert(store);
  assert.equal(store.load(2)?.seq, 2, 'the read is served');
  await until('the failure is heard', () => log.heard.some(([, err]) => err !== null));
  assert.deepEqual(seqs(store), [2, 3, 5, 6], 'live');
  store.close();
  const again = openSqliteStore(options);
  t.after(() => again.close());
  assert.deepEqual(seqs(again), [2, 3, 5, 6], 'reopened');
});
