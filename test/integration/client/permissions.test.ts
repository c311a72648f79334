// User permissions through the official client: publish/subscribe allow and deny, the client's permission
// error, deny at delivery time for wildcard subscriptions, and allow_responses.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PermissionViolationError } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import type { OptionLayer } from '../../../src/config/index.js';
import { gather, serverWithClients, waitForStatus } from '../../helpers/nats-client.js';

const USERS: OptionLayer = {
  auth: {
    users: [
      { user: 'admin', password: 'p', account: '$G' },
      {
        user: 'limited',
        password: 'p',
        account: '$G',
        permissions: {
          publish: { allow: ['orders.>', 'svc.>'], deny: ['orders.secret'] },
          subscribe: { allow: ['_INBOX.>', 'feed.>'], deny: ['feed.private'] },
        },
      },
      {
        user: 'responder',
        password: 'p',
        account: '$G',
        permissions: { subscribe: { allow: ['svc.>'] }, allowResponses: { max: 1, expiresMs: 60_000 } },
      },
    ],
  },
};

/** Resolves with the next permission error the connection reports. */
async function nextPermissionError(nc: NatsConnection): Promise<PermissionViolationError> {
  const s = await waitForStatus(nc, (st) => st.type === 'error' && st.error instanceof PermissionViolationError);
  assert.ok(s.type === 'error' && s.error instanceof PermissionViolationError);
  return s.error;
}

test('publish allow/deny: allowed subjects flow, others get the permission error and are dropped', async (t) => {
  const { client } = await serverWithClients(t, USERS);
  const admin = await client({ user: 'admin', pass: 'p' });
  const limited = await client({ user: 'limited', pass: 'p' });
  const got = gather(admin.subscribe('>'));
  await admin.flush();

  limited.publish('orders.new', 'ok');
  await limited.flush();

  const denied = nextPermissionError(limited);
  limited.publish('orders.secret', 'denied by deny');
  const err1 = await denied;
  assert.equal(err1.operation, 'publish');
  assert.equal(err1.subject, 'orders.secret');

  const notAllowed = nextPermissionError(limited);
  limited.publish('payments.x', 'not in allow');
  const err2 = await notAllowed;
  assert.equal(err2.operation, 'publish');
  assert.equal(err2.subject, 'payments.x');

  await limited.flush();
  await admin.flush();
  assert.deepEqual(got, ['ok'], 'only the allowed message was routed');
  assert.equal(limited.isClosed(), false, 'a permission violation does not close the connection');
});

test('a request to a subject the user may not publish to fails with the permission error', async (t) => {
  const { client } = await serverWithClients(t, USERS);
  const limited = await client({ user: 'limited', pass: 'p' });
  await assert.rejects(limited.request('payments.charge', 'x', { timeout: 5000 }), (err: unknown) => {
    const pe = err instanceof PermissionViolationError ? err : (err as Error).cause;
    assert.ok(pe instanceof PermissionViolationError, `expected a permission error, got ${String(err)}`);
    assert.equal(pe.subject, 'payments.charge');
    return true;
  });
});

test('subscribe allow/deny: a refused subscription is closed with the permission error', async (t) => {
  const { client } = await serverWithClients(t, USERS);
  const admin = await client({ user: 'admin', pass: 'p' });
  const limited = await client({ user: 'limited', pass: 'p' });

  const outside = limited.subscribe('payments.>');
  const closedOutside = await outside.closed;
  assert.ok(closedOutside instanceof PermissionViolationError, `got ${String(closedOutside)}`);
  assert.equal(closedOutside.operation, 'subscription');
  assert.equal(closedOutside.subject, 'payments.>');

  const denied = limited.subscribe('feed.private');
  const closedDenied = await denied.closed;
  assert.ok(closedDenied instanceof PermissionViolationError);
  assert.equal(closedDenied.subject, 'feed.private');

  const allowed = gather(limited.subscribe('feed.public'));
  await limited.flush();
  admin.publish('payments.x', 'no');
  admin.publish('feed.private', 'no');
  admin.publish('feed.public', 'yes');
  await admin.flush();
  await limited.flush();
  assert.deepEqual(allowed, ['yes']);
});

test('a queue subscription outside the allow list is refused with the queue named', async (t) => {
  const { client } = await serverWithClients(t, USERS);
  const limited = await client({ user: 'limited', pass: 'p' });
  const sub = limited.subscribe('payments.>', { queue: 'workers' });
  const err = await sub.closed;
  assert.ok(err instanceof PermissionViolationError);
  assert.equal(err.subject, 'payments.>');
  assert.equal(err.queue, 'workers');
});

test('subscribe deny is applied at delivery: a wildcard subscription does not receive denied subjects', async (t) => {
  const { client } = await serverWithClients(t, USERS);
  const admin = await client({ user: 'admin', pass: 'p' });
  const limited = await client({ user: 'limited', pass: 'p' });
  const wide = limited.subscribe('feed.>');
  const got = gather(wide);
  await limited.flush();
  assert.equal(wide.isClosed(), false, 'feed.> itself is allowed');

  for (const s of ['feed.public', 'feed.private', 'feed.private.sub', 'feed.other']) admin.publish(s, s);
  await admin.flush();
  await limited.flush();
  assert.deepEqual(got, ['feed.public', 'feed.private.sub', 'feed.other']);
});

test('allow_responses: a responder without publish rights can answer each request once', async (t) => {
  const { client } = await serverWithClients(t, USERS);
  const admin = await client({ user: 'admin', pass: 'p' });
  const responder = await client({ user: 'responder', pass: 'p' });
  responder.subscribe('svc.answer', {
    callback: (_e, m) => {
      m.respond('first');
      m.respond('second');
    },
  });
  await responder.flush();

  const inbox = '_INBOX.allowresp';
  const replies = gather(admin.subscribe(inbox));
  await admin.flush();
  const secondRefused = nextPermissionError(responder);
  admin.publish('svc.answer', 'q', { reply: inbox });
  const err = await secondRefused;
  assert.equal(err.operation, 'publish');
  assert.equal(err.subject, inbox);
  await responder.flush();
  await admin.flush();
  assert.deepEqual(replies, ['first']);

  // And through the client's request API.
  assert.equal((await admin.request('svc.answer', 'q', { timeout: 2000 })).string(), 'first');
});

test('allow_responses without a publish allow list: publishing anywhere else is refused', async (t) => {
  const { client } = await serverWithClients(t, USERS);
  const admin = await client({ user: 'admin', pass: 'p' });
  const responder = await client({ user: 'responder', pass: 'p' });
  const got = gather(admin.subscribe('anything'));
  await admin.flush();
  const refused = nextPermissionError(responder);
  responder.publish('anything', 'x');
  const err = await refused;
  assert.equal(err.subject, 'anything');
  await responder.flush();
  await admin.flush();
  assert.deepEqual(got, []);
});
