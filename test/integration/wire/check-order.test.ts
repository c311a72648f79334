// Which check answers first when one operation breaks two rules (nats-server 2.9.10's order).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RawClient } from '../../helpers/raw-client.js';
import { startInProcess } from '../../helpers/in-process.js';

test('a SUB reusing a sid is still held to max_subscriptions', async (t) => {
  const srv = await startInProcess({ maxSubscriptions: 1 });
  t.after(() => srv.stop());
  const { client } = await RawClient.open(srv.port, '{}');
  assert.equal(await client.readLine(), '+OK');
  client.send('SUB foo 1\r\nSUB foo 1\r\n');
  assert.equal(await client.sync(), "+OK\r\n-ERR 'maximum subscriptions exceeded'\r\n");
  client.close();
});

test('a publish to a denied subject with a reserved reply is refused for its subject', async (t) => {
  const srv = await startInProcess({
    auth: { users: [{ user: 'u', password: 'p', account: '$G', permissions: { publish: { deny: ['secret'] } } }] },
  });
  t.after(() => srv.stop());
  const { client } = await RawClient.open(srv.port, '{"verbose":false,"user":"u","pass":"p"}');
  client.send('PUB secret _R_.x 1\r\nx\r\n');
  assert.equal(await client.sync(), `-ERR 'Permissions Violation for Publish to "secret"'\r\n`);
  client.send('PUB open _R_.x 1\r\nx\r\n');
  assert.equal(await client.sync(), `-ERR 'Permissions Violation for Publish with Reply of "_R_.x"'\r\n`);
  client.close();
});
