// What the authenticator is built from, what it is asked and what it answers. Declared here rather
// than taken from config (auth does not import config); server.ts maps the options onto these.
import type { AuthFailureOutcome, AuthSuccessOutcome, ConnectionType, PermissionRules } from '../core/index.js';
import type { CertIdentity } from '../util/index.js';

export const CONNECTION_TYPES: ReadonlySet<string> = new Set<ConnectionType>([
  'STANDARD',
  'WEBSOCKET',
  'MQTT',
  'MQTT_WS',
  'LEAFNODE',
  'LEAFNODE_WS',
]);

export interface UserSpec {
  readonly user: string;
  /** Plain text or a bcrypt hash. */
  readonly password: string;
  readonly permissions?: PermissionRules;
  /** Connection type names (STANDARD, WEBSOCKET, ...); absent or empty = all. */
  readonly allowedConnectionTypes?: readonly string[];
}

/** A user known by its NKEY public key (`U...`), which signs the connection's nonce. */
export interface NkeyUserSpec {
  readonly nkey: string;
  readonly permissions?: PermissionRules;
  /** Connection type names (STANDARD, WEBSOCKET, ...); absent or empty = all. */
  readonly allowedConnectionTypes?: readonly string[];
}

export interface AccountSpec {
  readonly name: string;
  readonly users: readonly UserSpec[];
  readonly nkeys?: readonly NkeyUserSpec[];
  readonly defaultPermissions?: PermissionRules;
}

/** The `authorization {}` block and `no_auth_user`. */
export interface AuthorizationSpec {
  readonly token?: string;
  readonly user?: string;
  readonly password?: string;
  /** Users bound to the global account. */
  readonly users: readonly UserSpec[];
  readonly nkeys?: readonly NkeyUserSpec[];
  /** CONNECT deadline; undefined or 0 = 2s, or the TLS handshake timeout + 1s with TLS. */
  readonly timeoutMs?: number;
  readonly defaultPermissions?: PermissionRules;
  readonly noAuthUser?: string;
}

export interface AuthOptions {
  readonly auth: AuthorizationSpec;
  readonly accounts: readonly AccountSpec[];
  /** Present when clients use TLS: its handshake deadline, and whether the certificate names the user (`verify_and_map`). */
  readonly tls?: { readonly timeoutMs: number; readonly verifyAndMap?: boolean };
  readonly systemAccount: string;
  readonly noSystemAccount: boolean;
}

export interface AuthContext {
  readonly connectionType: ConnectionType;
  /** The nonce this connection's INFO carried (absent or '' for none). */
  readonly nonce?: string;
  /** What the client's certificate names; absent or null without one. */
  readonly tlsIdentity?: CertIdentity | null;
  /** The client's IP address (a JWT's `src` is checked against it). */
  readonly host?: string;
}

/** Who logged in, as core takes it: the user (absent for token, no-auth and anonymous logins), account, permissions, and what a JWT brings. */
export type AuthSuccess = AuthSuccessOutcome;

/** Why a login was refused; for logs only: the wire answer is always `Authorization Violation`. */
export type AuthFailureReason =
  | 'LEGACY_ACCOUNT'
  | 'UNKNOWN_USER'
  | 'CONNECTION_TYPE_NOT_ALLOWED'
  | 'BAD_CREDENTIALS';

/** A refusal as core takes it (the user tried, a log line, revoked, account expired), with the reason for tests and logs. */
export interface AuthFailure extends AuthFailureOutcome {
  readonly reason: AuthFailureReason;
}

export type AuthResult = AuthSuccess | AuthFailure;
