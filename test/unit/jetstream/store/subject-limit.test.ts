// Per-subject limits as KV buckets use them (max_msgs_per_subject 1, history 2): whatever the history
// of updates, removals and purges, the SQLite store keeps what the memory store keeps, with the same
// counters, before and after reopening its file.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MemoryStore, openSqliteStore, fileStoreMsgSize } from '../../../../src/jetstream/store/index.js';
import type { StreamStore } from '../../../../src/jetstream/store/index.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { prng } from '../../core/prng.js';
import { limits, nextTurn, put } from './stores.js';

const KEYS = 8;

function assertSame(file: StreamStore, memory: StreamStore, when: string): void {
  const f = file.state();
  const m = memory.state();
  assert.deepEqual([f.msgs, f.firstSeq, f.lastSeq, f.numSubjects], [m.msgs, m.firstSeq, m.lastSeq, m.numSubjects], when);
  let bytes = 0;
  for (let seq = f.firstSeq; seq <= f.lastSeq && f.msgs > 0; seq++) {
    const msg = memory.load(seq);
    assert.equal(file.load(seq)?.data.toString('latin1') ?? null, msg?.data.toString('latin1') ?? null, `${when}: seq ${seq}`);
    if (msg !== null) bytes += fileStoreMsgSize(msg.subject, msg.hdr, msg.data);
  }
  assert.equal(f.bytes, bytes, `${when}: bytes`);
  assert.deepEqual([...file.subjectsState('>')].sort(), [...memory.subjectsState('>')].sort(), `${when}: subjects`);
  for (let k = 0; k < KEYS; k++) assert.equal(file.loadLast(`kv.${k}`)?.seq ?? null, memory.loadLast(`kv.${k}`)?.seq ?? null, `${when}: last of kv.${k}`);
}

for (const [perSubject, seed, sync] of [
  [1, 7, 'always'],
  [1, 8, 60_000],
  [2, 7, 60_000],
  [2, 8, 'always'],
] as const) {
  test(`max_msgs_per_subject ${perSubject}, sync_interval ${sync}: updates, removals and purges agree with the memory store (seed ${seed})`, async (t) => {
    const rnd = prng(seed);
    const dir = tempDir(t, 'leafgate-kv-');
    const options = { dir: dir.dir, name: 'KV', sync, limits: limits({ maxMsgsPerSubject: perSubject }) };
    let file = openSqliteStore(options);
    t.after(() => file.close());
    const memory = new MemoryStore({ limits: limits({ maxMsgsPerSubject: perSubject }) });
    t.after(() => memory.close());
    for (let step = 0; step < 1500; step++) {
      const r = rnd();
      if (r < 0.85) {
        const key = `kv.${Math.floor(rnd() * KEYS)}`;
        assert.equal(put(file, key, `v${step}`), put(memory, key, `v${step}`));
      } else if (r < 0.95) {
        const state = memory.state();
        const seq = state.firstSeq + Math.floor(rnd() * Math.max(1, state.lastSeq - state.firstSeq + 1));
        assert.equal(file.remove(seq), memory.remove(seq), `remove ${seq} at step ${step}`);
      } else if (r < 0.98) {
        const filter = `kv.${Math.floor(rnd() * KEYS)}`;
        assert.equal(file.purge({ filter }), memory.purge({ filter }), `purge ${filter} at step ${step}`);
      } else {
        await nextTurn();
      }
      if (step % 100 === 99) assertSame(file, memory, `step ${step}`);
    }
    await nextTurn();
    file.close();
    file = openSqliteStore(options);
    assertSame(file, memory, 'reopened');
  });
}
