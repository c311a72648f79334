// Permissions that change under an MQTT session: a reload re-checks connected MQTT clients (closed
// when their user is gone, subscriptions removed that the new permissions forbid), and a session
// restored at start, which queued messages while its client was away, sends none its client may not
// receive.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';

import { mergeOptions } from '../../../src/config/index.js';
import type { OptionLayer, Options, UserConfig } from '../../../src/config/index.js';
import { Server } from '../../../src/server.js';
import { Logger } from '../../../src/util/index.js';
import { mqttConnect, settle } from '../../helpers/mqtt-client.js';
import { MQTT_DEFAULTS } from './harness.js';

const ADMIN: UserConfig = { user: 'admin', password: 'root', account: '$G' } as UserConfig;

function users(...list: UserConfig[]): OptionLayer {
  return { auth: { users: [ADMIN, ...list] } } as OptionLayer;
}

/** leafgate in-process whose configuration `next()` replaces for the next reload; MQTT state in `dir`. */
async function reloadable(t: TestContext, first: OptionLayer, dir: string): Promise<{ server: Server; url: string; logs: string[]; next(layer: OptionLayer): void }> {
  const base: OptionLayer = { host: '127.0.0.1', port: -1, jetstream: { enabled: true, storeDir: dir }, mqtt: MQTT_DEFAULTS } as OptionLayer;
  let pending: Options = mergeOptions(base, first);
  const logs: string[] = [];
  const server = new Server(pending, new Logger({}, { write: (line: string) => logs.push(line) }), () => pending);
  await server.start();
  t.after(() => server.shutdown());
  return { server, url: `mqtt://127.0.0.1:${server.mqttPort}`, logs, next: (layer) => void (pending = mergeOptions(base, layer)) };
}

async function logged(logs: readonly string[], pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!logs.some((l) => pattern.test(l))) {
    assert.ok(Date.now() < deadline, `no log line ${pattern}:\n${logs.join('')}`);
    await settle(10);
  }
}

function storeDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-mqtt-perms-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a reload that removes an MQTT client\'s user closes it (MQTT 5: DISCONNECT 0x87); one whose user stays keeps going', async (t) => {
  const sensor = { user: 'sensor', password: 'pw', account: '$G' } as UserConfig;
  const s = await reloadable(t, users(sensor), storeDir(t));
  const gone = await mqttConnect(t, s.url, { protocolVersion: 5, username: 'sensor', password: 'pw' });
  const stays = await mqttConnect(t, s.url, { username: 'admin', password: 'root' });
  const disconnect = new Promise<number | undefined>((resolve) => gone.client.once('disconnect', (p) => resolve(p.reasonCode)));
  s.next(users());
  s.server.reload();
  assert.equal(await disconnect, 0x87);
  await stays.client.subscribeAsync('still/here', { qos: 1 });
  await stays.client.publishAsync('still/here', 'yes', { qos: 1 });
  assert.deepEqual((await stays.waitFor(1)).map((m) => m.payload), ['yes']);
});

test('a reload tightening permissions removes the MQTT subscriptions they forbid; the client stays', async (t) => {
  const open = { user: 'dev', password: 'pw', account: '$G' } as UserConfig;
  const tight = { ...open, permissions: { subscribe: { allow: ['ok', 'ok.>'] } } } as UserConfig;
  const s = await reloadable(t, users(open), storeDir(t));
  const dev = await mqttConnect(t, s.url, { username: 'dev', password: 'pw' });
  await dev.client.subscribeAsync({ 'ok/#': { qos: 0 }, 'no/#': { qos: 0 } });
  s.next(users(tight));
  s.server.reload();
  await logged(s.logs, /Subscription Violation - subscription to "no\/#" removed/);
  const admin = await mqttConnect(t, s.url, { username: 'admin', password: 'root' });
  const seen = dev.received.length;
  await admin.client.publishAsync('no/x', 'forbidden');
  await admin.client.publishAsync('ok/x', 'allowed');
  await dev.waitFor(seen + 1);
  await settle();
  assert.deepEqual(dev.received.slice(seen).map((m) => m.topic), ['ok/x']);
  assert.equal(dev.client.connected, true);
});

test('a session restored at start sends its client none of the messages its permissions deny', async (t) => {
  const dir = storeDir(t);
  const reader = { user: 'reader', password: 'pw', account: '$G', permissions: { subscribe: { allow: ['a', 'a.>'], deny: ['a.secret'] } } } as UserConfig;
  const first = await reloadable(t, users(reader), dir);
  const r = await mqttConnect(t, first.url, { clientId: 'reader-1', clean: false, username: 'reader', password: 'pw' });
  await r.client.subscribeAsync('a/#', { qos: 1 });
  await r.client.endAsync();
  await first.server.shutdown();
  const second = await reloadable(t, users(reader), dir);
  const admin = await mqttConnect(t, second.url, { username: 'admin', password: 'root' });
  await admin.client.publishAsync('a/secret', 'hidden', { qos: 1 });
  await admin.client.publishAsync('a/open', 'shown', { qos: 1 });
  const back = await mqttConnect(t, second.url, { clientId: 'reader-1', clean: false, username: 'reader', password: 'pw' });
  assert.equal(back.connack.sessionPresent, true);
  await back.waitFor(1);
  await settle();
  assert.deepEqual(back.received.map((m) => [m.topic, m.payload]), [['a/open', 'shown']]);
});
