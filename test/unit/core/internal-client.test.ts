// The internal client: code inside the server subscribing by callback and publishing through the
// router's one entry, beside socket clients. No sockets.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ConnectionKind } from '../../../src/core/index.js';
import type { Connection, InternalClient, MsgHandler, Router, Subscription } from '../../../src/core/index.js';
import { KEEP_BY_REFERENCE } from '../../../src/util/index.js';
import { RecordingLog, memoryClient, messagesIn, routerConfig, testRouter, usersAuthenticator } from './socketless.js';

const HEADERS = '{"verbose":false,"pedantic":false,"headers":true}';

interface Seen {
  subject: string;
  reply: string;
  hdr: string;
  body: string;
  sub: Subscription;
  from: Connection;
}

/** A handler that records what it was handed, read during the call (the views are borrowed). */
function recorder(): { seen: Seen[]; handler: MsgHandler } {
  const seen: Seen[] = [];
  const handler: MsgHandler = (msg, sub, from) => {
    const hdrEnd = msg.start + msg.hdrLen;
    seen.push({
      subject: msg.subject,
      reply: msg.reply,
      hdr: msg.data.toString('latin1', msg.start, hdrEnd),
      body: msg.data.toString('latin1', hdrEnd, msg.end),
      sub,
      from,
    });
  };
  return { seen, handler };
}

function internal(router: Router, name = 'test'): InternalClient {
  return router.createInternalClient(ConnectionKind.System, router.globalAccount(), name);
}

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

test('a handler gets the subject, reply, header block and payload of an HPUB exactly', async (t) => {
  const router = testRouter(t);
  const ic = internal(router);
  const { seen, handler } = recorder();
  const sub = ic.subscribe('svc.>', null, handler);
  const client = await memoryClient(router, HEADERS);
  const hdr = 'NATS/1.0\r\nK: v\xe9\r\n\r\n';
  const body = 'p\x00\r\n\xffload';
  client.send(`HPUB svc.\xe9t _INBOX.\xff1 ${hdr.length} ${hdr.length + body.length}\r\n${hdr}${body}\r\n`);
  client.send('PUB svc.plain 3\r\nabc\r\n');
  assert.deepEqual(seen, [
    { subject: 'svc.\xe9t', reply: '_INBOX.\xff1', hdr, body, sub, from: client.conn },
    { subject: 'svc.plain', reply: '', hdr: '', body: 'abc', sub, from: client.conn },
  ]);
  assert.equal(await client.received(), '', 'the publisher gets no error');
  assert.deepEqual([ic.outMsgs, sub.delivered], [2, 2]);
});

test('an internal queue subscriber is one member of a group among clients', async (t) => {
  const router = testRouter(t);
  const ic = internal(router);
  const { seen, handler } = recorder();
  ic.subscribe('work', 'q', handler);
  const members = [await memoryClient(router), await memoryClient(router)];
  for (const m of members) m.send('SUB work q 1\r\n');
  const publisher = await memoryClient(router);
  const n = 300;
  let text = '';
  for (let i = 0; i < n; i++) text += `PUB work ${String(i).length}\r\n${i}\r\n`;
  publisher.send(text);
  const shares = [seen.map((s) => s.body)];
  for (const m of members) shares.push(messagesIn(await m.received()).map((msg) => msg.body));
  for (const share of shares) assert.ok(share.length > 0, 'every member gets a share');
  assert.deepEqual(
    shares.flat().sort((a, b) => Number(a) - Number(b)),
    Array.from({ length: n }, (_, i) => String(i)),
  );
});

test('an internal subscription with a max is removed after that many deliveries', async (t) => {
  const router = testRouter(t);
  const ic = internal(router);
  const { seen, handler } = recorder();
  const sub = ic.subscribe('m', null, handler);
  sub.max = 2;
  const publisher = await memoryClient(router);
  publisher.send('PUB m 1\r\n1\r\nPUB m 1\r\n2\r\nPUB m 1\r\n3\r\n');
  assert.deepEqual(seen.map((s) => s.body), ['1', '2']);
  assert.equal(sub.closed, true);
  assert.equal(ic.subs.size, 0);
  assert.equal(router.subscriptionCount(), 0);
});

test('a publish from code reaches clients as MSG or HMSG with exact bytes', async (t) => {
  const router = testRouter(t);
  const ic = internal(router);
  const withHeaders = await memoryClient(router, HEADERS);
  const without = await memoryClient(router);
  withHeaders.send('SUB out.> 5\r\n');
  without.send('SUB out.> 6\r\n');
  const hdr = 'NATS/1.0\r\nX: 1\r\n\r\n';
  assert.equal(ic.publish('out.a', '', null, latin1('plain')), 2);
  assert.equal(ic.publish('out.\xe9', 'rep.\xff', latin1(hdr), latin1('b\x00dy')), 2);
  assert.equal(ic.publish('out.c', 'rep.2', null, null), 2);
  assert.equal(ic.publish('out.d', '', latin1(hdr), null), 2);
  assert.equal(
    await withHeaders.received(),
    'MSG out.a 5 5\r\nplain\r\n' +
      `HMSG out.\xe9 5 rep.\xff ${hdr.length} ${hdr.length + 4}\r\n${hdr}b\x00dy\r\n` +
      'MSG out.c 5 rep.2 0\r\n\r\n' +
      `HMSG out.d 5 ${hdr.length} ${hdr.length}\r\n${hdr}\r\n`,
  );
  assert.equal(
    await without.received(),
    'MSG out.a 6 5\r\nplain\r\n' + 'MSG out.\xe9 6 rep.\xff 4\r\nb\x00dy\r\n' + 'MSG out.c 6 rep.2 0\r\n\r\n' + 'MSG out.d 6 0\r\n\r\n',
  );
  assert.deepEqual([ic.inMsgs, router.stats.inMsgs, router.stats.outMsgs], [4, 4, 8]);
});

test('answer() delivers to the reply subject like a publish, and leaves the match cache alone', async (t) => {
  const router = testRouter(t);
  const service = internal(router, 'service');
  const requester = await memoryClient(router, HEADERS);
  requester.send('SUB _INBOX.r.* 4\r\n');
  const watcher = internal(router, 'watcher');
  const { seen, handler } = recorder();
  watcher.subscribe('_INBOX.>', null, handler);
  const hdr = 'NATS/1.0\r\n\r\n';
  for (let i = 1; i <= 3; i++) assert.equal(service.answer(`_INBOX.r.${i % 2}`, latin1(hdr), latin1(`a${i}`)), 2);
  assert.equal(await requester.received(), [1, 2, 3].map((i) => `HMSG _INBOX.r.${i % 2} 4 ${hdr.length} ${hdr.length + 2}\r\n${hdr}a${i}\r\n`).join(''));
  assert.deepEqual(
    seen.map((s) => [s.subject, s.reply, s.body]),
    [1, 2, 3].map((i) => [`_INBOX.r.${i % 2}`, '', `a${i}`]),
  );
  assert.equal(router.globalAccount().sublist.stats().num_cache, 0, 'answered subjects are not cached, even one answered twice');
  assert.deepEqual([service.inMsgs, router.stats.inMsgs], [3, 3]);
});

test('a handler publishing from inside its delivery (nested twice) leaves the outer deliveries intact', async (t) => {
  const router = testRouter(t);
  const events: string[] = [];
  const service = internal(router, 'service');
  const observer = internal(router, 'observer');
  // Subscribed first, so each runs before the others on its subject (the sublist keeps insertion order).
  service.subscribe('svc', null, (msg, _sub, from) => {
    events.push(`service got ${msg.payload.toString('latin1')} from ${from === service ? 'itself' : 'another'}`);
    assert.equal(service.publish(msg.reply, '', null, latin1('answer-longer-than-the-question')), 2);
    events.push('service replied');
  });
  service.subscribe('_INBOX.n.*', null, (msg) => {
    events.push(`service saw its reply on ${msg.subject}`);
    assert.equal(service.publish('audit', 'audit.reply', null, latin1('A')), 1);
  });
  const requester = await memoryClient(router);
  requester.send('SUB _INBOX.n.* 9\r\n');
  const other = await memoryClient(router);
  other.send('SUB svc 3\r\n');
  const auditor = await memoryClient(router);
  auditor.send('SUB audit 1\r\n');
  observer.subscribe('svc', null, (msg) => events.push(`observer got ${msg.subject} ${msg.reply} ${msg.payload.toString('latin1')}`));

  assert.equal(service.publish('svc', '_INBOX.n.1', null, latin1('question')), 3);
  assert.deepEqual(events, [
    'service got question from itself',
    'service saw its reply on _INBOX.n.1',
    'service replied',
    'observer got svc _INBOX.n.1 question',
  ]);
  assert.equal(await other.received(), 'MSG svc 3 _INBOX.n.1 8\r\nquestion\r\n');
  assert.equal(await requester.received(), 'MSG _INBOX.n.1 9 31\r\nanswer-longer-than-the-question\r\n');
  assert.equal(await auditor.received(), 'MSG audit 1 audit.reply 1\r\nA\r\n');
});

test('a handler that throws is logged; the publisher and the other subscribers are unaffected', async (t) => {
  const log = new RecordingLog();
  const router = testRouter(t, routerConfig(log));
  const faulty = internal(router, 'faulty');
  let calls = 0;
  faulty.subscribe('boom', null, () => {
    calls++;
    throw new Error('handler bug');
  });
  const { seen, handler } = recorder();
  internal(router, 'healthy').subscribe('boom', null, handler);
  const client = await memoryClient(router);
  client.send('SUB boom 1\r\n');
  const publisher = await memoryClient(router);
  publisher.send('PUB boom 1\r\n1\r\nPUB boom 1\r\n2\r\n');
  assert.equal(calls, 2, 'still subscribed after throwing');
  assert.deepEqual(seen.map((s) => s.body), ['1', '2']);
  assert.deepEqual(messagesIn(await client.received()).map((m) => m.body), ['1', '2']);
  assert.equal(await publisher.received(), '');
  assert.equal(publisher.conn.closed, false);
  assert.equal(log.errors.length, 2);
  assert.match(log.errors[0], /^faulty - cid:\d+ - internal error handling a message on "boom": Error: handler bug/);

  const code = internal(router, 'publisher');
  assert.equal(code.publish('boom', '', null, latin1('3')), 3, 'a publish from code counts the throwing subscriber too');
  assert.equal(seen.length, 3);
});

test('a receiving client permissions apply to messages from code: deny filter and response grants', async (t) => {
  const users = {
    limited: { subscribe: { deny: ['secret.>'] } },
    responder: { allowResponses: { max: 1, expiresMs: 60_000 } },
  };
  const router = testRouter(t, { ...routerConfig(), authenticator: usersAuthenticator(users) });
  const ic = internal(router);
  const limited = await memoryClient(router, '{"verbose":false,"pedantic":false,"user":"limited"}');
  limited.send('SUB > 1\r\n');
  await limited.received();
  assert.equal(ic.publish('secret.x', '', null, latin1('no')), 0);
  assert.equal(ic.publish('open.x', '', null, latin1('yes')), 1);
  assert.equal(await limited.received(), 'MSG open.x 1 3\r\nyes\r\n');

  const { seen, handler } = recorder();
  ic.subscribe('_INBOX.ic.*', null, handler);
  const responder = await memoryClient(router, '{"verbose":false,"pedantic":false,"user":"responder"}');
  responder.send('SUB svc 1\r\n');
  await responder.received();
  responder.send('PUB _INBOX.ic.1 6\r\nbefore\r\n');
  assert.match(await responder.received(), /^-ERR 'Permissions Violation for Publish to "_INBOX\.ic\.1"'\r\n$/, 'no grant before the request');
  ic.publish('svc', '_INBOX.ic.1', null, latin1('q'));
  assert.equal(await responder.received(), 'MSG svc 1 _INBOX.ic.1 1\r\nq\r\n');
  responder.send('PUB _INBOX.ic.1 6\r\nanswer\r\nPUB _INBOX.ic.1 5\r\nagain\r\n');
  assert.match(await responder.received(), /^-ERR 'Permissions Violation for Publish to "_INBOX\.ic\.1"'\r\n$/, 'the grant was for one reply');
  assert.deepEqual(seen.map((s) => `${s.subject}:${s.body}`), ['_INBOX.ic.1:answer']);
});

test('messages from code arrive intact after the publisher reuses its buffers, small or by reference', async (t) => {
  const router = testRouter(t);
  const ic = internal(router);
  const client = await memoryClient(router, HEADERS);
  client.send('SUB data 1\r\n');
  await client.received();
  const hdr = latin1('NATS/1.0\r\n\r\n');
  const big = KEEP_BY_REFERENCE;
  const expected: string[] = [];
  const publish = (h: Buffer | null, body: Uint8Array): void => {
    expected.push((h === null ? '' : h.toString('latin1')) + Buffer.from(body).toString('latin1'));
    ic.publish('data', '', h, body);
  };
  // All in one turn: nothing is written until every publish is done, so reused memory would show.
  publish(null, latin1('a'.repeat(300)));
  publish(null, latin1('b'.repeat(20)));
  publish(hdr, latin1('c'.repeat(big)));
  publish(hdr, latin1('d'.repeat(big + 7)));
  publish(null, Buffer.alloc(big * 2, 'e'));
  publish(null, latin1('f'));
  // The caller's bytes are borrowed for the call, except a Buffer of KEEP_BY_REFERENCE or more sent
  // without headers: reusing those afterwards is allowed.
  const small = latin1('g'.repeat(100));
  publish(null, small);
  small.fill('x');
  const bigArray = new Uint8Array(big + 1).fill(0x68);
  publish(null, bigArray);
  bigArray.fill(0x78);
  const bigWithHeaders = latin1('i'.repeat(big));
  publish(hdr, bigWithHeaders);
  bigWithHeaders.fill('x');
  const got = messagesIn(await client.received()).map((m) => m.hdr + m.body);
  assert.equal(got.length, expected.length);
  for (let i = 0; i < got.length; i++) assert.ok(got[i] === expected[i], `message ${i} intact (${expected[i].slice(-3)})`);
});

test('closing an internal client removes its subscriptions', async (t) => {
  const router = testRouter(t);
  const ic = internal(router);
  const { seen, handler } = recorder();
  ic.subscribe('a', null, handler);
  ic.subscribe('b.*', 'q', handler);
  const client = await memoryClient(router);
  client.send('SUB a 1\r\n');
  assert.equal(router.subscriptionCount(), 3);
  ic.close('shutdown');
  assert.deepEqual([ic.closed, ic.closeReason, ic.subs.size, router.subscriptionCount()], [true, 'shutdown', 0, 1]);
  client.send('PUB a 1\r\n1\r\nPUB b.x 1\r\n2\r\n');
  assert.deepEqual(seen, []);
  assert.equal(ic.publish('a', '', null, latin1('x')), 0, 'a closed client publishes nothing');
  assert.deepEqual(messagesIn(await client.received()).map((m) => m.body), ['1']);
});

test('a request taken only by an internal subscriber is not a no-responders case', async (t) => {
  const router = testRouter(t);
  const ic = internal(router);
  const { seen, handler } = recorder();
  ic.subscribe('svc', null, handler);
  const requester = await memoryClient(router, '{"verbose":false,"pedantic":false,"headers":true,"no_responders":true}');
  requester.send('SUB _INBOX.r.* 1\r\nPUB svc _INBOX.r.1 1\r\nq\r\n');
  assert.equal(await requester.received(), '');
  assert.deepEqual(seen.map((s) => s.reply), ['_INBOX.r.1']);

  ic.close('gone');
  requester.send('PUB svc _INBOX.r.2 1\r\nq\r\n');
  assert.equal(await requester.received(), 'HMSG _INBOX.r.2 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\n');
});
