// The nonce INFO carries when nkey users are configured, and the check of a client's signature of it.
//
// The signature is verified by node:crypto's ed25519 (OpenSSL): tweetnacl, which @nats-io/nkeys
// verifies with, took 13 ms a signature on this machine, some 80 connections a second.

import type { KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';

import { decodePublicKey, NkeyRole } from '../util/index.js';

// Loaded with the first nonce: a gateway without nkey users never needs node:crypto (about 1 MB), and
// a nonce is made synchronously as a client's INFO goes out.
const requireBuiltin = createRequire(import.meta.url);
let cryptoModule: typeof import('node:crypto') | null = null;
const crypto = (): typeof import('node:crypto') => (cryptoModule ??= requireBuiltin('node:crypto') as typeof import('node:crypto'));

/** 11 random bytes, base64url without padding: 15 characters, as nats-server makes them. */
export function newNonce(): string {
  return crypto().randomBytes(11).toString('base64url');
}

/** The signature of CONNECT's `sig`: base64url without padding, or standard base64 (nats-server accepts both). */
function signatureBytes(sig: string): Buffer | null {
  if (/^[A-Za-z0-9_-]*$/.test(sig)) return Buffer.from(sig, 'base64url');
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(sig) && sig.length % 4 === 0) return Buffer.from(sig, 'base64');
  return null;
}

/**
 * Whether `sig` is the signature of the nonce's text (the characters INFO carried) by the user key
 * `nkey`, checked on the thread pool. False for a key that is not a user's public key, and for a
 * signature that is not base64.
 */
export function verifiesNonce(nkey: string, nonce: string, sig: string): Promise<boolean> {
  return nonce === '' ? Promise.resolve(false) : verifiesAsync(publicKeyObject(NkeyRole.User, nkey), nonce, sig);
}

/** The roles whose keys sign: by a public key's first character. */
const SIGNER_ROLES: Readonly<Record<string, NkeyRole>> = { O: NkeyRole.Operator, A: NkeyRole.Account, U: NkeyRole.User };

/** Whether `sig` (base64url or base64) is the signature of `message`'s bytes by the public key `key` (an operator's, account's or user's). */
export function verifiesSignature(key: string, message: string, sig: string): boolean {
  const role = SIGNER_ROLES[key[0] ?? ''];
  return role !== undefined && verifies(publicKeyObject(role, key), message, sig);
}

/**
 * verifiesSignature on libuv's thread pool: logins verify two signatures each (the user JWT's and
 * the nonce's), and on a board with several cores they need not queue behind each other or the event loop.
 */
export function verifiesSignatureAsync(key: string, message: string, sig: string): Promise<boolean> {
  const role = SIGNER_ROLES[key[0] ?? ''];
  return verifiesAsync(role === undefined ? null : publicKeyObject(role, key), message, sig);
}

function verifiesAsync(key: KeyObject | null, message: string, sig: string): Promise<boolean> {
  const signature = signatureBytes(sig);
  if (key === null || signature === null || signature.length !== 64) return Promise.resolve(false);
  return new Promise((resolve) => crypto().verify(null, Buffer.from(message, 'latin1'), key, signature, (err, ok) => resolve(err === null && ok)));
}

/** Keys seen recently, imported once: the same account and users sign login after login. */
const KEY_CACHE_MAX = 4096;
const keyObjects = new Map<string, KeyObject | null>();

/** The key as node:crypto takes it; null for text that is no public key of the role. */
function publicKeyObject(role: NkeyRole, key: string): KeyObject | null {
  // Keyed with the role: the same text is a key of one role and no key of another.
  const cacheKey = `${role}:${key}`;
  let object = keyObjects.get(cacheKey);
  if (object === undefined) {
    const raw = decodePublicKey(role, key);
    object = raw === null ? null : crypto().createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
    if (keyObjects.size >= KEY_CACHE_MAX) keyObjects.clear();
    keyObjects.set(cacheKey, object);
  }
  return object;
}

function verifies(key: KeyObject | null, message: string, sig: string): boolean {
  const signature = signatureBytes(sig);
  if (key === null || signature === null || signature.length !== 64) return false;
  return crypto().verify(null, Buffer.from(message, 'latin1'), key, signature);
}
