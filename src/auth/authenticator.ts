// Decides who a CONNECT is and which account it lands in, in nats-server's order
// (server/auth.go processClientOrLeafAuthentication): users, then token, then the single user.
import type { Options } from '../config/index.js';
import type { ConnectOptions } from '../protocol/nats/index.js';
import { AuthConfigError } from './errors.js';
import { isBcryptHash, verifySecret } from './password.js';
import type { ClientAuthenticator } from '../core/index.js';
import { GLOBAL_ACCOUNT } from '../util/index.js';
import { type AuthContext, type AuthFailure, type AuthFailureReason, type AuthResult, type AuthSuccess } from './types.js';
import { buildUserTable, connectionTypeAllowed, type AuthUser } from './user-table.js';

/** The options the authenticator reads; a whole `Options` will do. */
export type AuthOptions = Pick<Options, 'auth' | 'accounts' | 'tls' | 'systemAccount' | 'noSystemAccount'>;

const DEFAULT_AUTH_TIMEOUT_MS = 2000;
// With TLS the CONNECT deadline must outlast the handshake deadline.
const TLS_AUTH_TIMEOUT_EXTRA_MS = 1000;

const GLOBAL_LOGIN: AuthSuccess = Object.freeze({ ok: true, account: GLOBAL_ACCOUNT });

export class Authenticator implements ClientAuthenticator {
  /** INFO `auth_required`. */
  readonly required: boolean;
  /** How long a new connection may take to send CONNECT. */
  readonly timeoutMs: number;
  private readonly configured: boolean;
  private readonly users: ReadonlyMap<string, AuthUser>;
  private readonly hasUsers: boolean;
  private readonly noAuthUser: AuthUser | undefined;
  private readonly anonymousIntoGlobal: boolean;
  private readonly token: string | undefined;
  private readonly singleUser: string | undefined;
  private readonly singlePassword: string;
  private readonly accounts: readonly string[];

  constructor(options: AuthOptions) {
    const { auth } = options;
    this.users = buildUserTable(auth, options.accounts);
    this.noAuthUser = resolveNoAuthUser(auth.noAuthUser, this.users);
    this.anonymousIntoGlobal = letsAnonymousIntoGlobal(options);
    this.hasUsers = this.users.size > 0 || this.anonymousIntoGlobal;
    this.token = auth.token || undefined;
    this.singleUser = auth.user || undefined;
    this.singlePassword = auth.password ?? '';
    this.configured = this.hasUsers || this.token !== undefined || this.singleUser !== undefined;
    // nats-server reports no auth when anyone may fall back to the no_auth_user.
    this.required = this.configured && this.noAuthUser === undefined;
    this.timeoutMs = authTimeoutMs(options);
    this.accounts = accountNamesOf(options);
  }

  async authenticate(connect: ConnectOptions, ctx: AuthContext): Promise<AuthResult> {
    // nats-server rejects these after authenticating; the outcome is the same, so skip the work.
    if (connect.account || connect.new_account === true) return failure('LEGACY_ACCOUNT');
    if (!this.configured) return GLOBAL_LOGIN;

    const user = connect.user ?? '';
    const pass = connect.pass ?? '';
    const token = connect.auth_token ?? '';
    if (this.hasUsers) {
      if (user === '' && pass === '' && token === '') {
        const anonymous = this.anonymousLogin(ctx);
        if (anonymous !== undefined) return anonymous;
      } else if (user !== '') {
        return this.userLogin(user, pass, ctx);
      }
    }
    if (this.token !== undefined) {
      return (await verifySecret(this.token, token)) ? GLOBAL_LOGIN : failure('BAD_CREDENTIALS');
    }
    if (this.singleUser !== undefined && user === this.singleUser && (await verifySecret(this.singlePassword, pass))) {
      return { ok: true, user, account: GLOBAL_ACCOUNT };
    }
    return failure('BAD_CREDENTIALS');
  }

  /** Every account a connection can be bound to: $G, the declared ones and the system account. */
  accountNames(): string[] {
    return [...this.accounts];
  }

  private anonymousLogin(ctx: AuthContext): AuthResult | undefined {
    const u = this.noAuthUser;
    if (u !== undefined) {
      if (!connectionTypeAllowed(u, ctx.connectionType)) return failure('CONNECTION_TYPE_NOT_ALLOWED');
      // nats-server checks the stored password against itself, which a bcrypt hash never matches.
      if (isBcryptHash(u.password)) return failure('BAD_CREDENTIALS');
      return success(u);
    }
    return this.anonymousIntoGlobal ? GLOBAL_LOGIN : undefined;
  }

  private async userLogin(name: string, pass: string, ctx: AuthContext): Promise<AuthResult> {
    const u = this.users.get(name);
    if (u === undefined) return failure('UNKNOWN_USER');
    if (!connectionTypeAllowed(u, ctx.connectionType)) return failure('CONNECTION_TYPE_NOT_ALLOWED');
    return (await verifySecret(u.password, pass)) ? success(u) : failure('BAD_CREDENTIALS');
  }
}

function success(u: AuthUser): AuthSuccess {
  return u.permissions === undefined
    ? { ok: true, user: u.name, account: u.account }
    : { ok: true, user: u.name, account: u.account, permissions: u.permissions };
}

const FAILURES = new Map<AuthFailureReason, AuthFailure>();

function failure(reason: AuthFailureReason): AuthFailure {
  let f = FAILURES.get(reason);
  if (f === undefined) {
    f = Object.freeze({ ok: false, reason });
    FAILURES.set(reason, f);
  }
  return f;
}

function resolveNoAuthUser(name: string | undefined, users: ReadonlyMap<string, AuthUser>): AuthUser | undefined {
  if (!name) return undefined;
  const u = users.get(name);
  if (u === undefined) {
    throw new AuthConfigError(
      'UNKNOWN_NO_AUTH_USER',
      `no_auth_user: "${name}" not present as user in authorization block or account configuration`,
    );
  }
  return u;
}

// When the system account is the only declared account, nats-server adds a hidden no_auth_user
// bound to $G so that giving the system account users does not lock everyone else out.
// 2.9.10 did so even when an authorization block was present, letting anonymous clients past
// it; later releases (nats-server #4605) skip it then, and so do we.
function letsAnonymousIntoGlobal(o: AuthOptions): boolean {
  const { auth, accounts } = o;
  if (auth.noAuthUser || auth.token || auth.user || auth.users.length > 0) return false;
  return accounts.length === 1 && accounts[0]?.name === o.systemAccount;
}

function authTimeoutMs(o: AuthOptions): number {
  const configured = o.auth.timeoutMs;
  // nats-server treats a zero timeout as unset.
  if (configured !== undefined && configured > 0) return configured;
  return o.tls !== undefined ? o.tls.timeoutMs + TLS_AUTH_TIMEOUT_EXTRA_MS : DEFAULT_AUTH_TIMEOUT_MS;
}

function accountNamesOf(o: AuthOptions): readonly string[] {
  const names = new Set<string>([GLOBAL_ACCOUNT]);
  for (const acc of o.accounts) names.add(acc.name);
  if (!o.noSystemAccount && o.systemAccount) names.add(o.systemAccount);
  return [...names];
}
