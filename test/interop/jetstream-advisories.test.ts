// Advisories and ack metrics, differential: a client subscribed to `$JS.EVENT.>` on nats-server -js (2.9.10)
// and on leafgate -js runs the same stream and consumer life (create, re-create, update, acks sampled at
// 100%, 0% and not at all, a +TERM, a NAK past max_deliver, deletes) and must see the same events: the same
// subjects, types and members, with the same values where they do not depend on the server or the moment
// (ids, timestamps, server names and durations are compared by shape).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { connect, createInbox } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { jetStreamPair } from './jetstream-pair.js';
import type { JetStreamSide } from './jetstream-pair.js';

const ID = /^[A-Za-z0-9]{22}$/;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;
const EVENTS_WAIT_MS = 5000;

type Json = Record<string, unknown>;

interface Seen {
  subject: string;
  json: Json;
}

/** An event with what depends on the server or the moment replaced by its shape, as comparable text. */
function describeEvent(e: Seen, server: string): string {
  const out: Json = {};
  for (const [k, v] of Object.entries(e.json)) {
    switch (k) {
      case 'id':
        out[k] = ID.test(String(v)) ? '<id>' : v;
        break;
      case 'timestamp':
        out[k] = TIMESTAMP.test(String(v)) ? '<time>' : v;
        break;
      case 'server':
        out[k] = v === server ? '<server>' : v;
        break;
      case 'ack_time':
        out[k] = typeof v === 'number' && Number.isInteger(v) && v >= 0 ? '<ns>' : v;
        break;
      case 'client': {
        const c = v as Json;
        out[k] = Object.fromEntries(Object.entries(c).map(([ck, cv]) => [ck, ck === 'rtt' ? typeof cv : ck === 'server' && cv === server ? '<server>' : cv]));
        break;
      }
      case 'response': {
        // The answers themselves are compared by the other suites: here their type, error and members.
        const r = JSON.parse(String(v)) as Json;
        out[k] = { type: r.type, error: r.error, members: Object.keys(r).sort() };
        break;
      }
      default:
        out[k] = v;
    }
  }
  return `${e.subject} ${JSON.stringify(out)}`;
}

/** Sends one pull request and waits for the status that ends it (a 4xx); deliveries are left unacked. */
async function pullUntilStatus(nc: NatsConnection, stream: string, consumer: string, body: string): Promise<string> {
  const inbox = createInbox();
  const sub = nc.subscribe(inbox, { max: 10 });
  nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, body, { reply: inbox });
  for await (const m of sub) {
    const code = m.headers?.code ?? 0;
    if (code >= 400) {
      sub.unsubscribe();
      return `${code}`;
    }
  }
  return 'none';
}

/** The scenario; returns every event seen, described. */
async function scenario(nc: NatsConnection): Promise<string[]> {
  const seen: Seen[] = [];
  nc.subscribe('$JS.EVENT.>', { callback: (_err, m) => void seen.push({ subject: m.subject, json: m.json<Json>() }) });
  await nc.flush();
  const server = nc.info?.server_name ?? '';

  const jsm = await jetstreamManager(nc);
  const streamConfig = { name: 'ADV', subjects: ['adv.>'], storage: StorageType.File };
  await jsm.streams.add(streamConfig);
  // The same config again: answered and audited, no second CREATED.
  await jsm.streams.add(streamConfig);
  await jsm.streams.info('NOPE').catch(() => undefined);
  await jsm.streams.update('ADV', { subjects: ['adv.>'], max_msgs: 1000 });
  const js = jetstream(nc);
  for (const s of ['adv.a', 'adv.b', 'adv.c']) await js.publish(s, s);

  for (const [name, freq] of [['SAMPLED', '100%'], ['ZERO', '0%'], ['UNSAMPLED', undefined]] as const) {
    await jsm.consumers.add('ADV', { durable_name: name, ack_policy: AckPolicy.Explicit, ...(freq === undefined ? {} : { sample_freq: freq }) });
    const c = await js.consumers.get('ADV', name);
    const batch = await c.fetch({ max_messages: 3, expires: 5000 });
    for await (const m of batch) await m.ackAck();
  }
  // An update of an existing consumer: audited, no CREATED.
  await jsm.consumers.update('ADV', 'SAMPLED', { description: 'updated' });

  await jsm.consumers.add('ADV', { durable_name: 'TERM', ack_policy: AckPolicy.Explicit, filter_subject: 'adv.a' });
  const term = await js.consumers.get('ADV', 'TERM');
  for await (const m of await term.fetch({ max_messages: 1, expires: 5000 })) m.term();

  // One delivery allowed: the NAK asks for a second one, which the next pull finds past max_deliver.
  await jsm.consumers.add('ADV', { durable_name: 'MAXD', ack_policy: AckPolicy.Explicit, filter_subject: 'adv.b', max_deliver: 1 });
  const maxd = await js.consumers.get('ADV', 'MAXD');
  for await (const m of await maxd.fetch({ max_messages: 1, expires: 5000 })) m.nak();
  await nc.flush();
  assert.equal(await pullUntilStatus(nc, 'ADV', 'MAXD', '{"batch":1,"expires":500000000}'), '408');

  await jsm.consumers.delete('ADV', 'ZERO');
  await jsm.streams.delete('ADV');

  // nats-server sends the API audits and a stream's events from separate queues: wait for the last of each
  // that it always delivers (see streamGone for those it may lose).
  const done = (): boolean =>
    seen.some((e) => e.json.subject === '$JS.API.STREAM.DELETE.ADV') && seen.some((e) => e.subject === '$JS.EVENT.ADVISORY.CONSUMER.DELETED.ADV.ZERO');
  const deadline = Date.now() + EVENTS_WAIT_MS;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await nc.flush();
  // Consumers are stopped in map order when their stream goes: compare as a sorted list.
  return seen.map((e) => describeEvent(e, server)).sort();
}

/**
 * The events of the stream's deletion: its remaining consumers' and its own. nats-server 2.9.10 queues them,
 * then stops the stream's send queue at once (stream.go stop()), so it loses some of them at random;
 * leafgate sends them all.
 */
function streamGone(d: string): boolean {
  return d.startsWith('$JS.EVENT.ADVISORY.STREAM.DELETED.ADV ') || (d.startsWith('$JS.EVENT.ADVISORY.CONSUMER.DELETED.ADV.') && !d.startsWith('$JS.EVENT.ADVISORY.CONSUMER.DELETED.ADV.ZERO '));
}

describe('interop: JetStream advisories against nats-server -js', () => {
  const servers = jetStreamPair();

  test('the same advisories and ack metrics, with the same subjects, types and members', async () => {
    const pair = servers();
    const [natsServer, leafgate] = await Promise.all([scenario(pair.natsServer.nc), scenario(pair.leafgate.nc)]);
    assert.deepEqual(
      leafgate.filter((d) => !streamGone(d)),
      natsServer.filter((d) => !streamGone(d)),
    );
    const gone = leafgate.filter(streamGone);
    assert.equal(gone.length, 5, 'four consumers and the stream');
    for (const d of natsServer.filter(streamGone)) assert.ok(gone.includes(d), d);

    const subjects = leafgate.map((d) => d.slice(0, d.indexOf(' ')));
    const count = (s: string): number => subjects.filter((x) => x === s).length;
    assert.equal(count('$JS.EVENT.METRIC.CONSUMER.ACK.ADV.SAMPLED'), 3, 'every ack sampled at 100%');
    assert.equal(count('$JS.EVENT.METRIC.CONSUMER.ACK.ADV.ZERO') + count('$JS.EVENT.METRIC.CONSUMER.ACK.ADV.UNSAMPLED'), 0, 'none at 0% or without sample_freq');
    assert.equal(count('$JS.EVENT.ADVISORY.STREAM.CREATED.ADV'), 1);
    assert.equal(count('$JS.EVENT.ADVISORY.STREAM.UPDATED.ADV'), 1);
    assert.equal(count('$JS.EVENT.ADVISORY.CONSUMER.CREATED.ADV.SAMPLED'), 1);
    assert.equal(count('$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.ADV.TERM'), 1);
    assert.equal(count('$JS.EVENT.ADVISORY.CONSUMER.MSG_NAKED.ADV.MAXD'), 1);
    assert.equal(count('$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ADV.MAXD'), 1);
    assert.ok(count('$JS.EVENT.ADVISORY.API') >= 15, 'API requests are audited');
  });
});

describe('interop: advisories with a JetStream domain and an account without JetStream', () => {
  const servers = jetStreamPair({
    conf: `
      jetstream { domain: edge }
      accounts {
        A: { jetstream: enabled, users: [{ user: a, password: a }] }
        B: { users: [{ user: b, password: b }] }
      }`,
    connect: { user: 'a', pass: 'a' },
  });

  /** B asks for its account info (refused, and audited into B), then A creates a stream. */
  async function run(side: JetStreamSide): Promise<string[]> {
    const b = await connect({ port: side.server.port, user: 'b', pass: 'b' });
    const a = side.nc;
    const seen: Seen[] = [];
    for (const nc of [a, b]) nc.subscribe('$JS.EVENT.>', { callback: (_err, m) => void seen.push({ subject: m.subject, json: { account: nc === a ? 'A' : 'B', ...m.json<Json>() } }) });
    await Promise.all([a.flush(), b.flush()]);
    await assert.rejects(jetstreamManager(b), /JetStream not enabled for account/);
    await (await jetstreamManager(a)).streams.add({ name: 'DOM', subjects: ['dom.>'] });
    const deadline = Date.now() + EVENTS_WAIT_MS;
    while (seen.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await b.close();
    return seen.map((e) => describeEvent(e, a.info?.server_name ?? '')).sort();
  }

  test('every event carries the domain; the refusal to an account without JetStream is audited into it', async () => {
    const pair = servers();
    const [natsServer, leafgate] = await Promise.all([run(pair.natsServer), run(pair.leafgate)]);
    // nats-server 2.9.10 also puts the domain into the account info answer, which leafgate does not yet:
    // that answer is not this suite's concern, so its member list is compared without it.
    const withoutInfoDomain = (d: string): string => d.replace('"consumers","domain","limits"', '"consumers","limits"');
    assert.deepEqual(leafgate.map(withoutInfoDomain), natsServer.map(withoutInfoDomain));
    assert.equal(leafgate.length, 4);
    assert.ok(leafgate.every((d) => d.includes('"domain":"edge"}')), 'domain on every event');
    assert.ok(leafgate.some((d) => d.includes('"account":"B"') && d.includes('"err_code":10039')), 'the refusal audited into B');
  });
});
