import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameBatch, NumberedFrame, benchPayload, connectFrame, msgFrame, numberedSubjects, pubFrame, subFrame } from '../../bench/index.js';

test('frame builders produce the exact NATS client and server frames', () => {
  const payload = Buffer.from('hello', 'latin1');
  const cases: Array<{ name: string; frame: Buffer; bytes: string }> = [
    { name: 'PUB', frame: pubFrame('bench.x', payload), bytes: 'PUB bench.x 5\r\nhello\r\n' },
    { name: 'PUB with reply', frame: pubFrame('bench.rr', payload, '_INBOX.a'), bytes: 'PUB bench.rr _INBOX.a 5\r\nhello\r\n' },
    { name: 'MSG', frame: msgFrame('bench.x', 1, payload), bytes: 'MSG bench.x 1 5\r\nhello\r\n' },
    { name: 'MSG with reply', frame: msgFrame('bench.rr', 7, payload, '_INBOX.a'), bytes: 'MSG bench.rr 7 _INBOX.a 5\r\nhello\r\n' },
    { name: 'SUB', frame: subFrame('bench.x', 1), bytes: 'SUB bench.x 1\r\n' },
    { name: 'SUB with queue', frame: subFrame('bench.x', 3, 'q'), bytes: 'SUB bench.x q 3\r\n' },
    { name: 'empty payload', frame: pubFrame('a', Buffer.alloc(0)), bytes: 'PUB a 0\r\n\r\n' },
  ];
  for (const { name, frame, bytes } of cases) assert.equal(frame.toString('latin1'), bytes, name);
});

test('CONNECT turns verbose and pedantic off and is one JSON line', () => {
  const line = connectFrame('bench-pub').toString('latin1');
  assert.ok(line.startsWith('CONNECT {') && line.endsWith('}\r\n'));
  const options = JSON.parse(line.slice('CONNECT '.length, -2)) as Record<string, unknown>;
  assert.equal(options.verbose, false);
  assert.equal(options.pedantic, false);
  assert.equal(options.name, 'bench-pub');
  assert.equal(options.protocol, 1);
});

test('payloads have the requested size and printable bytes', () => {
  const payload = benchPayload(128);
  assert.equal(payload.length, 128);
  assert.ok(payload.every((byte) => byte >= 0x61 && byte <= 0x7a));
});

test('a frame batch is whole copies of the frame and slices on frame boundaries', () => {
  const frame = pubFrame('bench.x', benchPayload(16));
  const batch = new FrameBatch(frame, 1000);
  assert.equal(batch.frameLength, frame.length);
  assert.equal(batch.frameCount, Math.floor(1000 / frame.length));
  assert.equal(batch.buffer.length, batch.frameCount * frame.length);
  for (let i = 0; i < batch.frameCount; i++) {
    assert.ok(batch.buffer.subarray(i * frame.length, (i + 1) * frame.length).equals(frame), `copy ${i}`);
  }
  assert.ok(batch.slice(3).equals(Buffer.concat([frame, frame, frame])));
  assert.equal(batch.slice(batch.frameCount), batch.buffer);
});

test('a batch smaller than one frame still holds one frame', () => {
  const frame = pubFrame('bench.x', benchPayload(64));
  const batch = new FrameBatch(frame, 10);
  assert.equal(batch.frameCount, 1);
  assert.ok(batch.buffer.equals(frame));
});

test('numbered frames and subjects keep one length', () => {
  const frame = new NumberedFrame((n) => pubFrame('bench.rr', Buffer.from('x'), `_INBOX.r.${n}`));
  assert.equal(frame.make(42).toString('latin1'), 'PUB bench.rr _INBOX.r.00000042 1\r\nx\r\n');
  assert.equal(frame.make(1e8 + 7).toString('latin1'), 'PUB bench.rr _INBOX.r.00000007 1\r\nx\r\n');
  assert.deepEqual(numberedSubjects('hot', 11), ['hot.00', 'hot.01', 'hot.02', 'hot.03', 'hot.04', 'hot.05', 'hot.06', 'hot.07', 'hot.08', 'hot.09', 'hot.10']);
});
