// NATS JWTs (v2: `{"typ":"JWT","alg":"ed25519-nkey"}`): decoded, their signature checked against the
// issuer's public key, and their times checked, as nats-server's jwt library does before it trusts one.
// The claims are typed as far as the server reads them.

import type { SubjectRules } from '../core/index.js';
import { decodePublicKey, NkeyRole } from '../util/index.js';
import { verifiesSignature } from './nonce.js';

export interface ClaimsData<T> {
  readonly jti: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  readonly iss: string;
  readonly sub: string;
  readonly name: string;
  readonly exp?: number;
  readonly nbf?: number;
  readonly nats: T & { readonly tags?: readonly string[] };
}

/** A claim's `pub` or `sub`: the allow and deny lists, as core's rules hold them. */
export type SubjectPermission = SubjectRules;

export interface UserPermissionClaims {
  readonly pub?: SubjectPermission;
  readonly sub?: SubjectPermission;
  /** `ttl` in nanoseconds (Go's time.Duration). */
  readonly resp?: { readonly max: number; readonly ttl: number };
}

/** A user's permissions and limits: what a scoped signing key's template gives in place of the user's own. */
export interface UserPermissionLimits extends UserPermissionClaims {
  readonly bearer_token?: boolean;
  readonly allowed_connection_types?: readonly string[];
  readonly src?: readonly string[] | string;
  readonly times?: readonly { readonly start: string; readonly end: string }[];
  readonly times_location?: string;
  readonly subs?: number;
  readonly data?: number;
  readonly payload?: number;
}

export interface UserClaims extends UserPermissionLimits {
  readonly type: 'user';
  readonly version?: number;
  readonly issuer_account?: string;
}

export interface SigningKeyScope {
  readonly kind: 'user_scope';
  readonly key: string;
  readonly role?: string;
  readonly template?: UserPermissionLimits;
}

export interface AccountClaims {
  readonly type: 'account';
  readonly version?: number;
  readonly signing_keys?: readonly (string | SigningKeyScope)[];
  readonly revocations?: Readonly<Record<string, number>>;
  readonly limits?: Readonly<Record<string, number | boolean>>;
  readonly imports?: readonly unknown[];
  readonly exports?: readonly unknown[];
  readonly default_permissions?: UserPermissionClaims;
}

export interface OperatorClaims {
  readonly type: 'operator';
  readonly version?: number;
  readonly signing_keys?: readonly string[];
  readonly system_account?: string;
  readonly assert_server_version?: string;
  readonly strict_signing_key_usage?: boolean;
  readonly account_server_url?: string;
}

/** An exporter's grant to one account to import one of its exports that requires a token. */
export interface ActivationClaims {
  readonly type: 'activation';
  readonly version?: number;
  /** The export's subject the grant is for. */
  readonly subject?: string;
  readonly kind?: string;
  readonly issuer_account?: string;
}

export type AnyClaims = UserClaims | AccountClaims | OperatorClaims | ActivationClaims;

/** Why a token is refused; the message is the jwt library's where nats-server shows it. */
export class JwtError extends Error {}

/** The key role a claim's subject must have. */
const SUBJECT_ROLE: Readonly<Record<AnyClaims['type'], NkeyRole>> = { user: NkeyRole.User, account: NkeyRole.Account, operator: NkeyRole.Operator, activation: NkeyRole.Account };

/**
 * Decodes a JWT of claim type `type`, checking its header, that the issuer's key signed it, and that
 * its subject is a key of the claim's role. Times are not checked here (see expiredOrNotYet).
 */
export function decodeJwt<T extends AnyClaims>(token: string, type: T['type']): ClaimsData<T> {
  const parsed = parseJwt<T>(token, type);
  if (!verifiesSignature(parsed.claims.iss, parsed.signed, parsed.sig)) throw new JwtError('claim failed V2 signature verification');
  return parsed.claims;
}

/** A JWT taken apart, its signature not checked yet. */
export interface ParsedJwt<T> {
  readonly claims: ClaimsData<T>;
  /** What the issuer signed: the header and the claims as the token carries them. */
  readonly signed: string;
  readonly sig: string;
}

/** decodeJwt's checks but the signature's, which the caller checks (perhaps off the event loop). */
export function parseJwt<T extends AnyClaims>(token: string, type: T['type']): ParsedJwt<T> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtError('expected 3 chunks');
  const [head, body, sig] = parts as [string, string, string];
  let header: { typ?: string; alg?: string };
  let claims: ClaimsData<T>;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ClaimsData<T>;
  } catch {
    throw new JwtError('invalid JWT encoding');
  }
  if (header.typ?.toUpperCase() !== 'JWT') throw new JwtError(`not supported type "${header.typ ?? ''}"`);
  if (header.alg !== 'ed25519-nkey') throw new JwtError(`unexpected "${header.alg ?? ''}" algorithm`);
  if (claims === null || typeof claims !== 'object' || claims.nats === null || typeof claims.nats !== 'object') throw new JwtError('invalid JWT claims');
  if (claims.nats.type !== type) throw new JwtError(`not ${type} claim`);
  if (decodePublicKey(SUBJECT_ROLE[type], claims.sub) === null) throw new JwtError(`invalid subject - not a ${type} public key`);
  return { claims, signed: `${head}.${body}`, sig };
}

/**
 * Decodes a JWT of any claim type (nats-server's DecodeGeneric), checking its header and that the
 * issuer's key signed it; `nats` holds whatever the claim carries.
 */
export function decodeGenericJwt(token: string): ClaimsData<Readonly<Record<string, unknown>>> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtError('expected 3 chunks');
  const [head, body, sig] = parts as [string, string, string];
  let claims: ClaimsData<Readonly<Record<string, unknown>>>;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    throw new JwtError('invalid JWT encoding');
  }
  if (claims === null || typeof claims !== 'object') throw new JwtError('invalid JWT claims');
  if (!verifiesSignature(claims.iss, `${head}.${body}`, sig)) throw new JwtError('claim failed V2 signature verification');
  return { ...claims, nats: claims.nats ?? {} };
}

/** The blocking time checks: expired, or not valid yet (`now` in seconds). */
export function timeProblem(claims: ClaimsData<unknown>, nowSeconds: number): string | null {
  if (claims.exp !== undefined && claims.exp > 0 && nowSeconds > claims.exp) return 'claim is expired';
  if (claims.nbf !== undefined && claims.nbf > 0 && nowSeconds < claims.nbf) return 'claim is not yet valid';
  return null;
}

/** Revoked: the list revokes this key, or everyone (`*`), at or after `issuedAt` (seconds). */
export function isRevoked(revocations: Readonly<Record<string, number>> | undefined, key: string, issuedAt: number): boolean {
  if (revocations === undefined) return false;
  const own = revocations[key];
  const all = revocations['*'];
  return (own !== undefined && own >= issuedAt) || (all !== undefined && all >= issuedAt);
}

/** The keys a signing_keys list names (plain keys and scoped ones), with the scopes by key. */
export function signingKeys(list: readonly (string | SigningKeyScope)[] | undefined): Map<string, SigningKeyScope | null> {
  const keys = new Map<string, SigningKeyScope | null>();
  for (const k of list ?? []) {
    if (typeof k === 'string') keys.set(k, null);
    else if (typeof k === 'object' && k !== null && typeof k.key === 'string') keys.set(k.key, k);
  }
  return keys;
}

/** A `.creds` file's or an inline value's JWT: the text between the BEGIN and END lines, or the value itself. */
export function decoratedJwt(text: string): string {
  const m = /-{3,}[^\n]*BEGIN[^\n]*JWT[^\n]*-{3,}\s*\n\s*([^\s-][^\n]*)\s*\n/.exec(text);
  return (m?.[1] ?? text).trim();
}
