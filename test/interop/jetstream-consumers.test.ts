// Consumers, differential: the same client code (the official @nats-io/jetstream, and raw pull requests for
// the status replies) runs against nats-server -js (2.9.10) and leafgate -js, and both must observe the same
// messages, statuses and ConsumerInfo counters. Each scenario has a stream of its own; short ack_wait and
// expires keep them quick, and nothing asserts on timing.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createInbox } from '@nats-io/transport-node';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { ConsumerConfig, ConsumerInfo } from '@nats-io/jetstream';
import { connect as legacyConnect, consumerOpts as legacyConsumerOpts, createInbox as legacyInbox, StringCodec } from 'nats';
import type { NatsConnection as LegacyConnection } from 'nats';
import { jetStreamPair, masked } from './jetstream-pair.js';

const MS = 1_000_000;
const legacyCodec = StringCodec();

/** Runs the same scenario on both servers at once. */
async function onBoth<T>(pair: ReturnType<ReturnType<typeof jetStreamPair>>, run: (nc: NatsConnection) => Promise<T>): Promise<{ natsServer: T; leafgate: T }> {
  const [natsServer, leafgate] = await Promise.all([run(pair.natsServer.nc), run(pair.leafgate.nc)]);
  return { natsServer, leafgate };
}

/** The counters of a ConsumerInfo that do not depend on time. */
function counters(ci: ConsumerInfo): Record<string, unknown> {
  return {
    delivered: { consumer_seq: ci.delivered.consumer_seq, stream_seq: ci.delivered.stream_seq },
    ack_floor: { consumer_seq: ci.ack_floor.consumer_seq, stream_seq: ci.ack_floor.stream_seq },
    num_ack_pending: ci.num_ack_pending,
    num_redelivered: ci.num_redelivered,
    num_pending: ci.num_pending,
  };
}

/** What a message or status looks like to a client, comparable across servers. */
function describeMsg(m: Msg): string {
  const h = m.headers;
  if (h !== undefined && h.code > 0) {
    const fields = [...h.keys()].sort().map((k) => `${k}=${h.get(k)}`);
    return `status ${h.code} ${h.description}${fields.length > 0 ? ` ${fields.join(' ')}` : ''}`;
  }
  const ackTokens = (m.reply ?? '').split('.');
  // $JS.ACK.<stream>.<consumer>.<dc>.<sseq>.<cseq>.<ts>.<pending>: the time differs between servers.
  const ack = ackTokens.length === 9 ? `${ackTokens.slice(0, 7).join('.')}.<ts>.${ackTokens[8]}` : (m.reply ?? '');
  return `${m.subject} ${m.string()} ${ack}`;
}

/**
 * Sends one pull request and collects what comes back on its inbox until a status that ends it (not a
 * heartbeat) or `waitMs` (for requests answered with messages only, or nothing at all).
 */
async function pull(nc: NatsConnection, stream: string, consumer: string, body: string, waitMs = 1500): Promise<string[]> {
  const inbox = createInbox();
  const got: string[] = [];
  const sub = nc.subscribe(inbox);
  const done = (async () => {
    for await (const m of sub) {
      const d = describeMsg(m);
      // Heartbeats arrive as often as time allows: one is enough to compare.
      if (d.startsWith('status 100') && got.includes(d)) continue;
      got.push(d);
      if (d.startsWith('status 4')) break;
    }
  })();
  const timer = setTimeout(() => sub.unsubscribe(), waitMs);
  nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, body, { reply: inbox });
  await done;
  clearTimeout(timer);
  return got;
}

async function addStream(nc: NatsConnection, name: string, subjects: string[], extra: Record<string, unknown> = {}): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name, subjects, storage: StorageType.File, ...extra });
}

async function addConsumer(nc: NatsConnection, stream: string, cfg: Partial<ConsumerConfig>): Promise<ConsumerInfo> {
  const jsm = await jetstreamManager(nc);
  return jsm.consumers.add(stream, cfg);
}

async function publish(nc: NatsConnection, subject: string, payloads: string[]): Promise<void> {
  const js = jetstream(nc);
  for (const p of payloads) await js.publish(subject, p);
}

describe('interop: JetStream consumers against nats-server -js', () => {
  const servers = jetStreamPair();

  test("the issue's first program: a workqueue stream, a durable consumer, consume() with ack() and nak()", async () => {
    const got = await onBoth(servers(), async (nc) => {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'orders', subjects: ['orders.*'], storage: StorageType.File, retention: RetentionPolicy.Workqueue });
      await jsm.consumers.add('orders', { durable_name: 'order-processor', ack_policy: AckPolicy.Explicit });
      const js = jetstream(nc);
      const acks = [];
      for (let i = 1; i <= 3; i++) acks.push(await js.publish('orders.new', `order ${i}`));
      const c = await js.consumers.get('orders', 'order-processor');
      const seen: string[] = [];
      const msgs = await c.consume({ max_messages: 10, expires: 1000 });
      for await (const m of msgs) {
        seen.push(`${m.subject} ${m.string()} seq=${m.seq} dc=${m.info.deliveryCount} redelivered=${m.redelivered} pending=${m.info.pending}`);
        if (m.string() === 'order 2' && m.info.deliveryCount === 1) m.nak();
        else await m.ackAck();
        if (seen.length === 4) break;
      }
      await msgs.close();
      const info = await c.info();
      const state = (await jsm.streams.info('orders')).state;
      return { acks: acks.map((a) => `${a.stream} ${a.seq} ${a.duplicate}`), seen, counters: counters(info), messages: state.messages, consumers: state.consumer_count };
    });
    assert.deepEqual(got.leafgate, got.natsServer);
    assert.equal(got.leafgate.seen.length, 4);
    assert.equal(got.leafgate.messages, 0);
  });

  test('consumer API: create forms, info, names, list, delete, and their errors', async () => {
    const steps: Array<[string, string]> = [
      ['$JS.API.STREAM.CREATE.capi', '{"name":"capi","subjects":["capi.>"]}'],
      ['$JS.API.CONSUMER.CREATE.capi.d1', '{"stream_name":"capi","config":{"durable_name":"d1","ack_policy":"explicit","deliver_policy":"all"}}'],
      ['$JS.API.CONSUMER.CREATE.capi.d1', '{"stream_name":"capi","config":{"durable_name":"d1","ack_policy":"explicit","deliver_policy":"all","max_ack_pending":5}}'],
      ['$JS.API.CONSUMER.CREATE.capi.d1', '{"stream_name":"capi","config":{"durable_name":"d1","ack_policy":"none"}}'],
      ['$JS.API.CONSUMER.DURABLE.CREATE.capi.d2', '{"stream_name":"capi","config":{"durable_name":"d2","ack_policy":"all","filter_subject":"capi.a"}}'],
      ['$JS.API.CONSUMER.CREATE.capi.n1.capi.b', '{"stream_name":"capi","config":{"name":"n1","ack_policy":"none","filter_subject":"capi.b","deliver_policy":"last_per_subject"}}'],
      ['$JS.API.CONSUMER.CREATE.capi.n2.capi.c', '{"stream_name":"capi","config":{"name":"n2","filter_subject":"capi.b"}}'],
      ['$JS.API.CONSUMER.CREATE.capi', '{"stream_name":"capi","config":{"durable_name":"x"}}'],
      ['$JS.API.CONSUMER.CREATE.nope.c', '{"stream_name":"nope","config":{}}'],
      ['$JS.API.CONSUMER.CREATE.capi.c', ''],
      ['capi.a', 'one'],
      ['capi.b', 'two'],
      ['$JS.API.CONSUMER.CREATE.capi.p1', '{"stream_name":"capi","config":{"name":"p1","deliver_subject":"capi-out","ack_policy":"explicit","deliver_policy":"new"}}'],
      ['$JS.API.CONSUMER.CREATE.capi.s1', '{"stream_name":"capi","config":{"name":"s1","ack_policy":"explicit","deliver_policy":"by_start_sequence","opt_start_seq":2}}'],
      ['$JS.API.CONSUMER.CREATE.capi.l1', '{"stream_name":"capi","config":{"name":"l1","ack_policy":"explicit","deliver_policy":"last"}}'],
      ['$JS.API.CONSUMER.INFO.capi.d1', ''],
      ['$JS.API.CONSUMER.INFO.capi.d2', ''],
      ['$JS.API.CONSUMER.INFO.capi.n1', ''],
      ['$JS.API.CONSUMER.INFO.capi.zz', ''],
      ['$JS.API.CONSUMER.INFO.capi.d1', '{"x":1}'],
      ['$JS.API.CONSUMER.NAMES.capi', ''],
      ['$JS.API.CONSUMER.LIST.capi', ''],
      ['$JS.API.CONSUMER.NAMES.nope', ''],
      ['$JS.API.CONSUMER.DELETE.capi.d2', ''],
      ['$JS.API.CONSUMER.DELETE.capi.d2', ''],
      ['$JS.API.STREAM.INFO.capi', ''],
      ['$JS.API.INFO', ''],
      ['$JS.API.STREAM.DELETE.capi', ''],
      ['$JS.API.STREAM.CREATE.capi', '{"name":"capi","subjects":["capi.>"],"max_consumers":1}'],
      ['$JS.API.CONSUMER.NAMES.capi', ''],
      ['$JS.API.CONSUMER.CREATE.capi.m1', '{"stream_name":"capi","config":{"name":"m1","ack_policy":"explicit"}}'],
      ['$JS.API.CONSUMER.CREATE.capi.m2', '{"stream_name":"capi","config":{"name":"m2","ack_policy":"explicit"}}'],
      ['$JS.API.STREAM.CREATE.cwq', '{"name":"cwq","subjects":["cwq.>"],"retention":"workqueue"}'],
      ['$JS.API.CONSUMER.CREATE.cwq.w1', '{"stream_name":"cwq","config":{"name":"w1","ack_policy":"explicit"}}'],
      ['$JS.API.CONSUMER.CREATE.cwq.w2', '{"stream_name":"cwq","config":{"name":"w2","ack_policy":"explicit"}}'],
      ['$JS.API.CONSUMER.CREATE.cwq.w3', '{"stream_name":"cwq","config":{"name":"w3","ack_policy":"none"}}'],
      ['$JS.API.INFO', ''],
    ];
    const got = await onBoth(servers(), async (nc) => {
      const out: string[] = [];
      for (const [subject, body] of steps) {
        try {
          const m = await nc.request(subject, body, { timeout: 2000 });
          out.push(`${subject} -> ${masked(m.string()).replace(/"last_active":"[^"]*"/g, '"last_active":"<time>"')}`);
        } catch (err) {
          out.push(`${subject} -> ${(err as Error).message}`);
        }
      }
      return out;
    });
    assert.deepEqual(got.leafgate, got.natsServer);
  });

  test('pull requests: every status reply with its headers', async () => {
    const got = await onBoth(servers(), async (nc) => {
      await addStream(nc, 'pulls', ['pulls.>']);
      await addConsumer(nc, 'pulls', { durable_name: 'p', ack_policy: AckPolicy.Explicit });
      await addConsumer(nc, 'pulls', { durable_name: 'capped', ack_policy: AckPolicy.Explicit, max_batch: 2, max_expires: 1000 * MS, max_bytes: 1000 });
      await addConsumer(nc, 'pulls', { durable_name: 'one', ack_policy: AckPolicy.Explicit, max_waiting: 1, deliver_policy: DeliverPolicy.New });
      await addConsumer(nc, 'pulls', { durable_name: 'pushed', ack_policy: AckPolicy.Explicit, deliver_subject: 'pulls-out' });
      const out: Record<string, string[]> = {};
      out.noWaitEmpty = await pull(nc, 'pulls', 'p', '{"batch":1,"no_wait":true}');
      out.expiresEmpty = await pull(nc, 'pulls', 'p', '{"batch":2,"expires":200000000}');
      await publish(nc, 'pulls.a', ['one', 'two', 'three']);
      out.noWaitSome = await pull(nc, 'pulls', 'p', '{"batch":5,"no_wait":true}');
      await publish(nc, 'pulls.b', ['a payload longer than the max bytes of the request']);
      out.maxBytes = await pull(nc, 'pulls', 'p', '{"batch":2,"max_bytes":10,"expires":1000000000}');
      out.plainNumber = await pull(nc, 'pulls', 'p', '1', 500);
      out.heartbeatTooLarge = await pull(nc, 'pulls', 'p', '{"batch":1,"idle_heartbeat":1000000000,"expires":1000000000}');
      out.badJson = (await pull(nc, 'pulls', 'p', '{"batch":"x"}')).map((s) => s.slice(0, 'status 400 Bad Request'.length));
      out.batchCap = await pull(nc, 'pulls', 'capped', '{"batch":3}');
      out.expiresCap = await pull(nc, 'pulls', 'capped', '{"batch":1,"expires":2000000000}');
      out.bytesCap = await pull(nc, 'pulls', 'capped', '{"batch":1,"max_bytes":2000}');
      out.pushBased = await pull(nc, 'pulls', 'pushed', '{"batch":1}');
      out.missingConsumer = await pull(nc, 'pulls', 'nobody', '{"batch":1}', 300);
      out.heartbeats = await pull(nc, 'pulls', 'one', '{"batch":1,"expires":700000000,"idle_heartbeat":200000000}');
      const first = pull(nc, 'pulls', 'one', '{"batch":1,"expires":1000000000}', 3000);
      await nc.flush();
      out.maxWaiting = await pull(nc, 'pulls', 'one', '{"batch":1,"expires":1000000000}');
      const jsm = await jetstreamManager(nc);
      await jsm.consumers.delete('pulls', 'one');
      out.deleted = await first;
      out.info = [JSON.stringify(counters(await jsm.consumers.info('pulls', 'p')))];
      return out;
    });
    assert.deepEqual(got.leafgate, got.natsServer);
    assert.deepEqual(got.leafgate.noWaitEmpty, ['status 404 No Messages']);
  });

  test('fetch() and next() through the official client', async () => {
    const got = await onBoth(servers(), async (nc) => {
      await addStream(nc, 'fetches', ['fetches.*']);
      await addConsumer(nc, 'fetches', { durable_name: 'f', ack_policy: AckPolicy.Explicit });
      await publish(nc, 'fetches.x', ['1', '2', '3', '4', '5']);
      const c = await jetstream(nc).consumers.get('fetches', 'f');
      const seen: string[] = [];
      const iter = await c.fetch({ max_messages: 3, expires: 1000 });
      for await (const m of iter) {
        seen.push(`${m.seq} ${m.string()} ${m.info.pending}`);
        m.ack();
      }
      const next = await c.next({ expires: 1000 });
      seen.push(`next ${next?.seq} ${next?.info.pending}`);
      await next?.ackAck();
      const rest = await c.fetch({ max_messages: 10, expires: 1000 });
      for await (const m of rest) {
        seen.push(`${m.seq} ${m.string()}`);
        await m.ackAck();
      }
      const empty = await c.next({ expires: 1000 });
      seen.push(`empty ${empty === null}`);
      return { seen, counters: counters(await c.info()) };
    });
    assert.deepEqual(got.leafgate, got.natsServer);
  });

  test('redelivery: ack_wait, backoff, max_deliver, NAK with a delay, TERM, WPI', async () => {
    const got = await onBoth(servers(), async (nc) => {
      await addStream(nc, 'redo', ['redo.*']);
      await addConsumer(nc, 'redo', { durable_name: 'r', ack_policy: AckPolicy.Explicit, ack_wait: 200 * MS, max_deliver: 3, filter_subject: 'redo.wait' });
      await addConsumer(nc, 'redo', { durable_name: 'b', ack_policy: AckPolicy.Explicit, backoff: [100 * MS, 200 * MS], max_deliver: 3, filter_subject: 'redo.wait' });
      await addConsumer(nc, 'redo', { durable_name: 'k', ack_policy: AckPolicy.Explicit, filter_subject: 'redo.other' });
      await publish(nc, 'redo.wait', ['never acked']);
      await publish(nc, 'redo.other', ['naked', 'termed', 'in progress']);
      const out: Record<string, unknown> = {};
      // Delivered, then redelivered twice as the ack wait passes, then max_deliver stops it.
      out.ackWait = await pull(nc, 'redo', 'r', '{"batch":5,"expires":1500000000}', 3000);
      out.backoff = await pull(nc, 'redo', 'b', '{"batch":5,"expires":1500000000}', 3000);
      const jsm = await jetstreamManager(nc);
      out.ackWaitInfo = counters(await jsm.consumers.info('redo', 'r'));
      out.backoffInfo = counters(await jsm.consumers.info('redo', 'b'));
      const c = await jetstream(nc).consumers.get('redo', 'k');
      const first = await c.fetch({ max_messages: 3, expires: 1000 });
      const steps: string[] = [];
      for await (const m of first) {
        steps.push(`${m.string()} dc=${m.info.deliveryCount}`);
        if (m.string() === 'naked') m.nak(150);
        if (m.string() === 'termed') m.term();
        if (m.string() === 'in progress') {
          m.working();
          await m.ackAck();
        }
      }
      const again = await c.next({ expires: 1500 });
      steps.push(`${again?.string()} dc=${again?.info.deliveryCount} redelivered=${again?.redelivered}`);
      await again?.ackAck();
      out.steps = steps;
      out.info = counters(await c.info());
      return out;
    });
    assert.deepEqual(got.leafgate, got.natsServer);
    assert.equal((got.leafgate.ackWait as string[]).length, 4);
  });
});

describe('interop: ordered and push consumers against nats-server -js', () => {
  const servers = jetStreamPair();

  test('ordered consumer (ephemeral push, flow control, heartbeats) through consume() and fetch()', async () => {
    const got = await onBoth(servers(), async (nc) => {
      await addStream(nc, 'ord', ['ord.*']);
      await publish(nc, 'ord.a', ['1', '2', '3']);
      await publish(nc, 'ord.b', ['4', '5']);
      const js = jetstream(nc);
      const c = await js.consumers.get('ord', { filter_subjects: 'ord.a' });
      const seen: string[] = [];
      const msgs = await c.consume();
      for await (const m of msgs) {
        seen.push(`${m.subject} ${m.string()} seq=${m.seq} pending=${m.info.pending}`);
        if (m.info.pending === 0) break;
      }
      await msgs.close();
      const all = await js.consumers.get('ord', { deliver_policy: DeliverPolicy.LastPerSubject });
      const iter = await all.fetch({ max_messages: 2, expires: 1000 });
      for await (const m of iter) seen.push(`last ${m.subject} ${m.string()} pending=${m.info.pending}`);
      return seen;
    });
    assert.deepEqual(got.leafgate, got.natsServer);
    assert.equal(got.leafgate.length, 5);
  });
});

describe('interop: push consumers with the nats 2.x package against nats-server -js', () => {
  const servers = jetStreamPair();

  /** Runs `run` with a nats 2.x connection to each server. */
  async function withLegacyClient<T>(run: (nc: LegacyConnection) => Promise<T>): Promise<{ natsServer: T; leafgate: T }> {
    const pair = servers();
    const ncs = await Promise.all([legacyConnect({ port: pair.natsServer.server.port }), legacyConnect({ port: pair.leafgate.server.port })]);
    try {
      const [natsServer, leafgate] = await Promise.all(ncs.map((nc) => run(nc)));
      return { natsServer, leafgate };
    } finally {
      await Promise.all(ncs.map((nc) => nc.close()));
    }
  }

  test('js.subscribe with a deliver subject, flow control and heartbeats, then a queue push consumer', async () => {
    const got = await withLegacyClient(async (nc) => {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: 'pushes', subjects: ['pushes.*'] });
      const js = nc.jetstream();
      for (const p of ['1', '2', '3']) await js.publish('pushes.a', legacyCodec.encode(p));
      const opts = legacyConsumerOpts();
      opts.durable('pusher');
      opts.deliverTo(legacyInbox());
      opts.ackExplicit();
      opts.flowControl();
      opts.idleHeartbeat(1000);
      const sub = await js.subscribe('pushes.*', opts);
      const seen: string[] = [];
      for await (const m of sub) {
        seen.push(`${m.subject} ${legacyCodec.decode(m.data)} seq=${m.seq} dc=${m.info.redeliveryCount} pending=${m.info.pending}`);
        await m.ackAck();
        if (seen.length === 3) break;
      }
      const info = await jsm.consumers.info('pushes', 'pusher');
      const queued: string[] = [];
      const qopts = () => {
        const o = legacyConsumerOpts();
        o.durable('workers');
        o.queue('workers');
        o.deliverTo('pushes-workers');
        o.ackExplicit();
        return o;
      };
      const q1 = await js.subscribe('pushes.*', qopts());
      const q2 = await js.subscribe('pushes.*', qopts());
      let bound: boolean | undefined;
      const collect = async (s: typeof q1): Promise<void> => {
        for await (const m of s) {
          queued.push(legacyCodec.decode(m.data));
          await m.ackAck();
          if (queued.length === 3) {
            bound = (await jsm.consumers.info('pushes', 'workers')).push_bound;
            q1.unsubscribe();
            q2.unsubscribe();
          }
        }
      };
      await Promise.all([collect(q1), collect(q2)]);
      return { seen, counters: counters(info as unknown as ConsumerInfo), queued: queued.sort(), bound };
    });
    assert.deepEqual(got.leafgate, got.natsServer);
    assert.deepEqual(got.leafgate.queued, ['1', '2', '3']);
  });
});

describe('interop: retention, purge and delivery options against nats-server -js', () => {
  const servers = jetStreamPair();

  test('interest retention: nothing stored without interest, removed once every consumer acked; purge moves ack floors', async () => {
    const got = await onBoth(servers(), async (nc) => {
      const jsm = await jetstreamManager(nc);
      const out: string[] = [];
      const state = async (): Promise<void> => {
        const s = (await jsm.streams.info('intr')).state;
        out.push(`messages=${s.messages} first=${s.first_seq} last=${s.last_seq} deleted=${s.num_deleted ?? 0}`);
      };
      await addStream(nc, 'intr', ['intr.*'], { retention: RetentionPolicy.Interest });
      await publish(nc, 'intr.a', ['nobody wants this']);
      await state();
      await addConsumer(nc, 'intr', { durable_name: 'ca', ack_policy: AckPolicy.Explicit, filter_subject: 'intr.a' });
      await addConsumer(nc, 'intr', { durable_name: 'all', ack_policy: AckPolicy.Explicit });
      await publish(nc, 'intr.a', ['a1', 'a2', 'a3']);
      await publish(nc, 'intr.b', ['b1']);
      await state();
      const js = jetstream(nc);
      const ca = await js.consumers.get('intr', 'ca');
      const m1 = await ca.next({ expires: 1000 });
      await m1?.ackAck();
      await state();
      const all = await js.consumers.get('intr', 'all');
      const batch = await all.fetch({ max_messages: 2, expires: 1000 });
      for await (const m of batch) if (m.seq === 2) await m.ackAck();
      await state();
      out.push(JSON.stringify(counters(await all.info())));
      await jsm.streams.purge('intr');
      await state();
      out.push(JSON.stringify(counters(await all.info())));
      out.push(JSON.stringify(counters(await ca.info())));
      return out;
    });
    assert.deepEqual(got.leafgate, got.natsServer);
  });

  test('headers_only, start by time, replay original, and an ephemeral removed after inactive_threshold', async () => {
    const got = await onBoth(servers(), async (nc) => {
      await addStream(nc, 'opts', ['opts.*']);
      await publish(nc, 'opts.a', ['payload one', 'two']);
      const js = jetstream(nc);
      const jsm = await jetstreamManager(nc);
      const out: string[] = [];
      await addConsumer(nc, 'opts', { durable_name: 'ho', ack_policy: AckPolicy.None, headers_only: true });
      const ho = await js.consumers.get('opts', 'ho');
      for await (const m of await ho.fetch({ max_messages: 2, expires: 1000 })) out.push(`ho ${m.seq} size=${m.headers?.get('Nats-Msg-Size')} data=${m.data.length}`);
      const past = await addConsumer(nc, 'opts', { durable_name: 'past', ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.StartTime, opt_start_time: '2001-01-01T00:00:00Z' });
      const future = await addConsumer(nc, 'opts', { durable_name: 'future', ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.StartTime, opt_start_time: '2999-01-01T00:00:00Z' });
      out.push(`start time: past ${past.num_pending} ${past.delivered.stream_seq}, future ${future.num_pending} ${future.delivered.stream_seq}`);
      await addConsumer(nc, 'opts', { durable_name: 'replay', ack_policy: AckPolicy.None, replay_policy: 'original' as ConsumerConfig['replay_policy'] });
      const replay = await js.consumers.get('opts', 'replay');
      for await (const m of await replay.fetch({ max_messages: 2, expires: 2000 })) out.push(`replay ${m.seq} ${m.string()}`);
      await addConsumer(nc, 'opts', { name: 'brief', ack_policy: AckPolicy.None, inactive_threshold: 200 * MS });
      await new Promise((r) => setTimeout(r, 2500));
      const names: string[] = [];
      for await (const n of jsm.consumers.list('opts')) names.push(n.name);
      out.push(`consumers ${names.sort().join(',')}`);
      return out;
    });
    assert.deepEqual(got.leafgate, got.natsServer);
    assert.ok(!got.leafgate.at(-1)?.includes('brief'));
  });
});
