// Login in operator (JWT) mode: the client presents a user JWT, signed by its account or one of the
// account's signing keys, and signs the nonce with the user's key (unless the JWT is a bearer token).
// The checks run in nats-server's order (processClientOrLeafAuthentication); every refusal is the
// same `Authorization Violation` on the wire, logged as `authentication error`.

import type { ClientAuthenticator, ConnectionType, ConnectionLimits, PermissionRules } from '../core/index.js';
import type { ConnectOptions } from '../protocol/nats/index.js';
import { isRevoked, JwtError, parseJwt, signingKeys, timeProblem } from './jwt.js';
import type { AccountClaims, ClaimsData, ParsedJwt, SigningKeyScope, UserClaims, UserPermissionClaims, UserPermissionLimits } from './jwt.js';
import { newNonce, verifiesSignatureAsync } from './nonce.js';
import type { AuthContext, AuthFailure, AuthResult, AuthSuccess } from './types.js';
import { CONNECTION_TYPES } from './types.js';
import { applyUserTemplate, TemplateError } from './user-template.js';
import { connectWindow, sourceAllowed } from './user-restrictions.js';

/** What a login needs to know of the trusted operators and their accounts. */
export interface AccountDirectory {
  /** Keys that may sign accounts. */
  readonly trustedKeys: ReadonlySet<string>;
  /** Operator keys under strict_signing_key_usage: their accounts' own keys may not sign users. */
  readonly strictKeys: ReadonlySet<string>;
  /** An account's claims by its public key; undefined for an account the resolver does not have. */
  account(key: string): ClaimsData<AccountClaims> | undefined;
}

/** nats-server's allow_responses defaults, for a `resp` of 0. */
const DEFAULT_RESPONSE_MAX = 1;
const DEFAULT_RESPONSE_TTL_MS = 2 * 60 * 1000;

const VERIFIED_TOKENS_MAX = 4096;

const REFUSED: AuthFailure = Object.freeze({ ok: false, reason: 'BAD_CREDENTIALS' });
/** The account is unknown (deleted) or expired: refused, and a logged-in client is told its account expired. */
const ACCOUNT_GONE: AuthFailure = Object.freeze({ ok: false, reason: 'BAD_CREDENTIALS', accountExpired: true });

export class JwtAuthenticator implements ClientAuthenticator {
  readonly configured = true;
  readonly advertiseRequired = true;
  readonly noAuthLogin = null;
  readonly refusedBeforeConnect: AuthFailure = REFUSED;
  readonly timeoutMs: number;
  private readonly directory: AccountDirectory;
  private readonly names: readonly string[];
  /** User JWTs whose signature checked out: a device that logs in again with the same creds is not verified twice. */
  private readonly verifiedTokens = new Set<string>();

  /** `accountNames`: every account a client can be bound to. */
  constructor(directory: AccountDirectory, timeoutMs: number, accountNames: readonly string[]) {
    this.directory = directory;
    this.timeoutMs = timeoutMs;
    this.names = accountNames;
  }

  private rememberVerified(token: string): void {
    if (this.verifiedTokens.size >= VERIFIED_TOKENS_MAX) this.verifiedTokens.clear();
    this.verifiedTokens.add(token);
  }

  accountNames(): string[] {
    return [...this.names];
  }

  newNonce(): string {
    return newNonce();
  }

  async authenticate(connect: ConnectOptions, ctx: AuthContext): Promise<AuthResult> {
    return this.login(connect, ctx, Date.now());
  }

  /**
   * The two signatures (the user JWT's, unless this token was verified before, and the nonce's) are
   * verified at once off the event loop; the other checks wait for them where nats-server makes them.
   */
  async login(connect: ConnectOptions, ctx: AuthContext, nowMs: number): Promise<AuthResult> {
    if (connect.account || connect.new_account === true) return REFUSED;
    const token = connect.jwt ?? '';
    if (token === '') return REFUSED;
    let parsed: ParsedJwt<UserClaims>;
    try {
      parsed = parseJwt<UserClaims>(token, 'user');
    } catch (err) {
      if (err instanceof JwtError) return REFUSED;
      throw err;
    }
    const user = parsed.claims;
    const tokenSigned = this.verifiedTokens.has(token) ? Promise.resolve(true) : verifiesSignatureAsync(user.iss, parsed.signed, parsed.sig);
    const nonceSigned = connect.sig ? verifiesSignatureAsync(user.sub, ctx.nonce ?? '', connect.sig) : Promise.resolve(false);
    if (!(await tokenSigned)) return REFUSED;
    this.rememberVerified(token);
    const nowS = Math.floor(nowMs / 1000);
    if (timeProblem(user, nowS) !== null) return REFUSED;
    if (!connectionTypeAllowed(user.nats.allowed_connection_types, ctx.connectionType)) return REFUSED;
    const accountKey = user.nats.issuer_account || user.iss;
    const account = this.directory.account(accountKey);
    if (account === undefined) return ACCOUNT_GONE;
    if (!this.directory.trustedKeys.has(account.iss)) return REFUSED;
    const signers = signingKeys(account.nats.signing_keys);
    if (!this.directory.strictKeys.has(account.iss)) signers.set(account.sub, null);
    if (!signers.has(user.iss)) return REFUSED;
    let claims: UserPermissionLimits = user.nats;
    const scope = signers.get(user.iss);
    if (scope !== null && scope !== undefined) {
      const scoped = scopedClaims(scope, user, account);
      if (scoped === null) return REFUSED;
      claims = scoped;
    }
    if (account.exp !== undefined && account.exp > 0 && account.exp <= nowS) return ACCOUNT_GONE;
    if (claims.bearer_token === true && account.nats.limits?.disallow_bearer === true) return REFUSED;
    if (claims.bearer_token !== true && (ctx.nonce ?? '') === '') return REFUSED;
    if (claims.bearer_token !== true && !(await nonceSigned)) return REFUSED;
    if (isRevoked(account.nats.revocations, user.sub, user.iat)) return { ...REFUSED, revoked: true };
    if (!sourceAllowed(claims.src, ctx.host ?? '')) return { ...REFUSED, logError: `Bad src Ip ${ctx.host ?? ''}` };
    const window = connectWindow(claims.times, claims.times_location, nowMs);
    if (!window.allowed) return { ...REFUSED, logError: 'Outside connect times' };
    return success(user, claims, account, window.endsAtMs);
  }
}

/** A scoped signing key signed the user: the key's template stands in for the user's own permissions and limits, which must be empty. */
function scopedClaims(scope: SigningKeyScope, user: ClaimsData<UserClaims>, account: ClaimsData<AccountClaims>): UserPermissionLimits | null {
  if (!hasEmptyPermissions(user.nats)) return null;
  try {
    return applyUserTemplate(scope.template ?? {}, { name: user.name, subject: user.sub, tags: user.nats.tags ?? [], issuerAccount: user.nats.issuer_account ?? '' }, { name: account.name, tags: account.nats.tags ?? [] });
  } catch (err) {
    if (err instanceof TemplateError) return null;
    throw err;
  }
}

function hasEmptyPermissions(u: UserPermissionLimits): boolean {
  const empty = (list: readonly unknown[] | string | undefined): boolean => list === undefined || list.length === 0;
  return (
    empty(u.pub?.allow) && empty(u.pub?.deny) && empty(u.sub?.allow) && empty(u.sub?.deny) && u.resp === undefined &&
    !u.subs && !u.data && !u.payload && empty(u.src) && empty(u.times) && !u.times_location && u.bearer_token !== true && empty(u.allowed_connection_types)
  );
}

/**
 * The JWT's connection types; none listed allows every type. Types this server does not know are
 * skipped, but a list of nothing else refuses (its intent was to allow only those).
 */
function connectionTypeAllowed(types: readonly string[] | undefined, type: ConnectionType): boolean {
  if (types === undefined || types.length === 0) return true;
  const known = types.map((t) => t.toUpperCase()).filter((t) => CONNECTION_TYPES.has(t));
  return known.length > 0 && known.includes(type);
}

function success(user: ClaimsData<UserClaims>, claims: UserPermissionLimits, account: ClaimsData<AccountClaims>, windowEndsMs: number | undefined): AuthSuccess {
  const permissions = permissionsOf(claims) ?? permissionsOf(account.nats.default_permissions ?? {});
  const expiries = [user.exp !== undefined && user.exp > 0 ? user.exp * 1000 : Infinity, windowEndsMs ?? Infinity];
  const expiresAtMs = Math.min(...expiries);
  const issuerKey = user.nats.issuer_account ? user.iss : account.sub;
  return {
    ok: true,
    user: user.sub,
    account: account.sub,
    ...(permissions !== null && { permissions }),
    limits: connectionLimits(claims, account.nats.limits),
    ...(expiresAtMs !== Infinity && { expiresAtMs }),
    ...(account.exp !== undefined && account.exp > 0 && { accountExpiresAtMs: account.exp * 1000 }),
    issuerKey,
    ...(user.name !== undefined && user.name !== '' && { nameTag: user.name }),
    ...((user.nats.tags?.length ?? 0) > 0 && { tags: user.nats.tags }),
  };
}

/** nats-server's buildPermissionsFromJwt: null when the claims restrict nothing. */
function permissionsOf(p: UserPermissionClaims): PermissionRules | null {
  const pub = (p.pub?.allow?.length ?? 0) > 0 || (p.pub?.deny?.length ?? 0) > 0;
  const sub = (p.sub?.allow?.length ?? 0) > 0 || (p.sub?.deny?.length ?? 0) > 0;
  if (!pub && !sub && p.resp === undefined) return null;
  return {
    ...(pub && { publish: { allow: [...(p.pub?.allow ?? [])], deny: [...(p.pub?.deny ?? [])] } }),
    ...(sub && { subscribe: { allow: [...(p.sub?.allow ?? [])], deny: [...(p.sub?.deny ?? [])] } }),
    ...(p.resp !== undefined && {
      allowResponses: {
        max: p.resp.max !== 0 ? p.resp.max : DEFAULT_RESPONSE_MAX,
        expiresMs: p.resp.ttl !== 0 ? p.resp.ttl / 1e6 : DEFAULT_RESPONSE_TTL_MS,
      },
    }),
  };
}

/**
 * The user's subscription and payload limits, lowered to the account's (nats-server's minLimit: -1
 * is no limit). A limit missing from a JWT is 0, as Go decodes it.
 */
function connectionLimits(user: UserPermissionLimits, account: Readonly<Record<string, number | boolean>> | undefined): ConnectionLimits {
  const limit = (value: unknown): number => (typeof value === 'number' ? value : 0);
  const min = (own: number, acc: number): number => (own === -1 ? acc : acc !== -1 && acc < own ? acc : own);
  return { subs: min(limit(user.subs), limit(account?.subs)), payload: min(limit(user.payload), limit(account?.payload)) };
}
