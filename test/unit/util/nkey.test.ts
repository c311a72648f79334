// NKEY public keys: our codec against keys @nats-io/nkeys makes.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createAccount, createOperator, createServer, createUser, fromPublic } from '@nats-io/nkeys';

import { decodePublicKey, encodePublicKey, generateServerId, NkeyRole } from '../../../src/util/index.js';

test('a key @nats-io/nkeys makes decodes under its role, to bytes that encode back to it', () => {
  for (const [make, role] of [
    [createUser, NkeyRole.User],
    [createAccount, NkeyRole.Account],
    [createOperator, NkeyRole.Operator],
    [createServer, NkeyRole.Server],
  ] as const) {
    for (let i = 0; i < 20; i++) {
      const key = make().getPublicKey();
      const raw = decodePublicKey(role, key);
      assert.ok(raw !== null, key);
      assert.equal(raw.length, 32);
      assert.equal(encodePublicKey(role, raw), key);
    }
  }
});

test('a key of another role, a seed, a changed character, a cut or a lower-cased key is refused', () => {
  const user = createUser();
  const key = user.getPublicKey();
  assert.equal(decodePublicKey(NkeyRole.Account, key), null, 'a user key is not an account key');
  assert.equal(decodePublicKey(NkeyRole.User, createAccount().getPublicKey()), null);
  assert.equal(decodePublicKey(NkeyRole.User, new TextDecoder().decode(user.getSeed())), null, 'a seed');
  for (const at of [1, 20, 55]) {
    const swapped = key.slice(0, at) + (key[at] === 'A' ? 'B' : 'A') + key.slice(at + 1);
    assert.equal(decodePublicKey(NkeyRole.User, swapped), null, `changed at ${at}: the CRC does not check`);
  }
  assert.equal(decodePublicKey(NkeyRole.User, key.slice(0, 55)), null);
  assert.equal(decodePublicKey(NkeyRole.User, key.toLowerCase()), null);
  assert.equal(decodePublicKey(NkeyRole.User, `${key.slice(0, 55)}1`), null, 'not base32');
});

test('server ids are public server keys @nats-io/nkeys accepts', () => {
  for (let i = 0; i < 20; i++) {
    const id = generateServerId();
    assert.match(id, /^N[A-Z2-7]{55}$/);
    assert.equal(fromPublic(id).getPublicKey(), id);
    assert.ok(decodePublicKey(NkeyRole.Server, id) !== null);
  }
});
