// MQTT over TLS and WebSocket, logins with the users NATS clients have (and the mqtt block's own),
// permissions on converted subjects, and 3.1.1 redelivery after ack_wait.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { mqttConnect } from '../../helpers/mqtt-client.js';
import { createTestPki, issueClientCert } from '../../helpers/tls-certs.js';
import { startMqttServer } from './harness.js';

test('MQTT over TLS (mqtts) with the mqtt block tls settings', async (t) => {
  const pki = createTestPki();
  t.after(() => pki.remove());
  const s = await startMqttServer(t, {}, { tls: { certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.caFile, verify: false, timeoutMs: 2000 } });
  const url = `mqtts://127.0.0.1:${s.server.mqttPort}`;
  const c = await mqttConnect(t, url, { ca: [fs.readFileSync(pki.caFile)], servername: 'localhost', rejectUnauthorized: true });
  await c.client.subscribeAsync('secure/+', { qos: 1 });
  await c.client.publishAsync('secure/x', 'over tls', { qos: 1 });
  const [m] = await c.waitFor(1);
  assert.equal(m.payload, 'over tls');
});

test('MQTT over WebSocket on a path ending in /mqtt, meeting a TCP client', async (t) => {
  const s = await startMqttServer(t, { websocket: { host: '127.0.0.1', port: -1, advertise: '', sameOrigin: false, allowedOrigins: [], handshakeTimeoutMs: 0, compression: false } });
  const wsPort = Number(/Listening for websocket clients on ws:\/\/127\.0\.0\.1:(\d+)/.exec(s.logs.join(''))?.[1]);
  assert.ok(wsPort > 0, 'the websocket port is logged');
  const overWs = await mqttConnect(t, `ws://127.0.0.1:${wsPort}/mqtt`, { protocolVersion: 5 });
  const overTcp = await mqttConnect(t, s.mqttUrl);
  await overWs.client.subscribeAsync('mix/#', { qos: 1 });
  await overTcp.client.publishAsync('mix/a', 'from tcp', { qos: 1 });
  const [m] = await overWs.waitFor(1);
  assert.deepEqual([m.topic, m.payload, m.packet.qos], ['mix/a', 'from tcp', 1]);
});

const USERS = {
  auth: {
    users: [
      { user: 'sensor', password: 'pw', account: '$G', permissions: { publish: { allow: ['telemetry.>'] }, subscribe: { allow: ['cmd.>'] } } },
      { user: 'admin', password: 'root', account: '$G' },
    ],
  },
};

test('logins: the users NATS clients have, CONNACK 5 (3.1.1) or 0x86 (MQTT 5) for a wrong password', async (t) => {
  const s = await startMqttServer(t, USERS);
  const ok = await mqttConnect(t, s.mqttUrl, { username: 'admin', password: 'root' });
  assert.equal(ok.connack.returnCode, 0);
  await assert.rejects(mqttConnect(t, s.mqttUrl, { username: 'admin', password: 'nope' }), (err: { code?: number }) => err.code === 5);
  await assert.rejects(mqttConnect(t, s.mqttUrl, { protocolVersion: 5, username: 'admin', password: 'nope' }), (err: { code?: number }) => err.code === 0x86);
  await assert.rejects(mqttConnect(t, s.mqttUrl), (err: { code?: number }) => err.code === 5);
});

test('the mqtt block authorization replaces the top-level one for MQTT clients only', async (t) => {
  const s = await startMqttServer(t, {}, { auth: { user: 'dev', password: 'pw' } });
  await assert.rejects(mqttConnect(t, s.mqttUrl), (err: { code?: number }) => err.code === 5);
  const c = await mqttConnect(t, s.mqttUrl, { username: 'dev', password: 'pw' });
  assert.equal(c.connack.returnCode, 0);
});

test('permissions apply to converted subjects: a refused publish is dropped (still acknowledged), a refused filter gets 0x80', async (t) => {
  const s = await startMqttServer(t, USERS);
  const admin = await mqttConnect(t, s.mqttUrl, { username: 'admin', password: 'root' });
  await admin.client.subscribeAsync('#', { qos: 1 });
  const sensor = await mqttConnect(t, s.mqttUrl, { username: 'sensor', password: 'pw' });
  // mqtt.js rejects a SUBACK holding a failure; the packet rides on the error.
  const refused = await sensor.client.subscribeAsync({ 'cmd/+': { qos: 1 }, 'secret/#': { qos: 1 } }).then(
    () => null,
    (err: { packet?: { granted?: number[] } }) => err.packet?.granted,
  );
  assert.deepEqual(refused, [1, 128]);
  await sensor.client.publishAsync('other/x', 'refused', { qos: 1 });
  await sensor.client.publishAsync('telemetry/t1', 'allowed', { qos: 1 });
  const [m] = await admin.waitFor(1);
  assert.equal(m.topic, 'telemetry/t1');
  assert.match(s.logs.join(''), /Publish Violation/);
  await admin.client.publishAsync('cmd/reboot', 'now', { qos: 1 });
  const [cmd] = await sensor.waitFor(1);
  assert.equal(cmd.topic, 'cmd/reboot');
});

test('3.1.1: a QoS 1 message not acknowledged within ack_wait is sent again with DUP', async (t) => {
  const s = await startMqttServer(t, {}, { ackWaitMs: 300 });
  const sock = net.connect(s.server.mqttPort, '127.0.0.1');
  t.after(() => sock.destroy());
  const publishes: mqttPacket.IPublishPacket[] = [];
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  parser.on('packet', (p) => {
    if (p.cmd === 'connack') sock.write(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'rd', qos: 1 }] }));
    if (p.cmd === 'publish') publishes.push(p);
  });
  sock.on('data', (d) => parser.parse(d));
  sock.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'slow', clean: true, keepalive: 0 }));
  await new Promise((r) => setTimeout(r, 200));
  const pub = await mqttConnect(t, s.mqttUrl);
  await pub.client.publishAsync('rd', 'again', { qos: 1 });
  const deadline = Date.now() + 5000;
  while (publishes.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(publishes.length >= 2, `${publishes.length} deliveries`);
  assert.deepEqual([publishes[0].dup, publishes[1].dup, publishes[1].messageId], [false, true, publishes[0].messageId]);
});

test('/varz shows the mqtt and websocket blocks as nats-server does, with the bound ports', async (t) => {
  const s = await startMqttServer(t, { httpPort: -1, websocket: { host: '127.0.0.1', port: -1, advertise: '', sameOrigin: false, allowedOrigins: [], handshakeTimeoutMs: 0, compression: true } }, { maxAckPending: 100 });
  const varz = (await (await fetch(`http://127.0.0.1:${s.server.httpPort}/varz`)).json()) as { mqtt: Record<string, unknown>; websocket: Record<string, unknown> };
  assert.deepEqual(varz.mqtt, { host: '127.0.0.1', port: s.server.mqttPort, ack_wait: 30_000_000_000, max_ack_pending: 100 });
  assert.deepEqual(varz.websocket, { host: '127.0.0.1', port: s.server.websocketPort, no_tls: true, compression: true });
});

interface ConnzReply {
  connections: Array<{ cid: number; kind: string; type: string; mqtt_client?: string; subscriptions: number; subscriptions_list?: string[]; authorized_user?: string; in_msgs: number; reason?: string }>;
}

test('/connz lists MQTT clients (type mqtt, mqtt_client, subscriptions), filters by mqtt_client and keeps closed ones', async (t) => {
  const s = await startMqttServer(t, { httpPort: -1, ...USERS });
  const connz = async (query: string): Promise<ConnzReply> => (await (await fetch(`http://127.0.0.1:${s.server.httpPort}/connz?${query}`)).json()) as ConnzReply;
  const a = await mqttConnect(t, s.mqttUrl, { clientId: 'dev-a', username: 'admin', password: 'root' });
  await a.client.subscribeAsync('x/#', { qos: 1 });
  await a.client.publishAsync('x/y', 'hi', { qos: 1 });
  await a.waitFor(1);
  const b = await mqttConnect(t, s.mqttUrl, { clientId: 'dev-b', username: 'admin', password: 'root' });
  const all = await connz('subs=1&auth=1');
  const dev = all.connections.find((c) => c.mqtt_client === 'dev-a');
  assert.ok(dev !== undefined, JSON.stringify(all));
  assert.deepEqual([dev.kind, dev.type, dev.subscriptions, dev.subscriptions_list?.sort(), dev.authorized_user, dev.in_msgs], ['Client', 'mqtt', 2, ['x', 'x.>'], 'admin', 1]);
  assert.deepEqual((await connz('mqtt_client=dev-b')).connections.map((c) => c.mqtt_client), ['dev-b']);
  await b.client.endAsync();
  const closed = await connz('state=closed&mqtt_client=dev-b');
  assert.deepEqual(closed.connections.map((c) => [c.mqtt_client, c.reason]), [['dev-b', 'Client Closed']]);
});

test('max_connections counts MQTT clients: one over it is refused with CONNACK 3', async (t) => {
  const s = await startMqttServer(t, { maxConnections: 1 });
  await mqttConnect(t, s.mqttUrl);
  await assert.rejects(mqttConnect(t, s.mqttUrl), (err: { code?: number }) => err.code === 3);
});

test('mqtts: the mqtt block verify_and_map names the user by the client certificate, pinned_certs admit only the listed keys', async (t) => {
  const pki = createTestPki();
  t.after(() => pki.remove());
  const alice = issueClientCert(pki, 'mq-alice', '/CN=ignored', 'email:alice@example.com');
  const stranger = issueClientCert(pki, 'mq-stranger', '/CN=nobody');
  const ca = [fs.readFileSync(pki.caFile)];
  const client = (c: { cert: string; key: string }) => ({ ca, cert: fs.readFileSync(c.cert), key: fs.readFileSync(c.key), rejectUnauthorized: true });
  const users = { auth: { users: [{ user: 'alice@example.com', password: '', account: '$G', permissions: { publish: { allow: ['mine.>'] } } }] } };
  const mapped = await startMqttServer(t, users, { tls: { certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.caFile, verify: true, verifyAndMap: true, timeoutMs: 2000 } });
  const url = `mqtts://127.0.0.1:${mapped.server.mqttPort}`;
  const ok = await mqttConnect(t, url, client(alice));
  assert.equal(ok.connack.returnCode, 0);
  await assert.rejects(mqttConnect(t, url, client(stranger)), (err: { code?: number }) => err.code === 5);
  const spki = new crypto.X509Certificate(fs.readFileSync(alice.cert)).publicKey.export({ type: 'spki', format: 'der' });
  const pin = crypto.createHash('sha256').update(spki).digest('hex');
  const pinned = await startMqttServer(t, {}, { tls: { certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.caFile, verify: true, pinnedCerts: [pin], timeoutMs: 2000 } });
  const pinnedUrl = `mqtts://127.0.0.1:${pinned.server.mqttPort}`;
  assert.equal((await mqttConnect(t, pinnedUrl, client(alice))).connack.returnCode, 0);
  await assert.rejects(mqttConnect(t, pinnedUrl, client(stranger)));
  assert.match(pinned.logs.join(''), /certificate not pinned/);
});

test('permissions hold for wills and for the parent level `x/#` also subscribes to', async (t) => {
  const s = await startMqttServer(t, USERS);
  const admin = await mqttConnect(t, s.mqttUrl, { username: 'admin', password: 'root' });
  await admin.client.subscribeAsync('#', { qos: 1 });
  const sensor = await mqttConnect(t, s.mqttUrl, { username: 'sensor', password: 'pw', will: { topic: 'cmd/reboot', payload: Buffer.from('forged'), qos: 1, retain: true } });
  const refused = await sensor.client.subscribeAsync('cmd/#', { qos: 1 }).then(
    () => null,
    (err: { packet?: { granted?: number[] } }) => err.packet?.granted,
  );
  assert.deepEqual(refused, [128], "cmd/# would also subscribe to cmd, which cmd.> does not allow");
  sensor.client.stream.destroy();
  const deadline = Date.now() + 5000;
  while (!s.logs.join('').includes('Will refused - Publish Violation') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.match(s.logs.join(''), /Will refused - Publish Violation/);
  await admin.client.publishAsync('telemetry/marker', 'after', { qos: 1 });
  await admin.waitFor(1);
  assert.deepEqual(admin.received.map((r) => r.topic), ['telemetry/marker'], 'the will on a subject the user may not publish to is not sent');
});
