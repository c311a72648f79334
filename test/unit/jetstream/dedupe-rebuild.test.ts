import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DedupeRebuild } from '../../../src/jetstream/dedupe-rebuild.js';
import { Dedupe } from '../../../src/jetstream/dedupe.js';
import { MemoryStore, NO_LIMITS } from '../../../src/jetstream/store/index.js';
import { NS_PER_MS } from '../../../src/jetstream/time.js';

const WINDOW_MS = 120_000;

/** 10,000 messages, every seventh with a Msg-Id, some with other headers only, stored 1 ms apart ending now. */
function storeWithIds(): { store: MemoryStore; ids: Map<string, number> } {
  const store = new MemoryStore({ limits: NO_LIMITS });
  const ids = new Map<string, number>();
  const start = BigInt(Date.now() - 10_000) * NS_PER_MS;
  for (let i = 1; i <= 10_000; i++) {
    const hdr = i % 7 === 0 ? `NATS/1.0\r\nNats-Msg-Id: id-${i}\r\n\r\n` : i % 5 === 0 ? 'NATS/1.0\r\nOther: x\r\n\r\n' : null;
    const seq = store.append('s', hdr === null ? null : Buffer.from(hdr, 'latin1'), Buffer.from(`m${i}`), start + BigInt(i) * NS_PER_MS);
    if (i % 7 === 0) ids.set(`id-${i}`, seq as number);
  }
  return { store, ids };
}

test('dedupe rebuild: every Msg-Id of the window comes back, read a span of sequences per turn', async (t) => {
  const { store, ids } = storeWithIds();
  t.after(() => store.close());
  const dedupe = new Dedupe(WINDOW_MS);
  const rebuild = DedupeRebuild.start(store, dedupe, BigInt(WINDOW_MS) * NS_PER_MS);
  assert.ok(rebuild !== null);
  // Three spans of 4096 sequences: after the first turn the last ids are not known yet.
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(dedupe.seqOf('id-9996', Date.now()), 0);
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
  for (const [id, seq] of ids) assert.equal(dedupe.seqOf(id, Date.now()), seq, id);
});

test('dedupe rebuild: finish() reads the rest at once', (t) => {
  const { store, ids } = storeWithIds();
  t.after(() => store.close());
  const dedupe = new Dedupe(WINDOW_MS);
  DedupeRebuild.start(store, dedupe, BigInt(WINDOW_MS) * NS_PER_MS)?.finish();
  for (const [id, seq] of ids) assert.equal(dedupe.seqOf(id, Date.now()), seq, id);
});
