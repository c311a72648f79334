// JetStream monitoring, differential: nats-server -js (2.9.10) and leafgate -js with the same accounts
// and streams must answer /jsz (several query forms), the /varz jetstream section, /healthz's JetStream
// checks and /accountz's jetstream_enabled alike. Times, ids and store folders are masked, and lists that
// nats-server writes in Go map order are sorted by name.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { writeTempConf } from '../helpers/conf-file.js';
import type { TempConf } from '../helpers/conf-file.js';
import { startLeafgate, startNatsServer } from '../helpers/processes.js';
import type { ServerProcess } from '../helpers/processes.js';

// Fixed limits: the derived ones (75% of memory and free disk) move between two measurements. A has
// account limits (its reservations), B is unlimited (2^64-1 in Go's uint64), C has no JetStream.
const CONF = `
jetstream { max_mem: 64MB, max_file: 1GB }
accounts {
  A: { jetstream: { max_mem: 1MB, max_file: 10MB }, users: [{ user: a, password: a }] }
  B: { jetstream: enabled, users: [{ user: b, password: b }] }
  C: { users: [{ user: c, password: c }] }
}
`;

interface Side {
  readonly server: ServerProcess;
  readonly httpPort: number;
  readonly storeDir: string;
}

async function startSide(start: typeof startLeafgate, conf: string, prefix: string): Promise<Side> {
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const server = await start({ args: ['-c', conf, '-js', '-sd', storeDir], monitor: true });
  return { server, httpPort: server.httpPort, storeDir };
}

/** Two streams in A (one in memory with a byte limit, which reserves it), one of the same name in B. */
async function fill(port: number): Promise<void> {
  const conns: NatsConnection[] = [await connect({ port, user: 'a', pass: 'a' }), await connect({ port, user: 'b', pass: 'b' })];
  const [a, b] = conns;
  const jsmA = await jetstreamManager(a);
  await jsmA.streams.add({ name: 'orders', subjects: ['orders.*'], storage: 'file' });
  await jsmA.streams.add({ name: 'cache', subjects: ['cache.>'], storage: 'memory', max_bytes: 4096 });
  const jsA = jetstream(a);
  for (let i = 0; i < 5; i++) await jsA.publish(`orders.${i}`, `order ${i}`);
  await jsA.publish('cache.x', 'cached');
  await jsmA.streams.add({ name: 'orders-copy', mirror: { name: 'orders' } });
  await jsmA.streams.add({ name: 'all-cache', subjects: ['all.cache'], sources: [{ name: 'cache' }] });
  await jsmA.consumers.add('orders', { durable_name: 'worker', ack_policy: AckPolicy.Explicit });
  const worker = await jsA.consumers.get('orders', 'worker');
  const first = await worker.next();
  first?.ack();
  await a.flush();
  await jsmA.streams.info('missing').catch(() => undefined);
  const jsmB = await jetstreamManager(b);
  await jsmB.streams.add({ name: 'orders', subjects: ['orders.>'], storage: 'file', max_bytes: 1 << 20 });
  await jetstream(b).publish('orders.b.1', 'only in B');
  await Promise.all(conns.map((nc) => nc.close()));
}

async function get(side: Side, pathAndQuery: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${side.httpPort}${pathAndQuery}`);
  return { status: res.status, text: await res.text() };
}

const MASKED_KEYS = new Set(['server_id', 'now', 'created', 'first_ts', 'last_ts', 'leader', 'last_active']);

/**
 * Waits (through /jsz, so the API counters stay the same on both servers) until the mirror and the
 * sourcing stream have copied their origins.
 */
async function copied(side: Side): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const jsz = JSON.parse((await get(side, '/jsz?streams=1&acc=A')).text) as { account_details?: { stream_detail?: { name: string; state: { messages: number } }[] }[] };
    const counts = new Map((jsz.account_details?.[0]?.stream_detail ?? []).map((d) => [d.name, d.state.messages]));
    if (counts.get('orders-copy') === 5 && counts.get('all-cache') === 1) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${side.server.name}: the mirror and the source never caught up`);
}

/**
 * The parsed body with volatile values masked and Go-map-ordered lists sorted by name. Numbers past 2^53
 * (Go's uint64 limits) are kept as their digits; members keep their order, and the comparisons below
 * compare the re-serialised text, so order counts.
 */
function normalized(side: Side, text: string): unknown {
  const dir = path.join(side.storeDir, 'jetstream');
  return JSON.parse(text.replace(/: ([0-9]{16,})/g, ': "$1"'), (key: string, value: unknown) => {
    if (MASKED_KEYS.has(key) && typeof value === 'string') return '<masked>';
    // A source's time since its last activity: nanoseconds that differ from run to run.
    if (key === 'active' && typeof value === 'number') return value < 0 ? value : '<ns>';
    if (key === 'store_dir' && value === dir) return '<store_dir>';
    if ((key === 'account_details' || key === 'stream_detail' || key === 'consumer_detail') && Array.isArray(value)) {
      return [...(value as { name: string }[])].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    }
    return value;
  });
}

describe('JetStream monitoring, against nats-server -js', () => {
  let conf: TempConf | null = null;
  let sides: Side[] = [];
  before(async () => {
    conf = writeTempConf(CONF);
    sides = await Promise.all([startSide(startNatsServer, conf.path, 'jsmon-nats-'), startSide(startLeafgate, conf.path, 'jsmon-leafgate-')]);
    await Promise.all(sides.map((s) => fill(s.server.port)));
    await Promise.all(sides.map((s) => copied(s)));
  });
  after(async () => {
    await Promise.all(sides.map((s) => s.server.stop()));
    for (const s of sides) fs.rmSync(s.storeDir, { recursive: true, force: true });
    conf?.remove();
  });

  /** Both servers' answers to one request, as comparable values. */
  async function both(pathAndQuery: string, pick: (body: Record<string, unknown>) => unknown = (b) => b): Promise<{ natsServer: string; leafgate: string }> {
    const [n, l] = await Promise.all(sides.map(async (side) => {
      const { status, text } = await get(side, pathAndQuery);
      const body = status === 200 || status === 503 ? pick(normalized(side, text) as Record<string, unknown>) : text;
      return JSON.stringify({ status, body }, null, 1);
    }));
    return { natsServer: n, leafgate: l };
  }

  const JSZ_QUERIES = [
    '',
    '?accounts=true',
    '?streams=1',
    '?streams=1&config=1',
    '?consumers=1&config=true',
    '?acc=A',
    '?acc=B&streams=1',
    '?acc=C&accounts=1',
    '?accounts=1&offset=1',
    '?accounts=1&offset=1&limit=1',
    '?accounts=1&offset=9',
    '?leader-only=true',
    '?streams=maybe',
    '?limit=x',
  ];
  for (const query of JSZ_QUERIES) {
    test(`/jsz${query}`, async () => {
      const { natsServer, leafgate } = await both(`/jsz${query}`);
      assert.equal(leafgate, natsServer);
    });
  }

  test('/jsz: the streams of two accounts never show in each other; each shows its own limits', async () => {
    const { leafgate } = await both('/jsz?streams=1');
    // Past 2^53 the digits stay a string (see normalized).
    type Detail = { name: string; reserved_memory: number | string; reserved_storage: number | string; stream_detail: { name: string; state: { messages: number } }[] };
    const accounts = (JSON.parse(leafgate) as { body: { account_details: Detail[] } }).body.account_details;
    assert.deepEqual(
      accounts.map((a) => [a.name, a.reserved_memory, a.reserved_storage, a.stream_detail.map((s) => `${s.name}:${s.state.messages}`)]),
      [
        ['A', 1048576, 10485760, ['all-cache:1', 'cache:1', 'orders:5', 'orders-copy:5']],
        ['B', '18446744073709551615', '18446744073709551615', ['orders:1']],
      ],
    );
  });

  test('/varz jetstream section', async () => {
    const { natsServer, leafgate } = await both('/varz', (b) => b.jetstream);
    assert.equal(leafgate, natsServer);
    assert.equal((JSON.parse(leafgate) as { body: { stats: { accounts: number } } }).body.stats.accounts, 2);
  });

  for (const query of ['', '?js-enabled-only=true', '?js-server-only=true', '?js-enabled=1']) {
    test(`/healthz${query}`, async () => {
      const { natsServer, leafgate } = await both(`/healthz${query}`);
      assert.equal(leafgate, natsServer);
      assert.deepEqual(JSON.parse(leafgate), { status: 200, body: { status: 'ok' } });
    });
  }

  for (const acc of ['A', 'C']) {
    test(`/accountz?acc=${acc} jetstream_enabled`, async () => {
      const { natsServer, leafgate } = await both(`/accountz?acc=${acc}`, (b) => (b.account_detail as Record<string, unknown>).jetstream_enabled);
      assert.equal(leafgate, natsServer);
      assert.deepEqual(JSON.parse(leafgate), { status: 200, body: acc === 'A' });
    });
  }
});
