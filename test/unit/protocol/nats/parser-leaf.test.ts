// The parser's leaf op table: LS+/LS-/LMSG/HMSG with any number of queue names, INFO, -ERR, and the
// client ops refused; every input also fed one byte at a time.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NatsParser, ParseErrorKind } from '../../../../src/protocol/nats/index.js';
import type { LeafOpHandler, PubFrame } from '../../../../src/protocol/nats/index.js';

type LeafOp =
  | { op: 'sub'; subject: string; queue: string | null; weight: number }
  | { op: 'unsub'; subject: string; queue: string | null }
  | { op: 'msg'; subject: string; reply: string; queues: string[]; hdrLen: number; payload: string }
  | { op: 'info' | 'connect' | 'err'; text: string }
  | { op: 'ping' | 'pong' }
  | { op: 'error'; kind: number };

class Recorder implements LeafOpHandler {
  readonly ops: LeafOp[] = [];
  onConnect(json: string): void {
    this.ops.push({ op: 'connect', text: json });
  }
  onInfo(json: string): void {
    this.ops.push({ op: 'info', text: json });
  }
  onErr(text: string): void {
    this.ops.push({ op: 'err', text });
  }
  onPub(f: PubFrame): void {
    this.ops.push({ op: 'msg', subject: f.subject, reply: f.reply, queues: [...f.queues], hdrLen: f.hdrLen, payload: f.payload.toString('latin1') });
  }
  onLeafSub(subject: string, queue: string | null, weight: number): void {
    this.ops.push({ op: 'sub', subject, queue, weight });
  }
  onLeafUnsub(subject: string, queue: string | null): void {
    this.ops.push({ op: 'unsub', subject, queue });
  }
  onPing(): void {
    this.ops.push({ op: 'ping' });
  }
  onPong(): void {
    this.ops.push({ op: 'pong' });
  }
  onParseError(kind: ParseErrorKind): void {
    this.ops.push({ op: 'error', kind });
  }
}

/** The operations `input` yields, whole and byte by byte (which must agree). */
function parse(input: string): LeafOp[] {
  const whole = new Recorder();
  new NatsParser(whole, 4096, 1024 * 1024, true).parse(Buffer.from(input, 'latin1'));
  const split = new Recorder();
  const p = new NatsParser(split, 4096, 1024 * 1024, true);
  for (const b of Buffer.from(input, 'latin1')) p.parse(Buffer.from([b]));
  assert.deepEqual(split.ops, whole.ops, 'byte-by-byte parsing agrees');
  return whole.ops;
}

describe('parser: leaf op table', () => {
  test('LS+ and LS- with and without a queue and weight', () => {
    assert.deepEqual(parse('LS+ foo.>\r\nLS+ bar q1 2\r\nLS- foo.>\r\nls- bar q1\r\n'), [
      { op: 'sub', subject: 'foo.>', queue: null, weight: 0 },
      { op: 'sub', subject: 'bar', queue: 'q1', weight: 2 },
      { op: 'unsub', subject: 'foo.>', queue: null },
      { op: 'unsub', subject: 'bar', queue: 'q1' },
    ]);
  });

  test('LMSG: plain, with a reply, with queues after | or after + reply', () => {
    assert.deepEqual(parse('LMSG foo 2\r\nhi\r\nLMSG foo r.1 2\r\nhi\r\nLMSG bar | q1 q2 3\r\nabc\r\nLMSG bar + rep.2 q1 2\r\nok\r\n'), [
      { op: 'msg', subject: 'foo', reply: '', queues: [], hdrLen: 0, payload: 'hi' },
      { op: 'msg', subject: 'foo', reply: 'r.1', queues: [], hdrLen: 0, payload: 'hi' },
      { op: 'msg', subject: 'bar', reply: '', queues: ['q1', 'q2'], hdrLen: 0, payload: 'abc' },
      { op: 'msg', subject: 'bar', reply: 'rep.2', queues: ['q1'], hdrLen: 0, payload: 'ok' },
    ]);
  });

  test('HMSG: header size before the total, with the same queue forms', () => {
    const hdr = 'NATS/1.0\r\n\r\n';
    const ops = parse(`HMSG foo 12 14\r\n${hdr}hi\r\nHMSG bar + r.3 q1 12 14\r\n${hdr}ok\r\n`);
    assert.deepEqual(ops, [
      { op: 'msg', subject: 'foo', reply: '', queues: [], hdrLen: 12, payload: `${hdr}hi` },
      { op: 'msg', subject: 'bar', reply: 'r.3', queues: ['q1'], hdrLen: 12, payload: `${hdr}ok` },
    ]);
  });

  test('a message may list many queue groups (no argument limit)', () => {
    const queues = Array.from({ length: 300 }, (_, i) => `g${i}`);
    const ops = parse(`LMSG work | ${queues.join(' ')} 1\r\nx\r\n`);
    assert.equal(ops.length, 1);
    assert.deepEqual((ops[0] as { queues: string[] }).queues, queues);
  });

  test('INFO, CONNECT, PING, PONG and -ERR with its text', () => {
    assert.deepEqual(parse('INFO {"a":1}\r\nCONNECT {}\r\nPING\r\nPONG\r\n-ERR \'Loop detected\'\r\n'), [
      { op: 'info', text: '{"a":1}' },
      { op: 'connect', text: '{}' },
      { op: 'ping' },
      { op: 'pong' },
      { op: 'err', text: 'Loop detected' },
    ]);
  });

  test('a second argument other than + or | before queues is a protocol error', () => {
    assert.deepEqual(parse('LMSG foo x q1 2\r\nhi\r\n'), [{ op: 'error', kind: ParseErrorKind.BadArgs }]);
  });

  test('client ops are unknown on a leaf link', () => {
    assert.deepEqual(parse('PUB foo 1\r\nx\r\n'), [{ op: 'error', kind: ParseErrorKind.UnknownOp }]);
    assert.deepEqual(parse('SUB foo 1\r\n'), [{ op: 'error', kind: ParseErrorKind.UnknownOp }]);
  });

  test('LS+ with a bad weight or too many arguments is refused', () => {
    assert.deepEqual(parse('LS+ foo q x\r\n'), [{ op: 'error', kind: ParseErrorKind.BadArgs }]);
    assert.deepEqual(parse('LS+ foo q 1 extra\r\n'), [{ op: 'error', kind: ParseErrorKind.BadArgs }]);
  });
});
