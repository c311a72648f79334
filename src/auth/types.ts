// What the authenticator is asked and what it answers.
import type { PermissionsConfig } from '../config/index.js';
import type { ConnectionType } from '../core/index.js';

export const CONNECTION_TYPES: ReadonlySet<string> = new Set<ConnectionType>([
  'STANDARD',
  'WEBSOCKET',
  'MQTT',
  'MQTT_WS',
  'LEAFNODE',
  'LEAFNODE_WS',
]);

export interface AuthContext {
  readonly connectionType: ConnectionType;
}

export interface AuthSuccess {
  readonly ok: true;
  /** Configured user the connection is logged in as; absent for token, no-auth and anonymous logins. */
  readonly user?: string;
  readonly account: string;
  readonly permissions?: PermissionsConfig;
}

/** Why a login was refused; for logs only: the wire answer is always `Authorization Violation`. */
export type AuthFailureReason =
  | 'LEGACY_ACCOUNT'
  | 'UNKNOWN_USER'
  | 'CONNECTION_TYPE_NOT_ALLOWED'
  | 'BAD_CREDENTIALS';

export interface AuthFailure {
  readonly ok: false;
  readonly reason: AuthFailureReason;
}

export type AuthResult = AuthSuccess | AuthFailure;
