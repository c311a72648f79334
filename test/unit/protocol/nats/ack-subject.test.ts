import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseAckSubject, parseDeliveryReply } from '../../../../src/protocol/nats/index.js';

test('ack subjects: consumer, delivery count and sequences read as split() would', () => {
  const subjects = ['$JS.ACK.ORDERS.worker.1.42.7.1700000000000000000.3', '$JS.ACK.S.c.12.9007199254740991.1.0.0', '$JS.ACK.wörter.dürable.2.5.4.1.0.extra'];
  for (const subject of subjects) {
    const t = subject.split('.');
    assert.deepEqual(parseAckSubject(subject), { consumer: t[3], delivered: Number(t[4]), streamSeq: Number(t[5]), consumerSeq: Number(t[6]) }, subject);
  }
});

test('ack subjects: fewer than nine tokens are not acks; bad numbers read as NaN, as Number() does', () => {
  for (const subject of ['$JS.ACK', '$JS.ACK.S.c', '$JS.ACK.S.c.1.2.3.4']) assert.equal(parseAckSubject(subject), null, subject);
  assert.equal(parseAckSubject('$JS.ACK.S.c.1.2.3.4.')?.consumer, 'c');
  const bad = parseAckSubject('$JS.ACK.S.c.x.2.y.4.5');
  assert.ok(bad !== null && Number.isNaN(bad.delivered) && bad.streamSeq === 2 && Number.isNaN(bad.consumerSeq));
});

test('delivery replies: the nine tokens of 2.9 and the twelve of newer servers read alike', () => {
  const want = { consumer: 'src-AbC', delivered: 1, streamSeq: 42, consumerSeq: 7, timeText: '1700000000123456789', pending: 3 };
  assert.deepEqual({ ...parseDeliveryReply('$JS.ACK.ORIGIN.src-AbC.1.42.7.1700000000123456789.3') }, want);
  assert.deepEqual({ ...parseDeliveryReply('$JS.ACK.hub.ACCHASH.ORIGIN.src-AbC.1.42.7.1700000000123456789.3.r4nd0m') }, want);
  assert.equal(parseDeliveryReply('$JS.ACK.S.c.2.9007199254740991.1.0.0')?.streamSeq, 9007199254740991);
});

test('delivery replies: anything else is not one', () => {
  const bad = [
    '',
    '_INBOX.x.y.z.1.2.3.4.5',
    '$JS.ACK.S.c.1.2.3.4',
    '$JS.ACK.S.c.1.2.3.4.5.6',
    '$JS.ACK.S.c.0.2.3.4.5',
    '$JS.ACK.S.c.1.x.3.4.5',
    '$JS.ACK.S.c.1.2.3.-4.5',
    '$JS.ACK.S.c.1.2.3.4.',
    '$JS.ACK.S.c.1.2.3.4.5.6.7.8.9.10',
    '$JS.ACK.S.c.1..3.4.5',
  ];
  for (const reply of bad) assert.equal(parseDeliveryReply(reply), null, reply);
});
