import { test } from 'node:test';
import assert from 'node:assert/strict';
import bcrypt from 'bcryptjs';
import { isBcryptHash, verifySecret } from '../../../src/auth/index.js';

// Low cost keeps the suite fast; the cost does not change what is being checked.
const HASH_2B = bcrypt.hashSync('s3cr3t', 4);
const withMinor = (minor: string): string => `$2${minor}${HASH_2B.slice(3)}`;

test('isBcryptHash follows the nats-server prefix rule', () => {
  const cases: Array<[string, boolean]> = [
    ['$2a$11$abc', true],
    ['$2b$04$abc', true],
    ['$2x$10$abc', true],
    ['$2y$31$abc', true],
    ['$2c$10$abc', false],
    ['$2a$1$abc', false],
    ['$2a$ab$abc', false],
    ['$1$10$abc', false],
    ['2a$10$abc', false],
    ['plain', false],
    ['', false],
  ];
  for (const [secret, expected] of cases) assert.equal(isBcryptHash(secret), expected, secret);
});

test('plain secrets match only exactly', async () => {
  assert.equal(await verifySecret('s3cr3t', 's3cr3t'), true);
  assert.equal(await verifySecret('s3cr3t', 's3cr3T'), false);
  assert.equal(await verifySecret('s3cr3t', 's3cr3t '), false);
  assert.equal(await verifySecret('s3cr3t', ''), false);
  assert.equal(await verifySecret('', ''), true);
  assert.equal(await verifySecret('pässwörd', 'pässwörd'), true);
});

test('bcrypt hashes verify for every minor version', async () => {
  for (const minor of ['a', 'b', 'x', 'y']) {
    const hash = withMinor(minor);
    assert.equal(await verifySecret(hash, 's3cr3t'), true, hash);
    assert.equal(await verifySecret(hash, 'wrong'), false, hash);
  }
});

test('a bcrypt hash is never compared as plain text', async () => {
  assert.equal(await verifySecret(HASH_2B, HASH_2B), false);
});

test('malformed bcrypt hashes never match', async () => {
  assert.equal(await verifySecret('$2a$04$tooshort', 's3cr3t'), false);
  assert.equal(await verifySecret(`$2a$99${HASH_2B.slice(6)}`, 's3cr3t'), false);
  assert.equal(await verifySecret(`${HASH_2B}x`, 's3cr3t'), false);
});
