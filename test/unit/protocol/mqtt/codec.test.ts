// The hand-written PUBLISH and acknowledgement encoders agree byte for byte with mqtt-packet's.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { MqttParser, encodeAck, encodePlainPublish } from '../../../../src/protocol/mqtt/index.js';

test('encodePlainPublish matches mqtt-packet for QoS 0-2, flags, both levels and every length size', () => {
  for (const version of [4, 5]) {
    for (const size of [0, 5, 120, 200, 16_400, 2_100_000]) {
      for (const qos of [0, 1, 2] as const) {
        const payload = Buffer.alloc(size, 7);
        const ours = encodePlainPublish(Buffer.from('a/b'), payload, qos, qos === 1, qos === 2, 513, version);
        const theirs = mqttPacket.generate({ cmd: 'publish', topic: 'a/b', payload, qos, retain: qos === 1, dup: qos === 2, ...(qos > 0 && { messageId: 513 }), ...(version === 5 && { properties: {} }) }, { protocolVersion: version });
        assert.ok(ours.equals(theirs), `v${version} size ${size} qos ${qos}`);
      }
    }
  }
});

test('encodePlainPublish with a topic alias matches mqtt-packet, with the topic and without it', () => {
  for (const topic of ['a/b', '']) {
    for (const qos of [0, 1] as const) {
      const payload = Buffer.alloc(300, 1);
      const ours = encodePlainPublish(Buffer.from(topic), payload, qos, false, false, 9, 5, 65535);
      const theirs = mqttPacket.generate({ cmd: 'publish', topic, payload, qos, retain: false, dup: false, ...(qos > 0 && { messageId: 9 }), properties: { topicAlias: 65535 } }, { protocolVersion: 5 });
      assert.ok(ours.equals(theirs), `topic ${JSON.stringify(topic)} qos ${qos}`);
    }
  }
});

test('encodeAck matches mqtt-packet for the four acknowledgements', () => {
  for (const cmd of ['puback', 'pubrec', 'pubrel', 'pubcomp'] as const) {
    assert.ok(encodeAck(cmd, 65535).equals(mqttPacket.generate({ cmd, messageId: 65535 })), cmd);
  }
});

test('the parser refuses a packet longer than its limit from the length alone', () => {
  const errors: string[] = [];
  const parser = new MqttParser(() => assert.fail('no packet expected'), (m) => errors.push(m), 100);
  parser.feed(Buffer.from([0x30, 0xe8, 0x07]));
  assert.equal(errors.length, 1);
  assert.match(errors[0], /1003 bytes exceeds the maximum of 100/);
});
