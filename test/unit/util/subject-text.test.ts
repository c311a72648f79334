import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subjectFromText, subjectToText } from '../../../src/util/index.js';

/** The byte string of raw bytes, as the parser makes it from a read buffer. */
function wire(...bytes: number[]): string {
  return Buffer.from(bytes).toString('latin1');
}

const utf8Cases: readonly { name: string; text: string; bytes: number[] }[] = [
  { name: 'ASCII', text: 'orders.eu.>', bytes: [...Buffer.from('orders.eu.>')] },
  { name: '2-byte UTF-8', text: 'föö.*', bytes: [0x66, 0xc3, 0xb6, 0xc3, 0xb6, 0x2e, 0x2a] },
  { name: '3-byte UTF-8', text: '€.x', bytes: [0xe2, 0x82, 0xac, 0x2e, 0x78] },
  { name: '4-byte UTF-8 (a surrogate pair in JS)', text: 'a.😀', bytes: [0x61, 0x2e, 0xf0, 0x9f, 0x98, 0x80] },
  { name: 'the byte range edges', text: '\u0080\u07ff\u0800\uffff\u{10000}\u{10ffff}', bytes: [...Buffer.from('\u0080\u07ff\u0800\uffff\u{10000}\u{10ffff}')] },
];

for (const c of utf8Cases) {
  test(`subject text: ${c.name} becomes its UTF-8 bytes and back`, () => {
    const bytes = subjectFromText(c.text);
    assert.equal(bytes, wire(...c.bytes));
    assert.equal(subjectToText(bytes), c.text);
  });
}

test('subject text: ASCII passes through both ways as the same string', () => {
  const subject = 'a.b.c';
  assert.equal(subjectFromText(subject), subject);
  assert.equal(subjectToText(subject), subject);
  assert.equal(subjectFromText(''), '');
  assert.equal(subjectToText(''), '');
});

test('subject text: a byte string is one char per byte, below U+0100', () => {
  const bytes = subjectFromText('ünï.>');
  assert.equal(bytes.length, Buffer.byteLength('ünï.>'));
  for (const ch of bytes) assert.ok(ch.charCodeAt(0) <= 0xff);
});

// Go's JSON encoder (and so nats-server's monitoring) replaces each byte that does not start a
// well-formed sequence with one U+FFFD; the valid text around it stays.
const invalidCases: readonly { name: string; bytes: number[]; text: string }[] = [
  { name: 'a lone continuation byte', bytes: [0x61, 0x80, 0x2e, 0x62], text: 'a\uFFFD.b' },
  { name: 'bytes never in UTF-8', bytes: [0xc0, 0xc1, 0xf5, 0xff], text: '\uFFFD\uFFFD\uFFFD\uFFFD' },
  { name: 'a truncated 3-byte sequence, one per byte', bytes: [0xe2, 0x82, 0x2e, 0x78], text: '\uFFFD\uFFFD.x' },
  { name: 'a sequence cut by the end', bytes: [0x78, 0xf0, 0x9f, 0x98], text: 'x\uFFFD\uFFFD\uFFFD' },
  { name: 'an overlong form', bytes: [0xe0, 0x80, 0xaf], text: '\uFFFD\uFFFD\uFFFD' },
  { name: 'a surrogate', bytes: [0xed, 0xa0, 0x80], text: '\uFFFD\uFFFD\uFFFD' },
  { name: 'past U+10FFFF', bytes: [0xf4, 0x90, 0x80, 0x80], text: '\uFFFD\uFFFD\uFFFD\uFFFD' },
  { name: 'invalid bytes between valid ones', bytes: [0xc3, 0xb6, 0xff, 0xc3, 0xb6], text: 'ö\uFFFDö' },
];

for (const c of invalidCases) {
  test(`subject text: ${c.name} shows as U+FFFD`, () => {
    assert.equal(subjectToText(wire(...c.bytes)), c.text);
  });
}

test('subject text: every 2-byte value round-trips through text when it is valid UTF-8', () => {
  for (let cp = 0x80; cp < 0x800; cp++) {
    const text = String.fromCodePoint(cp);
    assert.equal(subjectToText(subjectFromText(text)), text);
  }
});

test('subject text: a lone surrogate in text enters as the bytes of U+FFFD', () => {
  assert.equal(subjectFromText('a\uD800'), wire(0x61, 0xef, 0xbf, 0xbd));
});
