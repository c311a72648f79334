// What operator mode trusts, worked out at start from the configuration (nats-server's
// readOperatorJWT, validateTrustedOperators and the preload of the memory resolver): the operators'
// keys, the system account, and the preloaded accounts' claims. Errors are nats-server's words.

import { decodeJwt, decoratedJwt, JwtError, timeProblem } from './jwt.js';
import type { AccountClaims, ClaimsData, OperatorClaims } from './jwt.js';
import type { UpdateOperator } from './claims-requests.js';

export interface OperatorModeInput {
  /** The operators' token texts (files' contents or inline tokens). */
  readonly operators: readonly string[];
  /** The account resolver's kind: memory holds the preloads only, full a directory of account JWTs. */
  readonly resolver?: 'memory' | 'full';
  readonly preload: Readonly<Record<string, string>>;
  /** The full resolver's account JWTs by public key (the preloads already stored among them). */
  readonly stored?: Readonly<Record<string, string>>;
  /** `system_account` as configured; '' when not given (then the operator's). */
  readonly systemAccount: string;
  /** The configuration declares accounts or users (not allowed with operators). */
  readonly hasAccounts: boolean;
  readonly hasUsers: boolean;
}

export interface OperatorTrust {
  /** Keys that may sign accounts: each operator's own (unless strict) and its signing keys. */
  readonly trustedKeys: ReadonlySet<string>;
  /** Keys of operators with strict_signing_key_usage: an account they sign may not sign users with its own key. */
  readonly strictKeys: ReadonlySet<string>;
  readonly systemAccount: string;
  /** The first operator, which signs what the full resolver accepts (nats-server's getOperatorKeys). */
  readonly updateOperator: UpdateOperator;
  /** The preloaded accounts by public key, decoded (their signer is checked when a user logs in). */
  readonly accounts: ReadonlyMap<string, ClaimsData<AccountClaims>>;
  /** Preloaded accounts with a problem nats-server only warns of (expired): `Account [<key>] has validation issues`. */
  readonly warnings: readonly string[];
}

export class OperatorTrustError extends Error {}

export function operatorTrust(input: OperatorModeInput, nowSeconds: number): OperatorTrust {
  const operators: ClaimsData<OperatorClaims>[] = [];
  for (const text of input.operators) {
    try {
      operators.push(decodeJwt<OperatorClaims>(decoratedJwt(text), 'operator'));
    } catch (err) {
      if (err instanceof JwtError) throw new OperatorTrustError(`error parsing operator JWT: ${err.message}`);
      throw err;
    }
  }
  if (input.resolver === undefined) throw new OperatorTrustError('operators require an account resolver to be configured');
  if (input.hasAccounts) throw new OperatorTrustError('operators do not allow Accounts to be configured directly');
  if (input.hasUsers) throw new OperatorTrustError('operators do not allow users to be configured directly');
  let systemAccount = input.systemAccount;
  if (systemAccount !== '') {
    const named = operators.filter((o) => (o.nats.system_account ?? '') !== '');
    if (named.length > 0 && !named.some((o) => o.nats.system_account === systemAccount)) throw new OperatorTrustError('system_account in config and operator JWT must be identical');
  } else systemAccount = operators[0]?.nats.system_account ?? '';
  if (input.resolver === 'full' && systemAccount === '') {
    throw new OperatorTrustError('using nats based account resolver - the system account needs to be specified in configuration or the operator jwt');
  }
  const trustedKeys = new Set<string>();
  const strictKeys = new Set<string>();
  for (const o of operators) {
    const strict = o.nats.strict_signing_key_usage === true;
    if (!strict) trustedKeys.add(o.sub);
    for (const k of o.nats.signing_keys ?? []) {
      trustedKeys.add(k);
      if (strict) strictKeys.add(k);
    }
  }
  const accounts = new Map<string, ClaimsData<AccountClaims>>();
  const warnings: string[] = [];
  for (const [key, token] of Object.entries(input.preload)) {
    let claims: ClaimsData<AccountClaims>;
    try {
      claims = decodeJwt<AccountClaims>(token, 'account');
    } catch (err) {
      if (err instanceof JwtError) throw new OperatorTrustError(`preload account error for ${JSON.stringify(key)}: ${err.message}`);
      throw err;
    }
    const problem = timeProblem(claims, nowSeconds);
    if (problem !== null) warnings.push(`Account [${key}] has validation issues:\n  - ${problem}`);
    accounts.set(key, claims);
  }
  if (input.stored !== undefined) {
    accounts.clear();
    for (const [key, token] of Object.entries(input.stored)) {
      try {
        accounts.set(key, decodeJwt<AccountClaims>(token, 'account'));
      } catch (err) {
        if (!(err instanceof JwtError)) throw err;
        warnings.push(`Account [${key}] stored JWT is not valid: ${err.message}`);
      }
    }
  }
  const first = operators[0];
  const strict = first?.nats.strict_signing_key_usage === true;
  const updateOperator: UpdateOperator = {
    subject: first?.sub ?? '',
    keys: new Set([...(first !== undefined && !strict ? [first.sub] : []), ...(first?.nats.signing_keys ?? [])]),
    strict,
  };
  return { trustedKeys, strictKeys, systemAccount, updateOperator, accounts, warnings };
}
