import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PING, bytes, connect, err, hpub, newParser, parseChunks, pub, sub, twoWaySplits, unsub } from './recording-handler.js';
import type { Op } from './recording-handler.js';

/** A control line whose arguments (the text after the op and its blank) are exactly `argsLen` bytes. */
interface LineShape {
  readonly op: string;
  build(argsLen: number): { readonly args: string; readonly payload: string; readonly expected: Op };
}

const s = (n: number): string => 's'.repeat(n);

const SHAPES: readonly LineShape[] = [
  { op: 'PUB', build: (n) => ({ args: `${s(n - 2)} 0`, payload: '\r\n', expected: pub(s(n - 2), '') }) },
  { op: 'HPUB', build: (n) => ({ args: `${s(n - 4)} 0 0`, payload: '\r\n', expected: hpub(s(n - 4), 0, '') }) },
  { op: 'SUB', build: (n) => ({ args: `${s(n - 2)} 1`, payload: '', expected: sub(s(n - 2), '1') }) },
  { op: 'UNSUB', build: (n) => ({ args: s(n), payload: '', expected: unsub(s(n), -1) }) },
  {
    op: 'CONNECT',
    build: (n) => {
      const json = `{"x":"${'a'.repeat(n - 8)}"}`;
      return { args: json, payload: '', expected: connect(json) };
    },
  },
];

for (const mcl of [64, 4096]) {
  const limits = { maxControlLine: mcl };
  for (const shape of SHAPES) {
    const at = shape.build(mcl);
    const over = shape.build(mcl + 1);
    const atLine = `${shape.op} ${at.args}`;
    const overLine = `${shape.op} ${over.args}`;
    const atInput = bytes(`${atLine}\r\n${at.payload}PING\r\n`);
    const overInput = bytes(`${overLine}\r\n${over.payload}PING\r\n`);

    test(`max_control_line ${mcl}: ${shape.op} arguments exactly at the limit pass, in one read and split anywhere`, () => {
      const expected = [at.expected, PING];
      assert.deepEqual(parseChunks([atInput], limits), expected, 'whole');
      for (const [i, chunks] of twoWaySplits(atInput)) assert.deepEqual(parseChunks(chunks, limits), expected, `split at byte ${i}`);
    });

    test(`max_control_line ${mcl}: ${shape.op} arguments one byte over the limit fail, in one read and split anywhere`, () => {
      const expected = [err('MaxControlLine')];
      assert.deepEqual(parseChunks([overInput], limits), expected, 'whole');
      for (const [i, chunks] of twoWaySplits(overInput)) assert.deepEqual(parseChunks(chunks, limits), expected, `split at byte ${i}`);
    });

    test(`max_control_line ${mcl}: ${shape.op} at the limit without its newline yet waits, then passes`, () => {
      const { parser, rec } = newParser(limits);
      parser.parse(bytes(atLine));
      assert.deepEqual(rec.ops, [], 'after the arguments');
      parser.parse(bytes('\r'));
      assert.deepEqual(rec.ops, [], 'after the CR');
      parser.parse(bytes(`\n${at.payload}PING\r\n`));
      assert.deepEqual(rec.ops, [at.expected, PING]);
    });

    test(`max_control_line ${mcl}: ${shape.op} at the limit with its CR ending the read passes`, () => {
      const { parser, rec } = newParser(limits);
      parser.parse(bytes(`PING\r\n${atLine}\r`));
      assert.deepEqual(rec.ops, [PING], 'after the first read');
      parser.parse(bytes(`\n${at.payload}`));
      assert.deepEqual(rec.ops, [PING, at.expected]);
    });

    test(`max_control_line ${mcl}: ${shape.op} over the limit fails as soon as the read without a newline ends`, () => {
      const { parser, rec } = newParser(limits);
      parser.parse(bytes(overLine));
      assert.deepEqual(rec.ops, [err('MaxControlLine')]);
    });

    test(`max_control_line ${mcl}: ${shape.op} fed byte by byte fails on the first argument byte over the limit`, () => {
      const { parser, rec } = newParser(limits);
      const line = bytes(`${overLine}${'x'.repeat(32)}`);
      let failedAt = -1;
      for (let i = 0; i < line.length && failedAt < 0; i++) {
        parser.parse(line.subarray(i, i + 1));
        if (rec.failed) failedAt = i;
      }
      assert.deepEqual(rec.ops, [err('MaxControlLine')]);
      assert.equal(failedAt, shape.op.length + 1 + mcl, 'index of the failing byte');
    });
  }

  test(`max_control_line ${mcl}: blanks between the op and its arguments are not counted`, () => {
    const subject = s(mcl - 2);
    assert.deepEqual(parseChunks([bytes(`PUB \t  ${subject} 0\r\n\r\nSUB  \t${subject} 1\r\n`)], limits), [pub(subject, ''), sub(subject, '1')]);
  });

  test(`max_control_line ${mcl}: a long line with no newline fails on the first read`, () => {
    const { parser, rec } = newParser(limits);
    const input = bytes(`PUB ${s(10 * mcl)}`);
    assert.equal(parser.parse(input), input.length);
    assert.deepEqual(rec.ops, [err('MaxControlLine')]);
  });

  test(`max_control_line ${mcl}: a long line arriving in many reads fails once and stops`, () => {
    const input = bytes(`SUB ${s(10 * mcl)} 1\r\nPING\r\n`);
    const chunks: Buffer[] = [];
    for (let i = 0; i < input.length; i += 7) chunks.push(input.subarray(i, i + 7));
    assert.deepEqual(parseChunks(chunks, limits), [err('MaxControlLine')]);
  });
}

test('max_payload: a size equal to the limit passes', () => {
  const payload = 'p'.repeat(1024);
  assert.deepEqual(parseChunks([bytes(`PUB foo 1024\r\n${payload}\r\nPING\r\n`)], { maxPayload: 1024 }), [pub('foo', payload), PING]);
});

test('max_payload: one byte over the limit fails when the control line ends, before the payload arrives', () => {
  const { parser, rec } = newParser({ maxPayload: 1024 });
  parser.parse(bytes('PUB foo 1025\r\n'));
  assert.deepEqual(rec.ops, [err('MaxPayload')]);
});

test('max_payload: HPUB counts headers and body together', () => {
  const body = 'b'.repeat(1024 - 12);
  const ok = `HPUB foo 12 1024\r\nNATS/1.0\r\n\r\n${body}\r\n`;
  assert.deepEqual(parseChunks([bytes(ok)], { maxPayload: 1024 }), [hpub('foo', 12, `NATS/1.0\r\n\r\n${body}`)]);
  assert.deepEqual(parseChunks([bytes('HPUB foo 12 1025\r\n')], { maxPayload: 1024 }), [err('MaxPayload')]);
});

test('max_payload: the largest 9-digit size fails the default limit, 10 digits are malformed', () => {
  assert.deepEqual(parseChunks([bytes('PUB foo 999999999\r\n')]), [err('MaxPayload')]);
  assert.deepEqual(parseChunks([bytes('PUB foo 1000000000\r\n')]), [err('BadArgs')]);
});

test('max_payload: over-limit frames split anywhere fail the same way', () => {
  const input = bytes('PING\r\nPUB foo r 2049\r\n');
  for (const [i, chunks] of twoWaySplits(input)) assert.deepEqual(parseChunks(chunks, { maxPayload: 2048 }), [PING, err('MaxPayload')], `split at ${i}`);
});
