// The full resolver's system requests, answered as nats-server's DirAccResolver answers them:
// `$SYS.REQ.CLAIMS.UPDATE` and `$SYS.REQ.ACCOUNT.<key>.CLAIMS.UPDATE` (with the older
// `$SYS.ACCOUNT.<key>.CLAIMS.UPDATE`) store a pushed account JWT, `…CLAIMS.LOOKUP` returns one,
// `$SYS.REQ.CLAIMS.LIST` lists them, `$SYS.REQ.CLAIMS.DELETE` removes some (when allowed, by a
// request the operator signs). What a stored JWT sets up is the caller's to apply.

import { decodePublicKey, NkeyRole } from '../util/index.js';
import { AccountStoreError } from './account-jwt-dir.js';
import type { AccountJwtDir } from './account-jwt-dir.js';
import { decodeGenericJwt, decodeJwt, JwtError } from './jwt.js';
import type { AccountClaims } from './jwt.js';

/** The outcome of an update or delete: what nats-server's respondToUpdate logs and answers. */
export interface ClaimsOutcome {
  /** The account concerned ('' for none). */
  readonly account: string;
  readonly message: string;
  /** Why it failed; absent on success. */
  readonly error?: string;
  /** The stored accounts changed: they need applying. */
  readonly changed: boolean;
}

export interface UpdateOperator {
  /** The (first) operator's own key. */
  readonly subject: string;
  /** Keys that may sign: the operator's own (unless strict) and its signing keys. */
  readonly keys: ReadonlySet<string>;
  readonly strict: boolean;
}

/** The answer's body without its `server` object (the caller stamps it), keys in Go's map order. */
export function outcomeJson(outcome: ClaimsOutcome, serverJson: string): string {
  const account = outcome.account !== '' ? { account: outcome.account } : {};
  if (outcome.error === undefined) return `{"data":${JSON.stringify({ ...account, code: 200, message: outcome.message })},"server":${serverJson}}`;
  return `{"error":${JSON.stringify({ ...account, code: 500, description: `${outcome.message} - ${outcome.error}` })},"server":${serverJson}}`;
}

export class ClaimsRequests {
  private readonly store: AccountJwtDir;
  private readonly operator: UpdateOperator;
  private readonly systemAccount: string;

  constructor(store: AccountJwtDir, operator: UpdateOperator, systemAccount: string) {
    this.store = store;
    this.operator = operator;
    this.systemAccount = systemAccount;
  }

  /** `key` is the account the subject names ('' for `$SYS.REQ.CLAIMS.UPDATE`, which takes the JWT's). */
  update(key: string, jwt: string): ClaimsOutcome {
    let claims;
    try {
      claims = decodeJwt<AccountClaims>(jwt, 'account');
    } catch (err) {
      if (!(err instanceof JwtError)) throw err;
      return { account: 'n/a', message: 'jwt update resulted in error', error: err.message, changed: false };
    }
    const account = key !== '' ? key : claims.sub;
    const failed = (error: string): ClaimsOutcome => ({ account, message: 'jwt update resulted in error', error, changed: false });
    if (key !== '' && claims.sub !== key) return failed('subject does not match jwt content');
    if (claims.iss === this.operator.subject && this.operator.strict) return failed('operator requires issuer to be a signing key');
    try {
      const changed = this.store.save(account, jwt);
      return { account, message: 'jwt updated', changed };
    } catch (err) {
      if (err instanceof AccountStoreError || (err as NodeJS.ErrnoException).code !== undefined) return failed((err as Error).message);
      throw err;
    }
  }

  lookup(key: string): string | null {
    return this.store.load(key);
  }

  list(): string[] {
    return Object.keys(this.store.all());
  }

  delete(request: string): ClaimsOutcome {
    let subject = '';
    let keys: string[] = [];
    let error: string | undefined;
    try {
      const claims = decodeGenericJwt(request);
      subject = claims.sub;
      const list = claims.nats['accounts'];
      if (!this.store.allowsDelete) error = 'delete must be enabled in server config';
      else if (claims.sub !== claims.iss) error = 'not self signed';
      else if (!this.operator.keys.has(claims.iss)) error = 'not trusted';
      else if (!Array.isArray(list)) error = 'malformed request';
      else {
        keys = list as string[];
        for (const k of keys) {
          if (typeof k !== 'string' || decodePublicKey(NkeyRole.Account, k) === null) {
            error = 'malformed request';
            break;
          }
          if (k === this.systemAccount) {
            error = 'not allowed to delete system account';
            break;
          }
        }
      }
    } catch (err) {
      if (!(err instanceof JwtError)) throw err;
      error = err.message;
    }
    if (error !== undefined) return { account: '', message: `delete accounts request by ${subject} failed`, error, changed: false };
    const errors: string[] = [];
    for (const k of keys) {
      try {
        this.store.delete(k);
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    const passed = keys.length - errors.length;
    if (errors.length === 0) return { account: '', message: `deleted ${passed} accounts`, changed: passed > 0 };
    return { account: '', message: `deleted ${passed} accounts, failed for ${errors.length}`, error: errors.join('\n'), changed: passed > 0 };
  }
}
