import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  PING,
  PONG,
  byteByByte,
  bytes,
  connect,
  hpub,
  newParser,
  parseChunks,
  parseChunksStoppingEachOp,
  pub,
  sub,
  twoWaySplits,
  unsub,
} from './recording-handler.js';
import type { Op } from './recording-handler.js';
import { NatsParser } from '../../../../src/protocol/nats/index.js';
import type { PubFrame } from '../../../../src/protocol/nats/index.js';

const HDR = 'NATS/1.0\r\nA: b\r\n\r\n'; // 18 bytes

/** A stream of every kind of frame a client sends, with the operation each must produce (null: ignored). */
const FRAMES: readonly [string, Op | null][] = [
  ['CONNECT {"verbose":false,"headers":true}\r\n', connect('{"verbose":false,"headers":true}')],
  ['PING\r\n', PING],
  ['SUB foo.* 1\r\n', sub('foo.*', '1')],
  ['sub bar q 2\n', sub('bar', '2', 'q')],
  ['PUB foo.a 5\r\nhello\r\n', pub('foo.a', 'hello')],
  ['PUB\tfoo.b  _INBOX.x\t0\r\n\r\n', pub('foo.b', '', { reply: '_INBOX.x' })],
  ['+OK\r\n', null],
  [`HPUB foo.c 18 21\r\n${HDR}abc\r\n`, hpub('foo.c', 18, `${HDR}abc`)],
  [`HPUB foo.d r 18 018\r\n${HDR}\r\n`, hpub('foo.d', 18, HDR, { reply: 'r', sizeText: '018' })],
  ['PUB foo.e 6\r\n\r\n\r\n\r\n\r\n', pub('foo.e', '\r\n\r\n\r\n')],
  ['INFO {}\r\n', null],
  ['PUB foo.f 003\r\n\nx\r\r\n', pub('foo.f', '\nx\r', { sizeText: '003' })],
  ['PONG\r\n', PONG],
  ['UNSUB 1 5\r\n', unsub('1', 5)],
  ['unsub 2\n', unsub('2', -1)],
  ['PUB foo.g 1\r\n\xff\r\n', pub('foo.g', '\xff')],
];

const STREAM = bytes(FRAMES.map(([text]) => text).join(''));
const EXPECTED: Op[] = FRAMES.map(([, op]) => op).filter((op): op is Op => op !== null);

test('mixed stream: one read', () => {
  assert.deepEqual(parseChunks([STREAM]), EXPECTED);
});

test('mixed stream: split into two reads at every byte position', () => {
  for (const [i, chunks] of twoWaySplits(STREAM)) assert.deepEqual(parseChunks(chunks), EXPECTED, `split at byte ${i}`);
});

test('mixed stream: split into three reads at every pair of positions', () => {
  for (let i = 0; i <= STREAM.length; i += 1) {
    for (let j = i; j <= STREAM.length; j += 3) {
      const chunks = [STREAM.subarray(0, i), STREAM.subarray(i, j), STREAM.subarray(j)];
      assert.deepEqual(parseChunks(chunks), EXPECTED, `split at bytes ${i} and ${j}`);
    }
  }
});

test('mixed stream: byte by byte', () => {
  assert.deepEqual(parseChunks(byteByByte(STREAM)), EXPECTED);
});

test('mixed stream: reads of every fixed size', () => {
  for (let size = 1; size <= STREAM.length; size++) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < STREAM.length; i += size) chunks.push(STREAM.subarray(i, i + size));
    assert.deepEqual(parseChunks(chunks), EXPECTED, `reads of ${size} bytes`);
  }
});

test('mixed stream: stopped after every operation and re-fed, at every split position', () => {
  assert.deepEqual(parseChunksStoppingEachOp([STREAM]), EXPECTED, 'one read');
  for (const [i, chunks] of twoWaySplits(STREAM)) assert.deepEqual(parseChunksStoppingEachOp(chunks), EXPECTED, `split at byte ${i}`);
  assert.deepEqual(parseChunksStoppingEachOp(byteByByte(STREAM)), EXPECTED, 'byte by byte');
});

/** Deterministic bytes (xorshift) so a failure reproduces. */
function pseudoRandomBytes(n: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

test('a 2 MB payload split across many reads arrives intact', () => {
  const size = 2 * 1024 * 1024;
  const payload = pseudoRandomBytes(size, 42);
  const input = Buffer.concat([bytes(`PING\r\nPUB big _INBOX.r ${size}\r\n`), payload, bytes('\r\nPUB small 2\r\nok\r\nPONG\r\n')]);
  const expected = [PING, pub('big', payload, { reply: '_INBOX.r' }), pub('small', 'ok'), PONG];
  const limits = { maxPayload: 4 * 1024 * 1024 };
  for (const size of [65536, 16384, 1000, 4093]) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < input.length; i += size) chunks.push(input.subarray(i, i + size));
    assert.deepEqual(parseChunks(chunks, limits), expected, `reads of ${size} bytes`);
  }
  assert.deepEqual(parseChunks([input], limits), expected, 'one read');
  assert.deepEqual(parseChunks([input.subarray(0, 30), input.subarray(30, size), input.subarray(size)], limits), expected, 'irregular reads');
});

test('a 2 MB payload over the default limit fails', () => {
  const { parser, rec } = newParser();
  parser.parse(bytes(`PUB big ${2 * 1024 * 1024}\r\n`));
  assert.deepEqual(rec.ops, [{ op: 'error', kind: 'MaxPayload' }]);
});

test('stop() inside a callback: parse() returns the offset after that operation', () => {
  const { parser, rec } = newParser();
  rec.stopAfter = (op) => op.op === 'sub';
  const input = bytes('SUB a 1\r\nSUB b 2\r\nPING\r\n');
  assert.equal(parser.parse(input), 9);
  assert.equal(parser.stopped, true);
  assert.deepEqual(rec.ops, [sub('a', '1')]);
  assert.equal(parser.parse(input.subarray(9)), 0, 'a stopped parser consumes nothing');
  assert.deepEqual(rec.ops, [sub('a', '1')]);
  parser.resume();
  assert.equal(parser.stopped, false);
  rec.stopAfter = null;
  assert.equal(parser.parse(input.subarray(9)), input.length - 9);
  assert.deepEqual(rec.ops, [sub('a', '1'), sub('b', '2'), PING]);
});

test('stop() in onPub returns the offset after the payload and its CRLF', () => {
  const { parser, rec } = newParser();
  rec.stopAfter = (op) => op.op === 'pub';
  const input = bytes('PUB a 3\r\nabc\r\nPING\r\n');
  assert.equal(parser.parse(input), 14);
  parser.resume();
  assert.equal(parser.parse(input.subarray(14)), 6);
  assert.deepEqual(rec.ops, [pub('a', 'abc'), PING]);
});

test('stop() when a split payload completes returns the offset in the completing read', () => {
  const { parser, rec } = newParser();
  rec.stopAfter = (op) => op.op === 'pub';
  assert.equal(parser.parse(bytes('PUB a 5\r\nhe')), 11);
  assert.equal(parser.stopped, false);
  const second = bytes('llo\r\nPING\r\n');
  assert.equal(parser.parse(second), 5);
  parser.resume();
  assert.equal(parser.parse(second.subarray(5)), 6);
  assert.deepEqual(rec.ops, [pub('a', 'hello'), PING]);
});

test('stop() on a control line carried over from the previous read returns the offset in the completing read', () => {
  const { parser, rec } = newParser();
  rec.stopAfter = (op) => op.op === 'connect';
  assert.equal(parser.parse(bytes('CONNECT {"a"')), 12);
  const second = bytes(':1}\r\nPUB x 1\r\nz\r\n');
  assert.equal(parser.parse(second), 5);
  parser.resume();
  assert.equal(parser.parse(second.subarray(5)), second.length - 5);
  assert.deepEqual(rec.ops, [connect('{"a":1}'), pub('x', 'z')]);
});

test('stop() on a carried PUB line whose payload is in the same read returns the offset after the payload', () => {
  const { parser, rec } = newParser();
  rec.stopAfter = (op) => op.op === 'pub';
  parser.parse(bytes('PUB x 2'));
  const second = bytes('\r\nab\r\nPONG\r\n');
  assert.equal(parser.parse(second), 6);
  parser.resume();
  assert.equal(parser.parse(second.subarray(6)), 6);
  assert.deepEqual(rec.ops, [pub('x', 'ab'), PONG]);
});

test('resume() with nothing pending continues with the next read', () => {
  const { parser, rec } = newParser();
  rec.stopAfter = (op) => op.op === 'ping';
  assert.equal(parser.parse(bytes('PING\r\n')), 6);
  parser.resume();
  assert.equal(parser.parse(bytes('SUB a 1\r\n')), 9);
  assert.deepEqual(rec.ops, [PING, sub('a', '1')]);
});

test('release() drops the buffers a closed connection would otherwise keep', () => {
  let frame: PubFrame | null = null;
  const parser = new NatsParser(
    {
      onConnect() {},
      onPub(f) {
        frame = f;
      },
      onSub() {},
      onUnsub() {},
      onPing() {},
      onPong() {},
      onParseError() {},
    },
    4096,
    1 << 20,
  );
  parser.parse(Buffer.from('PUB a r 5\r\nhello\r\nPUB b 3\r\nab'));
  const f = frame as unknown as PubFrame;
  assert.equal(f.payload.toString(), 'hello');
  parser.release();
  assert.equal(f.data.length, 0);
  assert.equal(f.replyBytes.length, 0);
  assert.equal(parser.parse(Buffer.from('c\r\nPING\r\n')), 0, 'a released parser reads nothing more');
});
