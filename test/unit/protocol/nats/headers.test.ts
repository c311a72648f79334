import assert from 'node:assert/strict';
import { test } from 'node:test';

import { appendHeaders, encodeHeaders, headerValue } from '../../../../src/protocol/nats/index.js';

const block = (text: string): Buffer => Buffer.from(text, 'latin1');

test('headerValue finds a header by its exact name', () => {
  const cases: Array<[string, string, string, string | null]> = [
    ['first field', 'NATS/1.0\r\nNats-Msg-Id: abc\r\n\r\n', 'Nats-Msg-Id', 'abc'],
    ['later field, no blank', 'NATS/1.0\r\nA: 1\r\nNats-Msg-Id:xyz\r\n\r\n', 'Nats-Msg-Id', 'xyz'],
    ['several blanks', 'NATS/1.0\r\nNats-Msg-Id:    v\r\n\r\n', 'Nats-Msg-Id', 'v'],
    ['empty value', 'NATS/1.0\r\nNats-Msg-Id:\r\n\r\n', 'Nats-Msg-Id', ''],
    ['case differs', 'NATS/1.0\r\nnats-msg-id: abc\r\n\r\n', 'Nats-Msg-Id', null],
    ['prefix of a longer name', 'NATS/1.0\r\nNats-Msg-Id-X: abc\r\n\r\n', 'Nats-Msg-Id', null],
    ['inside a value', 'NATS/1.0\r\nA: Nats-Msg-Id: abc\r\n\r\n', 'Nats-Msg-Id', null],
    ['the version line is not a field', 'Nats-Msg-Id: abc\r\n\r\n', 'Nats-Msg-Id', null],
    ['absent', 'NATS/1.0\r\nA: 1\r\n\r\n', 'B', null],
    ['first of two', 'NATS/1.0\r\nA: 1\r\nA: 2\r\n\r\n', 'A', '1'],
    ['non-ASCII bytes kept as bytes', 'NATS/1.0\r\nA: f\xc3\xb6\r\n\r\n', 'A', 'f\xc3\xb6'],
  ];
  for (const [name, text, header, want] of cases) {
    const b = block(text);
    assert.equal(headerValue(b, 0, b.length, header), want, name);
  }
});

test('headerValue looks only inside the given range', () => {
  const b = block('xxNATS/1.0\r\nA: 1\r\n\r\nB: 2\r\n');
  assert.equal(headerValue(b, 2, 20, 'A'), '1');
  assert.equal(headerValue(b, 2, 20, 'B'), null);
});

test('encodeHeaders writes the version line, the status and the fields', () => {
  assert.equal(encodeHeaders('404 Message Not Found', []).toString('latin1'), 'NATS/1.0 404 Message Not Found\r\n\r\n');
  assert.equal(encodeHeaders('', [['Nats-Stream', 'S'], ['Nats-Sequence', '5']]).toString('latin1'), 'NATS/1.0\r\nNats-Stream: S\r\nNats-Sequence: 5\r\n\r\n');
});

test('appendHeaders keeps the stored fields and adds new ones before the closing line', () => {
  const stored = block('NATS/1.0\r\nA: 1\r\n\r\n');
  assert.equal(appendHeaders(stored, [['B', '2']]).toString('latin1'), 'NATS/1.0\r\nA: 1\r\nB: 2\r\n\r\n');
  assert.equal(appendHeaders(null, [['B', '2']]).toString('latin1'), 'NATS/1.0\r\nB: 2\r\n\r\n');
  assert.equal(stored.toString('latin1'), 'NATS/1.0\r\nA: 1\r\n\r\n', 'the stored block is unchanged');
});
