// PUB/HPUB in, MSG/HMSG out: exact frames, separators, split reads, UNSUB max, re-SUB, no-responders.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MODERN, QUIET, connected, leafgateForFile } from './harness.js';

const server = leafgateForFile();

const NO_RESPONDERS = 'NATS/1.0 503\r\n\r\n\r\n';

test('PUB without and with a reply subject; MSG has sid before the reply', async () => {
  const c = await connected(server().port);
  c.send('SUB foo 1\r\nPUB foo 2\r\nhi\r\nPUB foo my.reply 3\r\nabc\r\nPUB foo 0\r\n\r\n');
  assert.equal(await c.sync(), 'MSG foo 1 2\r\nhi\r\nMSG foo 1 my.reply 3\r\nabc\r\nMSG foo 1 0\r\n\r\n');
  c.close();
});

test('a size with leading zeros is echoed verbatim in MSG', async () => {
  const c = await connected(server().port);
  c.send('SUB foo 1\r\nPUB foo 002\r\nab\r\nPUB foo r 000\r\n\r\n');
  assert.equal(await c.sync(), 'MSG foo 1 002\r\nab\r\nMSG foo 1 r 000\r\n\r\n');
  c.close();
});

test('payload bytes are opaque: CRLF and protocol words inside a payload are data', async () => {
  const c = await connected(server().port);
  c.send('SUB foo 1\r\nPUB foo 15\r\nPING\r\nSUB x 2\r\n\r\n');
  assert.equal(await c.sync(), 'MSG foo 1 15\r\nPING\r\nSUB x 2\r\n\r\n');
  c.close();
});

test('binary payload bytes arrive unchanged', async () => {
  const c = await connected(server().port);
  const body = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  c.send('SUB bin 1\r\n');
  c.send(Buffer.concat([Buffer.from('PUB bin 256\r\n'), body, Buffer.from('\r\n')]));
  assert.equal(await c.sync(), `MSG bin 1 256\r\n${body.toString('latin1')}\r\n`);
  c.close();
});

test('MSG carries the published subject, one copy per matching subscription', async () => {
  const c = await connected(server().port);
  c.send('SUB a.* 1\r\nSUB a.> 2\r\nSUB a.b 3\r\nSUB b 4\r\n');
  assert.equal(await c.sync(), '');
  c.send('PUB a.b 1\r\nx\r\n');
  const got = (await c.sync()).split(/(?<=x\r\n)/).sort();
  assert.deepEqual(got, ['MSG a.b 1 1\r\nx\r\n', 'MSG a.b 2 1\r\nx\r\n', 'MSG a.b 3 1\r\nx\r\n']);
  c.close();
});

test('HPUB to a headers subscriber arrives as HMSG with both sizes', async () => {
  const c = await connected(server().port, MODERN);
  c.send('SUB h 1\r\nHPUB h 18 20\r\nNATS/1.0\r\nA: b\r\n\r\nhi\r\nHPUB h rep 12 12\r\nNATS/1.0\r\n\r\n\r\n');
  assert.equal(await c.sync(), 'HMSG h 1 18 20\r\nNATS/1.0\r\nA: b\r\n\r\nhi\r\nHMSG h 1 rep 12 12\r\nNATS/1.0\r\n\r\n\r\n');
  c.close();
});

test('HPUB with 0 header bytes is delivered as a plain MSG', async () => {
  const c = await connected(server().port, MODERN);
  c.send('SUB h 1\r\nHPUB h 0 2\r\nhi\r\nHPUB h r 0 0\r\n\r\n');
  assert.equal(await c.sync(), 'MSG h 1 2\r\nhi\r\nMSG h 1 r 0\r\n\r\n');
  c.close();
});

test('headers are stripped for a subscriber that did not negotiate headers', async () => {
  const pub = await connected(server().port, MODERN);
  const plain = await connected(server().port, QUIET);
  plain.send('SUB h 7\r\n');
  assert.equal(await plain.sync(), '');
  pub.send('HPUB h rep 18 20\r\nNATS/1.0\r\nA: b\r\n\r\nhi\r\nHPUB h 12 12\r\nNATS/1.0\r\n\r\n\r\n');
  assert.equal(await pub.sync(), '');
  assert.equal(await plain.sync(), 'MSG h 7 rep 2\r\nhi\r\nMSG h 7 0\r\n\r\n');
  pub.close();
  plain.close();
});

test('a plain PUB reaches a headers subscriber as MSG', async () => {
  const c = await connected(server().port, MODERN);
  c.send('SUB p 1\r\nPUB p 1\r\nx\r\n');
  assert.equal(await c.sync(), 'MSG p 1 1\r\nx\r\n');
  c.close();
});

test('op names are case-insensitive', async () => {
  const c = await connected(server().port, null);
  c.send('connect {"verbose":false}\r\nsub foo 1\r\nPuB foo 1\r\nx\r\nsUb bar 2\r\nUnSuB 2\r\npub bar 1\r\ny\r\nPiNg\r\n');
  assert.equal(await c.expect('PONG\r\n'), 'MSG foo 1 1\r\nx\r\nPONG\r\n');
  c.send('CONNECT {"verbose":false,"headers":true}\r\nHpUb foo 0 1\r\nz\r\n');
  assert.equal(await c.sync(), 'MSG foo 1 1\r\nz\r\n');
  c.close();
});

test('tabs and runs of blanks separate arguments; trailing blanks are ignored', async () => {
  const c = await connected(server().port);
  c.send('SUB\tfoo\t \tq  1 \t\r\nPUB  foo\t\tbar \t2\t\r\nhi\r\nUNSUB\t1\t\r\nPUB foo 1\r\nx\r\n');
  assert.equal(await c.sync(), 'MSG foo 1 bar 2\r\nhi\r\n');
  c.close();
});

test('a bare LF ends a control line (the server still answers with CRLF)', async () => {
  const c = await connected(server().port);
  c.send('SUB foo 1\nPUB foo 2\nhi\r\nPING\n');
  assert.equal(await c.expect('PONG\r\n'), 'MSG foo 1 2\r\nhi\r\nPONG\r\n');
  c.close();
});

test('text after PING/PONG, and +OK or INFO from a client, are ignored', async () => {
  const c = await connected(server().port);
  c.send('PING and more\r\n+OK\r\nINFO {"x":1}\r\nPONG whatever\r\n');
  assert.equal(await c.expect('PONG\r\n'), 'PONG\r\n');
  assert.equal(await c.sync(), '');
  c.close();
});

test('text after PING/PONG/+OK is ignored however long, across many socket reads', async () => {
  const c = await connected(server().port);
  c.send(`PING ${'x'.repeat(100_000)}\r\n+OK ${'y'.repeat(100_000)}\r\nPONG ${'z'.repeat(100_000)}\r\n`);
  assert.equal(await c.expect('PONG\r\n'), 'PONG\r\n');
  assert.equal(await c.sync(), '');
  c.close();
});

test('frames split at every byte still parse', async () => {
  const c = await connected(server().port);
  const stream = 'SUB split 1\r\nPUB split r 5\r\nhello\r\nPUB split 003\r\nabc\r\n';
  for (const ch of stream) c.send(ch);
  assert.equal(await c.sync(), 'MSG split 1 r 5\r\nhello\r\nMSG split 1 003\r\nabc\r\n');
  c.close();
});

test('a payload larger than one socket read', async () => {
  const c = await connected(server().port);
  const body = 'q'.repeat(300_000);
  c.send(`SUB big 1\r\nPUB big ${body.length}\r\n${body}\r\n`);
  assert.equal(await c.sync(), `MSG big 1 ${body.length}\r\n${body}\r\n`);
  c.close();
});

test('UNSUB with max removes the subscription after that many deliveries', async () => {
  const c = await connected(server().port);
  c.send('SUB foo 1\r\nUNSUB 1 2\r\nPUB foo 1\r\na\r\nPUB foo 1\r\nb\r\nPUB foo 1\r\nc\r\n');
  assert.equal(await c.sync(), 'MSG foo 1 1\r\na\r\nMSG foo 1 1\r\nb\r\n');
  c.close();
});

test('UNSUB max counts deliveries already made; a max at or below them, 0, or a non-number removes at once', async () => {
  const c = await connected(server().port);
  c.send('SUB foo 1\r\nSUB foo 2\r\nSUB foo 3\r\nSUB foo 4\r\nPUB foo 1\r\na\r\nPUB foo 1\r\nb\r\n');
  assert.equal((await c.sync()).length, 4 * 2 * 'MSG foo 1 1\r\na\r\n'.length);
  c.send('UNSUB 1 3\r\nUNSUB 2 2\r\nUNSUB 3 0\r\nUNSUB 4 x\r\nPUB foo 1\r\nc\r\nPUB foo 1\r\nd\r\n');
  assert.equal(await c.sync(), 'MSG foo 1 1\r\nc\r\n');
  c.close();
});

test('UNSUB of an unknown sid is ignored', async () => {
  const c = await connected(server().port);
  c.send('SUB foo 1\r\nUNSUB 2\r\nPUB foo 1\r\nx\r\n');
  assert.equal(await c.sync(), 'MSG foo 1 1\r\nx\r\n');
  c.close();
});

test('re-SUB with an existing sid is ignored: the first subject stays', async () => {
  const c = await connected(server().port);
  c.send('SUB foo 1\r\nSUB bar 1\r\nSUB foo q 1\r\nPUB bar 1\r\nb\r\nPUB foo 1\r\nf\r\n');
  assert.equal(await c.sync(), 'MSG foo 1 1\r\nf\r\n');
  c.close();
});

test('sids are arbitrary tokens', async () => {
  const c = await connected(server().port);
  c.send('SUB foo abc-DEF_9 \r\nPUB foo 1\r\nx\r\n');
  assert.equal(await c.sync(), 'MSG foo abc-DEF_9 1\r\nx\r\n');
  c.close();
});

test('queue group: one member per message, plain subscribers get every message', async () => {
  const q1 = await connected(server().port);
  const q2 = await connected(server().port);
  const plain = await connected(server().port);
  q1.send('SUB jobs grp 1\r\n');
  q2.send('SUB jobs grp 1\r\n');
  plain.send('SUB jobs 1\r\n');
  for (const c of [q1, q2, plain]) assert.equal(await c.sync(), '');
  for (let i = 0; i < 20; i++) plain.send(`PUB jobs 2\r\n${String(i).padStart(2, '0')}\r\n`);
  const all = Array.from({ length: 20 }, (_, i) => `MSG jobs 1 2\r\n${String(i).padStart(2, '0')}\r\n`);
  assert.equal(await plain.sync(), all.join(''));
  const members = ((await q1.sync()) + (await q2.sync())).split(/(?<=\d\d\r\n)/).filter((f) => f !== '');
  assert.deepEqual(members.sort(), all);
  for (const c of [q1, q2, plain]) c.close();
});

test('no responders: the exact 503 HMSG goes to the requester inbox subscription', async () => {
  const c = await connected(server().port, MODERN);
  c.send('SUB _INBOX.abc.* 9\r\nPUB nobody.home _INBOX.abc.1 2\r\nhi\r\n');
  assert.equal(await c.sync(), `HMSG _INBOX.abc.1 9 16 16\r\n${NO_RESPONDERS}`);
  c.send('HPUB nobody.home _INBOX.abc.2 12 12\r\nNATS/1.0\r\n\r\n\r\n');
  assert.equal(await c.sync(), `HMSG _INBOX.abc.2 9 16 16\r\n${NO_RESPONDERS}`);
  c.close();
});

test('no responders: nothing without no_responders, without a reply, or without a matching inbox', async () => {
  const noFlag = await connected(server().port, '{"verbose":false,"headers":true}');
  noFlag.send('SUB _INBOX.a.* 1\r\nPUB nobody _INBOX.a.1 0\r\n\r\n');
  assert.equal(await noFlag.sync(), '');
  const c = await connected(server().port, MODERN);
  c.send('SUB _INBOX.b.* 1\r\nPUB nobody 0\r\n\r\nPUB nobody elsewhere.1 0\r\n\r\n');
  assert.equal(await c.sync(), '');
  noFlag.close();
  c.close();
});

test('no responders: a request with a responder gets the reply, not 503', async () => {
  const svc = await connected(server().port);
  const req = await connected(server().port, MODERN);
  svc.send('SUB svc 1\r\n');
  assert.equal(await svc.sync(), '');
  req.send('SUB _INBOX.r.* 1\r\nPUB svc _INBOX.r.1 1\r\nq\r\n');
  assert.equal(await req.sync(), '');
  assert.equal(await svc.sync(), 'MSG svc 1 _INBOX.r.1 1\r\nq\r\n');
  svc.send('PUB _INBOX.r.1 1\r\nA\r\n');
  assert.equal(await svc.sync(), '');
  assert.equal(await req.sync(), 'MSG _INBOX.r.1 1 1\r\nA\r\n');
  svc.close();
  req.close();
});

test('no responders with echo:false: a request only the requester could answer gets 503', async () => {
  const c = await connected(server().port, '{"verbose":false,"echo":false,"headers":true,"no_responders":true}');
  c.send('SUB svc 1\r\nSUB _INBOX.e.* 2\r\nPUB svc _INBOX.e.1 0\r\n\r\n');
  assert.equal(await c.sync(), `HMSG _INBOX.e.1 2 16 16\r\n${NO_RESPONDERS}`);
  c.close();
});
