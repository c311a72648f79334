// Authentication through the official client: token, single user (plain and bcrypt), users list,
// wrong credentials, and the CONNECT deadline.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import bcrypt from 'bcryptjs';
import { AuthorizationError } from '@nats-io/transport-node';
import type { ConnectionOptions, NatsConnection } from '@nats-io/transport-node';
import { RawClient } from '../../helpers/raw-client.js';
import { serverWithClients } from '../../helpers/nats-client.js';
import type { ClientHarness } from '../../helpers/nats-client.js';

/** Connecting must fail with the client's AuthorizationError. */
async function refused(h: ClientHarness, opts: ConnectionOptions): Promise<void> {
  await assert.rejects(h.client(opts), (err: unknown) => {
    assert.ok(err instanceof AuthorizationError, `expected AuthorizationError, got ${String(err)}`);
    return true;
  });
}

/** The connection works: a message goes round trip through the server. */
async function works(nc: NatsConnection): Promise<void> {
  const sub = nc.subscribe('auth.check', { max: 1 });
  nc.publish('auth.check', 'ok');
  for await (const m of sub) assert.equal(m.string(), 'ok');
  assert.equal(sub.getReceived(), 1);
}

test('token: the right token connects, a wrong or missing one is refused', async (t) => {
  const h = await serverWithClients(t, { auth: { token: 's3cr3t', users: [] } });
  const nc = await h.client({ token: 's3cr3t' });
  assert.equal(nc.info?.auth_required, true);
  await works(nc);
  await refused(h, { token: 'wrong' });
  await refused(h, {});
  await refused(h, { user: 's3cr3t', pass: 's3cr3t' });
});

test('single user with a plain password', async (t) => {
  const h = await serverWithClients(t, { auth: { user: 'admin', password: 'pw', users: [] } });
  await works(await h.client({ user: 'admin', pass: 'pw' }));
  await refused(h, { user: 'admin', pass: 'PW' });
  await refused(h, { user: 'other', pass: 'pw' });
  await refused(h, {});
});

test('single user with a bcrypt password', async (t) => {
  const hash = bcrypt.hashSync('correct horse', 4);
  const h = await serverWithClients(t, { auth: { user: 'admin', password: hash, users: [] } });
  await works(await h.client({ user: 'admin', pass: 'correct horse' }));
  await refused(h, { user: 'admin', pass: hash });
  await refused(h, { user: 'admin', pass: 'correct' });
});

test('users list: each user with its own password, plain or bcrypt', async (t) => {
  const bobHash = bcrypt.hashSync('bob-pw', 4);
  const h = await serverWithClients(t, {
    auth: {
      users: [
        { user: 'alice', password: 'alice-pw', account: '$G' },
        { user: 'bob', password: bobHash, account: '$G' },
      ],
    },
  });
  const alice = await h.client({ user: 'alice', pass: 'alice-pw' });
  const bob = await h.client({ user: 'bob', pass: 'bob-pw' });
  await works(alice);
  await works(bob);

  // Same account: alice and bob see each other's messages.
  const sub = bob.subscribe('shared', { max: 1 });
  await bob.flush();
  alice.publish('shared', 'from alice');
  for await (const m of sub) assert.equal(m.string(), 'from alice');

  await refused(h, { user: 'alice', pass: 'bob-pw' });
  await refused(h, { user: 'bob', pass: bobHash });
  await refused(h, { user: 'carol', pass: 'alice-pw' });
  await refused(h, {});
});

test('a wrong password is answered with -ERR Authorization Violation and the connection is closed', async (t) => {
  const h = await serverWithClients(t, { auth: { user: 'admin', password: 'pw', users: [] } });
  const { client: raw, info } = await RawClient.open(h.srv.port, '{"verbose":false,"pedantic":false,"user":"admin","pass":"nope"}');
  t.after(() => raw.close());
  assert.equal(info.auth_required, true);
  assert.equal(await raw.waitClosed(), "-ERR 'Authorization Violation'\r\n");
});

test('with auth required, a first op other than CONNECT is an Authorization Violation', async (t) => {
  const h = await serverWithClients(t, { auth: { token: 't', users: [] } });
  const { client: raw } = await RawClient.open(h.srv.port);
  t.after(() => raw.close());
  raw.send('SUB foo 1\r\n');
  assert.equal(await raw.waitClosed(), "-ERR 'Authorization Violation'\r\n");
});

test('auth timeout: no CONNECT within authorization.timeout → -ERR Authentication Timeout and close', async (t) => {
  const h = await serverWithClients(t, { auth: { token: 't', users: [], timeoutMs: 300 } });
  const { client: raw } = await RawClient.open(h.srv.port);
  t.after(() => raw.close());
  assert.equal(await raw.waitClosed(3000), "-ERR 'Authentication Timeout'\r\n");
});

test('auth timeout does not apply once CONNECT succeeded', async (t) => {
  const h = await serverWithClients(t, { auth: { token: 't', users: [], timeoutMs: 300 } });
  const { client: raw } = await RawClient.open(h.srv.port, '{"verbose":false,"pedantic":false,"auth_token":"t"}');
  t.after(() => raw.close());
  await raw.sync();
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.equal(await raw.sync(), '');
  assert.equal(raw.closed, false);
});

test('without auth there is no CONNECT deadline', async (t) => {
  const h = await serverWithClients(t, { auth: { users: [], timeoutMs: 300 } });
  const { client: raw, info } = await RawClient.open(h.srv.port);
  t.after(() => raw.close());
  assert.equal(info.auth_required, undefined);
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.equal(await raw.sync(), '');
  assert.equal(raw.closed, false);
});
