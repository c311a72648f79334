// /jsz, the /varz jetstream section and /accountz's jetstream_enabled, formatted from a fake JetStream source.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EndpointContext } from '../../../src/monitor/context.js';
import { BadRequestError } from '../../../src/monitor/errors.js';
import type { JetStreamAccountSnapshot, JetStreamDetail, JetStreamMonitorSource, JetStreamSnapshot } from '../../../src/monitor/jetstream-source.js';
import { jsz } from '../../../src/monitor/jsz.js';
import { ProcessUsage } from '../../../src/monitor/process-usage.js';
import { Query } from '../../../src/monitor/query.js';
import type { MonitorSource } from '../../../src/monitor/source.js';

const CONSUMER_INFO = {
  stream_name: 'alpha',
  name: 'worker',
  created: '2024-01-02T03:04:05.5Z',
  config: { durable_name: 'worker', ack_policy: 'explicit' },
  delivered: { consumer_seq: 1, stream_seq: 2 },
  ack_floor: { consumer_seq: 1, stream_seq: 2 },
  num_ack_pending: 0,
  num_redelivered: 0,
  num_waiting: 0,
  num_pending: 3,
};

function stream(name: string, consumers: Record<string, unknown>[]): JetStreamAccountSnapshot['streams'][number] {
  return { name, created: '2024-01-02T03:04:05Z', config: { name, storage: 'file' }, state: { messages: 5, bytes: 100, consumer_count: consumers.length }, consumers };
}

function account(name: string, fields: Partial<JetStreamAccountSnapshot>): JetStreamAccountSnapshot {
  return { name, memory: 0, storage: 0, maxMemory: -1, maxStorage: -1, apiTotal: 0, apiErrors: 0, streamCount: 0, consumerCount: 0, messages: 0, bytes: 0, streams: [], ...fields };
}

/** Two accounts, given out of name order; B has limits, A has two streams (one with a consumer). */
class FakeJetStream implements JetStreamMonitorSource {
  ready = true;
  readonly asked: JetStreamDetail[] = [];

  snapshot(detail: JetStreamDetail): JetStreamSnapshot {
    this.asked.push(detail);
    const withStreams = detail.streams || detail.consumers;
    const zeta = stream('zeta', []);
    const alpha = stream('alpha', detail.consumers ? [CONSUMER_INFO] : []);
    return {
      config: { maxMemory: 1024, maxStorage: 4096, storeDir: '/data/jetstream', domain: '' },
      reservedMemory: 10,
      reservedStorage: 20,
      accounts: [
        account('B', { storage: 7, maxMemory: 1048576, maxStorage: 0, apiTotal: 2, apiErrors: 1 }),
        account('A', { memory: 3, storage: 100, apiTotal: 5, streamCount: 2, consumerCount: 1, messages: 10, bytes: 200, streams: withStreams ? [zeta, alpha] : [] }),
      ],
    };
  }

  isEnabledFor(name: string): boolean {
    return name === 'A' || name === 'B';
  }
}

function ask(js: JetStreamMonitorSource | null, query = '', jetstream?: { maxMemoryStore: number; maxFileStore: number }): { text: string; body: Record<string, unknown> } {
  const source = { id: 'SERVERID', opts: { jetstream }, jetStreamSource: js, router: { serverInfo: { server_name: 'edge-1' } } };
  const ctx: EndpointContext = {
    source: source as unknown as MonitorSource,
    query: new Query(new URLSearchParams(query)),
    nowMs: Date.UTC(2024, 0, 2, 3, 4, 5, 250),
    usage: new ProcessUsage(),
    requestCounts: new Map(), compact: false,
  };
  const reply = jsz(ctx);
  assert.equal(reply.kind, 'json');
  const text = reply.kind === 'json' ? reply.body : '';
  return { text, body: JSON.parse(text) as Record<string, unknown> };
}

function details(body: Record<string, unknown>): Record<string, unknown>[] {
  return (body.account_details ?? []) as Record<string, unknown>[];
}

test('jsz: totals over every account, in nats-server member order, without details unless asked', () => {
  const js = new FakeJetStream();
  const { body } = ask(js);
  assert.deepEqual(Object.keys(body), ['server_id', 'now', 'config', 'memory', 'storage', 'reserved_memory', 'reserved_storage', 'accounts', 'ha_assets', 'api', 'streams', 'consumers', 'messages', 'bytes']);
  assert.deepEqual(body, {
    server_id: 'SERVERID',
    now: '2024-01-02T03:04:05.25Z',
    config: { max_memory: 1024, max_storage: 4096, store_dir: '/data/jetstream' },
    memory: 3,
    storage: 107,
    reserved_memory: 10,
    reserved_storage: 20,
    accounts: 2,
    ha_assets: 0,
    api: { total: 7, errors: 1 },
    streams: 2,
    consumers: 1,
    messages: 10,
    bytes: 200,
  });
  assert.deepEqual(js.asked, [{ streams: false, consumers: false }]);
});

test('jsz: account details sorted by name, their limits as Go uint64 (unlimited is 2^64-1)', () => {
  const { text, body } = ask(new FakeJetStream(), 'accounts=true');
  const accs = details(body);
  assert.deepEqual(accs.map((a) => a.name), ['A', 'B']);
  assert.deepEqual(Object.keys(accs[0]), ['name', 'id', 'memory', 'storage', 'reserved_memory', 'reserved_storage', 'accounts', 'ha_assets', 'api']);
  assert.match(text, /"name": "A",\n\s+"id": "A",\n\s+"memory": 3,\n\s+"storage": 100,\n\s+"reserved_memory": 18446744073709551615,\n\s+"reserved_storage": 18446744073709551615,/);
  assert.match(text, /"reserved_memory": 1048576,\n\s+"reserved_storage": 0,/);
  assert.deepEqual(accs[1].api, { total: 2, errors: 1 });
});

test('jsz: offset and limit page through the accounts; acc names one account even without accounts', () => {
  const names = (query: string): unknown[] => details(ask(new FakeJetStream(), query).body).map((a) => a.name);
  assert.deepEqual(names('accounts=1&offset=1'), ['B']);
  assert.deepEqual(names('accounts=1&limit=1'), ['A']);
  assert.deepEqual(names('accounts=1&offset=5'), []);
  assert.deepEqual(names('acc=B'), ['B']);
  assert.deepEqual(names('acc=B&accounts=1&offset=1'), ['B']);
  assert.deepEqual(names('acc=NOPE'), []);
  assert.deepEqual(names('acc=NOPE&accounts=1'), ['A', 'B']);
  assert.equal('account_details' in ask(new FakeJetStream(), 'accounts=1&offset=5').body, false);
});

test('jsz: streams by name with the leader, state and (with config) config; consumers imply streams', () => {
  const js = new FakeJetStream();
  const a = details(ask(js, 'streams=true').body)[0];
  const streams = a.stream_detail as Record<string, unknown>[];
  assert.deepEqual(streams.map((s) => s.name), ['alpha', 'zeta']);
  assert.deepEqual(streams[0], { name: 'alpha', created: '2024-01-02T03:04:05Z', cluster: { leader: 'edge-1' }, state: { messages: 5, bytes: 100, consumer_count: 0 } });
  // An account without streams has no stream_detail member at all.
  assert.equal('stream_detail' in details(ask(js, 'streams=true').body)[1], false);

  const withConfig = details(ask(js, 'streams=1&config=1').body)[0].stream_detail as Record<string, unknown>[];
  assert.deepEqual(Object.keys(withConfig[0]), ['name', 'created', 'cluster', 'config', 'state']);
  assert.deepEqual(withConfig[0].config, { name: 'alpha', storage: 'file' });

  const consumers = details(ask(js, 'consumers=1').body)[0].stream_detail as Record<string, unknown>[];
  const { config: _omitted, ...infoWithoutConfig } = CONSUMER_INFO;
  assert.deepEqual(consumers[0].consumer_detail, [infoWithoutConfig]);
  assert.equal('consumer_detail' in consumers[1], false);
  const consumersWithConfig = details(ask(js, 'consumers=1&config=1').body)[0].stream_detail as Record<string, unknown>[];
  assert.deepEqual(consumersWithConfig[0].consumer_detail, [CONSUMER_INFO]);
  assert.deepEqual(js.asked.slice(-2), [{ streams: true, consumers: true }, { streams: true, consumers: true }]);
});

test('jsz: a single server leads everything, so leader-only filters nothing', () => {
  assert.equal(ask(new FakeJetStream(), 'leader-only=true').body.accounts, 2);
});

test('jsz: without a running JetStream it is disabled, and leader-only is refused', () => {
  const notReady = new FakeJetStream();
  notReady.ready = false;
  for (const js of [null, notReady]) {
    const { body } = ask(js, 'accounts=1');
    assert.equal(body.disabled, true);
    assert.deepEqual(body.config, { max_memory: 0, max_storage: 0 });
    assert.equal(body.accounts, 0);
    assert.equal('account_details' in body, false);
    assert.throws(() => ask(js, 'leader-only=1'), new BadRequestError('filtered response: not leader'));
  }
  assert.deepEqual(notReady.asked, []);
});

test('jsz: malformed options are refused in the order nats-server decodes them', () => {
  assert.throws(() => ask(new FakeJetStream(), 'limit=x&streams=maybe'), new BadRequestError(`Error decoding boolean for 'streams': strconv.ParseBool: parsing "maybe": invalid syntax`));
  assert.throws(() => ask(new FakeJetStream(), 'leader-only=x&offset=y'), new BadRequestError(`Error decoding int for 'offset': strconv.Atoi: parsing "y": invalid syntax`));
});

test('jsz: compress_ok only when both store limits were configured (nats-server skips its dynamic configuration then)', () => {
  const config = (limits?: { maxMemoryStore: number; maxFileStore: number }): unknown => ask(new FakeJetStream(), '', limits).body.config;
  assert.deepEqual(config({ maxMemoryStore: 1024, maxFileStore: 4096 }), { max_memory: 1024, max_storage: 4096, store_dir: '/data/jetstream', compress_ok: true });
  assert.deepEqual(config({ maxMemoryStore: -1, maxFileStore: 4096 }), { max_memory: 1024, max_storage: 4096, store_dir: '/data/jetstream' });
  assert.deepEqual(config({ maxMemoryStore: 1024, maxFileStore: -1 }), { max_memory: 1024, max_storage: 4096, store_dir: '/data/jetstream' });
});
