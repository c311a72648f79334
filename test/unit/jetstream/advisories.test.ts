// The advisories module on a socketless router: sample_freq applied to ack metrics (with a chance source
// the test controls), the JSON members of each event as nats-server 2.9.10 writes them, and nothing
// published where nobody listens.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ConnectionKind } from '../../../src/core/index.js';
import type { Router } from '../../../src/core/index.js';
import { Advisories, sampleFreqPercent } from '../../../src/jetstream/advisories.js';
import type { AdvisedConsumer } from '../../../src/jetstream/advisories.js';
import { decodeStoredConsumerConfig } from '../../../src/jetstream/consumer-config.js';
import type { ConsumerConfig } from '../../../src/jetstream/consumer-config.js';
import { memoryClient, testRouter } from '../core/socketless.js';

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;
const ID = /^[A-Za-z0-9]{22}$/;

interface Event {
  subject: string;
  json: Record<string, unknown>;
}

/** Advisories published by one JetStream internal client, and what a listener on `listen` received. */
function setUp(router: Router, listen: string | null, roll?: () => number, domain = ''): { adv: Advisories; events: Event[] } {
  const account = router.globalAccount();
  const js = router.createInternalClient(ConnectionKind.JetStream, account, 'js');
  const events: Event[] = [];
  if (listen !== null) {
    const listener = router.createInternalClient(ConnectionKind.System, account, 'listener');
    listener.subscribe(listen, null, (msg) => events.push({ subject: msg.subject, json: JSON.parse(msg.data.toString('utf8', msg.start + msg.hdrLen, msg.end)) }));
  }
  return { adv: new Advisories(js, { server: 'NSERVER', domain }, roll), events };
}

function consumer(sampleFreq: string): AdvisedConsumer {
  const config = decodeStoredConsumerConfig('{"ack_policy":"explicit"}') as ConsumerConfig;
  return { host: { name: 'ORDERS' }, name: 'worker', config: { ...config, sampleFreq } };
}

/** Members of an event without its id and timestamp, after checking their shapes. */
function stable(e: Event): Record<string, unknown> {
  const { id, timestamp, ...rest } = e.json;
  assert.match(String(id), ID);
  assert.match(String(timestamp), TIMESTAMP);
  return rest;
}

test('sample_freq reads as nats-server reads it: the number before an optional %', () => {
  const table: [string, number][] = [
    ['', 0],
    ['0', 0],
    ['0%', 0],
    ['30', 30],
    ['30%', 30],
    ['+7%', 7],
    ['100%', 100],
    ['250', 250],
    // Go keeps the count as an int32.
    ['4294967326', 30],
  ];
  for (const [text, percent] of table) assert.equal(sampleFreqPercent(text), percent, text);
});

test('acks are sampled at sample_freq: none when absent or 0%, every one at 100%, by chance in between', (t) => {
  const router = testRouter(t);
  let rolled = 0;
  const rolls = [29, 30, 31, 99];
  const { adv, events } = setUp(router, '$JS.EVENT.METRIC.CONSUMER.ACK.>', () => rolls[rolled++ % rolls.length]);
  const ack = (c: AdvisedConsumer, n: number): void => {
    for (let i = 1; i <= n; i++) adv.ackSampled(c, i, i, 1, Date.now());
  };
  ack(consumer(''), 5);
  ack(consumer('0%'), 5);
  assert.equal(events.length, 0);
  assert.equal(rolled, 0, 'no sampling, no dice');
  ack(consumer('100%'), 5);
  assert.equal(events.length, 5);
  assert.equal(rolled, 0, 'always sampled at 100%');
  events.length = 0;
  // Go samples when rand.Int31n(100) <= sfreq: rolls 29 and 30 pass at 30%, 31 and 99 do not.
  ack(consumer('30'), 4);
  assert.deepEqual(events.map((e) => e.json.stream_seq), [1, 2]);
});

test('an ack metric carries the sequences, deliveries and the time since delivery in ns', (t) => {
  const router = testRouter(t);
  const { adv, events } = setUp(router, '$JS.EVENT.>');
  const deliveredMs = Date.now() - 1500;
  adv.ackSampled(consumer('100%'), 12, 7, 2, deliveredMs);
  assert.equal(events.length, 1);
  assert.equal(events[0].subject, '$JS.EVENT.METRIC.CONSUMER.ACK.ORDERS.worker');
  const { ack_time: ackTime, ...rest } = stable(events[0]);
  assert.deepEqual(rest, { type: 'io.nats.jetstream.metric.v1.consumer_ack', stream: 'ORDERS', consumer: 'worker', consumer_seq: 7, stream_seq: 12, deliveries: 2 });
  assert.ok(typeof ackTime === 'number' && ackTime >= 1_500_000_000, `ack_time ${String(ackTime)} counts from the delivery`);
  assert.deepEqual(Object.keys(events[0].json).slice(0, 3), ['type', 'id', 'timestamp']);
});

test('each advisory has nats-server 2.9.10 subject, type and members; domain only when configured', (t) => {
  const router = testRouter(t);
  const { adv, events } = setUp(router, '$JS.EVENT.>');
  const c = consumer('');
  adv.streamAction('ORDERS', 'create');
  adv.streamAction('ORDERS', 'modify');
  adv.consumerAction('ORDERS', 'worker', 'create');
  adv.naked(c, 3, 4, 1);
  adv.terminated(c, 3, 5, 2);
  adv.maxDeliveries(c, 3, 2);
  adv.streamDeleted('ORDERS', ['worker']);
  assert.deepEqual(
    events.map((e) => [e.subject, stable(e)]),
    [
      ['$JS.EVENT.ADVISORY.STREAM.CREATED.ORDERS', { type: 'io.nats.jetstream.advisory.v1.stream_action', stream: 'ORDERS', action: 'create' }],
      ['$JS.EVENT.ADVISORY.STREAM.UPDATED.ORDERS', { type: 'io.nats.jetstream.advisory.v1.stream_action', stream: 'ORDERS', action: 'modify' }],
      ['$JS.EVENT.ADVISORY.CONSUMER.CREATED.ORDERS.worker', { type: 'io.nats.jetstream.advisory.v1.consumer_action', stream: 'ORDERS', consumer: 'worker', action: 'create' }],
      ['$JS.EVENT.ADVISORY.CONSUMER.MSG_NAKED.ORDERS.worker', { type: 'io.nats.jetstream.advisory.v1.nak', stream: 'ORDERS', consumer: 'worker', consumer_seq: 4, stream_seq: 3, deliveries: 1 }],
      ['$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.ORDERS.worker', { type: 'io.nats.jetstream.advisory.v1.terminated', stream: 'ORDERS', consumer: 'worker', consumer_seq: 5, stream_seq: 3, deliveries: 2 }],
      ['$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ORDERS.worker', { type: 'io.nats.jetstream.advisory.v1.max_deliver', stream: 'ORDERS', consumer: 'worker', stream_seq: 3, deliveries: 2 }],
      ['$JS.EVENT.ADVISORY.CONSUMER.DELETED.ORDERS.worker', { type: 'io.nats.jetstream.advisory.v1.consumer_action', stream: 'ORDERS', consumer: 'worker', action: 'delete' }],
      ['$JS.EVENT.ADVISORY.STREAM.DELETED.ORDERS', { type: 'io.nats.jetstream.advisory.v1.stream_action', stream: 'ORDERS', action: 'delete' }],
    ],
  );

  const withDomain = setUp(router, '$JS.EVENT.ADVISORY.STREAM.>', undefined, 'edge');
  withDomain.adv.streamAction('S2', 'create');
  assert.equal(withDomain.events.at(-1)?.json.domain, 'edge');
});

test('the API audit repeats the request and the answer, with the account, rtt and server of the requester', async (t) => {
  const router = testRouter(t);
  const { adv, events } = setUp(router, '$JS.EVENT.ADVISORY.API');
  const client = await memoryClient(router);
  client.send('PING\r\n');
  await client.received();
  const response = '{"type":"io.nats.jetstream.api.v1.stream_delete_response","success":true}';
  adv.apiAudit(client.conn, '$JS.API.STREAM.DELETE.ORDERS', Buffer.alloc(0), response);
  adv.apiAudit(client.conn, '$JS.API.STREAM.CREATE.\xc3\xa9t\xc3\xa9', Buffer.from('{"name":"été"}'), '{}');
  assert.equal(events.length, 2);
  const first = stable(events[0]);
  const { client: info, ...rest } = first;
  assert.deepEqual(rest, { type: 'io.nats.jetstream.advisory.v1.api_audit', server: 'NSERVER', subject: '$JS.API.STREAM.DELETE.ORDERS', response });
  assert.deepEqual(Object.keys(info as object), ['acc', 'rtt', 'server']);
  assert.deepEqual({ ...(info as object), rtt: 0 }, { acc: '$G', rtt: 0, server: 'NSERVER' });
  // An empty request is left out; a subject and a body in UTF-8 come out as text.
  assert.equal('request' in first, false);
  assert.deepEqual([events[1].json.subject, events[1].json.request], ['$JS.API.STREAM.CREATE.été', '{"name":"été"}']);
});

test('nothing is published on a subject nobody listens to', (t) => {
  const router = testRouter(t);
  const { adv, events } = setUp(router, '$JS.EVENT.ADVISORY.STREAM.CREATED.*');
  const js = router.createInternalClient(ConnectionKind.System, router.globalAccount(), 'count');
  const before = router.globalAccount().sublist.match('$JS.EVENT.ADVISORY.API');
  assert.equal(before.psubs.length + before.qsubs.length, 0);
  adv.apiAudit(js, '$JS.API.INFO', Buffer.alloc(0), '{}');
  adv.streamAction('A', 'delete');
  adv.ackSampled(consumer('100%'), 1, 1, 1, Date.now());
  adv.streamAction('A', 'create');
  assert.deepEqual(events.map((e) => e.subject), ['$JS.EVENT.ADVISORY.STREAM.CREATED.A']);
});
