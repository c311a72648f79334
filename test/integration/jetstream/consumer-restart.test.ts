// A durable consumer's state survives `kill -9`: acks the server confirmed (ackAck), messages delivered and
// not acked (redelivered after the restart with their delivery count), the ack floor and the counters come
// back from the store without replaying the stream. Ephemeral consumers are gone after a restart.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { freePort } from '../../helpers/ports.js';
import { startLeafgate } from '../../helpers/processes.js';
import type { ServerProcess } from '../../helpers/processes.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'js-restart-'));
const running: ServerProcess[] = [];
after(async () => {
  await Promise.all(running.map((s) => s.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(port: number): Promise<{ server: ServerProcess; nc: NatsConnection }> {
  const server = await startLeafgate({ args: ['-js', '-sd', dir, '-p', String(port)], port });
  running.push(server);
  const nc = await connect({ port, reconnect: false });
  return { server, nc };
}

test('a durable consumer keeps delivered, acked and pending messages across kill -9', async () => {
  const port = await freePort();
  const first = await start(port);
  const jsm = await jetstreamManager(first.nc);
  await jsm.streams.add({ name: 'jobs', subjects: ['jobs.*'], storage: StorageType.File });
  await jsm.consumers.add('jobs', { durable_name: 'worker', ack_policy: AckPolicy.Explicit, ack_wait: 60_000_000_000 });
  await jsm.consumers.add('jobs', { name: 'temp', ack_policy: AckPolicy.Explicit, inactive_threshold: 60_000_000_000 });
  const js = jetstream(first.nc);
  for (let i = 1; i <= 6; i++) await js.publish('jobs.run', `job ${i}`);
  const c = await js.consumers.get('jobs', 'worker');
  const iter = await c.fetch({ max_messages: 4, expires: 2000 });
  for await (const m of iter) {
    // 1, 2 and 4 acknowledged (and confirmed); 3 delivered and left pending.
    if (m.seq !== 3) assert.equal(await m.ackAck(), true);
  }
  const before = await c.info();
  first.server.proc.kill('SIGKILL');
  await first.server.exited();
  await first.nc.close().catch(() => undefined);

  const second = await start(port);
  const jsm2 = await jetstreamManager(second.nc);
  const after = await jsm2.consumers.info('jobs', 'worker');
  for (const key of ['delivered', 'ack_floor'] as const) {
    assert.deepEqual({ c: after[key].consumer_seq, s: after[key].stream_seq }, { c: before[key].consumer_seq, s: before[key].stream_seq });
  }
  assert.equal(after.num_ack_pending, 1);
  assert.equal(after.num_pending, 2);
  assert.deepEqual(after.ack_floor.stream_seq, 2);
  const names: string[] = [];
  for await (const n of jsm2.consumers.list('jobs')) names.push(n.name);
  assert.deepEqual(names, ['worker']);

  // The next messages continue after the cursor; the pending one is still owed an ack.
  const c2 = await jetstream(second.nc).consumers.get('jobs', 'worker');
  const rest: number[] = [];
  const iter2 = await c2.fetch({ max_messages: 2, expires: 2000 });
  for await (const m of iter2) {
    rest.push(m.seq);
    await m.ackAck();
  }
  assert.deepEqual(rest, [5, 6]);
  const final = await c2.info();
  assert.equal(final.num_ack_pending, 1);
  assert.equal(final.delivered.stream_seq, 6);
  await second.nc.close();
});
