import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AckKind, ackKind, nakDelayMs } from '../../../src/jetstream/ack-body.js';
import { FlowControl } from '../../../src/jetstream/flow-control.js';
import { RedeliveryQueue } from '../../../src/jetstream/redelivery-queue.js';

const b = (text: string): Buffer => Buffer.from(text, 'latin1');

test('ack bodies: each verb, an empty body acks, anything else is ignored', () => {
  const cases: Array<[string, AckKind]> = [
    ['', AckKind.Ack],
    ['+ACK', AckKind.Ack],
    ['+OK', AckKind.Ack],
    ['-NAK', AckKind.Nak],
    ['-NAK {"delay":5000000000}', AckKind.Nak],
    ['+WPI', AckKind.Progress],
    ['+NXT {"batch":2}', AckKind.Next],
    ['+TERM', AckKind.Term],
    ['+ACKS', AckKind.Ignored],
    ['hello', AckKind.Ignored],
  ];
  for (const [body, kind] of cases) assert.equal(ackKind(b(body)), kind, JSON.stringify(body));
});

test('a NAK delay in JSON nanoseconds or as a Go duration', () => {
  const cases: Array<[string, number]> = [
    ['-NAK', 0],
    ['-NAK {"delay":2500000000}', 2500],
    ['-NAK  {"delay": 1000000}', 1],
    ['-NAK 1.5s', 1500],
    ['-NAK 250ms', 250],
    ['-NAK 2m', 120_000],
    ['-NAK nonsense', 0],
  ];
  for (const [body, ms] of cases) assert.equal(nakDelayMs(b(body)), ms, body);
});

test('the redelivery queue keeps due order, holds a sequence once, drops acked ones', () => {
  const q = new RedeliveryQueue();
  for (const seq of [7, 3, 7, 9, 5]) q.add(seq);
  assert.equal(q.length, 4);
  assert.equal(q.first(), 7);
  q.drop(3);
  assert.equal(q.has(3), false);
  q.dropUpTo(7);
  assert.deepEqual([q.first(), q.length], [9, 1]);
  q.shift();
  assert.deepEqual([q.first(), q.length, q.has(9)], [-1, 0, false]);
});

test('flow control asks at half the window, stalls past it, and an answer to the latest request widens it', () => {
  const fc = new FlowControl('$JS.FC.S.C.');
  const mib = 1024 * 1024;
  assert.equal(fc.sent(mib), null);
  const request = fc.sent(mib / 2);
  assert.ok(request?.startsWith('$JS.FC.S.C.'), String(request));
  assert.equal(fc.outstanding, request);
  assert.equal(fc.sent(mib), null, 'one request at a time');
  assert.equal(fc.stalled, true, '2.5 MiB unanswered is past the 2 MiB window');
  assert.equal(fc.answered('$JS.FC.S.C.other'), false, 'only the latest request counts');
  assert.equal(fc.answered(request as string), true);
  assert.deepEqual([fc.stalled, fc.outstanding], [false, null]);
  // 1 MiB is still unanswered; the window is now 4 MiB, so the next request comes past 2 MiB.
  assert.equal(fc.sent(mib / 2), null, 'the window doubled');
  assert.notEqual(fc.sent(mib), null);
});
