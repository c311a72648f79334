// Operator (JWT) mode put together: the trust the configuration gives (operator-trust.ts), the login
// that checks users against it (jwt-authenticator.ts), and what each trusted account JWT sets up
// (account-claims.ts). An account whose JWT no trusted key signed, or that fails validation, is
// left out, as nats-server's lookup refuses it.

import { GLOBAL_ACCOUNT } from '../util/index.js';
import type { AccountJwtInfo } from '../util/index.js';
import { accountClaimsProblem, accountSetups } from './account-claims.js';
import type { JwtAccountSetup } from './account-claims.js';
import type { UpdateOperator } from './claims-requests.js';
import type { AccountClaims, ClaimsData } from './jwt.js';
import { JwtAuthenticator } from './jwt-authenticator.js';
import { operatorTrust } from './operator-trust.js';
import type { OperatorModeInput } from './operator-trust.js';

export interface OperatorMode {
  readonly authenticator: JwtAuthenticator;
  readonly systemAccount: string;
  /** Who signs what the full resolver accepts. */
  readonly updateOperator: UpdateOperator;
  /** The trusted accounts, by public key, in the order they were given. */
  readonly accounts: readonly JwtAccountSetup[];
  /** Each trusted account's JWT and what monitoring shows of it. */
  readonly accountJwts: ReadonlyMap<string, AccountJwtInfo>;
  /** What nats-server only warns of at start. */
  readonly warnings: readonly string[];
}

/** Throws OperatorTrustError with nats-server's words when the configuration cannot run in operator mode. */
export function operatorMode(input: OperatorModeInput, timeoutMs: number, nowMs: number): OperatorMode {
  const trust = operatorTrust(input, Math.floor(nowMs / 1000));
  const trusted = new Map<string, ClaimsData<AccountClaims>>();
  for (const [key, claims] of trust.accounts) {
    if (key === claims.sub && trust.trustedKeys.has(claims.iss) && accountClaimsProblem(claims.nats) === null) trusted.set(key, claims);
  }
  const directory = { trustedKeys: trust.trustedKeys, strictKeys: trust.strictKeys, account: (key: string) => trusted.get(key) };
  // Every account a client can be bound to: $G, the trusted accounts and the system account.
  const names = new Set([GLOBAL_ACCOUNT, ...trusted.keys()]);
  if (trust.systemAccount !== '') names.add(trust.systemAccount);
  return {
    authenticator: new JwtAuthenticator(directory, timeoutMs, [...names]),
    systemAccount: trust.systemAccount,
    updateOperator: trust.updateOperator,
    accounts: accountSetups(trusted, Math.floor(nowMs / 1000)),
    accountJwts: new Map(
      [...trusted].map(([key, claims]) => [
        key,
        { jwt: (input.stored ?? input.preload)[key] ?? '', issuerKey: claims.iss, nameTag: claims.name ?? '', tags: claims.nats.tags ?? [], revocations: claims.nats.revocations ?? {}, expires: claims.exp ?? 0 },
      ]),
    ),
    warnings: trust.warnings,
  };
}
