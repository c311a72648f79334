// Configured limits on the wire: max_subscriptions and max_sub_tokens (connection stays open),
// max_payload and max_control_line at their boundaries (connection closes).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RawClient } from '../../helpers/raw-client.js';
import { Bystander, assertClosedWith, assertOpenAfter, connected, leafgateForFile } from './harness.js';

const server = leafgateForFile(`
max_payload: 100
max_control_line: 64
max_subscriptions: 2
max_sub_tokens: 3
`);

test('INFO advertises max_payload from the config', async () => {
  const { client, info } = await RawClient.open(server().port);
  assert.equal(info.max_payload, 100);
  client.close();
});

test('maximum subscriptions exceeded: sub refused, connection open, room again after UNSUB', async () => {
  const by = await Bystander.start(server().port);
  const c = await connected(server().port);
  c.send('SUB a 1\r\nSUB b 2\r\nSUB c 3\r\nPUB c 1\r\nx\r\n');
  await assertOpenAfter(c, "-ERR 'maximum subscriptions exceeded'\r\n");
  c.send('UNSUB 1\r\nSUB c 3\r\nPUB c 1\r\nx\r\n');
  await assertOpenAfter(c, 'MSG c 3 1\r\nx\r\n');
  await by.check();
  c.close();
  by.close();
});

test('max_sub_tokens: too many tokens is a subscription permissions violation; connection open', async () => {
  const c = await connected(server().port);
  c.send('SUB a.b.c 1\r\nSUB a.b.c.d 2\r\nPUB a.b.c 1\r\nx\r\n');
  await assertOpenAfter(c, '-ERR \'Permissions Violation for Subscription to "a.b.c.d", too many tokens\'\r\nMSG a.b.c 1 1\r\nx\r\n');
  c.close();
});

test('payload of exactly max_payload passes; one more byte is a Maximum Payload Violation and closes', async () => {
  const by = await Bystander.start(server().port);
  const c = await connected(server().port);
  c.send(`SUB p 1\r\nPUB p 100\r\n${'x'.repeat(100)}\r\n`);
  await assertOpenAfter(c, `MSG p 1 100\r\n${'x'.repeat(100)}\r\n`);
  c.send('PUB p 101\r\n');
  await assertClosedWith(c, "-ERR 'Maximum Payload Violation'\r\n", by);
  by.close();
});

test('control line arguments of exactly max_control_line pass; one more byte closes', async () => {
  const by = await Bystander.start(server().port);
  const c = await connected(server().port);
  const subject = (argsLen: number): string => 's'.repeat(argsLen - 2);
  c.send(`SUB ${subject(64)} 1\r\n`);
  await assertOpenAfter(c, '');
  c.send(`SUB ${subject(65)} 2\r\n`);
  await assertClosedWith(c, "-ERR 'maximum control line exceeded'\r\n", by);
  by.close();
});

test('blanks between the op name and the arguments do not count toward max_control_line', async () => {
  const c = await connected(server().port);
  c.send(`SUB    ${'s'.repeat(62)} 1\r\nPUB\t\t${'s'.repeat(62)} 0\r\n\r\n`);
  await assertOpenAfter(c, `MSG ${'s'.repeat(62)} 1 0\r\n\r\n`);
  c.close();
});
