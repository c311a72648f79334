// What only the SQLite store promises: durability across reopen, one commit per turn, schema
// upgrades, damaged files named, stored time resumed across restarts, a full disk survived.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';

import { openSqliteStore, StoreDamagedError, StoreVersionError } from '../../../../src/jetstream/store/index.js';
import type { SqliteStore, SqliteStoreOptions } from '../../../../src/jetstream/store/index.js';
import { openDatabase } from '../../../../src/jetstream/store/sqlite/database.js';
import { BATCH_MAX_BYTES } from '../../../../src/jetstream/store/sqlite/insert-batch.js';
import { migrate, SCHEMA_VERSION } from '../../../../src/jetstream/store/sqlite/schema.js';
import { smallDiskFor } from '../../../helpers/small-disk.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { FakeClock, YEAR_MS } from './fake-clock.js';
import { CommitLog, limits, nextTurn, put, seqs, text } from './stores.js';

function open(t: TestContext, file: string, options: Omit<SqliteStoreOptions, 'file'> = {}): SqliteStore {
  const store = openSqliteStore({ file, ...options });
  t.after(() => store.close());
  return store;
}

test('reopening restores messages, counters, subjects, config and consumers', async (t) => {
  const file = tempDir(t).path('S.db');
  const clock = new FakeClock();
  const first = open(t, file, { clock });
  for (const s of ['a.1', 'a.2', 'b.1', 'a.1', 'b.2', 'a.1']) put(first, s, `data of ${s}`, s === 'b.1' ? 'NATS/1.0\r\nX: y\r\n\r\n' : null);
  first.remove(3);
  first.remove(6);
  first.saveConfig('{"name":"S"}', 7n);
  first.saveConsumer('c', '{"durable_name":"c"}', 8n);
  first.consumerDelivered('c', 2, 1, 100, 1);
  first.consumerDelivered('c', 4, 2, 101, 1);
  first.consumerDelivered('c', 2, 3, 200, 2);
  await nextTurn();
  const state = first.state();
  const consumers = first.loadConsumers();
  first.close();

  const again = open(t, file, { clock });
  assert.deepEqual(again.state(), state);
  assert.equal(state.numDeleted, 2);
  assert.deepEqual(seqs(again), [1, 2, 4, 5]);
  assert.deepEqual(again.deletedSeqs(), [3, 6]);
  assert.equal(again.lastSeqOfSubject('a.1'), 4);
  assert.deepEqual([...again.subjectsState('>')].sort(), [['a.1', 2], ['a.2', 1], ['b.2', 1]]);
  assert.equal(text(again.load(5)?.data), 'data of b.2');
  assert.deepEqual(again.loadConfig(), { json: '{"name":"S"}', createdNs: 7n });
  assert.deepEqual(again.loadConsumers(), consumers);
  assert.equal(consumers[0].state?.redelivered.get(2), 2);
  assert.equal(put(again, 'c'), 7);
});

test('skipped sequences stay used after reopening', async (t) => {
  const file = tempDir(t).path('S.db');
  const first = open(t, file);
  first.skip();
  first.skip();
  await nextTurn();
  first.close();
  const again = open(t, file);
  assert.deepEqual([again.state().firstSeq, again.state().lastSeq], [3, 2]);
  assert.equal(put(again, 'a'), 3);
});

test('a stream purged empty reopens at the same sequences', (t) => {
  const file = tempDir(t).path('S.db');
  const first = open(t, file);
  for (let i = 0; i < 5; i++) put(first, 'a');
  first.purge({});
  first.close();
  const again = open(t, file);
  assert.equal(again.state().firstSeq, 6);
  assert.equal(again.state().lastSeq, 5);
  assert.equal(put(again, 'a'), 6);
});

test('appends of one turn are one commit, in parts of 128 at commit points with sync always; listeners hear each commit in order once it is synced', async (t) => {
  const file = tempDir(t).path('S.db');
  const store = open(t, file);
  const log = new CommitLog(store);
  for (let i = 0; i < 500; i++) {
    put(store, `s.${i % 7}`);
    store.commitPoint();
  }
  // Visible before the commit, on the same connection.
  assert.equal(store.load(500)?.subject, 's.2');
  await nextTurn();
  // Committed but maybe not yet synced: the listeners wait; the next turn commits on meanwhile.
  for (let i = 0; i < 3; i++) put(store, 'x');
  await log.heardCount(5);
  assert.deepEqual(log.heard, [128, 256, 384, 500, 503].map((seq) => [seq, null]));
  store.close();
  const reader = openDatabase(file);
  t.after(() => reader.close());
  assert.equal(reader.prepare('SELECT count(*) FROM msgs').pluck().get(), 503);
});

test('sync_interval as a duration: a turn commits in parts of 128 at commit points, heard at once; without commit points in one', async (t) => {
  const store = open(t, tempDir(t).path('S.db'), { sync: 60_000 });
  const log = new CommitLog(store);
  for (let i = 0; i < 300; i++) {
    put(store, 's');
    store.commitPoint();
    // Heard at the commit point itself, before the turn ends: the acks can go out while it goes on.
    assert.equal(log.heard.length, Math.floor((i + 1) / 128), `after append ${i + 1}`);
  }
  for (let i = 0; i < 200; i++) put(store, 's');
  await nextTurn();
  assert.deepEqual(log.heard, [128, 256, 500].map((seq) => [seq, null]));
});

test('a new stream file has 1 KiB pages; a file made with other pages keeps them', (t) => {
  const dir = tempDir(t);
  const fresh = dir.path('new.db');
  open(t, fresh).close();
  const older = dir.path('old.db');
  const made = openDatabase(older);
  // The page size of a WAL file changes only out of WAL mode, with a VACUUM.
  made.pragma('journal_mode = DELETE');
  made.pragma('page_size = 4096');
  made.exec('VACUUM');
  made.pragma('journal_mode = WAL');
  made.close();
  open(t, older).close();
  for (const [file, size] of [[fresh, 1024], [older, 4096]] as const) {
    const db = openDatabase(file);
    assert.equal(db.pragma('page_size', { simple: true }), size, file);
    db.close();
  }
});

test('appends queued for multi-row inserts read back the same, whatever their sizes, before and after the commit', async (t) => {
  const file = tempDir(t).path('S.db');
  const store = open(t, file, { sync: 60_000 });
  const log = new CommitLog(store);
  // Small ones, ones past the batch's per-message bound, and enough 15 KB ones to fill its arena.
  const sizes = [...Array.from({ length: 70 }, (_, i) => i), BATCH_MAX_BYTES + 1, 3, 200_000, ...Array.from({ length: 40 }, () => 15_000), 7];
  const payload = (i: number, n: number): string => String.fromCharCode(97 + (i % 26)).repeat(n);
  sizes.forEach((n, i) => put(store, `s.${i % 3}`, payload(i, n), i % 5 === 0 ? `NATS/1.0\r\nI: ${i}\r\n\r\n` : null));
  const check = (s: SqliteStore): void => {
    assert.equal(s.state().msgs, sizes.length);
    sizes.forEach((n, i) => {
      const m = s.load(i + 1);
      assert.equal(m?.data.length, n, `message ${i + 1}`);
      assert.equal(text(m?.data), payload(i, n));
      assert.equal(text(m?.hdr), i % 5 === 0 ? `NATS/1.0\r\nI: ${i}\r\n\r\n` : null);
    });
  };
  check(store);
  await log.heardCount(1);
  store.close();
  check(open(t, file));
});

test('an open stream file is locked against a second connection', (t) => {
  const file = tempDir(t).path('S.db');
  const store = open(t, file);
  put(store, 'a');
  assert.throws(() => openDatabase(file), (e: unknown) => (e as { code?: string }).code === 'SQLITE_BUSY');
});

test('closing with commits that wait for their sync: the listeners hear them before close returns', (t) => {
  const file = tempDir(t).path('S.db');
  const store = open(t, file);
  const heard: number[] = [];
  store.onCommitted((seq) => heard.push(seq));
  for (let i = 0; i < 4; i++) put(store, 'a');
  store.close();
  assert.deepEqual(heard, [4]);
});

test('deliveries and acks alone wait a little for their commit, or commit this turn when asked', async (t) => {
  const file = tempDir(t).path('S.db');
  const store = open(t, file);
  const log = new CommitLog(store);
  for (let i = 0; i < 4; i++) put(store, 'a');
  store.saveConsumer('c', '{}', 1n);
  await log.heardCount(1);
  for (let seq = 1; seq <= 4; seq++) store.consumerDelivered('c', seq, seq, 100, 1);
  store.consumerAcked('c', 1, 1, 1);
  store.consumerAcked('c', 3, 1, 1);
  await nextTurn();
  await nextTurn();
  assert.equal(log.heard.length, 1, 'no commit at the end of the turn');
  await log.heardCount(2);
  store.consumerAcked('c', 2, 3, 3);
  store.commitThisTurn();
  await log.heardCount(3);
  store.close();
  const db = openDatabase(file);
  t.after(() => db.close());
  // 1 and 3 were acked before their delivery was ever written; 2 went with the floor; 4 is pending.
  assert.deepEqual(db.prepare('SELECT stream_seq FROM consumer_pending').pluck().all(), [4]);
  assert.deepEqual(db.prepare('SELECT ack_floor_stream_seq, delivered_stream_seq FROM consumers').raw().get(), [3, 4]);
});

test('sync_interval as a duration: a turn is acked at once, without fsync, and reaches the file', async (t) => {
  const file = tempDir(t).path('S.db');
  const store = open(t, file, { sync: 20 });
  const heard: number[] = [];
  store.onCommitted((seq) => heard.push(seq));
  for (let i = 0; i < 100; i++) put(store, 'a');
  await nextTurn();
  assert.deepEqual(heard, [100]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  store.close();
  assert.equal(open(t, file).state().msgs, 100);
});

test('a file of schema version 1 is upgraded: messages keep the age their timestamps give them', (t) => {
  const file = tempDir(t).path('S.db');
  const clock = new FakeClock();
  const old = openDatabase(file);
  migrate(old, clock.wall, 1);
  const insert = old.prepare('INSERT INTO msgs (seq, sid, size, time_ns, hdr, data) VALUES (?, 1, 32, ?, NULL, ?)');
  old.prepare("INSERT INTO subjects (id, subject, msgs, last_seq) VALUES (1, CAST('a' AS BLOB), 2, 2)").run();
  insert.run(1, BigInt(clock.wall - 50_000) * 1_000_000n, Buffer.from('old'));
  insert.run(2, BigInt(clock.wall) * 1_000_000n, Buffer.from('new'));
  old.prepare('UPDATE stream SET msgs = 2, bytes = 64, last_seq = 2, num_subjects = 1').run();
  old.close();

  const store = open(t, file, { clock, limits: limits({ maxAgeMs: 60_000 }) });
  assert.equal(store.state().msgs, 2);
  assert.equal(text(store.load(1)?.data), 'old');
  assert.equal(store.loadNext('a', 2)?.seq, 2);
  assert.equal(store.expire(), 10_000);
  clock.advance(10_000);
  assert.equal(store.expire(), 50_000);
  assert.deepEqual(seqs(store), [2]);
  store.close();
  const check = openDatabase(file);
  t.after(() => check.close());
  assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION);
});

test('a file from a newer schema is refused, naming the file', (t) => {
  const file = tempDir(t).path('S.db');
  open(t, file).close();
  const db = openDatabase(file);
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  assert.throws(() => openSqliteStore({ file }), (e: unknown) => e instanceof StoreVersionError && e.file === file);
});

test('a file cut short by a checkpoint a crash interrupted opens from its WAL', async (t) => {
  const dir = tempDir(t);
  const file = dir.path('S.db');
  const first = openSqliteStore({ file });
  for (let i = 0; i < 200; i++) put(first, `s.${i}`, 'x'.repeat(200));
  first.close();
  const pagesBefore = fs.statSync(file).size;
  const store = openSqliteStore({ file });
  const committed = new Promise<void>((resolve) => store.onCommitted((seq) => seq === 2200 && resolve()));
  for (let i = 0; i < 2000; i++) put(store, `t.${i}`, 'y'.repeat(200));
  await committed;
  // The files as a crash leaves them, then page 1 as the interrupted checkpoint wrote it: from the
  // WAL's last frame of page 1, so the header counts pages the file does not have yet.
  const crashed = dir.path('crashed.db');
  fs.copyFileSync(file, crashed);
  fs.copyFileSync(`${file}-wal`, `${crashed}-wal`);
  store.close();
  const wal = fs.readFileSync(`${crashed}-wal`);
  const pageSize = wal.readUInt32BE(8);
  let page1: Buffer | null = null;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) if (wal.readUInt32BE(at) === 1) page1 = wal.subarray(at + 24, at + 24 + pageSize);
  assert.ok(page1 !== null, 'the WAL holds page 1');
  const fd = fs.openSync(crashed, 'r+');
  fs.writeSync(fd, page1, 0, pageSize, 0);
  fs.closeSync(fd);
  assert.ok(page1.readUInt32BE(28) * pageSize > fs.statSync(crashed).size, 'the header counts more pages than the file has');
  assert.equal(fs.statSync(crashed).size, pagesBefore);

  const recovered = openSqliteStore({ file: crashed });
  t.after(() => recovered.close());
  assert.equal(recovered.state().msgs, 2200);
  assert.equal(text(recovered.load(2200)?.data), 'y'.repeat(200));
});

test('a damaged file fails to open with an error naming it', (t) => {
  const dir = tempDir(t);
  const garbage = dir.write('garbage.db', 'this is not a database, only some text that is long enough to look like a header.......');
  assert.throws(() => openSqliteStore({ file: garbage }), (e: unknown) => e instanceof StoreDamagedError && e.file === garbage && e.message.includes(garbage));

  const truncated = dir.path('truncated.db');
  const store = openSqliteStore({ file: truncated });
  for (let i = 0; i < 2000; i++) put(store, `s.${i}`, 'x'.repeat(200));
  store.close();
  fs.truncateSync(truncated, Math.floor(fs.statSync(truncated).size / 2));
  assert.throws(() => openSqliteStore({ file: truncated }), (e: unknown) => e instanceof StoreDamagedError && e.file === truncated && /truncated/.test(e.message));

  const scribbled = dir.path('scribbled.db');
  const other = openSqliteStore({ file: scribbled });
  put(other, 'a');
  other.close();
  const bytes = fs.readFileSync(scribbled);
  bytes.fill(0xff, 0, 16);
  fs.writeFileSync(scribbled, bytes);
  assert.throws(() => openSqliteStore({ file: scribbled }), (e: unknown) => e instanceof StoreDamagedError && e.file === scribbled);
});

test('stored time resumes across restarts: exact in one boot, never negative across a reboot', (t) => {
  const file = tempDir(t).path('S.db');
  const clock = new FakeClock();
  const maxAge = limits({ maxAgeMs: 60_000 });
  const first = open(t, file, { clock, limits: maxAge });
  put(first, 'a');
  first.close();

  // The process restarts 10 s later in the same boot: the monotonic clock says so.
  clock.advance(10_000);
  const sameBoot = open(t, file, { clock, limits: maxAge });
  assert.equal(sameBoot.expire(), 50_000);
  sameBoot.close();

  // A reboot into the past (no RTC): no downtime counted; then NTP jumps a year ahead.
  clock.boot = 'boot-2';
  clock.mono = 5;
  clock.wall -= 10 * YEAR_MS;
  const past = open(t, file, { clock, limits: maxAge });
  assert.equal(past.expire(), 50_000);
  clock.wall += 11 * YEAR_MS;
  assert.equal(past.expire(), 50_000);
  clock.mono += 20_000;
  assert.equal(past.expire(), 30_000);
  past.close();

  // A reboot with a right wall clock 25 s later: the time off counts.
  clock.boot = 'boot-3';
  clock.mono = 7;
  clock.wall += 25_000;
  const right = open(t, file, { clock, limits: maxAge });
  assert.equal(right.expire(), 5_000);
  clock.advance(5_000);
  assert.equal(right.expire(), -1);
  assert.equal(right.state().msgs, 0);
});

test('a full disk: the failed commit is reported and rolled back, reads go on, writes resume when space returns', async (t) => {
  const disk = smallDiskFor(t, '1m');
  if (disk === null) return;
  const file = path.join(disk.dir, 'S.db');
  const store = disk.keep(openSqliteStore({ file }));
  const log = new CommitLog(store);
  const codeOf = (err: Error | null): string | null => (err === null ? null : (err as Error & { code: string }).code);
  put(store, 'keep', 'first');
  store.saveConsumer('c', '{}', 1n);
  await log.heardCount(1);
  // Take most of the space, then write turns until a commit fails.
  const filler = path.join(disk.dir, 'filler');
  fs.writeFileSync(filler, Buffer.alloc(700 * 1024));
  let failedAt = 0;
  for (let turn = 0; turn < 200 && failedAt === 0; turn++) {
    const committed = store.state().lastSeq;
    store.consumerDelivered('c', turn + 1, turn + 1, turn, 1);
    for (let i = 0; i < 8; i++) {
      const r = store.append('bulk', null, Buffer.alloc(4096, turn));
      if (typeof r !== 'number') break;
    }
    await log.heardCount(log.heard.length + 1);
    const [lastSeq, err] = log.last;
    if (err !== null) {
      failedAt = lastSeq;
      assert.equal(codeOf(err), 'STORE_FULL');
      assert.equal(store.state().lastSeq, committed, 'the failed turn is rolled back from the state');
    }
  }
  assert.ok(failedAt > 0, 'the disk never filled');
  const state = store.state();
  assert.equal(text(store.load(1)?.data), 'first');
  assert.equal(store.loadLast('')?.seq, state.lastSeq);
  assert.equal(seqs(store).length, state.msgs);

  fs.rmSync(filler);
  const seq = put(store, 'after', 'space is back');
  assert.equal(seq, state.lastSeq + 1);
  await log.heardCount(log.heard.length + 1);
  assert.deepEqual(log.last, [seq, null]);
  const consumer = store.loadConsumers()[0].state;
  store.close();
  const again = disk.keep(openSqliteStore({ file }));
  assert.equal(again.state().lastSeq, seq);
  assert.equal(text(again.load(seq)?.data), 'space is back');
  // Consumer updates of the failed turn were written again with the next commit.
  assert.deepEqual(again.loadConsumers()[0].state, consumer);
  assert.ok(consumer !== null && consumer.pending.size === consumer.deliveredStreamSeq);
});
