// What operator mode trusts at start, and nats-server's errors for what it refuses.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccount, createOperator, encodeAccount, encodeOperator } from '@nats-io/jwt';

import { operatorTrust, OperatorTrustError } from '../../../src/auth/operator-trust.js';

const NOW = Math.floor(Date.now() / 1000);

test('the operator and its signing keys are trusted, the system account comes from its JWT, preloads decode', async () => {
  const op = createOperator();
  const signing = createOperator();
  const sys = createAccount();
  const acc = createAccount();
  const opJwt = await encodeOperator('op', op, { system_account: sys.getPublicKey(), signing_keys: [signing.getPublicKey()] });
  const accJwt = await encodeAccount('A', acc, {}, { signer: signing });
  const trust = operatorTrust({ operators: [opJwt], resolver: 'memory', preload: { [acc.getPublicKey()]: accJwt }, systemAccount: '', hasAccounts: false, hasUsers: false }, NOW);
  assert.deepEqual([...trust.trustedKeys].sort(), [op.getPublicKey(), signing.getPublicKey()].sort());
  assert.equal(trust.systemAccount, sys.getPublicKey());
  assert.equal(trust.accounts.get(acc.getPublicKey())?.iss, signing.getPublicKey());
});

test("nats-server's refusals: no resolver, accounts or users beside operators, a different system account, a bad token", async () => {
  const op = createOperator();
  const opJwt = await encodeOperator('op', op, { system_account: createAccount().getPublicKey() });
  const base = { operators: [opJwt], resolver: 'memory' as const, preload: {}, systemAccount: '', hasAccounts: false, hasUsers: false };
  const refused = (input: typeof base, message: string) => assert.throws(() => operatorTrust(input, NOW), (err: Error) => err instanceof OperatorTrustError && err.message === message);
  refused({ ...base, resolver: undefined } as unknown as typeof base, 'operators require an account resolver to be configured');
  refused({ ...base, hasAccounts: true }, 'operators do not allow Accounts to be configured directly');
  refused({ ...base, hasUsers: true }, 'operators do not allow users to be configured directly');
  refused({ ...base, systemAccount: createAccount().getPublicKey() }, 'system_account in config and operator JWT must be identical');
  refused({ ...base, operators: ['eyJnot.a.token'] }, 'error parsing operator JWT: invalid JWT encoding');
  refused({ ...base, preload: { AKEY: 'x.y.z' } }, 'preload account error for "AKEY": invalid JWT encoding');
});
