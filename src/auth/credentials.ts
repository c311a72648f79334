// Logging in to another server as a user (a leaf remote's `credentials`): a `.creds` file holds the
// user JWT and the user's NKEY seed, and the login signs the nonce the other side's INFO carried.

import type { KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';

import { NkeyRole, decodeSeed, encodePublicKey } from '../util/index.js';

// node:crypto is loaded with the first credentials, as for nonces (nonce.ts): most gateways have none.
const requireBuiltin = createRequire(import.meta.url);

/** PKCS#8 DER of an ed25519 private key, up to its 32 seed bytes. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A user's login toward another server: its JWT, and the signature of a nonce with its seed. */
export interface UserCredentials {
  readonly jwt: string;
  /** base64url (no padding) of the ed25519 signature of the nonce's text. */
  sign(nonce: string): string;
}

export class CredentialsError extends Error {}

/** Reads a `.creds` file's text: the first JWT block and the first NKEY seed block (nats-server's jwt.ParseDecoratedJWT / nkeys). */
export function parseCredentials(text: string, file: string): UserCredentials {
  const jwt = /-{3,}BEGIN NATS USER JWT-{3,}\s*\n\s*(\S+)\s*\n/.exec(text)?.[1];
  const seed = /-{3,}BEGIN USER NKEY SEED-{3,}\s*\n\s*(\S+)\s*\n/.exec(text)?.[1];
  if (jwt === undefined) throw new CredentialsError(`${file}: no user JWT found`);
  if (seed === undefined) throw new CredentialsError(`${file}: no user nkey seed found`);
  return { jwt, sign: signerOf(seed, file) };
}

/** Signs with an NKEY seed (`SU…`); throws a CredentialsError for one that is not a seed. */
function signerOf(seed: string, what: string): (nonce: string) => string {
  return keyOf(seed, what).sign;
}

/** An NKEY user seed's public key (`U…`, what CONNECT's `nkey` names) and its signer. */
export function nkeyOf(seed: string, what: string): { readonly publicKey: string; sign(nonce: string): string } {
  return keyOf(seed, what);
}

function keyOf(seed: string, what: string): { readonly publicKey: string; sign(nonce: string): string } {
  const decoded = decodeSeed(seed);
  if (decoded === null || decoded.role !== NkeyRole.User) throw new CredentialsError(`${what}: not a valid user nkey seed`);
  const crypto = requireBuiltin('node:crypto') as typeof import('node:crypto');
  const key: KeyObject = crypto.createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, decoded.raw]), format: 'der', type: 'pkcs8' });
  const spki = crypto.createPublicKey(key).export({ format: 'der', type: 'spki' });
  return {
    publicKey: encodePublicKey(NkeyRole.User, spki.subarray(spki.length - 32)),
    sign: (nonce) => crypto.sign(null, Buffer.from(nonce, 'utf8'), key).toString('base64url'),
  };
}
