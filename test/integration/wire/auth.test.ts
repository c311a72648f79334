// Authorization on the wire: bad credentials, ops before CONNECT, the CONNECT deadline, and the
// publish/subscribe permission errors (all but the auth failures leave the connection open).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RawClient } from '../../helpers/raw-client.js';
import { Bystander, assertClosedWith, assertOpenAfter, connected, leafgateForFile } from './harness.js';

const server = leafgateForFile(`
authorization {
  timeout: 0.5
  users: [
    { user: alice, password: secret }
    {
      user: bob, password: secret
      permissions: {
        publish: { allow: ["pub.>"], deny: ["pub.secret"] }
        subscribe: { allow: ["sub.>", "jobs.>", "jobs.special workers"], deny: ["sub.secret", "jobs.denied grp"] }
      }
    }
  ]
}
`);

const as = (user: string, pass = 'secret'): string => `{"verbose":false,"pedantic":false,"user":"${user}","pass":"${pass}"}`;
const AUTH_VIOLATION = "-ERR 'Authorization Violation'\r\n";

async function bystander(): Promise<Bystander> {
  return Bystander.start(server().port, as('alice'));
}

test('INFO says auth_required', async () => {
  const { client, info } = await RawClient.open(server().port);
  assert.equal(info.auth_required, true);
  client.close();
});

test('good credentials: CONNECT answered, client works', async () => {
  const c = await connected(server().port, as('alice'));
  c.send('SUB x 1\r\nPUB x 1\r\ny\r\n');
  assert.equal(await c.sync(), 'MSG x 1 1\r\ny\r\n');
  c.close();
});

const refusedConnects: [string, string][] = [
  ['wrong password', as('alice', 'nope')],
  ['unknown user', as('mallory')],
  ['no credentials', '{"verbose":false}'],
];
for (const [name, connect] of refusedConnects) {
  test(`Authorization Violation and close: ${name}`, async () => {
    const by = await bystander();
    const { client } = await RawClient.open(server().port, connect);
    await assertClosedWith(client, AUTH_VIOLATION, by);
    by.close();
  });
}

const firstOps: [string, string][] = [
  ['PING', 'PING\r\n'],
  ['PONG', 'PONG\r\n'],
  ['SUB', 'SUB foo 1\r\n'],
  ['PUB', 'PUB foo 1\r\nx\r\n'],
  ['UNSUB', 'UNSUB 1\r\n'],
  ['INFO', 'INFO {}\r\n'],
  ['+OK', '+OK\r\n'],
  ['an unknown op', 'FOO\r\n'],
];
for (const [name, op] of firstOps) {
  test(`Authorization Violation and close: ${name} as the first op`, async () => {
    const by = await bystander();
    const { client } = await RawClient.open(server().port);
    client.send(op);
    await assertClosedWith(client, AUTH_VIOLATION, by);
    by.close();
  });
}

test('Authentication Timeout and close when CONNECT does not come in time', async () => {
  const by = await bystander();
  const { client } = await RawClient.open(server().port);
  await assertClosedWith(client, "-ERR 'Authentication Timeout'\r\n", by);
  by.close();
});

test('a client that authenticated in time is not hit by the deadline', async () => {
  const c = await connected(server().port, as('alice'));
  await new Promise((resolve) => setTimeout(resolve, 800));
  await assertOpenAfter(c, '');
  c.close();
});

test('Permissions Violation for Publish: reported, message dropped, connection open', async () => {
  const watch = await connected(server().port, as('alice'));
  watch.send('SUB > 1\r\n');
  assert.equal(await watch.sync(), '');
  const bob = await connected(server().port, as('bob'));
  bob.send('PUB pub.ok 1\r\n1\r\nPUB elsewhere 1\r\n2\r\nPUB pub.secret 1\r\n3\r\n');
  await assertOpenAfter(bob, '-ERR \'Permissions Violation for Publish to "elsewhere"\'\r\n-ERR \'Permissions Violation for Publish to "pub.secret"\'\r\n');
  assert.equal(await watch.sync(), 'MSG pub.ok 1 1\r\n1\r\n');
  watch.close();
  bob.close();
});

test('Permissions Violation for Subscription: reported, sub not created, connection open', async () => {
  const bob = await connected(server().port, as('bob'));
  bob.send('SUB elsewhere 1\r\nSUB sub.secret 2\r\nSUB sub.ok 3\r\n');
  await assertOpenAfter(bob, '-ERR \'Permissions Violation for Subscription to "elsewhere"\'\r\n-ERR \'Permissions Violation for Subscription to "sub.secret"\'\r\n');
  const alice = await connected(server().port, as('alice'));
  alice.send('PUB elsewhere 1\r\nx\r\nPUB sub.ok 1\r\ny\r\n');
  assert.equal(await alice.sync(), '');
  assert.equal(await bob.sync(), 'MSG sub.ok 3 1\r\ny\r\n');
  bob.close();
  alice.close();
});

test('Permissions Violation for a queue subscription names the queue', async () => {
  const bob = await connected(server().port, as('bob'));
  bob.send('SUB jobs.denied grp 1\r\nSUB jobs.denied other 2\r\nSUB jobs.special other 3\r\nSUB jobs.special workers 4\r\n');
  await assertOpenAfter(
    bob,
    '-ERR \'Permissions Violation for Subscription to "jobs.denied" using queue "grp"\'\r\n' + '-ERR \'Permissions Violation for Subscription to "jobs.special" using queue "other"\'\r\n',
  );
  bob.close();
});

test('subscribe deny filters deliveries to a permitted wildcard subscription', async () => {
  const bob = await connected(server().port, as('bob'));
  bob.send('SUB sub.* 1\r\n');
  assert.equal(await bob.sync(), '');
  const alice = await connected(server().port, as('alice'));
  alice.send('PUB sub.a 1\r\na\r\nPUB sub.secret 1\r\ns\r\n');
  assert.equal(await alice.sync(), '');
  assert.equal(await bob.sync(), 'MSG sub.a 1 1\r\na\r\n');
  bob.close();
  alice.close();
});
