import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ConfigError, diffOptions, mergeOptions } from '../../../src/config/index.js';
import type { LoadedConfig, MqttConfig } from '../../../src/config/index.js';
import { parseConfigText } from '../../../src/config/reader.js';

const FILE = 'c.conf';
/** MQTT needs JetStream; on line 1 so that the mqtt block is on line 2. */
const JS = 'jetstream { store_dir: "/var/lib/leafgate" }\n';
const IGNORED = 'is not used: leafgate keeps MQTT state in SQLite, ignored';

function load(text: string): LoadedConfig {
  return parseConfigText(text, FILE, { env: {} });
}

/** The mqtt block as loaded after the JetStream line. */
function mqttOf(block: string): MqttConfig | undefined {
  return load(`${JS}${block}`).layer.mqtt;
}

function warningsOf(block: string): string[] {
  return load(`${JS}${block}`).warnings;
}

function problemsOf(text: string): readonly string[] {
  try {
    load(text);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  assert.fail(`expected a config error for ${JSON.stringify(text)}`);
}

const DEFAULTS: MqttConfig = { host: '', port: 1883, ackWaitMs: 30_000, maxAckPending: 1024, rejectQos2Publish: false, downgradeQos2Subscribe: false, maxKeepaliveSeconds: 0, bridges: [] };

test('mqtt: a port alone gives nats-server defaults (ack wait 30s, 1024 pending, QoS 2 as asked) and no warning', () => {
  const { layer, warnings } = load(`${JS}mqtt { port: 1883 }`);
  assert.deepEqual(layer.mqtt, DEFAULTS);
  assert.deepEqual(warnings, []);
  assert.deepEqual(mergeOptions(layer).mqtt, DEFAULTS);
});

test('mqtt: port 0 or no port leaves MQTT off, whatever else the block says, and needs no JetStream', () => {
  assert.equal(load('mqtt { port: 0, ack_wait: "-1s", no_auth_user: nobody }').layer.mqtt, undefined);
  assert.equal(load('mqtt { host: 127.0.0.1 }').layer.mqtt, undefined);
  assert.equal(load('mqtt {}').layer.mqtt, undefined);
  assert.equal(mergeOptions(load('mqtt { port: 0 }').layer).mqtt, undefined);
});

const listeners: { name: string; block: string; host: string; port: number }[] = [
  { name: 'listen host:port', block: 'mqtt { listen: "127.0.0.1:1884" }', host: '127.0.0.1', port: 1884 },
  { name: 'listen port only', block: 'mqtt { listen: 1884 }', host: '', port: 1884 },
  { name: 'listen IPv6', block: 'mqtt { listen: "[::1]:1884" }', host: '::1', port: 1884 },
  { name: 'port and host', block: 'mqtt { port: 1884, host: 10.0.0.1 }', host: '10.0.0.1', port: 1884 },
  { name: 'net alias', block: 'mqtt { port: 1884, net: 10.0.0.2 }', host: '10.0.0.2', port: 1884 },
  { name: 'random port', block: 'mqtt { port: -1 }', host: '', port: -1 },
  { name: 'keys are case-insensitive', block: 'MQTT { Port: 1885, HOST: h }', host: 'h', port: 1885 },
  { name: 'a later port wins over listen', block: 'mqtt { listen: "127.0.0.1:1884", port: 1886 }', host: '127.0.0.1', port: 1886 },
];

for (const { name, block, host, port } of listeners) {
  test(`mqtt listener: ${name}`, () => {
    assert.deepEqual(mqttOf(block), { ...DEFAULTS, host, port });
  });
}

test('mqtt: ack_wait and its alias take a duration, or whole seconds with nats-server warning; 0 is the default', () => {
  assert.equal(mqttOf('mqtt { port: 1883, ack_wait: "1m30s" }')?.ackWaitMs, 90_000);
  assert.equal(mqttOf('mqtt { port: 1883, ackwait: "250ms" }')?.ackWaitMs, 250);
  assert.equal(mqttOf('mqtt { port: 1883, ack_wait: "0s" }')?.ackWaitMs, 30_000);
  assert.equal(mqttOf('mqtt { port: 1883, ack_wait: 0 }')?.ackWaitMs, 30_000);
  assert.equal(mqttOf('mqtt { port: 1883, AckWait: 45 }')?.ackWaitMs, 45_000);
  assert.deepEqual(warningsOf('mqtt { port: 1883, ackwait: 45 }'), [
    'c.conf:2:20: invalid use of field "ack_wait": ack_wait should be converted to a duration',
  ]);
});

test('mqtt: a bad ack_wait gets nats-server parseDuration and validateMQTTOptions texts', () => {
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, ack_wait: "30" }`), ['c.conf:2:20: error parsing ack_wait: time: missing unit in duration "30"']);
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, ackwait: "soon" }`), ['c.conf:2:20: error parsing ack_wait: time: invalid duration "soon"']);
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, ack_wait: "-5s" }`), ['c.conf:2:20: ack wait must be a positive value']);
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, ack_wait: true }`), [
    'c.conf:2:20: invalid value for "ack_wait": expected a duration string such as "30s", got boolean true',
  ]);
});

test('mqtt: max_ack_pending and its aliases, 0 meaning the default 1024', () => {
  assert.equal(mqttOf('mqtt { port: 1883, max_ack_pending: 100 }')?.maxAckPending, 100);
  assert.equal(mqttOf('mqtt { port: 1883, max_pending: 65535 }')?.maxAckPending, 65_535);
  assert.equal(mqttOf('mqtt { port: 1883, max_inflight: 1 }')?.maxAckPending, 1);
  assert.equal(mqttOf('mqtt { port: 1883, max_ack_pending: 0 }')?.maxAckPending, 1024);
});

test('mqtt: max_ack_pending outside 0..65535 gets nats-server text (sic "should in")', () => {
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, max_ack_pending: 65536 }`), ['c.conf:2:20: invalid value 65536, should in [0..65535] range']);
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, max_inflight: -1 }`), ['c.conf:2:20: invalid value -1, should in [0..65535] range']);
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, max_pending: "many" }`), [
    'c.conf:2:20: invalid value for "max_pending": expected an integer, got string "many"',
  ]);
});

test('mqtt: reject_qos2_publish and downgrade_qos2_subscribe (nats-server 2.10.4+)', () => {
  const mqtt = mqttOf('mqtt { port: 1883, reject_qos2_publish: true, downgrade_qos2_subscribe: yes }');
  assert.deepEqual({ reject: mqtt?.rejectQos2Publish, downgrade: mqtt?.downgradeQos2Subscribe }, { reject: true, downgrade: true });
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, reject_qos2_publish: 1 }`), [
    'c.conf:2:20: invalid value for "reject_qos2_publish": expected a boolean, got integer 1',
  ]);
});

test('mqtt: its own authorization (either spelling, with parseSimpleAuth aliases) and no_auth_user', () => {
  const users = 'authorization { users: [ { user: guest, password: g } ] }\n';
  const own = load(`${JS}mqtt { port: 1883, authorization { username: u, pass: p, timeout: 1.5 } }`).layer.mqtt;
  assert.deepEqual(own?.auth, { user: 'u', password: 'p', timeoutMs: 1500 });
  const token = load(`${JS}mqtt { port: 1883, authentication { token: t, timeout: 2 } }`).layer.mqtt;
  assert.deepEqual(token?.auth, { token: 't', timeoutMs: 2000 });
  const alias = load(`${JS}mqtt { port: 1883, authentication { user: a, password: b } }`).layer.mqtt;
  assert.deepEqual(alias?.auth, { user: 'a', password: 'b' });
  assert.equal(load(`${JS}${users}mqtt { port: 1883, no_auth_user: guest }`).layer.mqtt?.noAuthUser, 'guest');
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, authorization { user: u, users: [] } }`), ['c.conf:2:45: unknown field "users"']);
});

test('mqtt tls: read like the top-level block, verify_and_map and pinned_certs included', () => {
  assert.deepEqual(mqttOf('mqtt { port: 8883, tls { cert_file: c.pem, key_file: k.pem, ca_file: ca.pem, verify: true, timeout: 3 } }')?.tls, {
    certFile: 'c.pem',
    keyFile: 'k.pem',
    caFile: 'ca.pem',
    verify: true,
    timeoutMs: 3000,
  });
  assert.deepEqual(mqttOf('mqtt { port: 8883, tls { cert_file: c, key_file: k, verify_and_map: true } }')?.tls, { certFile: 'c', keyFile: 'k', verify: true, timeoutMs: 2000, verifyAndMap: true });
  const pin = 'ab'.repeat(32);
  assert.deepEqual(mqttOf(`mqtt { port: 8883, tls { cert_file: c, key_file: k, pinned_certs: ["${pin}"] } }`)?.tls?.pinnedCerts, [pin]);
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 8883, tls { cert_file: c } }`), ['c.conf:2:20: error parsing tls config, cert_file and key_file are both required']);
});

test("mqtt: keys for nats-server's JetStream-held MQTT state load with a warning each", () => {
  const keys = [
    'js_domain: hub',
    'stream_replicas: 3',
    'consumer_replicas: 1',
    'consumer_memory_storage: true',
    'consumer_inactive_threshold: "1h"',
    'consumer_auto_cleanup: "5m"',
    'js_api_timeout: "5s"',
    'api_timeout: "10s"',
  ];
  const { layer, warnings } = load(`${JS}mqtt {\n  port: 1883\n${keys.map((k) => `  ${k}\n`).join('')}}`);
  assert.deepEqual(layer.mqtt, DEFAULTS);
  assert.deepEqual(
    warnings,
    keys.map((line, i) => `c.conf:${i + 4}:3: mqtt ${/^[a-z_]+/.exec(line)?.[0] ?? ''} ${IGNORED}`),
  );
});

test('mqtt: the ignored keys are still type-checked as nats-server does', () => {
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, stream_replicas: "3" }`), [
    'c.conf:2:20: invalid value for "stream_replicas": expected an integer, got string "3"',
  ]);
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, consumer_memory_storage: 1 }`), [
    'c.conf:2:20: invalid value for "consumer_memory_storage": expected a boolean, got integer 1',
  ]);
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, consumer_auto_cleanup: "1 hour" }`), [
    'c.conf:2:20: error parsing consumer_inactive_threshold: time: unknown unit " hour" in duration "1 hour"',
  ]);
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, api_timeout: "x" }`), ['c.conf:2:20: error parsing js_api_timeout: time: invalid duration "x"']);
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, js_domain: 5 }`), ['c.conf:2:20: invalid value for "js_domain": expected a string, got integer 5']);
});

test('mqtt: unknown keys and a block that is not a map are errors; helper variables are not', () => {
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, bogus: 1 }`), ['c.conf:2:20: unknown field "bogus"']);
  assert.deepEqual(problemsOf(`${JS}mqtt: 1883`), ['c.conf:2:1: Expected mqtt to be a map, got integer']);
  assert.deepEqual(problemsOf(`${JS}mqtt: [1883]`), ['c.conf:2:1: Expected mqtt to be a map, got []interface {}']);
  assert.equal(mqttOf('mqtt { P: 1890, port: $P }')?.port, 1890);
});

test('mqtt: server_name is not required (nats-server 2.10.4+ asks for it only with cluster or gateway)', () => {
  const { layer } = load(`${JS}mqtt { port: 1883 }`);
  assert.equal(layer.serverName, undefined);
  assert.equal(layer.mqtt?.port, 1883);
});

test('mqtt: its no_auth_user must name a configured user (nats-server validateNoAuthUser texts)', () => {
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, no_auth_user: ghost }`), ['c.conf:2:1: no_auth_user: "ghost" present, but users are not defined']);
  assert.deepEqual(problemsOf(`${JS}authorization { users: [ { user: a, password: p } ] }\nmqtt { port: 1883, no_auth_user: ghost }`), [
    'c.conf:3:1: no_auth_user: "ghost" not present as user in authorization block or account configuration',
  ]);
  const accountUser = load(`${JS}accounts { A { users: [ { user: dev, password: p } ] } }\nmqtt { port: 1883, no_auth_user: dev }`);
  assert.equal(accountUser.layer.mqtt?.noAuthUser, 'dev');
});

test('mqtt: its own username or token cannot sit beside users or nkeys (nats-server validateMQTTOptions texts)', () => {
  const nkey = 'UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4';
  const contexts = [
    'authorization { users: [ { user: a, password: p } ] }',
    `authorization { users: [ { nkey: ${nkey} } ] }`,
    'accounts { A { users: [ { user: a, password: p } ] } }',
    `accounts { A { users: [ { nkey: ${nkey} } ] } }`,
  ];
  for (const context of contexts) {
    assert.deepEqual(problemsOf(`${JS}${context}\nmqtt { port: 1883, authorization { user: u, password: p } }`), [
      'c.conf:3:1: mqtt authentication username not compatible with presence of users/nkeys',
    ], context);
    assert.deepEqual(problemsOf(`${JS}${context}\nmqtt { port: 1883, authorization { token: t } }`), [
      'c.conf:3:1: mqtt authentication token not compatible with presence of users/nkeys',
    ], context);
  }
  assert.equal(load(`${JS}authorization { user: a, password: p }\nmqtt { port: 1883, authorization { user: u, password: q } }`).layer.mqtt?.auth?.user, 'u');
  assert.equal(load(`${JS}authorization { token: top }\nmqtt { port: 1883, authorization { token: t } }`).layer.mqtt?.auth?.token, 't');
});

test('mqtt: bridges, as the README shows them, in a whole file', () => {
  const text = `${JS}mqtt {
  port: 1883
  bridges: [
    {
      name: cloud                          # a comment
      url: "mqtts://broker.example:8883"
      account: SENSORS
      client_id: "edge-1.cloud"
      username: u, password: p
      tls { ca_file: "/etc/ca.pem", cert_file: "/etc/c.pem", key_file: "/etc/k.pem", insecure: true, server_name: "broker", timeout: "4s" }
      clean: false
      keepalive: "60s"
      protocol_version: 5
      in: [ { remote: "sensors/#", local: "edge.sensors.>", qos: 1 } ]
      out: [ { local: "cmd.>", remote: "cmd/#", qos: 1, retain: false } ]
      max_bytes: "64MB"
      max_age: "24h"
      max_inflight: 256
      reconnect_delay: "1s"
      max_reconnect_delay: "30s"
    }
  ]
}`;
  const { layer, warnings } = load(text);
  assert.deepEqual(warnings, []);
  assert.deepEqual(layer.mqtt, {
    ...DEFAULTS,
    bridges: [
      {
        name: 'cloud',
        url: 'mqtts://broker.example:8883',
        account: 'SENSORS',
        clientId: 'edge-1.cloud',
        username: 'u',
        password: 'p',
        tls: { caFile: '/etc/ca.pem', certFile: '/etc/c.pem', keyFile: '/etc/k.pem', insecure: true, serverName: 'broker', timeoutMs: 4000 },
        clean: false,
        keepaliveSeconds: 60,
        protocolVersion: 5,
        in: [{ remote: 'sensors/#', local: 'edge.sensors.>', qos: 1 }],
        out: [{ local: 'cmd.>', remote: 'cmd/#', qos: 1, retain: false }],
        maxBytes: 64 * 1024 * 1024,
        maxAgeMs: 24 * 3600 * 1000,
        maxInflight: 256,
        reconnectDelayMs: 1000,
        maxReconnectDelayMs: 30_000,
      },
    ],
  });
  assert.deepEqual(mergeOptions(layer).mqtt, layer.mqtt);
});

test('mqtt: bridges need MQTT on; an empty list does not', () => {
  const bridge = 'bridges: [ { name: a, url: "mqtt://h", in: { remote: "x" } } ]';
  const off = 'c.conf:2:17: mqtt bridges need the mqtt block on: port 0 turns MQTT off';
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 0, ${bridge} }`), [off]);
  assert.deepEqual(problemsOf(`${JS}mqtt { ${bridge.replace('bridges', 'Bridges')}, port: 0 }`), ['c.conf:2:8: mqtt bridges need the mqtt block on: port 0 turns MQTT off']);
  assert.deepEqual(problemsOf(`${JS}mqtt { host: h, ${bridge} }`), ['c.conf:2:17: mqtt bridges need the mqtt block on: port 0 turns MQTT off']);
  assert.equal(load('mqtt { port: 0, bridges: [] }').layer.mqtt, undefined);
  assert.deepEqual(mqttOf('mqtt { port: 1883, bridges: [] }'), DEFAULTS);
});

test('mqtt: a reload cannot change the MQTT listener or its settings', () => {
  const before = mergeOptions(load(`${JS}mqtt { port: 1883 }`).layer);
  for (const block of ['mqtt { port: 1884 }', 'mqtt { port: 1883, ack_wait: "10s" }', 'mqtt { port: 1883, max_ack_pending: 10 }', 'mqtt { port: 0 }', 'mqtt { port: 1883, bridges: [ { name: a, url: "mqtt://h", in: { remote: "x" } } ] }']) {
    const after = mergeOptions(load(`${JS}${block}`).layer);
    assert.deepEqual(diffOptions(before, after), { changed: ['mqtt'], refused: ['mqtt'], refusal: 'config reload not supported for mqtt' }, block);
  }
  const same = mergeOptions(load(`${JS}mqtt { port: 1883, js_domain: hub }`).layer);
  assert.deepEqual(diffOptions(before, same), { changed: [], refused: [] }, 'an ignored key changes nothing');
});

test('mqtt: max_keepalive (mosquitto\'s setting) in seconds, 0 for none, beyond 65535 refused', () => {
  assert.equal(mqttOf('mqtt { port: 1883, max_keepalive: 60 }')?.maxKeepaliveSeconds, 60);
  assert.equal(mqttOf('mqtt { port: 1883 }')?.maxKeepaliveSeconds, 0);
  assert.deepEqual(problemsOf(`${JS}mqtt { port: 1883, max_keepalive: 70000 }`), ['c.conf:2:20: max_keepalive must be 0 to 65535 seconds, not 70000']);
});
