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

  test('object store info, meta update, links, delete, seal, status and destroy', async () => {
    const got = await onBoth(servers(), async (nc) => {
      const out: string[] = [];
      const step = async (name: string, fn: () => Promise<unknown>): Promise<void> => {
        try {
          const v = await fn();
          out.push(`${name}: ${JSON.stringify(v, (k, x) => (k === 'mtime' || k === 'nuid' ? '<masked>' : x))}`);
        } catch (err) {
          out.push(`${name}: error ${(err as Error).message}`);
        }
      };
      const objm = new Objm(nc);
      const os = await objm.create('docs', { description: 'manuals' });
      const other = await objm.create('other');
      await os.putBlob({ name: 'a.txt', description: 'first' }, Buffer.from('alpha'));
      await other.putBlob({ name: 'x.txt' }, Buffer.from('xray'));
      await step('info', () => os.info('a.txt'));
      await step('update meta', () => os.update('a.txt', { name: 'b.txt', description: 'renamed' }));
      await step('old name gone', () => os.info('a.txt'));
      await step('get renamed', async () => Buffer.from((await os.getBlob('b.txt')) ?? []).toString());
      await step('link', async () => os.link('link.txt', (await os.info('b.txt'))!));
      await step('get through link', async () => Buffer.from((await os.getBlob('link.txt')) ?? []).toString());
      await step('link store', () => os.linkStore('other-link', other));
      await step('delete', () => os.delete('b.txt'));
      await step('deleted info', () => os.info('b.txt'));
      await step('list', async () => (await os.list()).map((i) => i.name).sort());
      await step('status', async () => {
        const st = await os.status();
        return { bucket: st.bucket, description: st.description, sealed: st.sealed, size: st.size, storage: st.storage, backing: st.backingStore };
      });
      await step('seal', async () => (await os.seal()).sealed);
      await step('put after seal', () => os.putBlob({ name: 'c.txt' }, Buffer.from('c')));
      await step('destroy', () => os.destroy());
      await step('opened after destroy', async () => (await (await objm.open('docs')).status()).bucket);
      return out;
    });
    assert.deepEqual(got.leafgate, got.natsServer);
    assert.ok(got.natsServer.some((line) => line.startsWith('get through link: "alpha"')), got.natsServer.join('\n'));
  });
});
