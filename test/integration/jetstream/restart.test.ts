// What a stream keeps across a restart besides its messages: the duplicate window and the last
// Msg-Id, rebuilt from what is stored, so a publisher retrying after a restart stores nothing twice.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, headers } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { restartAfterKill, startLeafgate } from '../../helpers/processes.js';
import { tempDir } from '../../helpers/temp-dir.js';

async function publish(nc: NatsConnection, subject: string, body: string, hdrs: Record<string, string>): Promise<Record<string, unknown>> {
  const h = headers();
  for (const [k, v] of Object.entries(hdrs)) h.set(k, v);
  return JSON.parse((await nc.request(subject, body, { timeout: 3000, headers: h })).string()) as Record<string, unknown>;
}

test('after a restart (also kill -9) a retried Msg-Id is a duplicate and the last Msg-Id is known', async (t) => {
  const tmp = tempDir(t);
  const first = await startLeafgate({ args: ['-js', '-sd', tmp.dir] });
  t.after(() => first.stop());
  let nc = await connect({ port: first.port });
  const created = await nc.request('$JS.API.STREAM.CREATE.orders', JSON.stringify({ name: 'orders', subjects: ['orders.*'] }));
  assert.equal(JSON.parse(created.string()).error, undefined);
  for (let i = 1; i <= 3000; i++) nc.publish('orders.bulk', `m${i}`);
  assert.deepEqual(await publish(nc, 'orders.new', 'a', { 'Nats-Msg-Id': 'id-1' }), { stream: 'orders', seq: 3001 });
  assert.deepEqual(await publish(nc, 'orders.new', 'b', { 'Nats-Msg-Id': 'id-2' }), { stream: 'orders', seq: 3002 });
  await nc.close();

  const second = await restartAfterKill(t, first, ['-js', '-sd', tmp.dir]);
  nc = await connect({ port: second.port });
  t.after(() => nc.close());
  assert.deepEqual(await publish(nc, 'orders.new', 'a again', { 'Nats-Msg-Id': 'id-1' }), { stream: 'orders', seq: 3001, duplicate: true });
  const wrong = await publish(nc, 'orders.new', 'c', { 'Nats-Expected-Last-Msg-Id': 'id-1' });
  assert.equal((wrong.error as { description: string }).description, 'wrong last msg ID: id-2');
  assert.deepEqual(await publish(nc, 'orders.new', 'c', { 'Nats-Expected-Last-Msg-Id': 'id-2', 'Nats-Msg-Id': 'id-3' }), { stream: 'orders', seq: 3003 });
});
