// The mqtt block's `bridges` list (leafgate's own): defaults, aliases, a full example, and one
// message for each mistake, naming the bridge.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ConfigError } from '../../../src/config/index.js';
import type { MqttBridgeConfig } from '../../../src/config/index.js';
import { parseConfigText } from '../../../src/config/reader.js';

const JS = 'jetstream { store_dir: "/var/lib/leafgate" }\n';

function bridgesOf(list: string): readonly MqttBridgeConfig[] {
  return parseConfigText(`${JS}mqtt { port: 1883, bridges: ${list} }`, 'c.conf', { env: {} }).layer.mqtt?.bridges ?? [];
}

function problemsOf(list: string, port = 1883): string[] {
  try {
    parseConfigText(`${JS}mqtt { port: ${port}, bridges: ${list} }`, 'c.conf', { env: {} });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => p.replace(/^c\.conf:\d+:\d+: /, ''));
    throw err;
  }
  assert.fail(`expected a config error for ${list}`);
}

test('bridges: a minimal bridge gets the defaults', () => {
  assert.deepEqual(bridgesOf('[ { name: up, url: "mqtt://broker:1883", out: { local: "a.>" } } ]'), [
    {
      name: 'up',
      url: 'mqtt://broker:1883',
      clean: false,
      keepaliveSeconds: 60,
      protocolVersion: 5,
      in: [],
      out: [{ local: 'a.>', qos: 1, retain: false }],
      maxBytes: 64 * 1024 * 1024,
      maxAgeMs: 0,
      maxInflight: 256,
      reconnectDelayMs: 1000,
      maxReconnectDelayMs: 30_000,
    },
  ]);
});

test('bridges: every key, with its forms', () => {
  const [b] = bridgesOf(`[ {
    name: cloud, url: "ssl://broker.example:8883", account: SENSORS, client_id: "edge-1.cloud"
    user: u, password: p, clean: true, keepalive: "30s", protocol_version: "3.1.1"
    tls { ca_file: "ca.pem", cert_file: "c.pem", key_file: "k.pem", insecure: true, server_name: "broker", timeout: 3 }
    in: [ { remote: "sensors/#", local: "edge.sensors.>", qos: 0 }, { remote: "cmd/+" } ]
    out: [ { local: "cmd.>", remote: "cmd/#", qos: 1, retain: true } ]
    max_bytes: 1MB, max_age: "24h", max_inflight: 20, reconnect_delay: "100ms", max_reconnect_delay: "5s"
  } ]`);
  assert.deepEqual(b, {
    name: 'cloud',
    url: 'mqtts://broker.example:8883',
    account: 'SENSORS',
    clientId: 'edge-1.cloud',
    username: 'u',
    password: 'p',
    tls: { caFile: 'ca.pem', certFile: 'c.pem', keyFile: 'k.pem', serverName: 'broker', insecure: true, timeoutMs: 3000 },
    clean: true,
    keepaliveSeconds: 30,
    protocolVersion: 4,
    in: [
      { remote: 'sensors/#', local: 'edge.sensors.>', qos: 0 },
      { remote: 'cmd/+', qos: 1 },
    ],
    out: [{ local: 'cmd.>', remote: 'cmd/#', qos: 1, retain: true }],
    maxBytes: 1024 * 1024,
    maxAgeMs: 24 * 3600 * 1000,
    maxInflight: 20,
    reconnectDelayMs: 100,
    maxReconnectDelayMs: 5000,
  });
});

test('bridges: url schemes and their aliases', () => {
  const urls: Array<[string, string]> = [
    ['mqtt://h', 'mqtt://h'],
    ['tcp://h', 'mqtt://h'],
    ['mqtts://h:8883', 'mqtts://h:8883'],
    ['ssl://h', 'mqtts://h'],
    ['tls://h:8884', 'mqtts://h:8884'],
    ['ws://h:8080/mqtt', 'ws://h:8080/mqtt'],
    ['wss://h/path', 'wss://h/path'],
  ];
  for (const [given, stored] of urls) assert.equal(bridgesOf(`[ { name: a, url: "${given}", in: { remote: "x" } } ]`)[0].url, stored, given);
});

test('bridges: the other forms a key takes', () => {
  const one = (keys: string): MqttBridgeConfig => bridgesOf(`[ { name: a, url: "mqtts://h", in: { remote: "x" }, ${keys} } ]`)[0];
  assert.equal(one('keepalive: 0').keepaliveSeconds, 0);
  assert.equal(one('keepalive: 90').keepaliveSeconds, 90);
  assert.equal(one('keepalive: "2m"').keepaliveSeconds, 120);
  assert.equal(one('protocol_version: 4').protocolVersion, 4);
  assert.equal(one('protocol_version: 5').protocolVersion, 5);
  assert.equal(one('protocol_version: "5"').protocolVersion, 5);
  assert.equal(one('protocol_version: "5.0"').protocolVersion, 5);
  assert.equal(one('protocol_version: "3.1.1"').protocolVersion, 4);
  // Quoted, every suffix is a power of 1024; unquoted, the lexer's (64M = 64 * 10^6, 64MB = 64 * 2^20).
  assert.equal(one('max_bytes: 1000').maxBytes, 1000);
  assert.equal(one('max_bytes: 64M').maxBytes, 64_000_000);
  assert.equal(one('max_bytes: 64MB').maxBytes, 64 * 1024 ** 2);
  assert.equal(one('max_bytes: "64MB"').maxBytes, 64 * 1024 ** 2);
  assert.equal(one('max_bytes: "64M"').maxBytes, 64 * 1024 ** 2);
  assert.equal(one('max_bytes: "64 MiB"').maxBytes, 64 * 1024 ** 2);
  assert.equal(one('max_bytes: "512kb"').maxBytes, 512 * 1024);
  assert.equal(one('max_bytes: "2G"').maxBytes, 2 * 1024 ** 3);
  assert.equal(one('max_bytes: "1TB"').maxBytes, 1024 ** 4);
  assert.equal(one('max_bytes: "100B"').maxBytes, 100);
  assert.equal(one('max_bytes: "100"').maxBytes, 100);
  assert.deepEqual(one('tls {}').tls, { insecure: false, timeoutMs: 2000 });
  assert.equal(one('tls { timeout: 0 }').tls?.timeoutMs, 2000);
  assert.equal(one('tls { timeout: 0.5 }').tls?.timeoutMs, 500);
  assert.equal(one('tls { timeout: "5s" }').tls?.timeoutMs, 5000);
  // MQTT 5 allows a password without a user name.
  const b = one('password: p');
  assert.equal(b.password, 'p');
  assert.equal(b.username, undefined);
  assert.deepEqual(one('username: u').username, 'u');
  // Rules: one map or a list of them, with in rules only, out rules only, or both.
  assert.deepEqual(one('out: [ { local: "a" }, { local: "b.*", remote: "b/+", qos: 0 } ]').out, [
    { local: 'a', qos: 1, retain: false },
    { local: 'b.*', remote: 'b/+', qos: 0, retain: false },
  ]);
  assert.deepEqual(bridgesOf('[ { name: a, url: "mqtt://h", in: [], out: { local: "x" } } ]')[0].in, []);
});

test('bridges: none, or several', () => {
  assert.deepEqual(bridgesOf('[]'), []);
  assert.deepEqual(
    bridgesOf('[ { name: a, url: "mqtt://h", in: { remote: "x" } }, { name: b-2_c, url: "mqtt://h", in: { remote: "x" } } ]').map((b) => b.name),
    ['a', 'b-2_c'],
  );
});

test('bridges: each mistake is named, with the bridge', () => {
  const cases: Array<[string, string]> = [
    ['[ { url: "mqtt://h", in: { remote: "x" } } ]', 'mqtt bridge: name is required'],
    ['[ { name: "a b", url: "mqtt://h", in: { remote: "x" } } ]', 'mqtt bridge "a b": a name is letters, digits, _ and -'],
    ['[ { name: a, in: { remote: "x" } } ]', 'mqtt bridge "a": url is required'],
    ['[ { name: a, url: "http://h", in: { remote: "x" } } ]', 'mqtt bridge "a": url scheme "http" is not one of mqtt, mqtts, ws, wss'],
    ['[ { name: a, url: "not a url", in: { remote: "x" } } ]', 'mqtt bridge "a": url "not a url" is not a URL'],
    ['[ { name: a, url: "mqtt://h" } ]', 'mqtt bridge "a": no in or out rules: nothing to bridge'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x", qos: 2 } } ]', 'mqtt bridge "a": qos 2 is not supported, use 0 or 1'],
    ['[ { name: a, url: "mqtt://h", out: { local: "x", qos: 3 } } ]', 'mqtt bridge "a": qos must be 0 or 1, not 3'],
    ['[ { name: a, url: "mqtt://h", in: { local: "x" } } ]', 'mqtt bridge "a": an in rule needs remote (a topic filter there)'],
    ['[ { name: a, url: "mqtt://h", out: { remote: "x" } } ]', 'mqtt bridge "a": an out rule needs local (a subject here)'],
    ['[ { name: a, url: "mqtt://h", out: { local: "x y" } } ]', 'mqtt bridge "a": local "x y" is empty or has spaces'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, protocol_version: 3 } ]', 'mqtt bridge "a": protocol_version must be 4 (3.1.1) or 5, not 3'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, keepalive: 70000 } ]', 'mqtt bridge "a": keepalive must be 0 to 65535 whole seconds'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, keepalive: -1 } ]', 'mqtt bridge "a": keepalive must be 0 to 65535 whole seconds'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, keepalive: "400ms" } ]', 'mqtt bridge "a": keepalive must be 0 to 65535 whole seconds'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, keepalive: "soon" } ]', 'mqtt bridge "a": keepalive: time: invalid duration "soon"'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, max_bytes: 0 } ]', 'mqtt bridge "a": max_bytes must be more than 0'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, max_inflight: 0 } ]', 'mqtt bridge "a": max_inflight must be 1 to 65535'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, max_age: "1 day" } ]', 'mqtt bridge "a": max_age: time: unknown unit " day" in duration "1 day"'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, max_age: "-1h" } ]', 'mqtt bridge "a": max_age must not be negative'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, max_age: 60 } ]', 'invalid value for "max_age": expected a duration string such as "30s", got integer 60'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, max_bytes: "64XB" } ]', 'mqtt bridge "a": max_bytes "64XB" is not a size such as "64MB"'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, max_bytes: "9999999T" } ]', 'mqtt bridge "a": max_bytes "9999999T" is not a size such as "64MB"'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, max_bytes: "" } ]', 'mqtt bridge "a": max_bytes "" is not a size such as "64MB"'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, max_bytes: true } ]', 'invalid value for "max_bytes": expected a size such as "64MB", got boolean true'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, max_inflight: 65536 } ]', 'mqtt bridge "a": max_inflight must be 1 to 65535'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, reconnect_delay: "-1s" } ]', 'mqtt bridge "a": reconnect_delay must be more than 0'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, reconnect_delay: "0s" } ]', 'mqtt bridge "a": reconnect_delay must be more than 0'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, reconnect_delay: "5s", max_reconnect_delay: "1s" } ]', 'mqtt bridge "a": max_reconnect_delay must be at least reconnect_delay'],
    ['[ { name: a, url: "mqtts://h", in: { remote: "x" }, tls { cert_file: "c.pem" } } ]', 'mqtt bridge "a": tls needs cert_file and key_file together, or neither'],
    ['[ { name: a, url: "mqtts://h", in: { remote: "x" }, tls { key_file: "k.pem" } } ]', 'mqtt bridge "a": tls needs cert_file and key_file together, or neither'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, tls { insecure: true } } ]', 'mqtt bridge "a": tls is set but the url is not mqtts:// or wss://'],
    ['[ { name: a, url: "wss://h", in: { remote: "x" }, tls { timeout: -1 } } ]', 'mqtt bridge "a": tls timeout must not be negative'],
    ['[ { name: a, url: "wss://h", in: { remote: "x" }, tls { verify: true } } ]', 'unknown field "verify"'],
    ['[ { name: a, url: "wss://h", in: { remote: "x" }, tls: true } ]', 'invalid value for "tls": expected a map, got boolean true'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, colour: red } ]', 'unknown field "colour"'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x", retain: true } } ]', 'unknown field "retain"'],
    ['[ { name: a, url: "mqtt://h", in: "x" } ]', 'invalid value for "in": expected a map for each rule, got string "x"'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "" } } ]', 'mqtt bridge "a": remote "" is empty or has spaces'],
    ['[ { name: a, url: "mqtt://h", out: { local: "x", retain: 1 } } ]', 'invalid value for "retain": expected a boolean, got integer 1'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, clean: "no" } ]', 'invalid value for "clean": expected a boolean, got string "no"'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" }, protocol_version: "3.1" } ]', 'mqtt bridge "a": protocol_version must be 4 (3.1.1) or 5, not "3.1"'],
    ['[ { name: a, url: "mqtt://", in: { remote: "x" } } ]', 'mqtt bridge "a": url has no host'],
    ['[ { name: 7, url: "mqtt://h", in: { remote: "x" } } ]', 'invalid value for "name": expected a string, got integer 7'],
    ['[ "cloud" ]', 'invalid value for "bridges": expected a map for each bridge, got string "cloud"'],
    ['[ { name: a, url: "mqtt://h", in: { remote: "x" } }, { name: a, url: "mqtt://h", in: { remote: "y" } } ]', 'mqtt bridge "a": duplicate name'],
  ];
  for (const [list, message] of cases) assert.deepEqual(problemsOf(list), [message], list);
});

test('bridges: a missing url or rules are reported beside the other mistakes, a wrong one only once', () => {
  assert.deepEqual(problemsOf('[ { name: a, in: { remote: "x", qos: 2 } } ]'), ['mqtt bridge "a": qos 2 is not supported, use 0 or 1', 'mqtt bridge "a": url is required']);
  assert.deepEqual(problemsOf('[ { name: a, max_inflight: 0 } ]'), [
    'mqtt bridge "a": max_inflight must be 1 to 65535',
    'mqtt bridge "a": url is required',
    'mqtt bridge "a": no in or out rules: nothing to bridge',
  ]);
  assert.deepEqual(problemsOf('[ { name: a, url: "ftp://h", out: { remote: "x" } } ]'), [
    'mqtt bridge "a": url scheme "ftp" is not one of mqtt, mqtts, ws, wss',
    'mqtt bridge "a": an out rule needs local (a subject here)',
  ]);
  assert.deepEqual(problemsOf('[ { name: a, url: "mqtt://h", in: [] } ]'), ['mqtt bridge "a": no in or out rules: nothing to bridge']);
});

test('bridges: each bridge is checked on its own', () => {
  assert.deepEqual(problemsOf('[ { name: a, url: "mqtt://h", in: { remote: "x" }, max_bytes: -1 }, { name: b, url: "mqtt://h", in: { remote: "x", qos: 2 } } ]'), [
    'mqtt bridge "a": max_bytes must be more than 0',
    'mqtt bridge "b": qos 2 is not supported, use 0 or 1',
  ]);
});

test('bridges: with port 0 MQTT is off, and bridges are refused rather than dropped', () => {
  assert.deepEqual(problemsOf('[ { name: a, url: "mqtt://h", in: { remote: "x" } } ]', 0), ['mqtt bridges need the mqtt block on: port 0 turns MQTT off']);
});
