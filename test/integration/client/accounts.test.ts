// Accounts isolate subject spaces: users of one account never see another account's messages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestError } from '@nats-io/transport-node';
import type { OptionLayer } from '../../../src/config/index.js';
import { gather, serverWithClients } from '../../helpers/nats-client.js';

const TWO_ACCOUNTS: OptionLayer = {
  accounts: [
    {
      name: 'ALPHA',
      users: [
        { user: 'a1', password: 'p', account: 'ALPHA' },
        { user: 'a2', password: 'p', account: 'ALPHA' },
      ],
    },
    { name: 'BETA', users: [{ user: 'b1', password: 'p', account: 'BETA' }] },
  ],
};

test('two accounts publishing on the same subject do not see each other', async (t) => {
  const { client } = await serverWithClients(t, TWO_ACCOUNTS);
  const a1 = await client({ user: 'a1', pass: 'p' });
  const a2 = await client({ user: 'a2', pass: 'p' });
  const b1 = await client({ user: 'b1', pass: 'p' });
  const gotA2 = gather(a2.subscribe('events.>'));
  const gotB1 = gather(b1.subscribe('events.>'));
  const gotB1Wide = gather(b1.subscribe('>'));
  await Promise.all([a2.flush(), b1.flush()]);

  a1.publish('events.x', 'alpha-1');
  b1.publish('events.x', 'beta-1');
  a2.publish('events.y', 'alpha-2');
  await Promise.all([a1.flush(), a2.flush(), b1.flush()]);
  await Promise.all([a2.flush(), b1.flush()]);

  assert.deepEqual([...gotA2].sort(), ['alpha-1', 'alpha-2']);
  assert.deepEqual(gotB1, ['beta-1']);
  assert.deepEqual(gotB1Wide, ['beta-1'], 'even a full wildcard stays inside the account');
});

test('a service in one account is invisible to requesters of another (no responders)', async (t) => {
  const { client } = await serverWithClients(t, TWO_ACCOUNTS);
  const a1 = await client({ user: 'a1', pass: 'p' });
  const a2 = await client({ user: 'a2', pass: 'p' });
  const b1 = await client({ user: 'b1', pass: 'p' });
  a1.subscribe('svc', { callback: (_e, m) => void m.respond('alpha service') });
  await a1.flush();

  assert.equal((await a2.request('svc', '', { timeout: 2000 })).string(), 'alpha service');
  await assert.rejects(b1.request('svc', '', { timeout: 2000 }), (err: unknown) => err instanceof RequestError && err.isNoResponders());
});

test('queue groups with the same name in two accounts are separate groups', async (t) => {
  const { client } = await serverWithClients(t, TWO_ACCOUNTS);
  const a1 = await client({ user: 'a1', pass: 'p' });
  const b1 = await client({ user: 'b1', pass: 'p' });
  const gotA = gather(a1.subscribe('work', { queue: 'q' }));
  const gotB = gather(b1.subscribe('work', { queue: 'q' }));
  await Promise.all([a1.flush(), b1.flush()]);
  for (let i = 0; i < 10; i++) a1.publish('work', `a${i}`);
  for (let i = 0; i < 10; i++) b1.publish('work', `b${i}`);
  await Promise.all([a1.flush(), b1.flush()]);
  await Promise.all([a1.flush(), b1.flush()]);
  assert.equal(gotA.length, 10);
  assert.ok(gotA.every((m) => m.startsWith('a')));
  assert.equal(gotB.length, 10);
  assert.ok(gotB.every((m) => m.startsWith('b')));
});

test('users of the authorization block ($G) are isolated from named accounts', async (t) => {
  const { client } = await serverWithClients(t, {
    ...TWO_ACCOUNTS,
    auth: { users: [{ user: 'g', password: 'p', account: '$G' }] },
  });
  const g = await client({ user: 'g', pass: 'p' });
  const a1 = await client({ user: 'a1', pass: 'p' });
  const gotG = gather(g.subscribe('x'));
  const gotA = gather(a1.subscribe('x'));
  await Promise.all([g.flush(), a1.flush()]);
  g.publish('x', 'global');
  a1.publish('x', 'alpha');
  await Promise.all([g.flush(), a1.flush()]);
  await Promise.all([g.flush(), a1.flush()]);
  assert.deepEqual(gotG, ['global']);
  assert.deepEqual(gotA, ['alpha']);
});
