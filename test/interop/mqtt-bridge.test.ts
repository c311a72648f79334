// The MQTT bridge against Debian's mosquitto as the remote broker: messages both ways with their
// names mapped, no loops, the outbox holding what is published while mosquitto is down (killed -9,
// or stopped mid-flow) and sending it in order when it is back, the outbox's bounds, its place in
// /varz and /healthz, TLS and logins. WebSocket bridging goes to a second leafgate, whose /mqtt
// WebSocket path is the remote (Debian's mosquitto cannot open a WebSocket listener here).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import type { MqttBridgeConfig } from '../../src/config/index.js';
import { startMqttServer } from '../integration/mqtt/harness.js';
import type { MqttServer } from '../integration/mqtt/harness.js';
import { mqttConnect, settle } from '../helpers/mqtt-client.js';
import type { TestMqttClient } from '../helpers/mqtt-client.js';
import { connectTo, take } from '../helpers/nats-client.js';
import { restartAfterKill, startLeafgate } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { createTestPki } from '../helpers/tls-certs.js';
import { startMosquitto } from './mqtt-oracles.js';
import type { MosquittoBroker } from './mqtt-oracles.js';

function bridge(url: string, over: Partial<MqttBridgeConfig> = {}): MqttBridgeConfig {
  return {
    name: 'up',
    url,
    clientId: `bridge-${Math.random().toString(36).slice(2)}`,
    clean: true,
    keepaliveSeconds: 60,
    protocolVersion: 5,
    in: [],
    out: [],
    maxBytes: 64 * 1024 * 1024,
    maxAgeMs: 0,
    maxInflight: 256,
    reconnectDelayMs: 50,
    maxReconnectDelayMs: 200,
    ...over,
  };
}

async function mosquitto(t: TestContext, opts: Parameters<typeof startMosquitto>[0] = {}): Promise<MosquittoBroker> {
  const m = await startMosquitto(opts);
  t.after(() => m.stop());
  return m;
}

const PERSIST = (dir: string): string[] => ['persistence true', `persistence_location ${dir}/`];

/**
 * A far-end subscriber that exists before the bridge can reach mosquitto: its persistent session
 * (clean=0, QoS 1) is made, then mosquitto stops and saves it. Each mosquitto started later in `dir`
 * on `port` queues for it what the bridge delivers; `collect()` reconnects and receives the queue.
 */
async function farEnd(t: TestContext, dir: string, filter: string): Promise<{ port: number; dir: string; collect: () => Promise<TestMqttClient> }> {
  const m = await startMosquitto({ dir, extra: PERSIST(dir) });
  try {
    const sub = await mqttConnect(t, m.url, { clientId: 'far-end', clean: false });
    await sub.client.subscribeAsync(filter, { qos: 1 });
    await sub.client.endAsync();
  } finally {
    await m.stop();
  }
  return { port: m.mqttPort, dir, collect: () => mqttConnect(t, `mqtt://127.0.0.1:${m.mqttPort}`, { clientId: 'far-end', clean: false }) };
}

interface BridgeJson {
  name: string;
  url: string;
  connected: boolean;
  connects: number;
  last_error: string;
  backlog_msgs: number;
  backlog_bytes: number;
  dropped_msgs: number;
  in_msgs: number;
  out_msgs: number;
}

async function varzBridges(s: MqttServer): Promise<BridgeJson[]> {
  const res = await fetch(`http://127.0.0.1:${s.server.httpPort}/varz`);
  return ((await res.json()) as { mqtt: { bridges?: BridgeJson[] } }).mqtt.bridges ?? [];
}

/** Polls until the bridge's state satisfies `ok`; fails with the last state seen. */
async function bridgeState(s: MqttServer, ok: (b: BridgeJson) => boolean, timeoutMs = 10_000): Promise<BridgeJson> {
  const deadline = Date.now() + timeoutMs;
  let last: BridgeJson | undefined;
  while (Date.now() < deadline) {
    last = (await varzBridges(s))[0];
    if (last !== undefined && ok(last)) return last;
    await sleep(25);
  }
  throw new Error(`bridge state not reached: ${JSON.stringify(last)}`);
}

describe('MQTT bridge to mosquitto', () => {
  test('out: local MQTT and NATS publishes reach mosquitto under the mapped topic, with MQTT 5 properties', async (t) => {
    const m = await mosquitto(t);
    const remote = await mqttConnect(t, m.url, { protocolVersion: 5 });
    await remote.client.subscribeAsync('site1/#', { qos: 1 });
    const s = await startMqttServer(t, { httpPort: -1 }, { bridges: [bridge(m.url, { out: [{ local: 'sensors.>', remote: 'site1/sensors/#', qos: 1, retain: false }, { local: 'alarm', qos: 0, retain: true }] })] });
    await bridgeState(s, (b) => b.connected);
    const local = await mqttConnect(t, s.mqttUrl, { protocolVersion: 5 });
    await local.client.publishAsync('sensors/kitchen/temp', '21.5', { qos: 1, properties: { userProperties: { unit: 'C' }, contentType: 'text/plain' } });
    const nc = await connectTo(s.port);
    t.after(() => nc.close());
    nc.publish('sensors.hall', 'from nats');
    nc.publish('alarm', 'ring');
    const got = await remote.waitFor(2);
    assert.deepEqual(
      got.map((r) => [r.topic, r.payload]),
      [
        ['site1/sensors/kitchen/temp', '21.5'],
        ['site1/sensors/hall', 'from nats'],
      ],
    );
    assert.deepEqual({ ...got[0].packet.properties?.userProperties }, { unit: 'C' });
    assert.equal(got[0].packet.properties?.contentType, 'text/plain');
    // `alarm` is outside site1/#: it went as retained `alarm`, which a later subscriber gets.
    const late = await mqttConnect(t, m.url);
    await late.client.subscribeAsync('alarm', { qos: 0 });
    const [alarm] = await late.waitFor(1);
    assert.deepEqual([alarm.topic, alarm.payload, alarm.packet.retain], ['alarm', 'ring', true]);
    const state = await bridgeState(s, (b) => b.out_msgs === 3);
    assert.equal(state.backlog_msgs, 0);
  });

  test('in: mosquitto messages arrive on the mapped subjects; retained ones stay retained here', async (t) => {
    const m = await mosquitto(t);
    const pub = await mqttConnect(t, m.url);
    await pub.client.publishAsync('cmd/dev1/config', 'kept', { qos: 1, retain: true });
    const s = await startMqttServer(t, { httpPort: -1 }, { bridges: [bridge(m.url, { in: [{ remote: 'cmd/+/#', local: 'edge.cmd.*.>', qos: 1 }, { remote: 'plain/#', qos: 0 }] })] });
    // The retained message comes in first, before anyone here listens.
    await bridgeState(s, (b) => b.connected && b.in_msgs === 1);
    const nc = await connectTo(s.port);
    t.after(() => nc.close());
    const sub = nc.subscribe('edge.cmd.>');
    const plain = nc.subscribe('plain.>');
    await nc.flush();
    await pub.client.publishAsync('cmd/dev2/reboot/now', 'go', { qos: 1 });
    await pub.client.publishAsync('plain/a/b', 'p', { qos: 0 });
    const [live] = await take(sub, 1);
    assert.deepEqual([live.subject, live.string()], ['edge.cmd.dev2.reboot.now', 'go']);
    const [p] = await take(plain, 1);
    assert.deepEqual([p.subject, p.string()], ['plain.a.b', 'p']);
    // The retained message mosquitto held came in retained: a local MQTT subscriber gets it as such.
    const local = await mqttConnect(t, s.mqttUrl);
    await local.client.subscribeAsync('edge/cmd/#', { qos: 1 });
    const [r] = await local.waitFor(1);
    assert.deepEqual([r.topic, r.payload, r.packet.retain], ['edge/cmd/dev1/config', 'kept', true]);
  });

  test('a message bridged in is not bridged back out, and one bridged out does not come back in', async (t) => {
    const m = await mosquitto(t);
    const remote = await mqttConnect(t, m.url);
    await remote.client.subscribeAsync('shared/#', { qos: 1 });
    const s = await startMqttServer(t, { httpPort: -1 }, {
      bridges: [bridge(m.url, { in: [{ remote: 'shared/#', qos: 1 }], out: [{ local: 'shared.>', qos: 1, retain: false }] })],
    });
    await bridgeState(s, (b) => b.connected);
    const nc = await connectTo(s.port);
    t.after(() => nc.close());
    const seen: string[] = [];
    const sub = nc.subscribe('shared.>', { callback: (_e, msg) => void seen.push(`${msg.subject}=${msg.string()}`) });
    await nc.flush();
    await remote.client.publishAsync('shared/from-remote', 'r', { qos: 1 });
    nc.publish('shared.from-local', 'l');
    await remote.waitFor(2);
    await bridgeState(s, (b) => b.in_msgs === 1 && b.out_msgs === 1);
    await settle(300);
    sub.unsubscribe();
    assert.deepEqual(seen.sort(), ['shared.from-local=l', 'shared.from-remote=r']);
    assert.deepEqual(remote.received.map((r) => `${r.topic}=${r.payload}`).sort(), ['shared/from-local=l', 'shared/from-remote=r']);
    const state = (await varzBridges(s))[0];
    assert.deepEqual([state.in_msgs, state.out_msgs], [1, 1]);
  });

  test('while mosquitto is killed -9 the outbox keeps the messages; they arrive in order when it is back', async (t) => {
    const dir = tempDir(t).dir;
    const far = await farEnd(t, dir, 'data/#');
    const m = await mosquitto(t, { dir, port: far.port, extra: PERSIST(dir) });
    const s = await startMqttServer(t, { httpPort: -1 }, { bridges: [bridge(m.url, { out: [{ local: 'data.>', qos: 1, retain: false }] })] });
    await bridgeState(s, (b) => b.connected);
    await m.kill('SIGKILL');
    await bridgeState(s, (b) => !b.connected);
    const local = await mqttConnect(t, s.mqttUrl);
    for (let i = 0; i < 300; i++) await local.client.publishAsync(`data/${i % 3}`, String(i), { qos: 1 });
    const held = await bridgeState(s, (b) => b.backlog_msgs === 300);
    assert.equal(held.backlog_bytes, 300 * ('data/0'.length + 1) + 290 + 200, `backlog bytes ${held.backlog_bytes}`);
    assert.notEqual(held.last_error, '');
    const health = (await (await fetch(`http://127.0.0.1:${s.server.httpPort}/healthz`)).json()) as { status: string; mqtt_bridges: BridgeJson[] };
    assert.equal(health.status, 'ok');
    assert.deepEqual([health.mqtt_bridges[0].connected, health.mqtt_bridges[0].backlog_msgs], [false, 300]);

    await mosquitto(t, { dir, port: far.port, extra: PERSIST(dir) });
    await bridgeState(s, (b) => b.connected && b.backlog_msgs === 0 && b.out_msgs === 300);
    const remote = await far.collect();
    const got = await remote.waitFor(300, 10_000);
    for (const topic of ['data/0', 'data/1', 'data/2']) {
      const order = got.filter((r) => r.topic === topic).map((r) => Number(r.payload));
      assert.deepEqual(order, [...order].sort((a, b) => a - b), `order on ${topic}`);
    }
    assert.equal(new Set(got.map((r) => r.payload)).size, 300);
  });

  test('mosquitto stopped mid-flow: nothing acknowledged is lost, order per topic holds', async (t) => {
    const dir = tempDir(t).dir;
    // Persistence keeps the subscriber's queued messages across mosquitto's restart.
    const keep = PERSIST(dir);
    const m = await mosquitto(t, { dir, extra: keep });
    const subOpts = { clientId: 'far-end', clean: false, reconnectPeriod: 100 } as const;
    const remote = await mqttConnect(t, m.url, subOpts);
    await remote.client.subscribeAsync('flow/#', { qos: 1 });
    const s = await startMqttServer(t, { httpPort: -1 }, { bridges: [bridge(m.url, { out: [{ local: 'flow.>', qos: 1, retain: false }] })] });
    await bridgeState(s, (b) => b.connected);
    const local = await mqttConnect(t, s.mqttUrl);
    const total = 2000;
    let stopped: Promise<void> | null = null;
    let restarted: Promise<MosquittoBroker> | null = null;
    for (let i = 0; i < total; i++) {
      await local.client.publishAsync(`flow/${i % 2}`, String(i), { qos: 1 });
      if (i === 700) stopped = m.kill('SIGTERM');
      if (i === 1300) restarted = stopped!.then(() => mosquitto(t, { dir, port: m.mqttPort, extra: keep }));
    }
    await restarted;
    const seen = new Map<string, number[]>();
    const deadline = Date.now() + 20_000;
    while (new Set(remote.received.map((r) => r.payload)).size < total && Date.now() < deadline) await sleep(50);
    for (const r of remote.received) {
      const list = seen.get(r.topic) ?? [];
      list.push(Number(r.payload));
      seen.set(r.topic, list);
    }
    assert.equal(new Set(remote.received.map((r) => r.payload)).size, total, 'every message arrived');
    // Redelivery may repeat a message; the first arrivals of each are in publish order.
    for (const [topic, list] of seen) {
      const firsts = list.filter((v, i) => list.indexOf(v) === i);
      assert.deepEqual(firsts, [...firsts].sort((a, b) => a - b), `order on ${topic}`);
    }
    await bridgeState(s, (b) => b.backlog_msgs === 0 && b.connects === 2);
  });

  test('the outbox is bounded: beyond max_bytes the oldest go, and are counted', async (t) => {
    const dir = tempDir(t).dir;
    const far = await farEnd(t, dir, 'b/#');
    const s = await startMqttServer(t, { httpPort: -1 }, { bridges: [bridge(`mqtt://127.0.0.1:${far.port}`, { out: [{ local: 'b.>', qos: 1, retain: false }], maxBytes: 2000 })] });
    const nc = await connectTo(s.port);
    t.after(() => nc.close());
    const payload = 'x'.repeat(96);
    for (let i = 0; i < 100; i++) nc.publish(`b.${String(i).padStart(3, '0')}`, payload);
    await nc.flush();
    // Each message is 5 bytes of topic and 96 of payload: 19 fit in 2000 bytes.
    const state = await bridgeState(s, (b) => b.dropped_msgs === 81);
    assert.deepEqual([state.backlog_msgs, state.backlog_bytes, state.connected], [19, 19 * 101, false]);
    assert.match(state.last_error, /ECONNREFUSED/);
    await mosquitto(t, { dir, port: far.port, extra: PERSIST(dir) });
    await bridgeState(s, (b) => b.connected && b.backlog_msgs === 0);
    const remote = await far.collect();
    const got = await remote.waitFor(19, 10_000);
    assert.deepEqual(
      got.map((r) => r.topic),
      Array.from({ length: 19 }, (_, i) => `b/${String(81 + i).padStart(3, '0')}`),
    );
  });

  test('the outbox survives a restart of leafgate', async (t) => {
    const store = tempDir(t).dir;
    const dir = tempDir(t).dir;
    const far = await farEnd(t, dir, 'keep/#');
    const config = { bridges: [bridge(`mqtt://127.0.0.1:${far.port}`, { out: [{ local: 'keep.>', qos: 1, retain: false }] })] };
    const first = await startMqttServer(t, { httpPort: -1 }, config, store);
    const local = await mqttConnect(t, first.mqttUrl);
    for (let i = 0; i < 50; i++) await local.client.publishAsync('keep/it', String(i), { qos: 1 });
    await bridgeState(first, (b) => b.backlog_msgs === 50);
    await first.stop();
    const second = await startMqttServer(t, { httpPort: -1 }, config, store);
    assert.equal((await varzBridges(second))[0].backlog_msgs, 50);
    await mosquitto(t, { dir, port: far.port, extra: PERSIST(dir) });
    await bridgeState(second, (b) => b.connected && b.backlog_msgs === 0);
    const remote = await far.collect();
    const got = await remote.waitFor(50, 10_000);
    assert.deepEqual(
      got.map((r) => Number(r.payload)),
      Array.from({ length: 50 }, (_, i) => i),
    );
  });

  test('kill -9 of leafgate (the real bin): every QoS 1 publish it acknowledged reaches mosquitto after the restart, in order', async (t) => {
    const dir = tempDir(t);
    const far = await farEnd(t, dir.dir, 'acked/#');
    const conf = dir.write(
      'leafgate.conf',
      `jetstream { store_dir: ${JSON.stringify(dir.path('store'))} }\n` +
        `mqtt { host: 127.0.0.1, port: -1, bridges: [ { name: up, url: "mqtt://127.0.0.1:${far.port}", out: { local: "acked.>" }, reconnect_delay: "50ms", max_reconnect_delay: "200ms" } ] }\n`,
    );
    const args = ['-c', conf];
    const first = await startLeafgate({ args });
    t.after(() => first.stop());
    const mqttPort = (): number => Number(/Listening for MQTT clients on tcp:\/\/[^\s]*:(\d+)/.exec(first.output())?.[1]);
    const local = await mqttConnect(t, `mqtt://127.0.0.1:${mqttPort()}`);
    const acked: number[] = [];
    // Publishes until the kill; the one then unanswered never settles (mqtt.js keeps it for a reconnect), and is not waited for.
    void (async () => {
      for (let i = 0; ; i++) {
        await local.client.publishAsync('acked/x', String(i), { qos: 1 });
        acked.push(i);
      }
    })().catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (acked.length < 200) {
      assert.ok(Date.now() < deadline, `${acked.length} publishes acknowledged after 10 s:\n${first.output()}`);
      await sleep(5);
    }
    const second = await restartAfterKill(t, first, args);
    assert.match(second.output(), /Starting leafgate/);
    await mosquitto(t, { dir: far.dir, port: far.port, extra: PERSIST(far.dir) });
    const remote = await far.collect();
    const got = await remote.waitFor(acked.length, 15_000);
    const firsts = got.map((r) => Number(r.payload)).filter((v, i, all) => all.indexOf(v) === i);
    assert.deepEqual(firsts.slice(0, acked.length), acked);
  });

  test("a message over the remote's maximum packet size is dropped and counted, the link stays up and the rest flows", async (t) => {
    const m = await mosquitto(t, { extra: ['persistence false', 'max_packet_size 200'] });
    const remote = await mqttConnect(t, m.url);
    await remote.client.subscribeAsync('sized/#', { qos: 1 });
    const s = await startMqttServer(t, { httpPort: -1 }, { bridges: [bridge(m.url, { out: [{ local: 'sized.>', qos: 1, retain: false }] })] });
    await bridgeState(s, (b) => b.connected);
    const nc = await connectTo(s.port);
    t.after(() => nc.close());
    nc.publish('sized.big', 'x'.repeat(500));
    nc.publish('sized.small', 'fits');
    const [got] = await remote.waitFor(1);
    assert.deepEqual([got.topic, got.payload], ['sized/small', 'fits']);
    const state = await bridgeState(s, (b) => b.dropped_msgs === 1 && b.backlog_msgs === 0);
    assert.deepEqual([state.connects, state.out_msgs], [1, 1]);
    assert.match(state.last_error, /sized\/big.*maximum packet size/);
  });

  test('mqtts with a verified server certificate and a client certificate, and a login', async (t) => {
    const pki = createTestPki();
    t.after(() => pki.remove());
    const users = { edge: 'pw' };
    const m = await mosquitto(t, {
      users,
      extra: ['persistence false', `cafile ${pki.caFile}`, `certfile ${pki.serverCert}`, `keyfile ${pki.serverKey}`, 'require_certificate true'],
    });
    const url = `mqtts://127.0.0.1:${m.mqttPort}`;
    const tls = { caFile: pki.caFile, certFile: pki.clientCert, keyFile: pki.clientKey, insecure: false, timeoutMs: 2000 };
    const s = await startMqttServer(t, { httpPort: -1 }, {
      bridges: [bridge(url, { name: 'good', username: 'edge', password: 'pw', tls, out: [{ local: 'tls.>', qos: 1, retain: false }] }), bridge(url, { name: 'badpw', username: 'edge', password: 'nope', tls, out: [{ local: 'x', qos: 1, retain: false }] })],
    });
    const deadline = Date.now() + 10_000;
    let states = await varzBridges(s);
    while (!(states[0].connected && /refused the connection/.test(states[1].last_error)) && Date.now() < deadline) {
      await sleep(25);
      states = await varzBridges(s);
    }
    assert.equal(states[0].connected, true, JSON.stringify(states[0]));
    assert.match(states[1].last_error, /the remote refused the connection: reason 0x8[67]/);
    assert.equal(states[1].connected, false);
    assert.equal(states[0].url, `${url}`);
    const remote = await mqttConnect(t, `mqtts://127.0.0.1:${m.mqttPort}`, { username: 'edge', password: 'pw', ca: fs.readFileSync(pki.caFile), cert: fs.readFileSync(pki.clientCert), key: fs.readFileSync(pki.clientKey) });
    await remote.client.subscribeAsync('tls/#', { qos: 1 });
    const nc = await connectTo(s.port);
    t.after(() => nc.close());
    nc.publish('tls.hello', 'secure');
    const [got] = await remote.waitFor(1);
    assert.deepEqual([got.topic, got.payload], ['tls/hello', 'secure']);
  });

  test('over WebSocket to another leafgate, MQTT 3.1.1', async (t) => {
    const far = await startMqttServer(t, { websocket: { host: '127.0.0.1', port: -1, advertise: '', sameOrigin: false, allowedOrigins: [], handshakeTimeoutMs: 0, compression: false } });
    const wsUrl = `ws://127.0.0.1:${far.server.websocketPort}/mqtt`;
    const s = await startMqttServer(t, { httpPort: -1 }, { bridges: [bridge(wsUrl, { protocolVersion: 4, in: [{ remote: 'down/#', qos: 1 }], out: [{ local: 'up.>', qos: 1, retain: false }] })] });
    await bridgeState(s, (b) => b.connected);
    const farNc = await connectTo(far.port);
    const nc = await connectTo(s.port);
    t.after(async () => {
      await farNc.close();
      await nc.close();
    });
    const upSub = farNc.subscribe('up.>');
    const downSub = nc.subscribe('down.>');
    await farNc.flush();
    await nc.flush();
    nc.publish('up.one', 'u');
    const [u] = await take(upSub, 1);
    assert.deepEqual([u.subject, u.string()], ['up.one', 'u']);
    farNc.publish('down.two', 'd');
    const [d] = await take(downSub, 1);
    assert.deepEqual([d.subject, d.string()], ['down.two', 'd']);
  });
});
