import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Connection, Router } from '../../../src/core/index.js';
import type { CoreLog } from '../../../src/core/index.js';
import { QUIET_LOG, memoryClient, routerConfig } from './socketless.js';

test('a plain subscription removed during a delivery loop gets nothing more from that loop', async (t) => {
  // Delivery is re-entrant once a subscriber can act synchronously on a message (internal
  // subscribers will); the trace hook, called per delivery, plays that subscriber here.
  let onDelivery = (): void => {};
  const log: CoreLog = { ...QUIET_LOG, traceEnabled: true, trace: (msg) => msg.includes('->> [MSG') && onDelivery() };
  const router = new Router(routerConfig(log));
  t.after(() => router.closeAll('test over'));
  const first = await memoryClient(router);
  const second = await memoryClient(router);
  const publisher = await memoryClient(router);
  first.send('SUB foo 1\r\n');
  second.send('SUB foo 2\r\n');
  onDelivery = () => {
    onDelivery = () => {};
    first.send('UNSUB 1\r\n');
    second.send('UNSUB 2\r\n');
  };
  publisher.send('PUB foo 2\r\nhi\r\n');
  const got = [await first.received(), await second.received()];
  assert.equal(got.filter((text) => text === 'MSG foo 1 2\r\nhi\r\n' || text === 'MSG foo 2 2\r\nhi\r\n').length, 1, 'one delivery');
  assert.equal(got.join(''), got.find((text) => text !== '') ?? '', 'the other subscriber got nothing');
  assert.equal(router.stats.outMsgs, 1);
});

test('a closed connection is kept as a snapshot of plain values, not the live connection', async () => {
  const router = new Router(routerConfig());
  const c = await memoryClient(router, '{"verbose":false,"name":"gone","lang":"raw","pass":"secret"}');
  c.send('SUB foo q 1\r\nSUB bar 2\r\nUNSUB 2 3\r\nPUB bar 1\r\nx\r\n');
  c.conn.close('Client Closed');
  assert.equal(router.closedConns.length, 1);
  const kept = router.closedConns[0];
  assert.ok(!(kept instanceof Connection));
  assert.equal(kept.cid, c.conn.cid);
  assert.equal(kept.closeReason, 'Client Closed');
  assert.deepEqual(kept.opts, { name: 'gone', lang: 'raw', version: undefined, nkey: undefined, user: undefined, auth_token: undefined, jwt: undefined });
  assert.deepEqual([kept.inMsgs, kept.outMsgs, kept.subs.size], [1, 1, 2]);
  assert.deepEqual([...kept.subs.values()], [
    { subject: 'foo', queue: 'q', sid: '1', delivered: 0, max: 0 },
    { subject: 'bar', queue: null, sid: '2', delivered: 1, max: 3 },
  ]);
  for (const value of Object.values(kept)) assert.ok(!(value instanceof Connection) && !(value instanceof Buffer));
});

test('a closed token login keeps only that a token was used, never the token', async () => {
  const router = new Router(routerConfig());
  const c = await memoryClient(router, '{"verbose":false,"auth_token":"s3cret"}');
  c.conn.close('Client Closed');
  const kept = router.closedConns[0];
  assert.equal(kept.opts.auth_token, '[REDACTED]');
  assert.ok(!JSON.stringify(kept.opts).includes('s3cret'));
});
