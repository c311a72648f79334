// The full resolver's directory: one `<account public key>.jwt` file per account, as nats-server's
// DirJWTStore keeps it (not sharded), so a directory moves between the two servers. A deleted
// account's file is renamed to `.jwt.deleted`; an expired JWT counts as absent (nats-server lists and
// serves it no more, and removes its file later). Writes replace the file whole (write, then rename), so a crash
// leaves the old JWT or the new one.

import fs from 'node:fs';
import path from 'node:path';

import { decodePublicKey, NkeyRole } from '../util/index.js';
import { decodeJwt, JwtError } from './jwt.js';
import type { AnyClaims, ClaimsData } from './jwt.js';

const EXTENSION = '.jwt';

/** A store operation refused, in nats-server's words. */
export class AccountStoreError extends Error {}

export class AccountJwtDir {
  readonly dir: string;
  private readonly limit: number;
  private readonly allowDelete: boolean;

  constructor(dir: string, opts: { readonly limit: number; readonly allowDelete: boolean }) {
    this.dir = dir;
    this.limit = opts.limit;
    this.allowDelete = opts.allowDelete;
    fs.mkdirSync(dir, { recursive: true });
  }

  get allowsDelete(): boolean {
    return this.allowDelete;
  }

  /** Every stored account JWT by public key. */
  all(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const key of this.keys()) {
      const jwt = this.load(key);
      if (jwt !== null) out[key] = jwt;
    }
    return out;
  }

  /** The accounts with a file, sorted (expired ones too: they hold a place until removed). */
  private keys(): string[] {
    return fs
      .readdirSync(this.dir)
      .filter((name) => name.endsWith(EXTENSION))
      .map((name) => name.slice(0, -EXTENSION.length))
      .filter((key) => decodePublicKey(NkeyRole.Account, key) !== null)
      .sort();
  }

  load(key: string): string | null {
    const file = this.fileFor(key);
    if (file === null) return null;
    let jwt: string;
    try {
      jwt = fs.readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    const exp = issued(jwt)?.exp ?? 0;
    return exp > 0 && exp * 1000 <= Date.now() ? null : jwt;
  }

  /** Stores `jwt` for `key`; false when the same JWT was already there (nothing changed). */
  save(key: string, jwt: string): boolean {
    const file = this.fileFor(key);
    if (file === null) throw new AccountStoreError('invalid public key');
    const existing = this.load(key);
    if (existing === jwt) return false;
    if (existing === null && this.keys().length >= this.limit) throw new AccountStoreError('jwt store is full');
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, jwt, { mode: 0o644 });
    fs.renameSync(tmp, file);
    return true;
  }

  /** Stores `jwt` unless the stored one is the same token or was issued later (a preload at start). */
  saveIfNewer(key: string, jwt: string): boolean {
    const existing = this.load(key);
    if (existing !== null) {
      const [before, after] = [issued(existing), issued(jwt)];
      if (before !== null && after !== null && (before.jti === after.jti || before.iat > after.iat)) return false;
    }
    return this.save(key, jwt);
  }

  delete(key: string): void {
    if (!this.allowDelete) throw new AccountStoreError('store is not set up to for delete');
    const file = this.fileFor(key);
    if (file === null) throw new AccountStoreError('invalid public key');
    try {
      fs.renameSync(file, `${file}.deleted`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  private fileFor(key: string): string | null {
    return decodePublicKey(NkeyRole.Account, key) === null ? null : path.join(this.dir, `${key}${EXTENSION}`);
  }
}

function issued(jwt: string): ClaimsData<AnyClaims> | null {
  try {
    return decodeJwt<AnyClaims>(jwt, 'account');
  } catch (err) {
    if (err instanceof JwtError) return null;
    throw err;
  }
}
