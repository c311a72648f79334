// Key-Value through the official client across kill -9, at both sync settings: every acknowledged
// put is there after the restart, and the bucket's history limit held (at "2m" the puts were acked
// from the append log and their older revisions dropped after the acks, so the restart replays both).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { restartAfterKill, startLeafgate } from '../../helpers/processes.js';
import { tempDir } from '../../helpers/temp-dir.js';

const KEYS = 20;
const ROUNDS = 15;

for (const sync of ['always', '2m']) {
  test(`sync_interval ${sync}: KV puts acked before kill -9 are there after it, with the history limit kept`, async (t) => {
    const dir = tempDir(t);
    const conf = dir.write('leafgate.conf', `jetstream { store_dir: "${dir.path('js')}", sync_interval: "${sync}" }\n`);
    const first = await startLeafgate({ args: ['-c', conf] });
    t.after(() => first.stop());
    let nc = await connect({ port: first.port });
    const kv = await new Kvm(nc).create('config', { history: 2 });
    let revision = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // A round's puts in flight together, then one at a time for the last key.
      await Promise.all(Array.from({ length: KEYS - 1 }, (_, k) => kv.put(`k${k}`, `r${round}`)));
      revision = await kv.put(`k${KEYS - 1}`, `r${round}`);
    }
    assert.equal(revision, KEYS * ROUNDS);
    await nc.close().catch(() => undefined);

    const second = await restartAfterKill(t, first, ['-c', conf]);
    nc = await connect({ port: second.port });
    t.after(() => nc.close());
    const again = await new Kvm(nc).open('config');
    const status = await again.status();
    assert.equal(status.values, KEYS * 2, 'two revisions of each key');
    for (let k = 0; k < KEYS; k++) {
      const entry = await again.get(`k${k}`);
      assert.equal(entry?.string(), `r${ROUNDS - 1}`, `k${k}`);
      const history = [];
      for await (const e of await again.history({ key: `k${k}` })) history.push(e.string());
      assert.deepEqual(history, [`r${ROUNDS - 2}`, `r${ROUNDS - 1}`], `k${k}'s history`);
    }
    assert.equal((await again.get(`k${KEYS - 1}`))?.revision, KEYS * ROUNDS);
  });
}
