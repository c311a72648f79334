// Key-Value through the official @nats-io/kv client, differential: the same operations against
// nats-server -js and leafgate -js, every result compared (revisions, operations, values, errors).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Kvm } from '@nats-io/kv';
import type { KV, KvEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetStreamPair } from './jetstream-pair.js';

function entry(e: KvEntry | null): string {
  return e === null ? 'null' : `${e.bucket}/${e.key}@${e.revision} ${e.operation} delta=${e.delta ?? ''} "${e.string()}"`;
}

async function outcome(fn: () => Promise<unknown>): Promise<string> {
  try {
    const v = await fn();
    return `ok ${typeof v === 'number' ? v : JSON.stringify(v ?? null)}`;
  } catch (err) {
    return `error ${(err as Error).message}`;
  }
}

/** The same KV session, run on one server: every step's outcome as text. */
async function session(nc: NatsConnection): Promise<string[]> {
  const out: string[] = [];
  const kvm = new Kvm(nc);
  const kv: KV = await kvm.create('settings', { history: 3 });
  out.push(await outcome(() => kv.put('mode', 'eco')));
  out.push(await outcome(() => kv.put('mode', 'boost')));
  out.push(entry(await kv.get('mode')));
  out.push(entry(await kv.get('mode', { revision: 1 })));
  out.push(await outcome(() => kv.create('mode', 'again')));
  out.push(await outcome(() => kv.create('fan', 'on')));
  out.push(await outcome(() => kv.update('fan', 'off', 1)));
  out.push(await outcome(() => kv.update('fan', 'off', 3)));
  out.push(entry(await kv.get('fan')));
  out.push(await outcome(() => kv.delete('fan')));
  out.push(entry(await kv.get('fan')));
  out.push(await outcome(() => kv.create('fan', 'back')));
  out.push(await outcome(() => kv.purge('mode')));
  out.push(entry(await kv.get('mode')));
  out.push(entry(await kv.get('missing')));
  out.push(await outcome(() => kv.put('a.b.c', 'deep')));
  out.push(entry(await kv.get('a.b.c')));
  const status = await kv.status();
  out.push(`status ${status.bucket} values=${status.values} history=${status.history} ttl=${status.ttl} storage=${status.storage} bytes=${status.size}`);
  const opened = await kvm.open('settings');
  out.push(entry(await opened.get('a.b.c')));
  const ttl = await kvm.create('short', { ttl: 60_000, history: 1 });
  out.push(await outcome(() => ttl.put('k', 'v')));
  out.push(`ttl status ttl=${(await ttl.status()).ttl}`);
  out.push(await outcome(() => ttl.destroy()));
  out.push(await outcome(() => new Kvm(nc).open('short').then((k) => k.status())));
  return out;
}

describe('Key-Value, leafgate against nats-server -js', () => {
  const servers = jetStreamPair();
  test('put, get (also by revision), create, update, delete, purge, status, ttl, destroy', async () => {
    const { natsServer, leafgate } = servers();
    const [fromNats, fromLeafgate] = await Promise.all([session(natsServer.nc), session(leafgate.nc)]);
    assert.deepEqual(fromLeafgate, fromNats);
  });
});
