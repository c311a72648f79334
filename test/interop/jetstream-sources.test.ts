// Mirrors and sources between local streams, differential: the same requests go to nats-server -js
// (2.9.10) and leafgate -js, copies are awaited on each side, and then the infos (times, lag and
// activity masked) and every copied message (MSG.GET, with its Nats-Stream-Source header) must match.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NatsConnection } from '@nats-io/transport-node';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { apiRequest, jetStreamPair, masked } from './jetstream-pair.js';
import type { JetStreamPair } from './jetstream-pair.js';

/**
 * Besides the times: how far behind and how recently heard from depend on timing alone, and nats-server
 * lists a stream's sources in its map's (random) order.
 */
function maskedInfo(json: string): string {
  const text = masked(json).replace(/"(lag|active)":-?\d+/g, '"$1":"<n>"');
  const sortSources = (info: { sources?: Array<{ name: string }> }): void => void info.sources?.sort((a, b) => a.name.localeCompare(b.name));
  const parsed = JSON.parse(text) as { sources?: Array<{ name: string }>; streams?: Array<{ sources?: Array<{ name: string }> }> };
  sortSources(parsed);
  for (const s of parsed.streams ?? []) sortSources(s);
  return JSON.stringify(parsed);
}

/**
 * A create or update reply with its state left out: a new mirror or source starts copying while the
 * reply is made, so how much it holds then depends on timing, on either server. The state is compared
 * once both have settled.
 */
function stateless(json: string): string {
  return json.replace(/"state":\{[^}]*\}/, '"state":"<copying>"');
}

async function both<T>(pair: JetStreamPair, fn: (nc: NatsConnection) => Promise<T>): Promise<[T, T]> {
  return Promise.all([fn(pair.natsServer.nc), fn(pair.leafgate.nc)]);
}

async function api(nc: NatsConnection, subject: string, body = ''): Promise<string> {
  return (await apiRequest(nc, subject, body, 3000)) ?? 'no reply';
}

async function publish(nc: NatsConnection, subject: string, body: string, hdrs?: Record<string, string>): Promise<void> {
  const h = natsHeaders();
  for (const [k, v] of Object.entries(hdrs ?? {})) h.set(k, v);
  const ack = JSON.parse((await nc.request(subject, body, { timeout: 3000, ...(hdrs !== undefined ? { headers: h } : {}) })).string()) as { error?: unknown };
  assert.equal(ack.error, undefined);
}

/** Waits until the stream's state satisfies `done` (copies are made in the background on both servers). */
async function settle(nc: NatsConnection, stream: string, done: (state: { messages: number; last_seq: number }) => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const info = JSON.parse(await api(nc, `$JS.API.STREAM.INFO.${stream}`)) as { state?: { messages: number; last_seq: number } };
    if (info.state !== undefined && done(info.state)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`stream ${stream} never reached the expected state`);
}

/** Every sequence from 1 to `last` read back with MSG.GET (misses included), times masked. */
async function messages(nc: NatsConnection, stream: string, last: number): Promise<string[]> {
  const out: string[] = [];
  for (let seq = 1; seq <= last; seq++) out.push(masked(await api(nc, `$JS.API.STREAM.MSG.GET.${stream}`, JSON.stringify({ seq }))));
  return out;
}

async function compareStream(pair: JetStreamPair, stream: string, last: number): Promise<void> {
  const [infoN, infoL] = await both(pair, (nc) => api(nc, `$JS.API.STREAM.INFO.${stream}`));
  assert.equal(maskedInfo(infoL), maskedInfo(infoN));
  const [msgsN, msgsL] = await both(pair, (nc) => messages(nc, stream, last));
  assert.deepEqual(msgsL, msgsN);
}

describe('JetStream mirrors and sources, leafgate against nats-server -js', () => {
  const pair = jetStreamPair();

  test('a mirror with a filter and a start sequence keeps the origin sequences, live too', async () => {
    const p = pair();
    const created = await both(p, (nc) => api(nc, '$JS.API.STREAM.CREATE.ORIG', JSON.stringify({ name: 'ORIG', subjects: ['o.*'] })));
    assert.equal(masked(created[1]), masked(created[0]));
    await both(p, async (nc) => {
      for (let i = 1; i <= 8; i++) await publish(nc, i % 2 === 1 ? 'o.a' : 'o.b', `m${i}`, i === 5 ? { 'X-Trace': 'five' } : undefined);
    });
    const mirror = JSON.stringify({ name: 'MIR', mirror: { name: 'ORIG', opt_start_seq: 3, filter_subject: 'o.a' } });
    const [mN, mL] = await both(p, (nc) => api(nc, '$JS.API.STREAM.CREATE.MIR', mirror));
    assert.equal(stateless(masked(mL)), stateless(masked(mN)));
    await both(p, (nc) => settle(nc, 'MIR', (s) => s.last_seq === 7));
    await compareStream(p, 'MIR', 8);
    await both(p, async (nc) => {
      await publish(nc, 'o.b', 'm9');
      await publish(nc, 'o.a', 'm10');
    });
    await both(p, (nc) => settle(nc, 'MIR', (s) => s.last_seq === 10));
    await compareStream(p, 'MIR', 10);
    // A mirror has no subjects of its own, and its mirror cannot change.
    const [subjN, subjL] = await both(p, (nc) => api(nc, '$JS.API.STREAM.CREATE.MIR2', JSON.stringify({ name: 'MIR2', subjects: ['m.x'], mirror: { name: 'ORIG' } })));
    assert.equal(subjL, subjN);
    const [updN, updL] = await both(p, (nc) => api(nc, '$JS.API.STREAM.UPDATE.MIR', JSON.stringify({ name: 'MIR', mirror: { name: 'ORIG' } })));
    assert.equal(updL, updN);
  });

  test('a stream sourcing two streams, with sources added and removed by updates', async () => {
    const p = pair();
    const steps = [
      ['$JS.API.STREAM.CREATE.SA', JSON.stringify({ name: 'SA', subjects: ['a.*'] })],
      ['$JS.API.STREAM.CREATE.SB', JSON.stringify({ name: 'SB', subjects: ['b.*'] })],
    ];
    for (const [subject, body] of steps) await both(p, (nc) => api(nc, subject, body));
    await both(p, async (nc) => {
      for (let i = 1; i <= 4; i++) await publish(nc, i % 2 === 1 ? 'a.x' : 'a.y', `a${i}`, i === 2 ? { 'Nats-Msg-Id': 'id-a2' } : undefined);
      for (let i = 1; i <= 3; i++) await publish(nc, 'b.z', `b${i}`);
    });
    const agg = { name: 'AGG', subjects: ['agg.own'], sources: [{ name: 'SA', filter_subject: 'a.y' }] };
    await both(p, (nc) => api(nc, '$JS.API.STREAM.CREATE.AGG', JSON.stringify(agg)));
    await both(p, (nc) => settle(nc, 'AGG', (s) => s.messages === 2));
    const withB = { ...agg, sources: [...agg.sources, { name: 'SB', opt_start_seq: 2 }] };
    const [upN, upL] = await both(p, (nc) => api(nc, '$JS.API.STREAM.UPDATE.AGG', JSON.stringify(withB)));
    assert.equal(stateless(maskedInfo(upL)), stateless(maskedInfo(upN)));
    await both(p, (nc) => settle(nc, 'AGG', (s) => s.messages === 4));
    await both(p, async (nc) => {
      await publish(nc, 'a.y', 'a5');
      await settle(nc, 'AGG', (s) => s.messages === 5);
      await publish(nc, 'agg.own', 'own');
      await publish(nc, 'b.z', 'b4');
      await settle(nc, 'AGG', (s) => s.messages === 7);
    });
    await compareStream(p, 'AGG', 7);
    // SA removed: what it publishes next stays out; SB goes on.
    await both(p, (nc) => api(nc, '$JS.API.STREAM.UPDATE.AGG', JSON.stringify({ ...agg, sources: [{ name: 'SB', opt_start_seq: 2 }] })));
    await both(p, async (nc) => {
      await publish(nc, 'a.y', 'a6');
      await publish(nc, 'b.z', 'b5');
      await settle(nc, 'AGG', (s) => s.messages === 8);
    });
    await compareStream(p, 'AGG', 9);
    const [listN, listL] = await both(p, (nc) => api(nc, '$JS.API.STREAM.LIST'));
    assert.equal(maskedInfo(listL), maskedInfo(listN));
  });

  test('a mirror of a KV bucket is mirror_direct and answers the bucket direct gets', async () => {
    const p = pair();
    const bucket = {
      name: 'KV_cfg',
      subjects: ['$KV.cfg.>'],
      max_msgs_per_subject: 1,
      allow_rollup_hdrs: true,
      deny_delete: true,
      allow_direct: true,
      discard: 'new',
      duplicate_window: 120000000000,
    };
    await both(p, (nc) => api(nc, '$JS.API.STREAM.CREATE.KV_cfg', JSON.stringify(bucket)));
    await both(p, async (nc) => {
      await publish(nc, '$KV.cfg.host', 'edge-1');
      await publish(nc, '$KV.cfg.port', '4222');
      await publish(nc, '$KV.cfg.host', 'edge-2');
      await publish(nc, '$KV.cfg.gone', '', { 'KV-Operation': 'DEL' });
    });
    const [cN, cL] = await both(p, (nc) => api(nc, '$JS.API.STREAM.CREATE.KVM', JSON.stringify({ name: 'KVM', mirror: { name: 'KV_cfg' } })));
    assert.equal(stateless(masked(cL)), stateless(masked(cN)));
    assert.match(cL, /"mirror_direct":true/);
    await both(p, (nc) => settle(nc, 'KVM', (s) => s.last_seq === 4));
    await compareStream(p, 'KVM', 4);
    // The bucket's direct gets reach the bucket and its mirror (one queue group): both answer in turn.
    const [seenN, seenL] = await both(p, async (nc) => {
      const seen = new Set<string>();
      for (let i = 0; i < 40; i++) {
        const m = await nc.request('$JS.API.DIRECT.GET.KV_cfg.$KV.cfg.host', '', { timeout: 3000 });
        assert.equal(m.string(), 'edge-2');
        seen.add(m.headers?.get('Nats-Stream') ?? '');
      }
      return [...seen].sort();
    });
    assert.deepEqual(seenN, ['KVM', 'KV_cfg']);
    assert.deepEqual(seenL, seenN);
  });
});
