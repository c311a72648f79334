// Router and client connection with no sockets: who gets a message, and in what bytes.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RecordingLog, memoryClient, messagesIn, routerConfig, testRouter, usersAuthenticator } from './socketless.js';

const HEADERS = '{"verbose":false,"pedantic":false,"headers":true}';

/** `count` PUBs of `subject` whose bodies are their index, in one read. */
function pubs(subject: string, count: number, reply = ''): string {
  let text = '';
  for (let i = 0; i < count; i++) text += `PUB ${subject}${reply === '' ? '' : ' ' + reply} ${String(i).length}\r\n${i}\r\n`;
  return text;
}

function bodies(text: string): string[] {
  return messagesIn(text).map((m) => m.body);
}

test('each queue group gets a message once, beside plain subscribers, and every member gets a share', async (t) => {
  const router = testRouter(t);
  const plain = await memoryClient(router);
  const g1 = [await memoryClient(router), await memoryClient(router)];
  const g2 = [await memoryClient(router), await memoryClient(router)];
  const g3 = await memoryClient(router);
  const publisher = await memoryClient(router);
  plain.send('SUB q.> 1\r\n');
  g1[0].send('SUB q.x g1 1\r\n');
  g1[1].send('SUB q.x g1 1\r\n');
  // One group across two subject nodes: the group is its name, whichever subjects its members chose.
  g2[0].send('SUB q.* g2 1\r\n');
  g2[1].send('SUB q.x g2 1\r\n');
  g3.send('SUB q.x g3 1\r\n');
  const n = 300;
  publisher.send(pubs('q.x', n));
  const all = Array.from({ length: n }, (_, i) => String(i));
  const byNumber = (a: string, b: string): number => Number(a) - Number(b);

  assert.deepEqual(bodies(await plain.received()), all);
  assert.deepEqual(bodies(await g3.received()), all);
  for (const group of [g1, g2]) {
    const shares = [];
    for (const member of group) shares.push(bodies(await member.received()));
    for (const share of shares) assert.ok(share.length > 0, `a member got none of ${n}`);
    assert.deepEqual(shares.flat().sort(byNumber), all, 'every message exactly once per group');
  }
  assert.equal(router.stats.outMsgs, 4 * n);
  assert.equal(await publisher.received(), '');
});

test('echo false: no delivery to the publisher itself, plain or queue; others still get every message', async (t) => {
  const router = testRouter(t);
  const self = await memoryClient(router, '{"verbose":false,"pedantic":false,"echo":false}');
  const peer = await memoryClient(router);
  self.send('SUB e 1\r\nSUB e g 2\r\n');
  peer.send('SUB e g 1\r\n');
  self.send(pubs('e', 50));
  assert.equal(await self.received(), '');
  assert.equal(bodies(await peer.received()).length, 50, 'the queue group always falls to the other member');

  // From someone else, the echo-less client is an ordinary subscriber.
  peer.send('PUB e 2\r\nhi\r\n');
  const got = messagesIn(await self.received());
  assert.deepEqual(got.find((m) => m.sid === '1'), { subject: 'e', sid: '1', reply: '', hdr: '', body: 'hi' });
});

test('echo on (the default): a client gets its own message', async (t) => {
  const router = testRouter(t);
  const c = await memoryClient(router);
  c.send('SUB me 1\r\nPUB me 2\r\nok\r\n');
  assert.equal(await c.received(), 'MSG me 1 2\r\nok\r\n');
});

test('a subscribe deny filters deliveries to a wildcard subscription, and passes a queue message to another member', async (t) => {
  const users = {
    limited: { subscribe: { deny: ['secret.>', 'jobs.secret'] } },
    free: undefined,
  };
  const router = testRouter(t, { ...routerConfig(), authenticator: usersAuthenticator(users) });
  const limited = await memoryClient(router, '{"verbose":false,"pedantic":false,"user":"limited"}');
  const worker = await memoryClient(router, '{"verbose":false,"pedantic":false,"user":"free"}');
  const publisher = await memoryClient(router, '{"verbose":false,"pedantic":false,"user":"free"}');
  limited.send('SUB > 1\r\nSUB jobs.* w 2\r\n');
  worker.send('SUB jobs.* w 1\r\n');
  assert.equal(await limited.received(), '', 'both subscriptions were allowed');

  publisher.send('PUB secret.a 1\r\na\r\nPUB public.a 1\r\nb\r\nPUB secret.b.c 1\r\nc\r\nPUB public.b 1\r\nd\r\n');
  assert.deepEqual(
    messagesIn(await limited.received()).map((m) => `${m.subject}:${m.body}`),
    ['public.a:b', 'public.b:d'],
  );

  publisher.send(pubs('jobs.secret', 20));
  assert.equal(bodies(await worker.received()).length, 20, 'the denied member is skipped, the group still gets each one');
  assert.deepEqual(messagesIn(await limited.received()).filter((m) => m.sid === '2'), []);
});

test('UNSUB with a max delivers exactly that many, then the subscription is gone', async (t) => {
  const router = testRouter(t);
  const sub = await memoryClient(router);
  const publisher = await memoryClient(router);
  sub.send('SUB u 1\r\nUNSUB 1 3\r\n');
  assert.equal(router.subscriptionCount(), 1);
  publisher.send(pubs('u', 5));
  assert.deepEqual(bodies(await sub.received()), ['0', '1', '2']);
  assert.equal(sub.conn.subs.size, 0);
  assert.equal(router.subscriptionCount(), 0);
});

test('UNSUB with a max at or below what was delivered removes the subscription at once', async (t) => {
  const router = testRouter(t);
  const sub = await memoryClient(router);
  const publisher = await memoryClient(router);
  sub.send('SUB below 1\r\nSUB equal 2\r\nSUB above 3\r\n');
  publisher.send(pubs('below', 4) + pubs('equal', 2) + pubs('above', 2));
  assert.equal(bodies(await sub.received()).length, 8);
  sub.send('UNSUB 1 2\r\nUNSUB 2 2\r\nUNSUB 3 3\r\n');
  assert.deepEqual([...sub.conn.subs.keys()], ['3']);
  publisher.send(pubs('below', 1) + pubs('equal', 1) + pubs('above', 3));
  assert.deepEqual(
    messagesIn(await sub.received()).map((m) => `${m.subject}:${m.body}`),
    ['above:0'],
    'only the one message left to the third',
  );
  assert.equal(router.subscriptionCount(), 0);
});

test('a subscriber over max_pending is closed as a slow consumer; the others are still served', async (t) => {
  const log = new RecordingLog();
  const cfg = routerConfig(log);
  const router = testRouter(t, { ...cfg, limits: { ...cfg.limits, maxPending: 4096 } });
  const slow = await memoryClient(router);
  const fast = await memoryClient(router);
  const publisher = await memoryClient(router);
  slow.send('SUB s 1\r\n');
  fast.send('SUB s 1\r\n');
  // The peer stopped reading: the kernel holds more than max_pending already.
  slow.socket.writableLength = 4097;
  publisher.send('PUB s 5\r\nfirst\r\n');
  assert.equal(slow.conn.closed, true);
  assert.equal(slow.conn.closeReason, 'Slow Consumer (Pending Bytes)');
  assert.equal(slow.socket.destroyed, true);
  assert.equal(router.stats.slowConsumers, 1);
  assert.ok(log.warnings.some((w) => w.includes('Slow Consumer Detected: MaxPending of 4096 Exceeded')), log.warnings.join('\n'));
  assert.equal(router.conns.has(slow.conn.cid), false);

  publisher.send('PUB s 6\r\nsecond\r\n');
  assert.deepEqual(bodies(await fast.received()), ['first', 'second']);
  assert.equal(await slow.received(), '', 'nothing is written to a slow consumer once cut');
  assert.equal(router.stats.slowConsumers, 1);
  assert.equal(publisher.conn.closed, false);
});

test('a burst that fills a subscriber past max_pending within one turn cuts it, and its queued bytes are dropped', async (t) => {
  const cfg = routerConfig();
  const router = testRouter(t, { ...cfg, limits: { ...cfg.limits, maxPending: 4096 } });
  const sub = await memoryClient(router);
  const publisher = await memoryClient(router);
  sub.send('SUB burst 1\r\n');
  const body = 'x'.repeat(1000);
  publisher.send(`PUB burst 1000\r\n${body}\r\n`.repeat(10));
  assert.equal(sub.conn.closeReason, 'Slow Consumer (Pending Bytes)');
  assert.equal(await sub.received(), '');
  assert.equal(router.stats.slowConsumers, 1);
  // Each delivery queues 1020 bytes: the fifth takes it past 4096.
  assert.equal(sub.conn.outMsgs, 5);
});

test('no_responders: a request nobody receives gets the 503 status on the requester reply subscription', async (t) => {
  const router = testRouter(t);
  const requester = await memoryClient(router, '{"verbose":false,"pedantic":false,"headers":true,"no_responders":true}');
  const plainRequester = await memoryClient(router, HEADERS);
  requester.send('SUB _INBOX.r.* 7\r\nPUB nobody _INBOX.r.1 2\r\nhi\r\n');
  assert.equal(await requester.received(), 'HMSG _INBOX.r.1 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\n');

  plainRequester.send('SUB _INBOX.p.* 1\r\nPUB nobody _INBOX.p.1 2\r\nhi\r\n');
  assert.equal(await plainRequester.received(), '', 'only a client that asked for it');

  const responder = await memoryClient(router);
  responder.send('SUB somebody 1\r\n');
  requester.send('PUB somebody _INBOX.r.2 2\r\nhi\r\n');
  assert.equal(await requester.received(), '');
  assert.equal(await responder.received(), 'MSG somebody 1 _INBOX.r.2 2\r\nhi\r\n');
});

test('headers reach a client that negotiated them byte for byte, and are stripped for one that did not', async (t) => {
  const router = testRouter(t);
  const withHeaders = await memoryClient(router, HEADERS);
  const without = await memoryClient(router);
  const publisher = await memoryClient(router, HEADERS);
  withHeaders.send('SUB h.* 1\r\n');
  without.send('SUB h.* 2\r\n');
  const hdr = 'NATS/1.0\r\nK: v\xe9\r\n\r\n';
  const body = 'b\x00\xffdy';
  publisher.send(`HPUB h.x r.1 ${hdr.length} ${hdr.length + body.length}\r\n${hdr}${body}\r\n`);
  assert.equal(await withHeaders.received(), `HMSG h.x 1 r.1 ${hdr.length} ${hdr.length + body.length}\r\n${hdr}${body}\r\n`);
  assert.equal(await without.received(), `MSG h.x 2 r.1 ${body.length}\r\n${body}\r\n`);

  // A header block with an empty body leaves an empty MSG.
  publisher.send(`HPUB h.y ${hdr.length} ${hdr.length}\r\n${hdr}\r\n`);
  assert.equal(await without.received(), 'MSG h.y 2 0\r\n\r\n');
});
