// Push consumers and the interest in their deliver subject, differential: a push consumer delivers while
// (and only while) its deliver subject has a subscriber that counts, and rate_limit_bps paces it. The
// same client code runs against nats-server -js (2.9.10) and leafgate -js. Nothing asserts on timing:
// the tests wait for messages or states, and compare counters.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import type { ConsumerInfo, JetStreamManager } from '@nats-io/jetstream';
import { jetStreamPair } from './jetstream-pair.js';

/** Gives up on a wait after this long: the wait, not a duration, is what the tests assert. */
const WAIT_LIMIT_MS = 10_000;

async function onBoth<T>(pair: ReturnType<ReturnType<typeof jetStreamPair>>, run: (nc: NatsConnection) => Promise<T>): Promise<{ natsServer: T; leafgate: T }> {
  const [natsServer, leafgate] = await Promise.all([run(pair.natsServer.nc), run(pair.leafgate.nc)]);
  return { natsServer, leafgate };
}

/** What a consumer's info says about delivery, without times. */
function state(ci: ConsumerInfo): string {
  return `delivered=${ci.delivered.consumer_seq}/${ci.delivered.stream_seq} pending=${ci.num_pending} bound=${ci.push_bound === true}`;
}

/** Resolves once `check` is true, polling the server; fails after WAIT_LIMIT_MS. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const give = Date.now() + WAIT_LIMIT_MS;
  while (!(await check())) {
    if (Date.now() > give) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A subscription that counts what it receives, and can wait for a count. */
function collector(nc: NatsConnection, subject: string, queue?: string): { got: string[]; sub: Subscription; reach(n: number): Promise<void> } {
  const got: string[] = [];
  const sub = nc.subscribe(subject, {
    queue,
    callback: (_err, m) => {
      got.push(`${m.subject} ${m.string()}`);
    },
  });
  return { got, sub, reach: (n) => until(`${n} messages on ${subject}`, () => Promise.resolve(got.length >= n)) };
}

async function info(jsm: JetStreamManager, stream: string, consumer: string): Promise<ConsumerInfo> {
  return jsm.consumers.info(stream, consumer);
}

describe('interop: push consumers follow the interest in their deliver subject', () => {
  const servers = jetStreamPair();

  test('delivery starts when a subscriber of the deliver subject appears, stops when it leaves; wildcard and queue subscribers do not count', async () => {
    const got = await onBoth(servers(), async (nc) => {
      const jsm = await jetstreamManager(nc);
      const js = jetstream(nc);
      const steps: string[] = [];
      await jsm.streams.add({ name: 'pbind', subjects: ['pbind.*'], storage: StorageType.File });
      for (const p of ['1', '2', '3']) await js.publish('pbind.a', p);
      await jsm.consumers.add('pbind', { durable_name: 'pb', deliver_subject: 'pout.pb', ack_policy: AckPolicy.None });
      steps.push(`created: ${state(await info(jsm, 'pbind', 'pb'))}`);

      const first = collector(nc, 'pout.pb');
      await first.reach(3);
      steps.push(`subscribed: ${first.got.join(', ')}; ${state(await info(jsm, 'pbind', 'pb'))}`);
      first.sub.unsubscribe();
      await nc.flush();
      await until('unbound', async () => (await info(jsm, 'pbind', 'pb')).push_bound !== true);
      for (const p of ['4', '5']) await js.publish('pbind.a', p);
      steps.push(`left, 2 published: ${state(await info(jsm, 'pbind', 'pb'))}`);

      // nats-server counts only subscriptions to exactly the deliver subject, and plain ones when the
      // consumer has no deliver_group.
      const wildcard = collector(nc, 'pout.*');
      const queued = collector(nc, 'pout.pb', 'q');
      await nc.flush();
      steps.push(`wildcard and queue subscribers: ${state(await info(jsm, 'pbind', 'pb'))}`);

      const second = collector(nc, 'pout.pb');
      await second.reach(2);
      steps.push(`subscribed again: ${second.got.join(', ')}; ${state(await info(jsm, 'pbind', 'pb'))}`);
      steps.push(`wildcard got ${wildcard.got.length}, queue got ${queued.got.length}`);
      for (const c of [wildcard, queued, second]) c.sub.unsubscribe();
      return steps;
    });
    assert.deepEqual(got.leafgate, got.natsServer);
    assert.deepEqual(got.leafgate, [
      'created: delivered=0/0 pending=3 bound=false',
      'subscribed: pbind.a 1, pbind.a 2, pbind.a 3; delivered=3/3 pending=0 bound=true',
      'left, 2 published: delivered=3/3 pending=2 bound=false',
      'wildcard and queue subscribers: delivered=3/3 pending=2 bound=false',
      'subscribed again: pbind.a 4, pbind.a 5; delivered=5/5 pending=0 bound=true',
      'wildcard got 2, queue got 2',
    ]);
  });

  test('a deliver_group consumer delivers to members of that queue group only', async () => {
    const got = await onBoth(servers(), async (nc) => {
      const jsm = await jetstreamManager(nc);
      const js = jetstream(nc);
      await jsm.streams.add({ name: 'pgroup', subjects: ['pgroup.*'], storage: StorageType.File });
      for (const p of ['1', '2']) await js.publish('pgroup.a', p);
      await jsm.consumers.add('pgroup', { durable_name: 'pg', deliver_subject: 'pgroup-out', deliver_group: 'workers', ack_policy: AckPolicy.None });
      const plain = collector(nc, 'pgroup-out');
      const other = collector(nc, 'pgroup-out', 'others');
      await nc.flush();
      const before = state(await info(jsm, 'pgroup', 'pg'));
      const member = collector(nc, 'pgroup-out', 'workers');
      await member.reach(2);
      const after = state(await info(jsm, 'pgroup', 'pg'));
      for (const c of [plain, other, member]) c.sub.unsubscribe();
      return { before, after, member: member.got, plain: plain.got.length, other: other.got.length };
    });
    assert.deepEqual(got.leafgate, got.natsServer);
    assert.deepEqual(got.leafgate, {
      before: 'delivered=0/0 pending=2 bound=false',
      after: 'delivered=2/2 pending=0 bound=true',
      member: ['pgroup.a 1', 'pgroup.a 2'],
      plain: 2,
      other: 2,
    });
  });
});

describe('interop: rate_limit_bps paces a push consumer', () => {
  const servers = jetStreamPair();

  test('a rate-limited consumer delivers everything, in order', async () => {
    const got = await onBoth(servers(), async (nc) => {
      const jsm = await jetstreamManager(nc);
      const js = jetstream(nc);
      await jsm.streams.add({ name: 'prate', subjects: ['prate.*'], storage: StorageType.File, max_msg_size: 1024 });
      const body = 'x'.repeat(90);
      for (let i = 0; i < 20; i++) await js.publish('prate.a', `${String(i).padStart(2, '0')}${body}`);
      // 10 000 bytes a second after a 1024-byte burst: the ~3 KB take a fraction of a second.
      await jsm.consumers.add('prate', { durable_name: 'fast', deliver_subject: 'prate-fast', ack_policy: AckPolicy.None, rate_limit_bps: 80_000 });
      const c = collector(nc, 'prate-fast');
      await c.reach(20);
      const after = state(await info(jsm, 'prate', 'fast'));
      c.sub.unsubscribe();
      return { first: c.got[0].slice(0, 10), last: c.got[19].slice(0, 10), inOrder: c.got.every((m, i) => m.startsWith(`prate.a ${String(i).padStart(2, '0')}`)), info: after };
    });
    assert.deepEqual(got.leafgate, got.natsServer);
    assert.deepEqual(got.leafgate, { first: 'prate.a 00', last: 'prate.a 19', inOrder: true, info: 'delivered=20/20 pending=0 bound=true' });
  });

  test('at 1 byte a second the burst (max_msg_size) lets exactly two ~460-byte deliveries out and holds the rest', async () => {
    const got = await onBoth(servers(), async (nc) => {
      const jsm = await jetstreamManager(nc);
      const js = jetstream(nc);
      await jsm.streams.add({ name: 'pslow', subjects: ['pslow.*'], storage: StorageType.File, max_msg_size: 1024 });
      for (let i = 0; i < 5; i++) await js.publish('pslow.a', 'y'.repeat(400));
      // A delivery counts subject + ack reply (~55) + payload, ~462 bytes: two fit in the 1024-byte
      // bucket and the third would wait some 360 s for its tokens.
      await jsm.consumers.add('pslow', { durable_name: 'slow', deliver_subject: 'pslow-out', ack_policy: AckPolicy.None, rate_limit_bps: 8 });
      const c = collector(nc, 'pslow-out');
      await c.reach(2);
      await nc.flush();
      const held = state(await info(jsm, 'pslow', 'slow'));
      c.sub.unsubscribe();
      return { received: c.got.length, held };
    });
    assert.deepEqual(got.leafgate, got.natsServer);
    assert.deepEqual(got.leafgate, { received: 2, held: 'delivered=2/3 pending=2 bound=true' });
  });
});
