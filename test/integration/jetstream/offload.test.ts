// At sync_interval "2m" a stream that only receives appends is written by a thread of its own
// (log-offload.ts), started from the shipped bin. Publishes through the official client, in bursts
// with pauses that let the thread take the file, then a read that claims it back, more bursts, and
// kill -9: every acknowledged message is there after the restart. A new stream's file has 4 KiB
// pages, a KV bucket's 1 KiB (stream-stores.ts). The stream file is shared with that thread, so the
// store directory has a lock of its own: a second server on it does not start.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Sqlite from 'better-sqlite3';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { restartAfterKill, runLeafgate, startLeafgate } from '../../helpers/processes.js';
import { tempDir } from '../../helpers/temp-dir.js';

const BURSTS = 8;
const PER_BURST = 400;

function pageSize(file: string): number {
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
}

test('sync_interval 2m: bursts of publishes through the thread that applies the log survive kill -9, around a read that claims the file back', async (t) => {
  const dir = tempDir(t);
  const store = dir.path('js');
  const conf = dir.write('leafgate.conf', `jetstream { store_dir: "${store}", sync_interval: "2m" }\n`);
  const first = await startLeafgate({ args: ['-c', conf] });
  t.after(() => first.stop());
  let nc = await connect({ port: first.port });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'orders', subjects: ['orders.>'] });
  await new Kvm(nc).create('settings');
  const js = jetstream(nc);
  const acked: number[] = [];
  for (let burst = 0; burst < BURSTS; burst++) {
    const acks = await Promise.all(Array.from({ length: PER_BURST }, (_, i) => js.publish(`orders.${i % 7}`, `${burst}.${i}`)));
    for (const a of acks) acked.push(a.seq);
    if (burst === BURSTS / 2) {
      const info = await jsm.streams.info('orders');
      assert.equal(info.state.messages, (burst + 1) * PER_BURST, 'a read in between sees every append');
      assert.equal(info.state.num_subjects, 7);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  assert.deepEqual(acked, Array.from({ length: BURSTS * PER_BURST }, (_, i) => i + 1));
  const jsDir = path.join(store, 'jetstream', '$G');
  assert.equal(pageSize(path.join(jsDir, 'orders.db')), 4096);
  assert.equal(pageSize(path.join(jsDir, 'KV_settings.db')), 1024);
  // The event loop empties the append log with each of its commits, 100 ms after a burst; only while
  // the thread has the file does the log keep the bursts it has committed (until it reaches 8 MiB).
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.ok(fs.statSync(path.join(jsDir, 'orders.db-appends')).size > 0, 'the thread had the stream file');
  await nc.close().catch(() => undefined);

  const second = await restartAfterKill(t, first, ['-c', conf]);
  nc = await connect({ port: second.port });
  t.after(() => nc.close());
  const again = await jetstreamManager(nc);
  const info = await again.streams.info('orders', { subjects_filter: '>' });
  assert.equal(info.state.messages, BURSTS * PER_BURST);
  assert.equal(info.state.last_seq, BURSTS * PER_BURST);
  assert.equal(info.state.num_subjects, 7);
  for (const seq of [1, PER_BURST, BURSTS * PER_BURST]) {
    const m = await again.streams.getMessage('orders', { seq });
    const burst = Math.floor((seq - 1) / PER_BURST);
    const i = (seq - 1) % PER_BURST;
    assert.equal(m?.subject, `orders.${i % 7}`);
    assert.equal(m?.string(), `${burst}.${i}`);
  }
});

for (const sync of ['always', '2m']) {
  test(`sync_interval ${sync}: a second server on the same store directory refuses to start, and the first keeps serving`, async (t) => {
    const dir = tempDir(t);
    const conf = dir.write('leafgate.conf', `jetstream { store_dir: "${dir.path('js')}", sync_interval: "${sync}" }\n`);
    const first = await startLeafgate({ args: ['-c', conf] });
    t.after(() => first.stop());
    const nc = await connect({ port: first.port });
    t.after(() => nc.close());
    await (await jetstreamManager(nc)).streams.add({ name: 'orders', subjects: ['orders.>'] });
    const second = await runLeafgate(['-c', conf, '-p', '-1'], { timeoutMs: 10_000 });
    assert.notEqual(second.code, 0);
    assert.match(second.stderr + second.stdout, /Can't start JetStream: store directory .* is in use by another process/);
    const ack = await jetstream(nc).publish('orders.1', 'still here');
    assert.equal(ack.seq, 1);
  });
}
