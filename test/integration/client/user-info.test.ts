// `$SYS.REQ.USER.INFO` (nats-server 2.10; 2.9.10 has no answer to compare with): a user of any
// account asks who it is, and the system account answers with its name, account, permissions and how
// long its login stays valid.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createAccount, createOperator, createUser, encodeAccount, encodeOperator, encodeUser, fmtCreds } from '@nats-io/jwt';
import type { Account } from '@nats-io/jwt';
import { connect, credsAuthenticator } from '@nats-io/transport-node';

import { writeTempConf } from '../../helpers/conf-file.js';
import { startLeafgate } from '../../helpers/processes.js';

interface UserInfoAnswer {
  readonly server: { readonly id: string };
  readonly data: { readonly user: string; readonly account: string; readonly permissions?: unknown; readonly expires?: number };
}

async function ask(port: number, opts: Parameters<typeof connect>[0]): Promise<UserInfoAnswer> {
  const nc = await connect({ port, reconnect: false, ...opts });
  try {
    return JSON.parse((await nc.request('$SYS.REQ.USER.INFO', '', { timeout: 2000 })).string()) as UserInfoAnswer;
  } finally {
    await nc.close();
  }
}

test('configured users: name, account and permissions; a user without permissions gets none', async (t) => {
  const conf = writeTempConf(`
accounts {
  A: { users: [ { user: alice, password: a, permissions: { publish: { allow: ["orders.>", "$SYS.REQ.USER.INFO", "_INBOX.>"] }, subscribe: { deny: ["secret.>"] } } } ] }
  B: { users: [ { user: bob, password: b } ] }
}
`);
  t.after(() => conf.remove());
  const server = await startLeafgate({ args: ['-c', conf.path] });
  try {
    const alice = await ask(server.port, { user: 'alice', pass: 'a' });
    assert.match(alice.server.id, /^N[A-Z0-9]{55}$/);
    assert.deepEqual(alice.data, { user: 'alice', account: 'A', permissions: { publish: { allow: ['orders.>', '$SYS.REQ.USER.INFO', '_INBOX.>'] }, subscribe: { deny: ['secret.>'] } } });
    assert.deepEqual((await ask(server.port, { user: 'bob', pass: 'b' })).data, { user: 'bob', account: 'B' });
  } finally {
    await server.stop();
  }
});

test('a JWT user: its key, its account key, and the seconds left before its JWT expires (in ns)', async (t) => {
  const operator = createOperator();
  const sys = createAccount();
  const acc = createAccount();
  const limits = { conn: -1, subs: -1, payload: -1, data: -1, leaf: -1, imports: -1, exports: -1, wildcards: true };
  const conf = writeTempConf(`
operator: ${await encodeOperator('op', operator, { system_account: sys.getPublicKey() })}
resolver: MEMORY
resolver_preload: {
  ${sys.getPublicKey()}: ${await encodeAccount('SYS', sys, { limits } as Partial<Account>, { signer: operator })}
  ${acc.getPublicKey()}: ${await encodeAccount('A', acc, { limits } as Partial<Account>, { signer: operator })}
}
`);
  t.after(() => conf.remove());
  const user = createUser();
  const jwt = await encodeUser('u', user, acc, {}, { exp: Math.floor(Date.now() / 1000) + 3600 });
  const server = await startLeafgate({ args: ['-c', conf.path] });
  try {
    const answer = await ask(server.port, { authenticator: credsAuthenticator(fmtCreds(jwt, user)) });
    assert.equal(answer.data.user, user.getPublicKey());
    assert.equal(answer.data.account, acc.getPublicKey());
    const seconds = (answer.data.expires ?? 0) / 1e9;
    assert.ok(Number.isInteger(seconds) && seconds > 3500 && seconds <= 3600, String(answer.data.expires));
  } finally {
    await server.stop();
  }
});
