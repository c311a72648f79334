// MQTT sessions through leafgate: persistent sessions keep subscriptions and QoS 1/2 messages across
// disconnects and server restarts, clean ones do not; client-id takeover; wills; keepalive.

import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { mqttConnect, settle } from '../../helpers/mqtt-client.js';
import { startMqttServer } from './harness.js';

for (const protocolVersion of [4, 5] as const) {
  const persistent = protocolVersion === 5 ? { clean: false, properties: { sessionExpiryInterval: 3600 } } : { clean: false };
  test(`MQTT ${protocolVersion}: a persistent session gets the QoS 1 messages published while it was away, after a restart too`, async (t) => {
    const s = await startMqttServer(t);
    const first = await mqttConnect(t, s.mqttUrl, { protocolVersion, clientId: 'keeper', ...persistent });
    await first.client.subscribeAsync('kept/+', { qos: 1 });
    await first.client.endAsync();
    const pub = await mqttConnect(t, s.mqttUrl, { protocolVersion });
    await pub.client.publishAsync('kept/a', 'while away', { qos: 1 });
    await pub.client.publishAsync('kept/b', 'lost at qos 0', { qos: 0 });
    await pub.client.endAsync();
    await s.stop();
    const again = await startMqttServer(t, {}, {}, s.storeDir);
    const back = await mqttConnect(t, again.mqttUrl, { protocolVersion, clientId: 'keeper', ...persistent });
    assert.equal(back.client.connected, true);
    const [m] = await back.waitFor(1);
    assert.deepEqual([m.topic, m.payload, m.packet.qos], ['kept/a', 'while away', 1]);
    await settle();
    assert.equal(back.received.length, 1);
    const pub2 = await mqttConnect(t, again.mqttUrl, { protocolVersion });
    await pub2.client.publishAsync('kept/c', 'subscription restored', { qos: 1 });
    const got = await back.waitFor(2);
    assert.equal(got[1].payload, 'subscription restored');
  });
}

test('session present: 1 when a persistent session is resumed, 0 for a clean one', async (t) => {
  const s = await startMqttServer(t);
  const present = async (clean: boolean): Promise<boolean> => {
    const c = await mqttConnect(t, s.mqttUrl, { clientId: 'sp', clean });
    await c.client.endAsync();
    return c.connack.sessionPresent;
  };
  assert.equal(await present(false), false);
  assert.equal(await present(false), true);
  assert.equal(await present(true), false);
  assert.equal(await present(false), false);
});

test('a second connection with the same client id takes the session over and closes the first', async (t) => {
  const s = await startMqttServer(t);
  const first = await mqttConnect(t, s.mqttUrl, { clientId: 'twin' });
  const closed = new Promise<void>((resolve) => first.client.once('close', () => resolve()));
  const second = await mqttConnect(t, s.mqttUrl, { clientId: 'twin' });
  await closed;
  await second.client.subscribeAsync('still/here');
  await second.client.publishAsync('still/here', 'ok');
  const [m] = await second.waitFor(1);
  assert.equal(m.payload, 'ok');
});

test('the will goes out when the connection drops, not after DISCONNECT', async (t) => {
  const s = await startMqttServer(t);
  const watcher = await mqttConnect(t, s.mqttUrl);
  await watcher.client.subscribeAsync('wills/#', { qos: 1 });
  const polite = await mqttConnect(t, s.mqttUrl, { will: { topic: 'wills/polite', payload: Buffer.from('gone'), qos: 1, retain: false } });
  await polite.client.endAsync();
  const rude = await mqttConnect(t, s.mqttUrl, { will: { topic: 'wills/rude', payload: Buffer.from('dropped'), qos: 1, retain: true } });
  rude.client.stream.destroy();
  const [m] = await watcher.waitFor(1);
  assert.deepEqual([m.topic, m.payload], ['wills/rude', 'dropped']);
  await settle();
  assert.equal(watcher.received.length, 1);
  const late = await mqttConnect(t, s.mqttUrl);
  await late.client.subscribeAsync('wills/+');
  const [r] = await late.waitFor(1);
  assert.deepEqual([r.topic, r.packet.retain], ['wills/rude', true]);
});

test('keepalive: a client silent for 1.5 keepalives is closed and its will sent', async (t) => {
  const s = await startMqttServer(t);
  const watcher = await mqttConnect(t, s.mqttUrl);
  await watcher.client.subscribeAsync('ka/#');
  // A raw CONNECT with keepalive 1 s and a will, then silence.
  const sock = net.connect(s.server.mqttPort, '127.0.0.1');
  t.after(() => sock.destroy());
  const closed = new Promise<void>((resolve) => sock.once('close', () => resolve()));
  // Read (and drop) what comes, so the server's end of the stream is seen.
  sock.resume();
  sock.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'k', clean: true, keepalive: 1, will: { topic: 'ka/me', payload: Buffer.from('ok'), qos: 0, retain: false } }));
  await closed;
  const [m] = await watcher.waitFor(1);
  assert.deepEqual([m.topic, m.payload], ['ka/me', 'ok']);
});

test('MQTT 5 will delay: the will waits, and is not sent when the session comes back in time', async (t) => {
  const s = await startMqttServer(t);
  const watcher = await mqttConnect(t, s.mqttUrl);
  await watcher.client.subscribeAsync('late/#');
  const will = (topic: string) => ({ topic, payload: Buffer.from('bye'), qos: 0 as const, retain: false, properties: { willDelayInterval: 1 } });
  const session = { protocolVersion: 5 as const, clean: false, properties: { sessionExpiryInterval: 60 } };
  const back = await mqttConnect(t, s.mqttUrl, { ...session, clientId: 'returns', will: will('late/returns') });
  back.client.stream.destroy();
  const gone = await mqttConnect(t, s.mqttUrl, { ...session, clientId: 'gone', will: will('late/gone') });
  gone.client.stream.destroy();
  await mqttConnect(t, s.mqttUrl, { ...session, clientId: 'returns' });
  await settle(300);
  assert.equal(watcher.received.length, 0, 'nothing before the delay');
  const [m] = await watcher.waitFor(1, 5000);
  assert.equal(m.topic, 'late/gone');
  await settle(1200);
  assert.deepEqual(watcher.received.map((r) => r.topic), ['late/gone']);
});

test('MQTT 5 session expiry: a session away longer than its expiry is gone', async (t) => {
  const s = await startMqttServer(t);
  const opts = { protocolVersion: 5 as const, clientId: 'brief', clean: false, properties: { sessionExpiryInterval: 1 } };
  const first = await mqttConnect(t, s.mqttUrl, opts);
  await first.client.subscribeAsync('x/y', { qos: 1 });
  await first.client.endAsync();
  const soon = await mqttConnect(t, s.mqttUrl, opts);
  assert.equal(soon.connack.sessionPresent, true);
  await soon.client.endAsync();
  await settle(1500);
  const later = await mqttConnect(t, s.mqttUrl, opts);
  assert.equal(later.connack.sessionPresent, false);
});

test('a persistent session away while thousands of messages come keeps at most a page of them in memory, and gets all, in order, before and after a restart', async (t) => {
  const s = await startMqttServer(t);
  const queued = (server: typeof s): number => {
    // Inside the server (its MQTT front's service): what the sessions hold in memory is not shown anywhere else.
    const mqtt = (server.server as unknown as { mqtt: { service: { sessions: Map<string, { queue: unknown[] }> } } }).mqtt.service;
    return [...mqtt.sessions.values()].reduce((n, session) => n + session.queue.length, 0);
  };
  // MQTT 5 with a small receive maximum: the client takes messages 50 at a time, so it leaves with many still waiting.
  const v5 = { protocolVersion: 5, clientId: 'away', clean: false, properties: { sessionExpiryInterval: 3600, receiveMaximum: 50 } } as const;
  const away = await mqttConnect(t, s.mqttUrl, v5);
  await away.client.subscribeAsync('many/+', { qos: 1 });
  await away.client.endAsync();
  const pub = await mqttConnect(t, s.mqttUrl);
  const count = 2500;
  for (let i = 0; i < count; i++) pub.client.publish(`many/${i % 2}`, String(i), { qos: 1 });
  await pub.client.publishAsync('many/0', 'last', { qos: 1 });
  assert.ok(queued(s) <= 1024, `${queued(s)} messages held in memory`);
  // Half now: the client takes 1,250 and leaves; the rest survive a restart, paged from the store again.
  const first = await mqttConnect(t, s.mqttUrl, v5);
  await first.waitFor(1250, 10_000);
  await first.client.endAsync();
  await pub.client.endAsync();
  await s.stop();
  const again = await startMqttServer(t, {}, {}, s.storeDir);
  assert.ok(queued(again) <= 1024, `${queued(again)} messages held in memory after the restart`);
  assert.ok(first.received.length < 2000, `${first.received.length} taken before leaving`);
  const back = await mqttConnect(t, again.mqttUrl, v5);
  const firstPart = first.received.map((m) => m.payload);
  // What the first connection received may come again (not acknowledged yet when it left); nothing is missing or out of order.
  const wanted = [...Array.from({ length: count }, (_, i) => String(i)), 'last'];
  const deadline = Date.now() + 15_000;
  const all = (): string[] => [...new Set([...firstPart, ...back.received.map((m) => m.payload)])];
  while (all().length < wanted.length && Date.now() < deadline) await settle(50);
  assert.deepEqual(all().sort(), [...wanted].sort());
  for (const topic of ['many/0', 'many/1']) {
    const seq = back.received.filter((m) => m.topic === topic && m.payload !== 'last').map((m) => Number(m.payload));
    assert.deepEqual(seq, [...seq].sort((a, b) => a - b), `order on ${topic}`);
  }
});

test('max_keepalive: an MQTT 5 client asking for no keepalive or a longer one is told the maximum (Server Keep Alive) and held to it', async (t) => {
  const s = await startMqttServer(t, {}, { maxKeepaliveSeconds: 1 });
  const none = await mqttConnect(t, s.mqttUrl, { protocolVersion: 5, keepalive: 0 });
  assert.equal(none.connack.properties?.serverKeepAlive, 1);
  const longer = await mqttConnect(t, s.mqttUrl, { protocolVersion: 5, keepalive: 600 });
  assert.equal(longer.connack.properties?.serverKeepAlive, 1);
  const within = await mqttConnect(t, s.mqttUrl, { protocolVersion: 5, keepalive: 1 });
  assert.equal(within.connack.properties?.serverKeepAlive, undefined);
  // A raw client that asked for none and then stays silent is closed after 1.5 s.
  const raw = net.connect(s.server.mqttPort, '127.0.0.1');
  raw.on('data', () => undefined);
  raw.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'silent', clean: true, keepalive: 0 }, { protocolVersion: 5 }));
  const closed = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 5000);
    raw.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  assert.equal(closed, true);
});
