import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NATS_COMPAT_VERSION } from '../../../src/protocol/nats/index.js';
import { RFC3339, SERVER_SUBSCRIPTIONS, UPTIME, startMonitored } from './harness.js';

interface Varz {
  [key: string]: unknown;
  http_req_stats: Record<string, number>;
}

test('/varz reports identity, limits and counters in nats-server shape', async (t) => {
  const m = await startMonitored({ serverName: 'edge-1', maxSubscriptions: 50 });
  t.after(() => m.stop());
  const nc = await m.client({ name: 'varz-client' });
  nc.subscribe('v.>');
  nc.publish('v.a', 'hello');
  nc.publish('v.b', 'hi');
  await nc.flush();
  await m.until<Varz>('/varz', (v) => v.out_msgs === 2);

  const v = await m.json<Varz>('/varz');
  assert.equal(v.server_id, m.server.id);
  assert.equal(v.server_name, 'edge-1');
  assert.equal(v.version, NATS_COMPAT_VERSION);
  assert.equal(v.proto, 1);
  assert.equal(v.host, '127.0.0.1');
  assert.equal(v.port, m.server.port);
  assert.equal(v.http_host, '127.0.0.1');
  assert.equal(v.http_port, -1, 'the configured value, as nats-server reports it');
  assert.equal(v.max_subscriptions, 50);
  assert.equal(v.ping_interval, 120_000_000_000);
  assert.equal(v.write_deadline, 10_000_000_000);
  assert.equal(v.auth_timeout, 2);
  assert.equal(v.tls_timeout, 2);
  assert.equal(v.max_payload, 1024 * 1024);
  assert.equal('auth_required' in v, false);
  for (const key of ['cluster', 'gateway', 'leaf', 'mqtt', 'websocket', 'jetstream']) assert.deepEqual(v[key], {});
  assert.match(v.start as string, RFC3339);
  assert.match(v.now as string, RFC3339);
  assert.match(v.config_load_time as string, RFC3339);
  assert.match(v.uptime as string, UPTIME);
  assert.equal(typeof v.mem, 'number');
  assert.ok((v.mem as number) > 0);
  assert.ok((v.cores as number) >= 1);
  assert.equal(v.gomaxprocs, v.cores);
  assert.equal(typeof v.cpu, 'number');
  assert.equal(v.connections, 1);
  assert.equal(v.total_connections, 1);
  assert.equal(v.in_msgs, 2);
  assert.equal(v.out_msgs, 2);
  assert.equal(v.in_bytes, 7);
  assert.equal(v.out_bytes, 7);
  assert.equal(v.subscriptions, 1 + SERVER_SUBSCRIPTIONS);
  assert.equal(v.system_account, '$SYS');
  assert.ok(v.http_req_stats['/varz'] >= 2);
});

test('/varz field order follows nats-server', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  const keys = Object.keys(await m.json('/varz'));
  const expected = ['server_id', 'server_name', 'version', 'proto', 'go', 'host', 'port', 'max_connections', 'ping_interval', 'ping_max',
    'http_host', 'http_port', 'http_base_path', 'https_port', 'auth_timeout', 'max_control_line', 'max_payload', 'max_pending',
    'cluster', 'gateway', 'leaf', 'mqtt', 'websocket', 'jetstream', 'tls_timeout', 'write_deadline', 'start', 'now', 'uptime',
    'mem', 'cores', 'gomaxprocs', 'cpu', 'connections', 'total_connections', 'routes', 'remotes', 'leafnodes', 'in_msgs',
    'out_msgs', 'in_bytes', 'out_bytes', 'slow_consumers', 'subscriptions', 'http_req_stats', 'config_load_time', 'system_account'];
  assert.deepEqual(keys, expected);
});

test('http_req_stats counts each endpoint, the /subscriptionsz alias under /subsz', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  await m.json('/connz');
  await m.json('/connz');
  await m.json('/subsz');
  await m.json('/subscriptionsz');
  await m.raw('/');
  await m.raw('/nothing-here');
  const v = await m.json<Varz>('/varz');
  assert.deepEqual(v.http_req_stats, { '/': 1, '/connz': 2, '/subsz': 2, '/varz': 1 });
  assert.deepEqual(Object.keys(v.http_req_stats), ['/', '/connz', '/subsz', '/varz'], 'keys sorted as Go prints a map');
});

test('/varz with authentication configured says auth_required', async (t) => {
  const m = await startMonitored({ auth: { users: [], token: 's3cret' } });
  t.after(() => m.stop());
  const v = await m.json('/varz');
  assert.equal(v.auth_required, true);
});

test('/varz says auth_required with a no_auth_user too, as nats-server does (INFO does not)', async (t) => {
  const m = await startMonitored({ auth: { users: [{ user: 'guest', password: 'g', account: '$G' }], noAuthUser: 'guest' } });
  t.after(() => m.stop());
  const v = await m.json('/varz');
  assert.equal(v.auth_required, true);
});
