// Publish/subscribe through the official client: wildcards, queue groups, auto-unsubscribe, echo, drain.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestError } from '@nats-io/transport-node';
import { gather, serverWithClients } from '../../helpers/nats-client.js';

test('* matches exactly one token and > one or more', async (t) => {
  const { client } = await serverWithClients(t);
  const sub = await client();
  const pub = await client();
  const star = gather(sub.subscribe('orders.*'));
  const tail = gather(sub.subscribe('orders.>'));
  const mid = gather(sub.subscribe('orders.*.shipped'));
  await sub.flush();

  for (const s of ['orders', 'orders.1', 'orders.1.shipped', 'orders.1.2.shipped', 'other.1']) pub.publish(s, s);
  await pub.flush();
  await sub.flush();

  assert.deepEqual(star, ['orders.1']);
  assert.deepEqual(tail, ['orders.1', 'orders.1.shipped', 'orders.1.2.shipped']);
  assert.deepEqual(mid, ['orders.1.shipped']);
});

test('queue groups: one member per group gets each message, plain subscribers get all, groups are independent', async (t) => {
  const { client } = await serverWithClients(t);
  const members = await Promise.all([client(), client(), client(), client()]);
  const plainConn = await client();
  const pub = await client();
  const workers = members.slice(0, 3).map((nc) => gather(nc.subscribe('jobs.>', { queue: 'workers' })));
  const auditors = [gather(members[3]!.subscribe('jobs.*', { queue: 'audit' })), gather(members[0]!.subscribe('jobs.new', { queue: 'audit' }))];
  const plain = gather(plainConn.subscribe('jobs.new'));
  await Promise.all([...members, plainConn].map((nc) => nc.flush()));

  const n = 60;
  for (let i = 0; i < n; i++) pub.publish('jobs.new', String(i));
  await pub.flush();
  await Promise.all([...members, plainConn].map((nc) => nc.flush()));

  const expected = Array.from({ length: n }, (_, i) => String(i));
  const workersGot = workers.flat();
  assert.equal(workersGot.length, n, 'each message to exactly one worker');
  assert.deepEqual([...workersGot].sort(), [...expected].sort());
  const auditGot = auditors.flat();
  assert.equal(auditGot.length, n, 'each message to exactly one auditor');
  assert.deepEqual([...auditGot].sort(), [...expected].sort());
  assert.deepEqual(plain, expected, 'the plain subscriber gets every message in order');
  assert.ok(workers.filter((w) => w.length > 0).length >= 2, 'messages are spread over the group members');
});

test('a queue member that leaves no longer receives; the rest of the group takes over', async (t) => {
  const { client } = await serverWithClients(t);
  const a = await client();
  const b = await client();
  const pub = await client();
  const subA = a.subscribe('work', { queue: 'q' });
  const gotA = gather(subA);
  const gotB = gather(b.subscribe('work', { queue: 'q' }));
  await Promise.all([a.flush(), b.flush()]);
  subA.unsubscribe();
  await a.flush();

  for (let i = 0; i < 10; i++) pub.publish('work', String(i));
  await pub.flush();
  await Promise.all([a.flush(), b.flush()]);
  assert.equal(gotA.length, 0);
  assert.equal(gotB.length, 10);
});

test('unsubscribe(n) and {max: n} stop delivery after n messages', async (t) => {
  const { client } = await serverWithClients(t);
  const sub = await client();
  const pub = await client();
  const byMax = sub.subscribe('limited', { max: 3 });
  const gotMax = gather(byMax);
  const later = sub.subscribe('limited');
  const gotLater = gather(later);
  later.unsubscribe(2);
  await sub.flush();

  for (let i = 0; i < 6; i++) pub.publish('limited', String(i));
  await pub.flush();
  await sub.flush();

  assert.deepEqual(gotMax, ['0', '1', '2']);
  assert.deepEqual(gotLater, ['0', '1']);
  assert.equal(byMax.isClosed(), true);
  assert.equal(later.isClosed(), true);
});

test('the server stops delivering after the UNSUB max even to a client that would still accept', async (t) => {
  // The client drops messages for a sid it has closed, which would hide a server that kept delivering;
  // the connection's inbound count sees every MSG that arrived on the socket.
  const { client } = await serverWithClients(t);
  const sub = await client();
  const pub = await client();
  const capped = sub.subscribe('cap', { max: 2 });
  gather(capped);
  await sub.flush();
  for (let i = 0; i < 5; i++) pub.publish('cap', String(i));
  await pub.flush();
  await sub.flush();
  assert.equal(capped.getReceived(), 2);
  assert.equal(sub.stats().inMsgs, 2, 'the server sent only two MSGs');
});

test('noEcho: a client does not receive its own messages, others still do', async (t) => {
  const { client } = await serverWithClients(t);
  const quiet = await client({ noEcho: true });
  const other = await client();
  const own = gather(quiet.subscribe('talk'));
  const seen = gather(other.subscribe('talk'));
  await Promise.all([quiet.flush(), other.flush()]);

  quiet.publish('talk', 'from-quiet');
  other.publish('talk', 'from-other');
  await Promise.all([quiet.flush(), other.flush()]);
  await Promise.all([quiet.flush(), other.flush()]);
  assert.deepEqual(own, ['from-other'], 'the noEcho connection gets only the other message');
  assert.deepEqual([...seen].sort(), ['from-other', 'from-quiet']);
});

test('drain delivers what was in flight, then closes the connection', async (t) => {
  const { client } = await serverWithClients(t);
  const sub = await client();
  const pub = await client();
  const got = gather(sub.subscribe('drained'));
  await sub.flush();
  for (let i = 0; i < 100; i++) pub.publish('drained', String(i));
  await pub.flush();
  await sub.drain();
  assert.equal(sub.isClosed(), true);
  assert.equal(got.length, 100);
  assert.deepEqual(got, Array.from({ length: 100 }, (_, i) => String(i)));

  // The server forgot the drained connection's interest: a request now finds no responders.
  await assert.rejects(pub.request('drained', 'x', { timeout: 2000 }), (err: unknown) => err instanceof RequestError && err.isNoResponders());
});
