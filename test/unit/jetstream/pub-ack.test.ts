// PubAcks are written into one reused buffer: the text must be nats-server's, byte for byte.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PubAckWriter } from '../../../src/jetstream/pub-ack.js';

test('a PubAck is nats-server 2.9 text for any sequence, duplicate or not', () => {
  const writer = new PubAckWriter(JSON.stringify('wörter'));
  for (const seq of [1, 9, 10, 99, 100, 4_294_967_296, Number.MAX_SAFE_INTEGER]) {
    assert.equal(writer.ack(seq, false).toString('utf8'), `{"stream":"wörter", "seq":${seq}}`);
    assert.equal(writer.ack(seq, true).toString('utf8'), `{"stream":"wörter", "seq":${seq},"duplicate": true}`);
  }
  const first = writer.ack(12, false);
  assert.deepEqual(JSON.parse(first.toString('utf8')), { stream: 'wörter', seq: 12 });
});

test('with a JetStream domain the PubAck names it, as nats-server 2.9.10 writes it', () => {
  const writer = new PubAckWriter(JSON.stringify('s1'), 'd');
  // Seen from nats-server 2.9.10 with jetstream { domain: d }.
  assert.equal(writer.ack(1, false).toString('utf8'), '{"stream":"s1", "domain":"d", "seq":1}');
  assert.equal(writer.ack(2, true).toString('utf8'), '{"stream":"s1", "domain":"d", "seq":2,"duplicate": true}');
});
