import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { UNLIMITED_ACCOUNT_JETSTREAM, mergeOptions } from '../../../src/config/index.js';
import { loadConfigFile } from '../../../src/config/reader.js';

// Fixtures stay in the source tree (tsc does not copy them); this file runs from dist/test/unit/config.
const EDGE_CONF = fileURLToPath(new URL('../../../../test/unit/config/fixtures/edge.conf', import.meta.url));
const ENV = { SENSOR_PASS: 'sensor-pass' };

function natsServerAvailable(): boolean {
  return spawnSync('nats-server', ['--version'], { encoding: 'utf8' }).status === 0;
}

test('realistic nats-server config (cluster, leafnodes, websocket, mqtt, jetstream, include) loads', () => {
  const { layer, warnings } = loadConfigFile(EDGE_CONF, { env: ENV });
  const opts = mergeOptions(layer);

  assert.equal(opts.configFile, EDGE_CONF);
  assert.equal(opts.serverName, 'edge-pi-01');
  assert.equal(opts.host, '0.0.0.0');
  assert.equal(opts.port, 4222);
  assert.equal(opts.httpHost, '127.0.0.1');
  assert.equal(opts.httpPort, 8222);
  assert.equal(opts.maxPayload, 2 * 1024 * 1024);
  assert.equal(opts.maxConnections, 1024);
  assert.equal(opts.pingIntervalMs, 120_000);
  assert.equal(opts.writeDeadlineMs, 10_000);
  assert.equal(opts.lameDuckDurationMs, 30_000);
  assert.equal(opts.lameDuckGracePeriodMs, 5000);
  assert.deepEqual(opts.jetstream, {
    storeDir: './data',
    maxMemoryStore: 256 * 1024 * 1024,
    maxFileStore: 8 * 1024 * 1024 * 1024,
    syncInterval: 'always',
    domain: 'edge',
  });
  assert.deepEqual(opts.accounts[1]?.jetstream, UNLIMITED_ACCOUNT_JETSTREAM);
  assert.equal(opts.systemAccount, 'SYS');
  assert.equal(opts.auth.noAuthUser, 'sensor');
  assert.deepEqual(opts.mqtt, { host: '', port: 1883, ackWaitMs: 30_000, maxAckPending: 1024, rejectQos2Publish: false, downgradeQos2Subscribe: false, maxKeepaliveSeconds: 0, bridges: [] });

  assert.deepEqual(
    opts.accounts.map((a) => [a.name, a.users.map((u) => u.user)]),
    [
      ['SYS', ['admin']],
      ['APP', ['sensor', 'dash']],
    ],
  );
  const [admin] = opts.accounts[0]?.users ?? [];
  assert.equal(admin?.password, '$2a$11$W2zko751KUvVy59mUTWmpOdWXJn9jBH6Kh8X4Kw6C3cQv8VbqOWMW');
  const [sensor, dash] = opts.accounts[1]?.users ?? [];
  assert.deepEqual(sensor, {
    user: 'sensor',
    password: 'sensor-pass',
    account: 'APP',
    permissions: { publish: { allow: ['telemetry.>'] }, subscribe: { allow: ['_INBOX.>', 'cmd.sensor.*'] } },
  });
  assert.deepEqual(dash, {
    user: 'dash',
    password: 'dash-pass',
    account: 'APP',
    allowedConnectionTypes: ['WEBSOCKET'],
    permissions: {
      publish: { allow: [], deny: ['>'] },
      subscribe: { allow: ['>'] },
      allowResponses: { max: 1, expiresMs: 120_000 },
    },
  });

  const ignored = warnings.map((w) => w.replace(/^.*?:\d+:\d+: /, ''));
  assert.deepEqual(ignored, [
    'cluster is not supported yet, ignored',
  ]);
  assert.deepEqual(opts.leafnodes?.remotes, [
    { urls: ['nats-leaf://hub.example.com:7422'], account: 'APP', hub: false, noRandomize: false, denyImports: [], denyExports: [] },
    { urls: ['nats-leaf://hub.example.com:7422'], account: 'SYS', hub: false, noRandomize: false, denyImports: [], denyExports: [] },
  ]);
  assert.deepEqual(opts.accounts[1]?.streamExports, [{ subject: 'telemetry.>' }], 'exports inside an included file are read');
});

test('the real nats-server accepts the same realistic config', { skip: !natsServerAvailable() && 'nats-server not installed' }, () => {
  const result = spawnSync('nats-server', ['-t', '-c', EDGE_CONF], { encoding: 'utf8', env: { ...process.env, ...ENV } });
  assert.equal(result.status, 0, result.stderr);
});
