// The uplink block (leafgate's own) and its checks against the rest of the configuration.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { mergeOptions } from '../../../src/config/index.js';
import { parseConfigText } from '../../../src/config/reader.js';
import { problemsOf } from './problems.js';

const REMOTE = 'jetstream {}\nleafnodes { remotes: [ { url: "nats-leaf://hub" } ] }\n';

test('uplink: read with its defaults', () => {
  const opts = mergeOptions(parseConfigText(`${REMOTE}uplink { subjects: ["telemetry.>", "events.*"], stream: EDGE, domain: hub, max_bytes: "2GB", max_age: "24h", max_inflight: 64 }`, 'c.conf', { env: {} }).layer);
  assert.deepEqual(opts.uplink, { name: '', subjects: ['telemetry.>', 'events.*'], stream: 'EDGE', domain: 'hub', maxBytes: 2 * 1024 ** 3, maxAgeMs: 86_400_000, maxMsgs: -1, maxInflight: 64 });
});

test('uplink: what it needs, and what would loop', () => {
  assert.deepEqual(problemsOf(`${REMOTE}uplink { stream: EDGE }`), ['c.conf:3:1: uplink: needs subjects, the local subjects to forward', "c.conf:3:1: uplink: needs domain, the hub's JetStream domain"]);
  assert.deepEqual(problemsOf('leafnodes { remotes: [ { url: "nats-leaf://hub" } ] }\nuplink { subjects: [a], stream: S, domain: hub, name: e }'), [
    'c.conf:2:1: uplink keeps its backlog in a local stream: it needs JetStream (-js or a jetstream block)',
  ]);
  assert.deepEqual(problemsOf('jetstream {}\nuplink { subjects: [a], stream: S, domain: hub, name: e }'), ['c.conf:2:1: uplink forwards over a leafnode remote of account "$G", and none is configured']);
  assert.deepEqual(problemsOf(`${REMOTE}uplink { subjects: [">"], stream: S, domain: hub, name: e }`), ['c.conf:3:1: uplink prefix "e." puts ">" back under the captured subjects']);
  assert.deepEqual(problemsOf(`${REMOTE}uplink { subjects: [a], stream: S, domain: hub, prefix: "x" }`), ['c.conf:3:1: uplink: prefix "x" must end with a dot']);
});
