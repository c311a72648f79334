// A publisher with many publishes in flight: the file store commits a turn's messages in parts, and
// each part's PubAcks go out while the rest of the turn is stored. Through the official client, with
// both sync settings: every publish is acked once, in order, and every acked message survives kill -9.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { restartAfterKill, startLeafgate } from '../../helpers/processes.js';
import { tempDir } from '../../helpers/temp-dir.js';

const MESSAGES = 1000;

for (const sync of ['always', '2m']) {
  test(`sync_interval ${sync}: ${MESSAGES} publishes in flight are acked in order and kept across kill -9`, async (t) => {
    const dir = tempDir(t);
    const conf = dir.write('leafgate.conf', `jetstream { store_dir: "${dir.path('js')}", sync_interval: "${sync}" }\n`);
    const first = await startLeafgate({ args: ['-c', conf] });
    t.after(() => first.stop());
    let nc = await connect({ port: first.port });
    await (await jetstreamManager(nc)).streams.add({ name: 'burst', subjects: ['burst.*'], storage: StorageType.File });
    const js = jetstream(nc);
    const acks = await Promise.all(Array.from({ length: MESSAGES }, (_, i) => js.publish(`burst.${i % 10}`, `m${i}`)));
    assert.deepEqual(
      acks.map((a) => a.seq),
      Array.from({ length: MESSAGES }, (_, i) => i + 1),
    );
    assert.ok(acks.every((a) => a.stream === 'burst' && !a.duplicate));
    await nc.close();

    const second = await restartAfterKill(t, first, ['-c', conf]);
    nc = await connect({ port: second.port });
    t.after(() => nc.close());
    const jsm = await jetstreamManager(nc);
    assert.equal((await jsm.streams.info('burst')).state.messages, MESSAGES);
    const last = await jsm.streams.getMessage('burst', { seq: MESSAGES });
    assert.equal(last?.string(), `m${MESSAGES - 1}`);
  });
}
