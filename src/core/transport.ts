// What core needs from a transport: a byte stream (a node socket fits) plus how it was accepted.

import type { ConnectOptions } from '../protocol/nats/index.js';
import type { CertIdentity } from '../util/index.js';
import type { ByteSink } from './outbound.js';
import type { PermissionRules } from './permissions.js';
import type { ClientConnection } from './client-connection.js';

export interface TransportSocket extends ByteSink {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'drain' | 'close' | 'end', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  once(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'error', listener: (err: Error) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  end(): unknown;
  destroy(): unknown;
  readonly destroyed: boolean;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
}

/** The result of a TLS handshake done by the transport layer. */
export interface TlsUpgrade {
  readonly socket: TransportSocket;
  readonly version: string;
  readonly cipher: string;
  /** SHA-256 of the client certificate's public key (SPKI), hex, as `pinned_certs` lists it; '' without one. */
  readonly peerKeyId: string;
  /** Who the client certificate names (for `verify_and_map`); null without one. */
  readonly peerIdentity: CertIdentity | null;
}

/** Connection types as nats-server names them in allowed_connection_types. */
export type ConnectionType = 'STANDARD' | 'WEBSOCKET' | 'MQTT' | 'MQTT_WS' | 'LEAFNODE' | 'LEAFNODE_WS';

export interface AcceptedSocket {
  readonly socket: TransportSocket;
  readonly type: ConnectionType;
  /** Present when the listener requires TLS after INFO; resolves when the handshake is done. */
  readonly upgradeTls?: (alreadyRead?: Buffer) => Promise<TlsUpgrade>;
  /** TLS is offered, not required (allow_non_tls): the client's first bytes decide. */
  readonly tlsOptional?: boolean;
  readonly tlsTimeoutMs?: number;
  /** Peer address when the socket does not tell it (a WebSocket's underlying socket). */
  readonly remoteAddress?: string;
  /** The client's address as a proxy in front reported it (X-Forwarded-For): shown in log lines only, as nats-server does. */
  readonly forwardedFor?: string;
  /** The socket is TLS already (wss): what its handshake told. */
  readonly tls?: Omit<TlsUpgrade, 'socket'>;
  /** A user JWT the transport got beside the protocol (a WebSocket cookie): used when CONNECT carries none. */
  readonly jwtCookie?: string;
}

/** Who the user is, as core sees the outcome of authentication. */
export type AuthOutcome = AuthSuccessOutcome | AuthFailureOutcome;

export interface AuthSuccessOutcome {
  readonly ok: true;
  readonly user?: string;
  readonly account: string;
  readonly permissions?: PermissionRules;
  /** Limits the login brings for its connection (a JWT's); the server's own limits still apply. */
  readonly limits?: ConnectionLimits;
  /** When the login stops being valid (ms since the epoch); the client is then closed (`User Authentication Expired`). */
  readonly expiresAtMs?: number;
  /** When the login's account stops being valid (its JWT expires); the client is then closed (`Account Authentication Expired`). */
  readonly accountExpiresAtMs?: number;
  /** The key that signed the user's JWT (monitoring's issuer_key); absent for logins without one. */
  readonly issuerKey?: string;
  /** The user JWT's name and tags (monitoring's name_tag and tags). */
  readonly nameTag?: string;
  readonly tags?: readonly string[];
}

/** Per-connection limits from a login: -1 is no limit, 0 allows nothing (as in NATS JWTs). */
export interface ConnectionLimits {
  readonly subs: number;
  readonly payload: number;
}

export interface AuthFailureOutcome {
  readonly ok: false;
  /** The user name the client tried, for the log; absent when no users are configured (nats-server then names none). */
  readonly user?: string;
  /** Logged at error level before the authentication error (nats-server's `Bad src Ip <ip>`). */
  readonly logError?: string;
  /** The user's JWT was revoked: a logged-in client is told `User Authentication Revoked`, not an authorization violation. */
  readonly revoked?: boolean;
  /** The user's account is gone or expired: a logged-in client is told `Account Authentication Expired`. */
  readonly accountExpired?: boolean;
}

/** What the authenticator is told of a connection besides its CONNECT. */
export interface LoginContext {
  readonly connectionType: ConnectionType;
  /** What the client's INFO carried to sign ('' for none). */
  readonly nonce: string;
  /** The client certificate's names; null without one. */
  readonly tlsIdentity: CertIdentity | null;
  /** The client's IP address. */
  readonly host: string;
}

export interface ClientAuthenticator {
  /** Clients must authenticate: CONNECT comes first, within `timeoutMs`, and its credentials are checked. */
  readonly configured: boolean;
  /** INFO `auth_required`: false when a no_auth_user lets a client in without credentials. */
  readonly advertiseRequired: boolean;
  /** The login of a client whose first operation is not CONNECT (the no_auth_user); null refuses it. */
  readonly noAuthLogin: AuthSuccessOutcome | null;
  /** The failure logged for a client refused before it sent CONNECT. */
  readonly refusedBeforeConnect: AuthFailureOutcome;
  readonly timeoutMs: number;
  /** A fresh nonce for a new client's INFO, which it signs to log in; '' when no login needs one. */
  newNonce(): string;
  authenticate(connect: ConnectOptions, ctx: LoginContext): Promise<AuthOutcome>;
}

/** The logger core writes to (util's Logger fits). */
export interface CoreLog {
  readonly debugEnabled: boolean;
  readonly traceEnabled: boolean;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  debug(msg: string): void;
  trace(msg: string): void;
}

/**
 * What the system account hears of clients: nats-server's connect, disconnect and authentication
 * error events. Called after the fact; an implementation must not throw.
 */
export interface ClientEvents {
  /** Logged in and bound to its account. */
  connected(conn: ClientConnection): void;
  /** A logged-in client closed (its closeReason says why). */
  closed(conn: ClientConnection): void;
  /** Refused at login. */
  authFailed(conn: ClientConnection): void;
}
