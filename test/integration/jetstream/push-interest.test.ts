// A push consumer follows its deliver subject's interest the moment it changes (account interest
// events, no polling): a subscriber whose UNSUB max is reached gets exactly that many and the rest stays
// in the stream, and an ephemeral push consumer is removed after inactive_threshold without a
// subscriber, never while it has one. Leafgate alone: nats-server learns of interest asynchronously and
// may send past an UNSUB max into the void.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { startLeafgate } from '../../helpers/processes.js';
import type { ServerProcess } from '../../helpers/processes.js';

const WAIT_LIMIT_MS = 10_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'js-push-interest-'));
let server: ServerProcess;
let nc: NatsConnection;
let jsm: JetStreamManager;

before(async () => {
  server = await startLeafgate({ args: ['-js', '-sd', dir] });
  nc = await connect({ port: server.port });
  jsm = await jetstreamManager(nc);
});

after(async () => {
  await nc?.close();
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const give = Date.now() + WAIT_LIMIT_MS;
  while (!(await check())) {
    if (Date.now() > give) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a subscriber with an UNSUB max gets exactly that many; the rest waits for the next subscriber', async () => {
  await jsm.streams.add({ name: 'pmax', subjects: ['pmax.*'], storage: StorageType.File });
  const js = jetstream(nc);
  for (let i = 1; i <= 5; i++) await js.publish('pmax.a', String(i));
  await jsm.consumers.add('pmax', { durable_name: 'pm', deliver_subject: 'pmax-out', ack_policy: AckPolicy.None });
  const first: string[] = [];
  const sub = nc.subscribe('pmax-out', { max: 2, callback: (_e, m) => void first.push(m.string()) });
  await sub.closed;
  await nc.flush();
  const info = await jsm.consumers.info('pmax', 'pm');
  assert.deepEqual(first, ['1', '2']);
  assert.equal(info.delivered.consumer_seq, 2, 'nothing went out after the subscription ended');
  assert.equal(info.num_pending, 3);
  assert.notEqual(info.push_bound, true);
  const rest: string[] = [];
  const again = nc.subscribe('pmax-out', { callback: (_e, m) => void rest.push(m.string()) });
  await until('the other three', () => Promise.resolve(rest.length === 3));
  assert.deepEqual(rest, ['3', '4', '5']);
  again.unsubscribe();
});

test('an ephemeral push consumer lives while subscribed and goes inactive_threshold after its subscriber left', async () => {
  await jsm.streams.add({ name: 'peph', subjects: ['peph.*'], storage: StorageType.File });
  const ci = await jsm.consumers.add('peph', { deliver_subject: 'peph-out', ack_policy: AckPolicy.None, inactive_threshold: 200_000_000 });
  const sub = nc.subscribe('peph-out');
  await nc.flush();
  // Well past the threshold while bound: the subscriber keeps it.
  await new Promise((r) => setTimeout(r, 600));
  assert.equal((await jsm.consumers.info('peph', ci.name)).push_bound, true);
  sub.unsubscribe();
  await nc.flush();
  await until('the consumer removed', async () => (await jsm.consumers.list('peph').next()).length === 0);
});
