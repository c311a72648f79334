// Pull request bodies as nats-server 2.9.10 reads them (consumer.go nextReqFromMsg).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parsePullRequest } from '../../../src/jetstream/pull-request.js';

const cases: Array<[name: string, body: string, want: ReturnType<typeof parsePullRequest>]> = [
  ['empty: one message', '', { batch: 1, expires: 0n, maxBytes: 0, noWait: false, idleHeartbeat: 0n }],
  ['a number: a batch', ' 25 ', { batch: 25, expires: 0n, maxBytes: 0, noWait: false, idleHeartbeat: 0n }],
  ['anything else: one message', 'more please', { batch: 1, expires: 0n, maxBytes: 0, noWait: false, idleHeartbeat: 0n }],
  [
    'the JSON form',
    '{"batch":10,"expires":30000000000,"max_bytes":1024,"no_wait":true,"idle_heartbeat":5000000000}',
    { batch: 10, expires: 30_000_000_000n, maxBytes: 1024, noWait: true, idleHeartbeat: 5_000_000_000n },
  ],
  ['a heartbeat over half the expiry', '{"batch":1,"expires":1000000000,"idle_heartbeat":600000000}', 'heartbeat value too large'],
  ['a heartbeat without expiry', '{"batch":1,"idle_heartbeat":600000000}', 'heartbeat value too large'],
];

for (const [name, body, want] of cases) {
  test(`pull request: ${name}`, () => {
    assert.deepEqual(parsePullRequest(Buffer.from(body)), want);
  });
}

test('pull request: malformed JSON is a reason for a 400', () => {
  assert.equal(typeof parsePullRequest(Buffer.from('{"batch":"x"}')), 'string');
  assert.equal(typeof parsePullRequest(Buffer.from('{"batch":')), 'string');
});
