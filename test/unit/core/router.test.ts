import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Router } from '../../../src/core/index.js';
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
