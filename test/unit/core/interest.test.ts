// Interest events: a watch on a literal subject hears of its first and last counted subscription,
// however subscriptions come and go. No sockets.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ConnectionKind } from '../../../src/core/index.js';
import type { InterestRule, Router } from '../../../src/core/index.js';
import { memoryClient, testRouter } from './socketless.js';

const PLAIN: InterestRule = { queue: null, exact: true };
const COVERING: InterestRule = { queue: null, exact: false };

/** A watch on `subject` recording every change it is told. */
function watch(router: Router, subject: string, rule: InterestRule): { changes: boolean[]; stop(): void; interested(): boolean } {
  const changes: boolean[] = [];
  const w = router.globalAccount().watchInterest(subject, rule, (on) => changes.push(on));
  return { changes, stop: () => w.stop(), interested: () => w.interested };
}

test('SUB and UNSUB of the exact subject: told on the first subscriber and after the last, not in between', async (t) => {
  const router = testRouter(t);
  const w = watch(router, 'deliver.a', PLAIN);
  assert.equal(w.interested(), false);
  const a = await memoryClient(router);
  const b = await memoryClient(router);
  a.send('SUB deliver.a 1\r\n');
  b.send('SUB deliver.a 1\r\nSUB deliver.b 2\r\n');
  assert.deepEqual(w.changes, [true]);
  assert.equal(w.interested(), true);
  a.send('UNSUB 1\r\n');
  assert.deepEqual(w.changes, [true], 'one subscriber is left');
  b.send('UNSUB 1\r\n');
  assert.deepEqual(w.changes, [true, false]);
  assert.equal(w.interested(), false);
  b.send('SUB deliver.a 3\r\n');
  assert.deepEqual(w.changes, [true, false, true]);
});

test('a watch started while a subscriber exists begins interested', async (t) => {
  const router = testRouter(t);
  const a = await memoryClient(router);
  a.send('SUB deliver.a 1\r\n');
  const w = watch(router, 'deliver.a', PLAIN);
  assert.equal(w.interested(), true);
  a.send('UNSUB 1\r\n');
  assert.deepEqual(w.changes, [false]);
});

test('wildcards count only for a covering watch; an exact watch (nats-server push consumers) ignores them', async (t) => {
  const router = testRouter(t);
  const exact = watch(router, 'deliver.a', PLAIN);
  const covering = watch(router, 'deliver.a', COVERING);
  const other = watch(router, 'other.a', COVERING);
  const a = await memoryClient(router);
  a.send('SUB deliver.* 1\r\nSUB > 2\r\n');
  assert.deepEqual(exact.changes, []);
  assert.deepEqual(covering.changes, [true]);
  assert.deepEqual(other.changes, [true], '> covers every subject');
  a.send('UNSUB 1\r\n');
  assert.deepEqual(covering.changes, [true], '> still covers it');
  a.send('UNSUB 2\r\n');
  assert.deepEqual(covering.changes, [true, false]);
  assert.deepEqual(other.changes, [true, false]);
  a.send('SUB deliver.a 3\r\n');
  assert.deepEqual(exact.changes, [true]);
  assert.deepEqual(covering.changes, [true, false, true]);
});

test('queue subscriptions count only for a watch of their group; plain ones only for a plain watch', async (t) => {
  const router = testRouter(t);
  const plain = watch(router, 'deliver.q', PLAIN);
  const group = watch(router, 'deliver.q', { queue: 'g', exact: true });
  const a = await memoryClient(router);
  a.send('SUB deliver.q other 1\r\n');
  assert.deepEqual(plain.changes, []);
  assert.deepEqual(group.changes, []);
  a.send('SUB deliver.q g 2\r\nSUB deliver.q g 3\r\n');
  assert.deepEqual(plain.changes, []);
  assert.deepEqual(group.changes, [true]);
  a.send('SUB deliver.q 4\r\n');
  assert.deepEqual(plain.changes, [true]);
  a.send('UNSUB 2\r\nUNSUB 3\r\n');
  assert.deepEqual(group.changes, [true, false]);
  assert.deepEqual(plain.changes, [true]);
});

test('an UNSUB max reached by a delivery ends the interest', async (t) => {
  const router = testRouter(t);
  const w = watch(router, 'deliver.m', PLAIN);
  const a = await memoryClient(router);
  a.send('SUB deliver.m 1\r\nUNSUB 1 2\r\n');
  a.send('PUB deliver.m 1\r\nx\r\n');
  assert.deepEqual(w.changes, [true]);
  a.send('PUB deliver.m 1\r\ny\r\n');
  assert.deepEqual(w.changes, [true, false]);
  assert.equal(router.globalAccount().sublist.size, 0);
});

test('an internal subscription with a max, reached by a delivery, ends the interest too', async (t) => {
  const router = testRouter(t);
  const w = watch(router, 'deliver.i', PLAIN);
  const ic = router.createInternalClient(ConnectionKind.System, router.globalAccount(), 'test');
  const sub = ic.subscribe('deliver.i', null, () => {});
  sub.max = 1;
  assert.deepEqual(w.changes, [true]);
  ic.publish('deliver.i', '', null, null);
  assert.deepEqual(w.changes, [true, false]);
});

test('a closed connection takes its interest with it', async (t) => {
  const router = testRouter(t);
  const w = watch(router, 'deliver.c', PLAIN);
  const a = await memoryClient(router);
  a.send('SUB deliver.c 1\r\nSUB deliver.c 2\r\n');
  assert.deepEqual(w.changes, [true]);
  a.conn.close('Client Closed');
  assert.deepEqual(w.changes, [true, false]);
});

test('a stopped watch hears nothing more; a listener may stop watches while it is being told', async (t) => {
  const router = testRouter(t);
  const account = router.globalAccount();
  const stopped = watch(router, 'deliver.s', PLAIN);
  stopped.stop();
  const told: string[] = [];
  const second = account.watchInterest('deliver.s', PLAIN, (on) => told.push(`second ${on}`));
  account.watchInterest('deliver.s', PLAIN, (on) => {
    told.push(`first ${on}`);
    second.stop();
  });
  const a = await memoryClient(router);
  a.send('SUB deliver.s 1\r\n');
  a.send('UNSUB 1\r\n');
  assert.deepEqual(stopped.changes, []);
  // The list being told when the listener stopped `second` was the one in place before.
  assert.deepEqual(told, ['second true', 'first true', 'first false']);
});
