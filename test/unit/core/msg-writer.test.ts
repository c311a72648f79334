import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { ClientConnection } from '../../../src/core/client-connection.js';
import { noRespondersFrame, writeMsg } from '../../../src/core/msg-writer.js';
import { Outbound } from '../../../src/core/outbound.js';
import type { Subscription } from '../../../src/core/subscription.js';
import { NatsParser, PubFrame } from '../../../src/protocol/nats/index.js';
import type { ClientOpHandler } from '../../../src/protocol/nats/index.js';
import { prng, randomBytes } from './prng.js';
import { RecordingSink } from './recording-sink.js';

/** The part of a ClientConnection writeMsg uses. */
interface FakeConn {
  readonly outbound: Outbound;
  readonly headers: boolean;
}

function fakeConn(headers: boolean): FakeConn {
  return { outbound: new Outbound(), headers };
}

/**
 * A frame as the parser hands it out: subject, reply and payload are views into larger buffers, so the
 * writer must honour the offsets.
 */
function frame(subject: string, reply: string, hdrLen: number, payload: Buffer, sizeText: string): PubFrame {
  const f = new PubFrame();
  f.subject = subject;
  f.subjectBytes = Buffer.concat([latin1(subject), latin1('#junk#')]);
  f.subjectLen = latin1(subject).length;
  f.reply = reply;
  f.replyBytes = latin1(`PUB ${subject} ${reply} 99\r\n`);
  f.replyStart = reply === '' ? 0 : 5 + latin1(subject).length;
  f.replyEnd = reply === '' ? 0 : f.replyStart + latin1(reply).length;
  f.data = Buffer.concat([latin1('junk before'), payload, latin1('junk after')]);
  f.start = 11;
  f.end = 11 + payload.length;
  f.hdrLen = hdrLen;
  f.sizeText = sizeText;
  f.isHpub = hdrLen > 0;
  return f;
}

function write(conn: FakeConn, sid: string, subject: string, reply: string, hdrLen: number, payload: Buffer, sizeText: string): number {
  return writeFrame(conn, sid, frame(subject, reply, hdrLen, payload, sizeText));
}

function writeFrame(conn: FakeConn, sid: string, f: PubFrame): number {
  return writeMsg(conn as unknown as ClientConnection, { sid } as unknown as Subscription, f);
}

function flushed(conn: FakeConn): Buffer {
  const sink = new RecordingSink();
  conn.outbound.flushTo(sink);
  return sink.bytes();
}

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
const HDR = 'NATS/1.0\r\nA: b\r\n\r\n'; // 18 bytes

interface Case {
  readonly name: string;
  readonly headers: boolean;
  readonly sid?: string;
  readonly subject?: string;
  readonly reply?: string;
  readonly hdrLen?: number;
  readonly payload: string;
  readonly sizeText?: string;
  readonly wire: string;
  /** Payload bytes delivered (what writeMsg returns). */
  readonly delivered: number;
}

const cases: readonly Case[] = [
  { name: 'MSG', headers: true, payload: 'hello', wire: 'MSG foo 1 5\r\nhello\r\n', delivered: 5 },
  { name: 'MSG with reply', headers: true, reply: '_INBOX.abc.1', payload: 'hi', wire: 'MSG foo 1 _INBOX.abc.1 2\r\nhi\r\n', delivered: 2 },
  { name: 'MSG with an empty payload', headers: false, payload: '', wire: 'MSG foo 1 0\r\n\r\n', delivered: 0 },
  { name: 'MSG to a client without headers', headers: false, payload: 'x', wire: 'MSG foo 1 1\r\nx\r\n', delivered: 1 },
  { name: 'MSG with sizeText echoed', headers: true, payload: 'ab', sizeText: '002', wire: 'MSG foo 1 002\r\nab\r\n', delivered: 2 },
  { name: 'MSG with reply and sizeText', headers: true, reply: 'r', payload: '', sizeText: '00', wire: 'MSG foo 1 r 00\r\n\r\n', delivered: 0 },
  { name: 'MSG with payload holding CR LF', headers: true, payload: '\r\n\r\n', wire: 'MSG foo 1 4\r\n\r\n\r\n\r\n', delivered: 4 },
  { name: 'MSG with a long sid and subject', headers: true, sid: 'sid-0123456789abcdef-long', subject: 'a.b.c.d.e.f.g.h.i.j.k', payload: 'z', wire: 'MSG a.b.c.d.e.f.g.h.i.j.k sid-0123456789abcdef-long 1\r\nz\r\n', delivered: 1 },
  { name: 'MSG with latin1 subject bytes', headers: true, subject: 'f\xf6\xf6', payload: '\xff', wire: 'MSG f\xf6\xf6 1 1\r\n\xff\r\n', delivered: 1 },
  { name: 'HMSG', headers: true, hdrLen: 18, payload: `${HDR}abc`, wire: `HMSG foo 1 18 21\r\n${HDR}abc\r\n`, delivered: 21 },
  { name: 'HMSG with reply', headers: true, reply: 'r.1', hdrLen: 18, payload: HDR, wire: `HMSG foo 1 r.1 18 18\r\n${HDR}\r\n`, delivered: 18 },
  { name: 'HMSG with sizeText echoed', headers: true, hdrLen: 18, payload: `${HDR}abc`, sizeText: '021', wire: `HMSG foo 1 18 021\r\n${HDR}abc\r\n`, delivered: 21 },
  { name: 'headers stripped for a client without headers', headers: false, hdrLen: 18, payload: `${HDR}abc`, wire: 'MSG foo 1 3\r\nabc\r\n', delivered: 3 },
  { name: 'headers stripped, with reply', headers: false, reply: 'r', hdrLen: 18, payload: `${HDR}abc`, wire: 'MSG foo 1 r 3\r\nabc\r\n', delivered: 3 },
  { name: 'headers stripped: sizeText of the total is not echoed', headers: false, hdrLen: 18, payload: `${HDR}abc`, sizeText: '021', wire: 'MSG foo 1 3\r\nabc\r\n', delivered: 3 },
  { name: 'headers stripped: nothing left', headers: false, hdrLen: 18, payload: HDR, wire: 'MSG foo 1 0\r\n\r\n', delivered: 0 },
  { name: 'header size 0 is a plain MSG keeping sizeText', headers: false, hdrLen: 0, payload: 'ab', sizeText: '02', wire: 'MSG foo 1 02\r\nab\r\n', delivered: 2 },
];

for (const c of cases) {
  test(`writeMsg: ${c.name}`, () => {
    const conn = fakeConn(c.headers);
    const n = write(conn, c.sid ?? '1', c.subject ?? 'foo', c.reply ?? '', c.hdrLen ?? 0, latin1(c.payload), c.sizeText ?? '');
    assert.equal(n, c.delivered);
    assert.equal(flushed(conn).toString('latin1'), c.wire);
  });
}

test('writeMsg: payload sizes around the copy thresholds', () => {
  const rnd = prng(3);
  for (const size of [1, 9, 10, 63, 64, 65, 99, 100, 4095, 4096, 4097, 16383, 16384, 16385, 100_000, 1024 * 1024]) {
    for (const headers of [false, true]) {
      const conn = fakeConn(headers);
      const payload = randomBytes(rnd, size);
      assert.equal(write(conn, '42', 'big.subject', 'reply.to', 0, payload, ''), size);
      const expected = Buffer.concat([latin1(`MSG big.subject 42 reply.to ${size}\r\n`), payload, latin1('\r\n')]);
      assert.ok(flushed(conn).equals(expected), `size ${size}, headers ${headers}`);
    }
  }
});

test('writeMsg: a large HMSG keeps header and total sizes', () => {
  const body = randomBytes(prng(5), 40_000);
  const payload = Buffer.concat([latin1(HDR), body]);
  const conn = fakeConn(true);
  assert.equal(write(conn, '1', 'foo', '', 18, payload, ''), 40_018);
  assert.ok(flushed(conn).equals(Buffer.concat([latin1('HMSG foo 1 18 40018\r\n'), payload, latin1('\r\n')])));
  const plain = fakeConn(false);
  assert.equal(write(plain, '1', 'foo', '', 18, payload, ''), 40_000);
  assert.ok(flushed(plain).equals(Buffer.concat([latin1('MSG foo 1 40000\r\n'), body, latin1('\r\n')])));
});

test('writeMsg: a payload of 16 KB or more reaches the sink as a view of the read buffer, not a copy', () => {
  const conn = fakeConn(true);
  const payload = Buffer.alloc(16 * 1024, 0x61);
  const f = frame('foo', '', 0, payload, '');
  writeFrame(conn, '1', f);
  const sink = new RecordingSink();
  conn.outbound.flushTo(sink);
  const shared = sink.writes.some((w) => w.buffer === f.data.buffer && w.byteOffset === f.data.byteOffset + f.start && w.length === payload.length);
  assert.ok(shared, 'no write shares the payload memory');
  assert.ok(sink.bytes().equals(Buffer.concat([latin1('MSG foo 1 16384\r\n'), payload, latin1('\r\n')])));
});

test('writeMsg: messages appended after one another, before and after flushes, come out in order', () => {
  const rnd = prng(11);
  const sink = new RecordingSink();
  const conn = fakeConn(true);
  const expected: Buffer[] = [];
  for (let i = 0; i < 1500; i++) {
    const r = rnd();
    const size = r < 0.6 ? Math.floor(rnd() * 100) : r < 0.9 ? Math.floor(rnd() * 5000) : 16_000 + Math.floor(rnd() * 30_000);
    const payload = randomBytes(rnd, size);
    const reply = rnd() < 0.3 ? `_INBOX.${i}` : '';
    const sid = String(i % 17);
    const hdrLen = rnd() < 0.2 ? Math.min(size, 12) : 0;
    const op = hdrLen > 0 ? `HMSG s.${i} ${sid} ${reply ? `${reply} ` : ''}${hdrLen} ${size}` : `MSG s.${i} ${sid} ${reply ? `${reply} ` : ''}${size}`;
    assert.equal(write(conn, sid, `s.${i}`, reply, hdrLen, payload, ''), size);
    expected.push(latin1(`${op}\r\n`), payload, latin1('\r\n'));
    if (rnd() < 0.05) conn.outbound.flushTo(sink);
  }
  conn.outbound.flushTo(sink);
  assert.equal(conn.outbound.pendingBytes, 0);
  assert.equal(sink.corks, sink.uncorks);
  const got = sink.bytes();
  const want = Buffer.concat(expected);
  assert.equal(got.length, want.length);
  assert.ok(got.equals(want), `first difference at byte ${firstDifference(got, want)}`);
});

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

test('noRespondersFrame: the exact nats-server 2.9 status message', () => {
  assert.equal(noRespondersFrame('_INBOX.x.1', '7').toString('latin1'), 'HMSG _INBOX.x.1 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\n');
});

/** Delivers every parsed PUB/HPUB back as a MSG/HMSG to one subscription, as the router does. */
class EchoHandler implements ClientOpHandler {
  readonly conn: FakeConn;

  constructor(headers: boolean) {
    this.conn = fakeConn(headers);
  }

  onPub(f: PubFrame): void {
    writeFrame(this.conn, '9', f);
  }

  onConnect(): void {}
  onSub(): void {}
  onUnsub(): void {}
  onPing(): void {}
  onPong(): void {}
  onParseError(kind: number): void {
    assert.fail(`parse error ${kind}`);
  }
}

const ECHO_IN = [
  'PUB foo 5\r\nhello\r\n',
  'PUB foo _INBOX.abc 2\r\nhi\r\n',
  `HPUB bar 18 21\r\n${HDR}abc\r\n`,
  `HPUB bar reply.to 18 018\r\n${HDR}\r\n`,
  'PUB a.much.longer.subject.than.the.others 003\r\nxyz\r\n',
  'PUB foo 0\r\n\r\n',
  'HPUB foo r 0 2\r\nab\r\n',
].join('');

const ECHO_OUT_HEADERS = [
  'MSG foo 9 5\r\nhello\r\n',
  'MSG foo 9 _INBOX.abc 2\r\nhi\r\n',
  `HMSG bar 9 18 21\r\n${HDR}abc\r\n`,
  `HMSG bar 9 reply.to 18 018\r\n${HDR}\r\n`,
  'MSG a.much.longer.subject.than.the.others 9 003\r\nxyz\r\n',
  'MSG foo 9 0\r\n\r\n',
  'MSG foo 9 r 2\r\nab\r\n',
].join('');

const ECHO_OUT_PLAIN = [
  'MSG foo 9 5\r\nhello\r\n',
  'MSG foo 9 _INBOX.abc 2\r\nhi\r\n',
  'MSG bar 9 3\r\nabc\r\n',
  'MSG bar 9 reply.to 0\r\n\r\n',
  'MSG a.much.longer.subject.than.the.others 9 003\r\nxyz\r\n',
  'MSG foo 9 0\r\n\r\n',
  'MSG foo 9 r 2\r\nab\r\n',
].join('');

test('parser frames written back: the same bytes however the input was split', () => {
  const input = latin1(ECHO_IN);
  for (const [headers, want] of [
    [true, ECHO_OUT_HEADERS],
    [false, ECHO_OUT_PLAIN],
  ] as const) {
    for (let i = 0; i <= input.length; i++) {
      const echo = new EchoHandler(headers);
      const parser = new NatsParser(echo, 4096, 1024 * 1024);
      parser.parse(input.subarray(0, i));
      parser.parse(input.subarray(i));
      assert.equal(flushed(echo.conn).toString('latin1'), want, `headers ${headers}, split at byte ${i}`);
    }
  }
});

test('parser frames written back: an HPUB header size with leading zeros is echoed verbatim in HMSG', () => {
  // nats-server 2.9.10 (verified): `HPUB foo 012 014` is delivered as `HMSG foo <sid> 012 014`.
  const echo = new EchoHandler(true);
  new NatsParser(echo, 4096, 1024 * 1024).parse(latin1(`HPUB foo 012 014\r\nNATS/1.0\r\n\r\nab\r\n`));
  assert.equal(flushed(echo.conn).toString('latin1'), 'HMSG foo 9 012 014\r\nNATS/1.0\r\n\r\nab\r\n');
});
