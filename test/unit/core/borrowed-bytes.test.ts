// Borrowed bytes (util/borrowed-bytes): views handed out during a delivery are valid only during it,
// keepBytes() keeps a copy, and payloads queued by reference never live in reused memory.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ConnectionKind } from '../../../src/core/index.js';
import { KEEP_BY_REFERENCE, keepBytes } from '../../../src/util/index.js';
import { memoryClient, messagesIn, testRouter } from './socketless.js';

test('a view handed to a handler is overwritten by the next split message; keepBytes(view) is not', async (t) => {
  const router = testRouter(t);
  const ic = router.createInternalClient(ConnectionKind.System, router.globalAccount(), 'keeper');
  const views: Uint8Array[] = [];
  const kept: Buffer[] = [];
  ic.subscribe('a', null, (msg) => {
    const view = msg.data.subarray(msg.start, msg.end);
    views.push(view);
    kept.push(keepBytes(view));
  });
  const client = await memoryClient(router);
  // Split frames: the parser assembles each payload in its one reused scratch buffer.
  client.send('PUB a 5\r\nhel');
  client.send('lo\r\n');
  client.send('PUB a 5\r\nwor');
  client.send('ld\r\n');
  assert.equal(views.length, 2);
  assert.equal(Buffer.from(views[0]).toString(), 'world', 'the first view now shows the second message: it was borrowed');
  assert.deepEqual(kept.map((k) => k.toString()), ['hello', 'world']);
  assert.notEqual(kept[0].buffer, views[0].buffer);
});

/** The frame split into reads at each of the given offsets. */
function splitAt(frame: string, cuts: readonly number[]): string[] {
  const parts: string[] = [];
  let from = 0;
  for (const cut of cuts) {
    parts.push(frame.slice(from, cut));
    from = cut;
  }
  parts.push(frame.slice(from));
  return parts.filter((p) => p.length > 0);
}

test('split payloads below and above KEEP_BY_REFERENCE are all delivered intact, within one turn', async (t) => {
  const router = testRouter(t);
  const sub = await memoryClient(router, '{"verbose":false,"pedantic":false,"headers":true}');
  const bare = await memoryClient(router);
  sub.send('SUB p.* 1\r\n');
  bare.send('SUB p.* 2\r\n');
  const ic = router.createInternalClient(ConnectionKind.System, router.globalAccount(), 'checker');
  const seenInCall: string[] = [];
  ic.subscribe('p.*', null, (msg) => seenInCall.push(msg.data.toString('latin1', msg.start, msg.end)));
  const publisher = await memoryClient(router, '{"verbose":false,"pedantic":false,"headers":true}');

  const k = KEEP_BY_REFERENCE;
  const hdr = 'NATS/1.0\r\n\r\n';
  const cases: { size: number; headers: boolean }[] = [
    { size: 1, headers: false },
    { size: k - 3, headers: false },
    { size: k - 2, headers: false },
    { size: k - 1, headers: false },
    { size: k, headers: false },
    { size: 100, headers: false },
    { size: k + 1, headers: false },
    { size: 3 * k + 5, headers: false },
    { size: 50, headers: false },
    { size: k - 2 - hdr.length, headers: true },
    { size: k, headers: true },
    { size: 7, headers: false },
  ];
  const expected: string[] = [];
  const reads: string[] = [];
  cases.forEach(({ size, headers }, i) => {
    const body = String.fromCharCode(0x41 + i).repeat(size);
    const payload = (headers ? hdr : '') + body;
    expected.push(payload);
    const line = headers ? `HPUB p.${i} ${hdr.length} ${payload.length}\r\n` : `PUB p.${i} ${payload.length}\r\n`;
    const frame = line + payload + '\r\n';
    const end = frame.length;
    // In turn: the control line cut, the payload cut in the middle, before its CRLF, between CR and LF.
    const cuts = [[4], [line.length + (payload.length >> 1)], [end - 2], [end - 1], [3, line.length + 1, end - 1]][i % 5];
    reads.push(...splitAt(frame, cuts));
  });
  for (const read of reads) publisher.send(read);

  assert.equal(seenInCall.length, cases.length);
  for (let i = 0; i < cases.length; i++) assert.ok(seenInCall[i] === expected[i], `message ${i} intact in the handler`);
  const withHeaders = messagesIn(await sub.received());
  const stripped = messagesIn(await bare.received());
  assert.equal(withHeaders.length, cases.length);
  assert.equal(stripped.length, cases.length);
  for (let i = 0; i < cases.length; i++) {
    const body = String.fromCharCode(0x41 + i).repeat(cases[i].size);
    assert.ok(withHeaders[i].hdr + withHeaders[i].body === expected[i], `message ${i} intact (size ${cases[i].size})`);
    assert.ok(stripped[i].hdr === '' && stripped[i].body === body, `message ${i} intact without headers (size ${cases[i].size})`);
  }
});
