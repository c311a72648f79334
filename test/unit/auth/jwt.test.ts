// The JWT decoder against tokens minted by @nats-io/jwt, as nsc and the official tools make them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccount, createOperator, createUser, encodeAccount, encodeOperator, encodeUser } from '@nats-io/jwt';

import { decodeJwt, decoratedJwt, JwtError, signingKeys, timeProblem } from '../../../src/auth/jwt.js';
import type { AccountClaims, OperatorClaims, UserClaims } from '../../../src/auth/jwt.js';

test('operator, account and user tokens decode, each signed by its issuer', async () => {
  const op = createOperator();
  const acc = createAccount();
  const user = createUser();
  const opJwt = await encodeOperator('op', op);
  const accJwt = await encodeAccount('acc', acc, { limits: { conn: -1 } }, { signer: op });
  const userJwt = await encodeUser('u', user, acc, { pub: { allow: ['a.>'] } });
  const o = decodeJwt<OperatorClaims>(opJwt, 'operator');
  assert.equal(o.sub, op.getPublicKey());
  assert.equal(o.iss, op.getPublicKey());
  const a = decodeJwt<AccountClaims>(accJwt, 'account');
  assert.equal(a.iss, op.getPublicKey());
  const u = decodeJwt<UserClaims>(userJwt, 'user');
  assert.equal(u.iss, acc.getPublicKey());
  assert.deepEqual(u.nats.pub, { allow: ['a.>'] });
});

test('a token whose payload was changed, of another type, or not three chunks, is refused', async () => {
  const acc = createAccount();
  const userJwt = await encodeUser('u', createUser(), acc);
  const [h, p, s] = userJwt.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { name: string };
  claims.name = 'someone else';
  const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
  assert.throws(() => decodeJwt(forged, 'user'), (err: Error) => err instanceof JwtError && err.message === 'claim failed V2 signature verification');
  assert.throws(() => decodeJwt(userJwt, 'account'), /not account claim/);
  assert.throws(() => decodeJwt('abc.def', 'user'), /expected 3 chunks/);
});

test('expiry and not-before are the blocking time checks', async () => {
  const acc = createAccount();
  const now = Math.floor(Date.now() / 1000);
  const expired = decodeJwt(await encodeUser('u', createUser(), acc, {}, { exp: now - 10 }), 'user');
  assert.equal(timeProblem(expired, now), 'claim is expired');
  const early = decodeJwt(await encodeUser('u', createUser(), acc, {}, { nbf: now + 100 }), 'user');
  assert.equal(timeProblem(early, now), 'claim is not yet valid');
  assert.equal(timeProblem(decodeJwt(await encodeUser('u', createUser(), acc), 'user'), now), null);
});

test('signing keys, plain and scoped; a creds file gives its JWT', async () => {
  const scoped = createAccount();
  const keys = signingKeys(['AKEY', { kind: 'user_scope', key: scoped.getPublicKey(), role: 'r' }]);
  assert.deepEqual([...keys.keys()], ['AKEY', scoped.getPublicKey()]);
  assert.equal(keys.get('AKEY'), null);
  assert.equal(keys.get(scoped.getPublicKey())?.role, 'r');
  const creds = '-----BEGIN NATS USER JWT-----\neyJhbGciOi.abc.def\n------END NATS USER JWT------\n\n************************* IMPORTANT *************************\n';
  assert.equal(decoratedJwt(creds), 'eyJhbGciOi.abc.def');
  assert.equal(decoratedJwt('  eyJ.x.y  '), 'eyJ.x.y');
});
