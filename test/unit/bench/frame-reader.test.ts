import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameReader, FrameShapeError, benchPayload, msgFrame } from '../../bench/index.js';

interface Seen {
  pings: number;
  pongs: number;
  infos: string[];
  errors: string[];
}

function readerFor(expected: Buffer | null, verifiedFrames: number): { reader: FrameReader; seen: Seen } {
  const seen: Seen = { pings: 0, pongs: 0, infos: [], errors: [] };
  const reader = new FrameReader(
    expected,
    {
      onPing: () => seen.pings++,
      onPong: () => seen.pongs++,
      onInfo: (json) => seen.infos.push(json),
      onServerError: (text) => seen.errors.push(text),
    },
    verifiedFrames,
  );
  return { reader, seen };
}

const msg = msgFrame('bench.x', 1, benchPayload(16));
const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** INFO, 3 MSGs, a PING, 2 MSGs, +OK, PONG, 1 MSG, -ERR. */
const stream = Buffer.concat([
  latin1('INFO {"server_id":"X","max_payload":1048576} \r\n'),
  msg,
  msg,
  msg,
  latin1('PING\r\n'),
  msg,
  msg,
  latin1('+OK\r\nPONG\r\n'),
  msg,
  latin1("-ERR 'Unknown Protocol Operation'\r\n"),
]);

for (const verifiedFrames of [0, 2, 1000]) {
  test(`counts MSG frames and parses control lines at every split point (verified frames: ${verifiedFrames})`, () => {
    for (let split = 0; split <= stream.length; split++) {
      const { reader, seen } = readerFor(msg, verifiedFrames);
      reader.push(stream.subarray(0, split));
      reader.push(stream.subarray(split));
      assert.equal(reader.messages, 6, `split at ${split}`);
      assert.deepEqual(seen, {
        pings: 1,
        pongs: 1,
        infos: ['{"server_id":"X","max_payload":1048576}'],
        errors: ["-ERR 'Unknown Protocol Operation'"],
      });
    }
  });

  test(`counts correctly when fed one byte at a time (verified frames: ${verifiedFrames})`, () => {
    const { reader, seen } = readerFor(msg, verifiedFrames);
    for (let i = 0; i < stream.length; i++) reader.push(stream.subarray(i, i + 1));
    assert.equal(reader.messages, 6);
    assert.equal(seen.pings, 1);
    assert.equal(seen.pongs, 1);
  });
}

test('a verified frame with other bytes is rejected with a stable code', () => {
  const { reader } = readerFor(msg, 1000);
  const other = msgFrame('bench.y', 1, benchPayload(16));
  assert.throws(
    () => reader.push(other),
    (error: unknown) => error instanceof FrameShapeError && error.code === 'BENCH_FRAME_SHAPE',
  );
});

test('after verification a frame of another length still fails the CRLF check', () => {
  const { reader } = readerFor(msg, 0);
  const longer = msgFrame('bench.x', 1, benchPayload(20));
  assert.throws(() => reader.push(Buffer.concat([msg, longer, msg])), FrameShapeError);
  assert.equal(reader.messages, 1);
});

test('a MSG on a connection without a subscription is an error', () => {
  const { reader } = readerFor(null, 1000);
  assert.throws(() => reader.push(msg), FrameShapeError);
});

test('an unknown line from the server is an error', () => {
  const { reader } = readerFor(msg, 1000);
  assert.throws(() => reader.push(latin1('HMSG bench.x 1 12 28\r\n')), FrameShapeError);
});
