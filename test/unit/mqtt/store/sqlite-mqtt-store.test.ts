// The MQTT store on SQLite: records read back as written (after reopening, after a crash), the
// removals, one commit per turn with its callbacks after it, the two sync policies, a failed commit.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

import { OutboundState, QUEUED_AT_START, openMqttStore } from '../../../../src/mqtt/store/index.js';
import type { MqttStore } from '../../../../src/mqtt/store/index.js';
import { smallDiskFor } from '../../../helpers/small-disk.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { durable, inbound, outbound, retained, SAMPLES, session, writeSamples } from './samples.js';

const POLICIES: ReadonlyArray<'always' | number> = ['always', 20];

function open(t: TestContext, file: string, sync: 'always' | number = 'always'): MqttStore {
  const store = openMqttStore({ file, sync });
  t.after(() => store.close());
  return store;
}

const codeOf = (err: Error | null): unknown => (err as { code?: unknown } | null)?.code;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

for (const sync of POLICIES) {
  test(`every kind of record reads back as written, before and after reopening (sync ${sync})`, async (t) => {
    const file = tempDir(t).path('mqtt.db');
    const store = open(t, file, sync);
    writeSamples(store);
    assert.equal(await durable(store), null);
    assert.deepEqual(store.load(), SAMPLES);
    store.close();
    assert.deepEqual(open(t, file, sync).load(), SAMPLES);
  });

  test(`a crash keeps what whenDurable reported and loses the turn after it (sync ${sync})`, (t) => {
    const file = tempDir(t).path('mqtt.db');
    const writer = fileURLToPath(new URL('./crash-writer.js', import.meta.url));
    const child = spawnSync(process.execPath, [writer, file, String(sync)], { encoding: 'utf8' });
    assert.equal(child.signal, 'SIGKILL', child.stderr);
    assert.ok(fs.statSync(`${file}-wal`).size > 0, 'the commits are still in the WAL, not checkpointed by a close');
    assert.deepEqual(open(t, file, sync).load(), SAMPLES);
  });

  test(`close commits and syncs what is pending and settles its callbacks (sync ${sync})`, (t) => {
    const file = tempDir(t).path('mqtt.db');
    const store = open(t, file, sync);
    store.putSession(session('A', 'c'));
    let heard: Error | null | undefined;
    store.whenDurable((err) => (heard = err));
    store.close();
    assert.equal(heard, null);
    assert.throws(() => store.putSession(session('A', 'd')), /closed/);
    assert.deepEqual(open(t, file, sync).load().sessions, [session('A', 'c')]);
  });
}

test('deleteSession removes the session with its outbound and inbound messages, nothing else', async (t) => {
  const file = tempDir(t).path('mqtt.db');
  const store = open(t, file);
  writeSamples(store);
  await durable(store);
  store.deleteSession('A', 'dev-1');
  assert.equal(await durable(store), null);
  store.close();
  const after = open(t, file).load();
  assert.deepEqual(after.sessions, SAMPLES.sessions.slice(1));
  assert.deepEqual(after.outbound, [outbound('B', 'dev-1', 1)]);
  assert.deepEqual(after.inbound, [inbound('B', 'dev-1', 1)]);
  assert.deepEqual(after.retained, SAMPLES.retained);
});

test('updateOutbound sets the packet id and state, dropping a released message; deleteOutbound removes one', async (t) => {
  const file = tempDir(t).path('mqtt.db');
  const store = open(t, file);
  for (const seq of [1, 2, 3]) store.putOutbound(outbound('A', 'c', seq));
  await durable(store);
  store.updateOutbound('A', 'c', 1, 10, OutboundState.Publish);
  store.updateOutbound('A', 'c', 2, 11, OutboundState.Released);
  store.deleteOutbound('A', 'c', 3);
  store.updateOutbound('A', 'c', 99, 12, OutboundState.Publish);
  assert.equal(await durable(store), null);
  store.close();
  const released = outbound('A', 'c', 2, { packetId: 11, state: OutboundState.Released });
  assert.deepEqual(open(t, file).load().outbound, [
    outbound('A', 'c', 1, { packetId: 10 }),
    { ...released, message: { ...released.message, payload: Buffer.alloc(0) } },
  ]);
});

test('putRetained replaces the message of its topic; deleteRetained removes it', async (t) => {
  const file = tempDir(t).path('mqtt.db');
  const store = open(t, file);
  store.putRetained(retained('A', 't', 'one'));
  store.putRetained(retained('B', 't', 'other account'));
  await durable(store);
  store.putRetained(retained('A', 't', 'two', { qos: 2 }));
  store.putRetained(retained('A', 'u', 'gone'));
  store.deleteRetained('A', 'u');
  store.deleteRetained('A', 'nothing there');
  assert.equal(await durable(store), null);
  assert.deepEqual(store.load().retained, [retained('A', 't', 'two', { qos: 2 }), retained('B', 't', 'other account')]);
  store.deleteRetained('A', 't');
  await durable(store);
  store.close();
  assert.deepEqual(open(t, file).load().retained, [retained('B', 't', 'other account')]);
});

test('deleteInbound removes one inbound message', async (t) => {
  const file = tempDir(t).path('mqtt.db');
  const store = open(t, file);
  for (const id of [1, 2]) store.putInbound(inbound('A', 'c', id));
  store.deleteInbound('A', 'c', 1);
  assert.equal(await durable(store), null);
  store.close();
  assert.deepEqual(open(t, file).load().inbound, [inbound('A', 'c', 2)]);
});

test('the writes of one turn are committed together at its end, and their callbacks called after', async (t) => {
  const file = tempDir(t).path('mqtt.db');
  const store = open(t, file);
  const wal = (): number => fs.statSync(`${file}-wal`).size;
  const before = wal();
  const heard: number[] = [];
  for (let seq = 1; seq <= 200; seq++) {
    store.putOutbound(outbound('A', 'c', seq));
    store.whenDurable((err) => heard.push(err === null ? seq : -seq));
  }
  assert.deepEqual(heard, []);
  assert.equal(wal(), before, 'nothing reaches the WAL before the turn ends');
  assert.equal(store.load().outbound.length, 200, 'the open transaction is read through');
  await durable(store);
  assert.deepEqual(heard, Array.from({ length: 200 }, (_, i) => i + 1));
  // A commit per write would add at least one frame (a page and its 24-byte header) per write.
  const frames = (wal() - before) / (1024 + 24);
  assert.ok(frames > 0 && frames < 100, `${frames} WAL frames for 200 writes`);
});

test('whenDurable with nothing pending calls back on a later turn', async (t) => {
  const store = open(t, tempDir(t).path('mqtt.db'));
  for (let round = 0; round < 2; round++) {
    let heard: Error | null | undefined;
    store.whenDurable((err) => (heard = err));
    assert.equal(heard, undefined);
    await new Promise(setImmediate);
    assert.equal(heard, null);
    store.putSession(session('A', 'c'));
    await durable(store);
  }
});

test('a write with a bad argument throws at the call; the rest of its turn is committed', async (t) => {
  const file = tempDir(t).path('mqtt.db');
  const store = open(t, file);
  store.putRetained(retained('A', 'a', 'kept'));
  assert.throws(() => store.putRetained(retained('A', 'b', 'x', { payload: Symbol('not bytes') as unknown as Buffer })), TypeError);
  assert.throws(() => store.putRetained(retained('A', 'b', 'x', { payload: undefined as unknown as Buffer })), { code: 'SQLITE_CONSTRAINT_NOTNULL' });
  store.putRetained(retained('A', 'c', 'kept too'));
  assert.equal(await durable(store), null);
  store.close();
  assert.deepEqual(open(t, file).load().retained.map((r) => r.topic), ['a', 'c']);
});

test("sync 'always': callbacks are called once an fdatasync of the WAL after the commit has finished", async (t) => {
  const original = fs.fdatasync;
  let finished = 0;
  t.mock.method(fs, 'fdatasync', (fd: number, done: (err: NodeJS.ErrnoException | null) => void) =>
    original(fd, (err) => {
      finished++;
      done(err);
    }),
  );
  const store = open(t, tempDir(t).path('mqtt.db'), 'always');
  store.putSession(session('A', 'c'));
  const finishedAtCallback = await new Promise((resolve) => store.whenDurable(() => resolve(finished)));
  assert.equal(finishedAtCallback, 1);
});

test('sync at an interval: callbacks are called at the commit, and the WAL is synced at the interval when written', async (t) => {
  const syncs = t.mock.method(fs, 'fdatasync');
  const store = open(t, tempDir(t).path('mqtt.db'), 20);
  store.putSession(session('A', 'c'));
  assert.equal(await durable(store), null);
  assert.equal(syncs.mock.callCount(), 0, 'not synced before the callback');
  await sleep(100);
  const synced = syncs.mock.callCount();
  assert.ok(synced >= 1, 'synced within the interval');
  await sleep(100);
  assert.equal(syncs.mock.callCount(), synced, 'nothing written, nothing synced');
});

test('a failed commit gives its error to the callbacks of its turn; later turns commit', async (t) => {
  const disk = smallDiskFor(t, '1m');
  if (disk === null) return;
  const file = path.join(disk.dir, 'mqtt.db');
  const store = disk.keep(openMqttStore({ file, sync: 'always' }));
  const filler = path.join(disk.dir, 'filler');
  fs.writeFileSync(filler, Buffer.alloc(700 * 1024));
  const kept: string[] = [];
  let failure: Error | null = null;
  for (let turn = 0; turn < 100 && failure === null; turn++) {
    const name = `big-${String(turn).padStart(3, '0')}`;
    store.putSession(session('A', name));
    store.putRetained(retained('A', name, 'x'.repeat(64 * 1024)));
    const errs = await Promise.all([durable(store), durable(store)]);
    assert.equal(errs[0], errs[1], 'the callbacks of one turn hear the same');
    failure = errs[0];
    if (failure === null) kept.push(name);
  }
  assert.equal(codeOf(failure), 'STORE_FULL');
  assert.ok(kept.length > 0);
  fs.rmSync(filler);
  store.putSession(session('A', 'zz-after'));
  assert.equal(await durable(store), null);
  const state = store.load();
  assert.deepEqual(state.sessions.map((s) => s.clientId), [...kept, 'zz-after'], 'the failed turn is rolled back whole');
  assert.deepEqual(state.retained.map((r) => r.topic), kept);
});

test('a write that fails in SQLite fails its turn whole: the writes before it are undone, those after it skipped', async (t) => {
  const disk = smallDiskFor(t, '2m');
  if (disk === null) return;
  const store = disk.keep(openMqttStore({ file: path.join(disk.dir, 'mqtt.db'), sync: 'always' }));
  store.putSession(session('A', 'before'));
  // Past the page cache (8 MiB), so SQLite writes it out during the statement, not at the commit.
  store.putRetained(retained('A', 'huge', 'x'.repeat(10 * 1024 * 1024)));
  store.putSession(session('A', 'after'));
  assert.equal(codeOf(await durable(store)), 'STORE_FULL');
  assert.deepEqual(store.load(), { sessions: [], retained: [], outbound: [], inbound: [] });
  store.putSession(session('A', 'next turn'));
  assert.equal(await durable(store), null);
  assert.deepEqual(store.load().sessions, [session('A', 'next turn')]);
});

test('load() reads what is in flight and the first QUEUED_AT_START waiting messages of each session; readQueued and lastSeq reach the rest', async (t) => {
  const file = tempDir(t).path('mqtt.db');
  const first = open(t, file);
  first.putSession(session('A', 'big'));
  first.putSession(session('A', 'small'));
  first.putOutbound(outbound('A', 'big', 1, { packetId: 7 }));
  for (let seq = 2; seq <= QUEUED_AT_START + 11; seq++) first.putOutbound(outbound('A', 'big', seq, { packetId: 0 }));
  first.putOutbound(outbound('A', 'small', 1, { packetId: 0 }));
  assert.equal(await durable(first), null);
  first.close();
  const s = open(t, file);
  const loaded = s.load().outbound;
  const big = loaded.filter((o) => o.clientId === 'big');
  assert.equal(big.length, 1 + QUEUED_AT_START);
  assert.deepEqual([big[0].packetId, big[1].seq, big.at(-1)?.seq], [7, 2, QUEUED_AT_START + 1]);
  assert.equal(loaded.filter((o) => o.clientId === 'small').length, 1);
  assert.deepEqual(s.readQueued('A', 'big', QUEUED_AT_START + 1, 100).map((o) => o.seq), Array.from({ length: 10 }, (_, i) => QUEUED_AT_START + 2 + i));
  assert.equal(s.lastSeq('A', 'big'), QUEUED_AT_START + 11);
  assert.equal(s.lastSeq('A', 'none'), 0);
});
