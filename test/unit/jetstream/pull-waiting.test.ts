// The waiting pull requests of a consumer: a request that expired before its timer fired must still
// end with a 408 when a message finds it, or a puller waiting for its end waits forever.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { InternalClient } from '../../../src/core/index.js';
import { WaitQueue, WaitingRequest } from '../../../src/jetstream/pull-waiting.js';

test('a message that finds an expired request ends it with a 408 and goes to the next one', () => {
  const statuses: [string, string][] = [];
  const client = { hasSubscribers: () => true } as unknown as InternalClient;
  const waiting = new WaitQueue(client, (reply, text) => statuses.push([reply, text]), () => '');
  const now = Date.now();
  waiting.add(new WaitingRequest('expired', 10, 0, false, now - 1, 0, now - 1001));
  waiting.add(new WaitingRequest('live', 10, 0, false, now + 60_000, 0, now));
  assert.equal(waiting.next(100)?.reply, 'live');
  assert.deepEqual(statuses.map(([reply, text]) => [reply, text.split('\r\n')[0]]), [['expired', 'NATS/1.0 408 Request Timeout']]);
  assert.equal(waiting.length, 1);
});

test('a request whose requester went away is dropped without a word', () => {
  const statuses: string[] = [];
  const client = { hasSubscribers: () => false } as unknown as InternalClient;
  const waiting = new WaitQueue(client, (reply) => statuses.push(reply), () => '');
  waiting.add(new WaitingRequest('gone', 10, 0, false, Date.now() + 60_000, 0, Date.now()));
  assert.equal(waiting.next(100), null);
  assert.deepEqual(statuses, []);
});
