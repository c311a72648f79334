// The leafnodes block as nats-server's parseLeafNodes reads it, and what leafgate refuses until it
// can honour it.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { mergeOptions } from '../../../src/config/index.js';
import { parseConfigText } from '../../../src/config/reader.js';
import { problemsOf } from './problems.js';

const REFUSED = 'not supported yet; refusing to start rather than run without the access control it sets';

function leafnodesOf(text: string): ReturnType<typeof mergeOptions>['leafnodes'] {
  return mergeOptions(parseConfigText(text, 'c.conf', { env: {} }).layer).leafnodes;
}

test('leafnodes: listener, authorization, reconnect and remotes', () => {
  const l = leafnodesOf(`leafnodes {
  listen: "127.0.0.1:7422"
  advertise: "edge.example.com:7422"
  authorization { user: leaf, password: s3cret, account: APP, timeout: 1.5 }
  reconnect: 3
  remotes: [
    { url: "nats-leaf://u:p@hub:7422", account: APP, hub: true, deny_imports: "a.>", deny_exports: ["b.>", "c"] }
    { urls: ["nats-leaf://a:7422", "b:7000"], no_randomize: true }
  ]
}
accounts { APP {} }`);
  assert.deepEqual(l, {
    host: '127.0.0.1',
    port: 7422,
    advertise: 'edge.example.com:7422',
    noAdvertise: false,
    auth: { user: 'leaf', password: 's3cret', account: 'APP', timeoutMs: 1500, users: [] },
    reconnectDelayMs: 3000,
    remotes: [
      { urls: ['nats-leaf://u:p@hub:7422'], account: 'APP', hub: true, noRandomize: false, denyImports: ['a.>'], denyExports: ['b.>', 'c'] },
      { urls: ['nats-leaf://a:7422', 'nats-leaf://b:7000'], hub: false, noRandomize: true, denyImports: [], denyExports: [] },
    ],
  });
  assert.equal(leafnodesOf('leaf { reconnect_delay: "250ms", remotes: [ { url: "nats-leaf://h" } ] }')?.reconnectDelayMs, 250);
  assert.equal(leafnodesOf('leafnodes { port: 0 }'), undefined, 'no listener and no remotes: off');
});

test('leafnodes: a users list, and the mistakes nats-server refuses', () => {
  const l = leafnodesOf('leafnodes { port: -1, authorization { users: [ { user: a, password: x, account: A }, { user: b, password: y } ] } }\naccounts { A {} }');
  assert.deepEqual(l?.auth?.users, [
    { user: 'a', password: 'x', account: 'A' },
    { user: 'b', password: 'y' },
  ]);
  assert.deepEqual(problemsOf('leafnodes { port: -1, authorization { user: a, users: [ { user: b, password: y } ] } }'), ['c.conf:1:23: can not have a single user/pass and a users array']);
  assert.deepEqual(problemsOf('leafnodes { remotes: [ { account: A } ] }'), ['c.conf:1:24: remote leafnode needs a url']);
  assert.deepEqual(problemsOf('leafnodes { bogus: 1 }'), ['c.conf:1:13: unknown field "bogus"']);
  assert.deepEqual(problemsOf('leafnodes { remotes: [ { url: "nats-leaf://h", account: NOPE } ] }'), ['c.conf:1:1: leafnode account "NOPE" not found']);
});

test('leafnodes: min_version is a version of at least 2.8.0', () => {
  assert.equal(leafnodesOf('leafnodes { port: -1, min_version: "2.9.0" }')?.minVersion, '2.9.0');
  assert.deepEqual(problemsOf('leafnodes { port: -1, min_version: "2.7.9" }'), ['c.conf:1:23: the minimum version should be at least 2.8.0']);
  assert.deepEqual(problemsOf('leafnodes { port: -1, min_version: "x" }'), ["c.conf:1:23: invalid leafnode's minimum version: invalid semver"]);
});

test('leafnodes: TLS on the listener and toward a remote, credentials', () => {
  const l = leafnodesOf('leafnodes {\n  port: -1\n  tls { cert_file: c, key_file: k, verify: true }\n  remotes: [ { url: "tls://h", tls: { ca_file: ca, timeout: 3 }, credentials: "x.creds" } ]\n}');
  assert.deepEqual(l?.tls, { certFile: 'c', keyFile: 'k', verify: true, timeoutMs: 2000 });
  assert.deepEqual(l?.remotes[0], { urls: ['tls://h'], hub: false, noRandomize: false, denyImports: [], denyExports: [], tls: { caFile: 'ca', insecure: false, timeoutMs: 3000 }, credentials: 'x.creds' });
});

test('leafnodes: WebSocket URLs, all or none of a remote, and a proxy', () => {
  const l = leafnodesOf('leafnodes { remotes: [ { urls: ["ws://a:8080", "wss://b"], proxy { url: "http://p:3128", username: u, password: s } } ] }');
  assert.deepEqual(l?.remotes[0]?.urls, ['ws://a:8080', 'wss://b']);
  assert.deepEqual(l?.remotes[0]?.proxy, { url: 'http://p:3128', username: 'u', password: 's' });
  assert.deepEqual(problemsOf('leafnodes { remotes: [ { urls: ["ws://a", "nats-leaf://b"] } ] }'), ['c.conf:1:24: remote leafnode URLs must all be websocket (ws://, wss://) or none']);
  assert.deepEqual(problemsOf('leafnodes { remotes: [ { url: "ws://a", proxy { url: "p:1" } } ] }'), ['c.conf:1:41: leafnodes remote proxy needs a url such as "http://proxy:3128"']);
});

test('leafnodes: certificate mapping without leaf users and unknown URL schemes are refused, a bad nkey seed is an error', () => {
  assert.deepEqual(problemsOf('leafnodes {\n  port: -1\n  tls { cert_file: c, key_file: k, verify_and_map: true }\n}'), [`c.conf:3:3: leafnodes.tls verify_and_map without leafnodes authorization users is ${REFUSED}`]);
  // Onto the block's own users it maps (in either order of the two blocks).
  assert.deepEqual(problemsOf('leafnodes {\n  port: -1\n  tls { cert_file: c, key_file: k, verify_and_map: true }\n  authorization { users: [ { user: "CN=edge" } ] }\n}'), []);
  assert.deepEqual(problemsOf('leafnodes {\n  authorization { users: [ { user: "CN=edge" } ] }\n  tls { cert_file: c, key_file: k, verify_and_map: true }\n}'), []);
  assert.deepEqual(problemsOf('leafnodes { remotes: [ { url: "nats-leaf://h", nkey: "SU..." } ] }'), ['c.conf:1:48: Remote leafnode nkey is not a valid seed: "SU..."']);
  assert.deepEqual(problemsOf('leafnodes { remotes: [ { url: "http://h" } ] }'), [`c.conf:1:31: leafnode url scheme "http" is ${REFUSED}`]);
});
