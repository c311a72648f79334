// Key-Value and Object Store, differential: @nats-io/kv watch/keys/history and @nats-io/obj put/get/list/watch
// drive ordered push consumers (created before the client subscribes, flow control, heartbeats, exact
// pending counts); the same client code runs against nats-server -js and leafgate -js.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { jetStreamPair } from './jetstream-pair.js';

async function onBoth<T>(pair: ReturnType<ReturnType<typeof jetStreamPair>>, run: (nc: NatsConnection) => Promise<T>): Promise<{ natsServer: T; leafgate: T }> {
  const [natsServer, leafgate] = await Promise.all([run(pair.natsServer.nc), run(pair.leafgate.nc)]);
  return { natsServer, leafgate };
}

describe('interop: KV and Object Store consumers against nats-server -js', () => {
  const servers = jetStreamPair();

  test('kv watch (initial values, then updates), keys() and history()', async () => {
    const got = await onBoth(servers(), async (nc) => {
      const kv = await new Kvm(nc).create('cfg', { history: 5 });
      await kv.put('a', 'a1');
      await kv.put('b', 'b1');
      await kv.put('a', 'a2');
      await kv.delete('b');
      await kv.put('c.d', 'cd1');
      const keys: string[] = [];
      for await (const k of await kv.keys()) keys.push(k);
      const history: string[] = [];
      for await (const e of await kv.history({ key: 'a' })) history.push(`${e.key}@${e.revision} ${e.operation} ${e.string()} delta=${e.delta}`);
      const watched: string[] = [];
      const w = await kv.watch();
      let sent = false;
      for await (const e of w) {
        watched.push(`${e.key}@${e.revision} ${e.operation} ${e.string()} update=${e.isUpdate}`);
        if (!sent && watched.length === 3) {
          sent = true;
          await kv.put('a', 'a3');
        }
        if (watched.length === 4) break;
      }
      w.stop();
      return { keys: keys.sort(), history, watched };
    });
    assert.deepEqual(got.leafgate, got.natsServer);
    assert.equal(got.leafgate.watched.length, 4);
  });

  test('object store: put and get of a multi-megabyte object, list and watch', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 10)) & 0xff;
    const got = await onBoth(servers(), async (nc) => {
      const os = await new Objm(nc).create('files');
      const info = await os.putBlob({ name: 'big.bin' }, data);
      await os.putBlob({ name: 'small.txt' }, Buffer.from('hello'));
      const back = await os.getBlob('big.bin');
      const listed = (await os.list()).map((i) => `${i.name} ${i.size} ${i.chunks}`).sort();
      const watched: string[] = [];
      const w = await os.watch({ includeHistory: true });
      for await (const e of w) {
        if (e === null) break;
        watched.push(`${e.name} ${e.size}`);
        if (watched.length === 2) break;
      }
      w.stop();
      const hash = back === null ? 'missing' : createHash('sha256').update(back).digest('hex');
      return { size: info.size, chunks: info.chunks, hash, listed, watched: watched.sort() };
    });
    assert.deepEqual(got.leafgate, got.natsServer);
    assert.equal(got.leafgate.hash, createHash('sha256').update(data).digest('hex'));
  });
});
