// Decides who a CONNECT is and which account it lands in, in nats-server's order
// (server/auth.go processClientOrLeafAuthentication): an NKEY user when CONNECT names a key and such
// users exist, then users (named by the client certificate with verify_and_map, else by CONNECT),
// then token, then the single user.
import type { ConnectOptions } from '../protocol/nats/index.js';
import { AuthConfigError } from './errors.js';
import { certUser } from './cert-user.js';
import { newNonce, verifiesNonce } from './nonce.js';
import { isBcryptHash, verifySecret } from './password.js';
import type { ClientAuthenticator } from '../core/index.js';
import { GLOBAL_ACCOUNT } from '../util/index.js';
import type { AuthContext, AuthFailure, AuthFailureReason, AuthOptions, AuthResult, AuthSuccess } from './types.js';
import { buildNkeyTable, buildUserTable, connectionTypeAllowed, type AuthIdentity, type AuthUser } from './user-table.js';

const DEFAULT_AUTH_TIMEOUT_MS = 2000;
// With TLS the CONNECT deadline must outlast the handshake deadline.
const TLS_AUTH_TIMEOUT_EXTRA_MS = 1000;

const GLOBAL_LOGIN: AuthSuccess = Object.freeze({ ok: true, account: GLOBAL_ACCOUNT });

export class Authenticator implements ClientAuthenticator {
  /** Some authentication is configured: every client must pass it (no_auth_user included). */
  readonly configured: boolean;
  /** INFO `auth_required`: nats-server says false when anyone may fall back to the no_auth_user. */
  readonly advertiseRequired: boolean;
  /** The no_auth_user's login, for a client whose first operation is not CONNECT. */
  readonly noAuthLogin: AuthSuccess | null;
  readonly refusedBeforeConnect: AuthFailure;
  /** How long a new connection may take to send CONNECT. */
  readonly timeoutMs: number;
  private readonly users: ReadonlyMap<string, AuthUser>;
  private readonly nkeys: ReadonlyMap<string, AuthIdentity>;
  /** `verify_and_map`: with users configured, the client certificate names the user. */
  private readonly tlsMap: boolean;
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
    this.nkeys = buildNkeyTable(auth, options.accounts);
    this.tlsMap = options.tls?.verifyAndMap === true;
    this.noAuthUser = resolveNoAuthUser(auth.noAuthUser, this.users);
    this.anonymousIntoGlobal = letsAnonymousIntoGlobal(options);
    this.hasUsers = this.users.size > 0 || this.anonymousIntoGlobal;
    this.token = auth.token || undefined;
    this.singleUser = auth.user || undefined;
    this.singlePassword = auth.password ?? '';
    this.configured = this.hasUsers || this.nkeys.size > 0 || this.token !== undefined || this.singleUser !== undefined;
    this.advertiseRequired = this.configured && this.noAuthUser === undefined;
    this.noAuthLogin = this.noAuthUser === undefined ? null : success(this.noAuthUser);
    this.refusedBeforeConnect = this.failure('BAD_CREDENTIALS', '');
    this.timeoutMs = authTimeoutMs(options);
    this.accounts = accountNamesOf(options);
  }

  newNonce(): string {
    return this.nkeys.size > 0 ? newNonce() : '';
  }

  async authenticate(connect: ConnectOptions, ctx: AuthContext): Promise<AuthResult> {
    const user = connect.user ?? '';
    const pass = connect.pass ?? '';
    const token = connect.auth_token ?? '';
    const anonymous = user === '' && pass === '' && token === '';
    // nats-server rejects these after authenticating; the outcome is the same, so skip the work.
    if (connect.account || connect.new_account === true) return this.failure('LEGACY_ACCOUNT', this.userTried(user, anonymous));
    if (!this.configured) return GLOBAL_LOGIN;
    const nkey = connect.nkey ?? '';
    if (this.nkeys.size > 0 && nkey !== '') return await this.nkeyLogin(nkey, connect.sig ?? '', ctx);

    if (this.hasUsers) {
      if (this.tlsMap) return this.certLogin(connect.pass ?? '', ctx);
      if (anonymous) {
        const login = this.anonymousLogin(ctx);
        if (login !== undefined) return login;
      } else if (user !== '') {
        return this.userLogin(user, pass, ctx);
      }
    }
    const tried = this.userTried(user, anonymous);
    if (this.token !== undefined) {
      return (await verifySecret(this.token, token)) ? GLOBAL_LOGIN : this.failure('BAD_CREDENTIALS', tried);
    }
    if (this.singleUser !== undefined && user === this.singleUser && (await verifySecret(this.singlePassword, pass))) {
      return { ok: true, user, account: GLOBAL_ACCOUNT };
    }
    return this.failure('BAD_CREDENTIALS', tried);
  }

  /** Every account a connection can be bound to: $G, the declared ones and the system account. */
  accountNames(): string[] {
    return [...this.accounts];
  }

  /** CONNECT without credentials: the no_auth_user fills them in, as nats-server does. */
  private anonymousLogin(ctx: AuthContext): AuthResult | undefined {
    const u = this.noAuthUser;
    if (u !== undefined) {
      if (!connectionTypeAllowed(u, ctx.connectionType)) return this.failure('CONNECTION_TYPE_NOT_ALLOWED', u.name);
      // nats-server checks the stored password against itself, which a bcrypt hash never matches.
      if (isBcryptHash(u.password)) return this.failure('BAD_CREDENTIALS', u.name);
      return success(u);
    }
    return this.anonymousIntoGlobal ? GLOBAL_LOGIN : undefined;
  }

  private async userLogin(name: string, pass: string, ctx: AuthContext): Promise<AuthResult> {
    const u = this.users.get(name);
    if (u === undefined) return this.failure('UNKNOWN_USER', name);
    if (!connectionTypeAllowed(u, ctx.connectionType)) return this.failure('CONNECTION_TYPE_NOT_ALLOWED', name);
    return (await verifySecret(u.password, pass)) ? success(u) : this.failure('BAD_CREDENTIALS', name);
  }

  /**
   * The user the client certificate names (cert-user.ts); CONNECT's user name is not looked at, its
   * password still is (users for certificates are usually configured without one).
   */
  private async certLogin(pass: string, ctx: AuthContext): Promise<AuthResult> {
    const id = ctx.tlsIdentity ?? null;
    if (id === null) return this.failure('BAD_CREDENTIALS', '');
    const u = certUser(id, this.users.entries(), (name) => {
      const found = this.users.get(name);
      return found !== undefined && connectionTypeAllowed(found, ctx.connectionType) ? found : undefined;
    });
    if (u === undefined) return this.failure('UNKNOWN_USER', '');
    return (await verifySecret(u.password, pass)) ? success(u) : this.failure('BAD_CREDENTIALS', u.name);
  }

  /** An NKEY user signs the nonce its INFO carried with the key's seed. */
  private async nkeyLogin(nkey: string, sig: string, ctx: AuthContext): Promise<AuthResult> {
    const u = this.nkeys.get(nkey);
    if (u === undefined) return this.failure('UNKNOWN_USER', nkey);
    if (!connectionTypeAllowed(u, ctx.connectionType)) return this.failure('CONNECTION_TYPE_NOT_ALLOWED', nkey);
    // nats-server names the account as an NKEY user's issuer (monitoring's issuer_key).
    return (await verifiesNonce(nkey, ctx.nonce ?? '', sig)) ? { ...success(u), issuerKey: u.account } : this.failure('BAD_CREDENTIALS', nkey);
  }

  /** The user name a failure names: what CONNECT gave, or the no_auth_user it stood for. */
  private userTried(user: string, anonymous: boolean): string {
    return anonymous && this.noAuthUser !== undefined ? this.noAuthUser.name : user;
  }

  /** nats-server names the user tried only when users are configured. */
  private failure(reason: AuthFailureReason, user: string): AuthFailure {
    return this.users.size > 0 || this.nkeys.size > 0 ? { ok: false, reason, user } : { ok: false, reason };
  }
}

function success(u: AuthIdentity): AuthSuccess {
  return u.permissions === undefined
    ? { ok: true, user: u.name, account: u.account }
    : { ok: true, user: u.name, account: u.account, permissions: u.permissions };
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
  if (auth.noAuthUser || auth.token || auth.user || auth.users.length > 0 || (auth.nkeys?.length ?? 0) > 0) return false;
  return accounts.length === 1 && accounts[0]?.name === o.systemAccount;
}

/** The CONNECT deadline the options give. */
export function authTimeoutMs(o: AuthOptions): number {
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
