// MQTT publish/subscribe through leafgate with mqtt.js (3.1.1 and 5): QoS 0, 1 and 2, retained
// messages, and MQTT meeting NATS on the same subjects.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import { mqttConnect, settle } from '../../helpers/mqtt-client.js';
import { startMqttServer } from './harness.js';

for (const protocolVersion of [4, 5] as const) {
  test(`MQTT ${protocolVersion}: QoS 0, 1 and 2 from one client to another, each at the lower of the two QoS`, async (t) => {
    const s = await startMqttServer(t);
    const sub = await mqttConnect(t, s.mqttUrl, { protocolVersion, clientId: 'sub' });
    const pub = await mqttConnect(t, s.mqttUrl, { protocolVersion, clientId: 'pub' });
    const granted = await sub.client.subscribeAsync({ 'q/1': { qos: 1 }, 'q/2': { qos: 2 }, 'q/0': { qos: 0 } });
    assert.deepEqual(granted.map((g) => g.qos), [1, 2, 0]);
    await pub.client.publishAsync('q/1', 'one', { qos: 2 });
    await pub.client.publishAsync('q/2', 'two', { qos: 2 });
    await pub.client.publishAsync('q/0', 'zero', { qos: 1 });
    const got = await sub.waitFor(3);
    assert.deepEqual(got.map((m) => [m.topic, m.payload, m.packet.qos]), [['q/1', 'one', 1], ['q/2', 'two', 2], ['q/0', 'zero', 0]]);
  });
}

test('retained messages: set, replaced, sent with RETAIN to new subscribers only, cleared by an empty payload', async (t) => {
  const s = await startMqttServer(t);
  const pub = await mqttConnect(t, s.mqttUrl);
  const live = await mqttConnect(t, s.mqttUrl);
  await live.client.subscribeAsync('r/#', { qos: 1 });
  await pub.client.publishAsync('r/a', 'first', { qos: 1, retain: true });
  await pub.client.publishAsync('r/a', 'second', { qos: 1, retain: true });
  await pub.client.publishAsync('r/b', 'bee', { qos: 0, retain: true });
  const seen = await live.waitFor(3);
  assert.deepEqual(seen.map((m) => m.packet.retain), [false, false, false], 'live deliveries carry RETAIN=0');
  const late = await mqttConnect(t, s.mqttUrl);
  await late.client.subscribeAsync('r/+', { qos: 1 });
  const retained = await late.waitFor(2);
  assert.deepEqual(retained.map((m) => [m.topic, m.payload, m.packet.retain]).sort(), [['r/a', 'second', true], ['r/b', 'bee', true]]);
  await pub.client.publishAsync('r/a', '', { qos: 1, retain: true });
  const later = await mqttConnect(t, s.mqttUrl);
  await later.client.subscribeAsync('r/#', { qos: 1 });
  const after = await later.waitFor(1);
  await settle();
  assert.deepEqual(later.received.map((m) => m.topic), ['r/b']);
  assert.equal(after[0].payload, 'bee');
});

test('a filter starting with a wildcard does not match $ topics; one naming $ does', async (t) => {
  const s = await startMqttServer(t);
  const wild = await mqttConnect(t, s.mqttUrl);
  const dollar = await mqttConnect(t, s.mqttUrl);
  await wild.client.subscribeAsync('#');
  await dollar.client.subscribeAsync('$app/#');
  const pub = await mqttConnect(t, s.mqttUrl);
  await pub.client.publishAsync('$app/x', 'internal');
  await pub.client.publishAsync('plain', 'visible');
  await dollar.waitFor(1);
  await wild.waitFor(1);
  await settle();
  assert.deepEqual(wild.received.map((m) => m.topic), ['plain']);
  assert.deepEqual(dollar.received.map((m) => m.topic), ['$app/x']);
});

test('MQTT and NATS meet on converted subjects: Nmqtt-Pub header one way, QoS 0 the other', async (t) => {
  const s = await startMqttServer(t);
  const nc = await connect({ servers: s.url });
  t.after(() => nc.close());
  const natsSeen: Array<[string, string, string | undefined]> = [];
  nc.subscribe('home.>', { callback: (_e, m) => void natsSeen.push([m.subject, m.string(), m.headers?.get('Nmqtt-Pub')]) });
  await nc.flush();
  const mq = await mqttConnect(t, s.mqttUrl);
  await mq.client.subscribeAsync('home/#', { qos: 1 });
  await mq.client.publishAsync('home/kitchen/temp', '21.5', { qos: 1 });
  await mq.client.publishAsync('home/v1.2', 'dotted', { qos: 0 });
  await mq.waitFor(2);
  const h = natsHeaders();
  h.set('X', 'y');
  nc.publish('home.hall', 'from nats', { headers: h });
  nc.publish('home', 'parent level');
  const all = await mq.waitFor(4);
  assert.deepEqual(all.slice(2).map((m) => [m.topic, m.payload, m.packet.qos]).sort(), [['home', 'parent level', 0], ['home/hall', 'from nats', 0]]);
  await nc.flush();
  assert.deepEqual(natsSeen.slice(0, 2), [['home.kitchen.temp', '21.5', '1'], ['home.v1//2', 'dotted', '0']]);
});

test('MQTT 5 user properties and content type travel as NATS headers, a response topic as the reply', async (t) => {
  const s = await startMqttServer(t);
  const nc = await connect({ servers: s.url });
  t.after(() => nc.close());
  nc.subscribe('svc.echo', { callback: (_e, m) => void m.respond(`echo ${m.string()} ${m.headers?.get('Content-Type')} ${m.headers?.get('tenant')}`) });
  await nc.flush();
  const mq = await mqttConnect(t, s.mqttUrl, { protocolVersion: 5 });
  await mq.client.subscribeAsync('reply/me');
  await mq.client.publishAsync('svc/echo', 'hi', { qos: 1, properties: { responseTopic: 'reply/me', contentType: 'text/plain', userProperties: { tenant: 'acme' } } });
  const [reply] = await mq.waitFor(1);
  assert.equal(reply.payload, 'echo hi text/plain acme');
});

test("MQTT 5: a message over the client's maximum packet size is not sent to it, at any QoS, and a QoS 1 one is not kept for it", async (t) => {
  const s = await startMqttServer(t);
  const sub = await mqttConnect(t, s.mqttUrl, { protocolVersion: 5, clientId: 'small', clean: false, properties: { maximumPacketSize: 100, sessionExpiryInterval: 60 } });
  await sub.client.subscribeAsync({ 'size/0': { qos: 0 }, 'size/1': { qos: 1 } });
  const pub = await mqttConnect(t, s.mqttUrl, { protocolVersion: 5 });
  const big = 'x'.repeat(200);
  for (const qos of [0, 1] as const) {
    await pub.client.publishAsync(`size/${qos}`, big, { qos });
    await pub.client.publishAsync(`size/${qos}`, `small ${qos}`, { qos });
  }
  const got = await sub.waitFor(2);
  await settle();
  assert.deepEqual(sub.received.map((m) => [m.topic, m.payload]), [['size/0', 'small 0'], ['size/1', 'small 1']]);
  assert.equal(got.length, 2);
  // Reconnecting to the session brings nothing back: the big QoS 1 message was done with.
  await sub.client.endAsync();
  const again = await mqttConnect(t, s.mqttUrl, { protocolVersion: 5, clientId: 'small', clean: false, properties: { maximumPacketSize: 100, sessionExpiryInterval: 60 } });
  assert.equal(again.connack.sessionPresent, true);
  await settle();
  assert.deepEqual(again.received, []);
});

test('MQTT 5: a client that takes topic aliases gets them, the topic sent once, as far as its maximum', async (t) => {
  const s = await startMqttServer(t);
  const sub = await mqttConnect(t, s.mqttUrl, { protocolVersion: 5, properties: { topicAliasMaximum: 2 } });
  await sub.client.subscribeAsync({ 'al/#': { qos: 1 } });
  const pub = await mqttConnect(t, s.mqttUrl, { protocolVersion: 5 });
  for (const [topic, qos] of [['al/a', 0], ['al/a', 1], ['al/b', 1], ['al/c', 0], ['al/a', 0], ['al/c', 1]] as const) await pub.client.publishAsync(topic, topic, { qos, ...(topic === 'al/b' && { properties: { contentType: 'text/plain' } }) });
  const got = await sub.waitFor(6);
  assert.deepEqual(
    got.map((m) => [m.topic, m.payload, m.packet.topic, m.packet.properties?.topicAlias]),
    [
      ['al/a', 'al/a', 'al/a', 1],
      ['al/a', 'al/a', '', 1],
      // With properties of its own (the mqtt-packet path), the same rule.
      ['al/b', 'al/b', 'al/b', 2],
      // The maximum is reached: a third topic goes by name.
      ['al/c', 'al/c', 'al/c', undefined],
      ['al/a', 'al/a', '', 1],
      ['al/c', 'al/c', 'al/c', undefined],
    ],
  );
  // A client that asked for none gets none.
  const plain = await mqttConnect(t, s.mqttUrl, { protocolVersion: 5 });
  await plain.client.subscribeAsync('al/#');
  await pub.client.publishAsync('al/a', 'x');
  const [m] = await plain.waitFor(1);
  assert.deepEqual([m.packet.topic, m.packet.properties?.topicAlias], ['al/a', undefined]);
});
