// How clients log in, as the options configure it: operator (JWT) mode and its account directory, the
// top-level authenticator's options, and the websocket and mqtt blocks' own login.

import { AccountJwtDir, Authenticator, authTimeoutMs, operatorMode } from '../auth/index.js';
import type { AuthOptions, OperatorMode } from '../auth/index.js';
import type { Options } from '../config/index.js';

/** Operator mode as the options configure it (nats-server's errors as thrown); null without an operator. */
export function operatorModeOf(opts: Options, accountDir: AccountJwtDir | null): OperatorMode | null {
  const op = opts.operatorMode;
  if (op === undefined) return null;
  const input = {
    operators: op.operators,
    ...(op.resolver !== undefined && { resolver: op.resolver.type }),
    preload: op.preload,
    ...(accountDir !== null && { stored: accountDir.all() }),
    systemAccount: op.systemAccount,
    hasAccounts: opts.accounts.length > 0,
    hasUsers: opts.auth.users.length > 0 || (opts.auth.nkeys?.length ?? 0) > 0 || opts.auth.user !== undefined || opts.auth.token !== undefined,
  };
  return operatorMode(input, authTimeoutMs(authOptionsOf(opts)), Date.now());
}

/** The full resolver's directory, made if missing, with the preloads stored unless it holds newer JWTs of theirs. */
export function openAccountDir(opts: Options): AccountJwtDir | null {
  const resolver = opts.operatorMode?.resolver;
  if (resolver?.type !== 'full') return null;
  const dir = new AccountJwtDir(resolver.dir, resolver);
  for (const [key, jwt] of Object.entries(opts.operatorMode?.preload ?? {})) {
    try {
      dir.saveIfNewer(key, jwt);
    } catch {
      // A preload that is no account JWT is refused when operator mode is set up, with nats-server's error.
    }
  }
  return dir;
}

/** In operator mode the accounts are the trusted account JWTs' (named by public key), and the system account is the operator's. */
export function withOperatorAccounts(opts: Options, operator: OperatorMode | null): Options {
  if (operator === null) return opts;
  return {
    ...opts,
    systemAccount: operator.systemAccount !== '' ? operator.systemAccount : opts.systemAccount,
    accounts: operator.accounts.map(({ maxConnections: _, ...account }) => ({ ...account, users: [] })),
  };
}

/**
 * WebSocket or MQTT clients' own authenticator when their block sets a user, token or no_auth_user
 * (nats-server's authOverride): those replace the top-level ones for them, the users stay shared.
 * Throws nats-server's errors for what it refuses.
 */
export function listenerAuthenticatorOf(opts: Options, name: 'websocket' | 'mqtt'): Authenticator | null {
  const ws = opts[name];
  // The listener's own verify_and_map decides for its clients, not the top-level one (nats-server's tlsMap per kind).
  const tlsMap = ws?.tls?.verifyAndMap === true;
  if (ws === undefined || (!ws.auth?.user && !ws.auth?.token && ws.noAuthUser === undefined && tlsMap === (opts.tls?.verifyAndMap === true))) return null;
  const hasUsers = opts.auth.users.length > 0 || (opts.auth.nkeys?.length ?? 0) > 0 || opts.accounts.some((a) => a.users.length > 0 || (a.nkeys?.length ?? 0) > 0);
  if (hasUsers && ws.auth?.user) throw new Error(`${name} authentication username not compatible with presence of users/nkeys`);
  if (hasUsers && ws.auth?.token) throw new Error(`${name} authentication token not compatible with presence of users/nkeys`);
  const base = { ...authOptionsOf(opts), tls: { timeoutMs: ws.tls?.timeoutMs ?? opts.tls?.timeoutMs ?? 2000, verifyAndMap: tlsMap } };
  const { token: _token, user: _user, password: _password, noAuthUser: _noAuthUser, ...shared } = base.auth;
  return new Authenticator({
    ...base,
    auth: {
      ...shared,
      ...(ws.auth?.token !== undefined && { token: ws.auth.token }),
      ...(ws.auth?.user !== undefined && { user: ws.auth.user }),
      ...(ws.auth?.password !== undefined && { password: ws.auth.password }),
      ...(ws.noAuthUser !== undefined && { noAuthUser: ws.noAuthUser }),
      ...(ws.auth?.timeoutMs !== undefined && { timeoutMs: ws.auth.timeoutMs }),
    },
  });
}

/** What the authenticator needs of the options (config's user and permission shapes are auth's too). */
export function authOptionsOf(opts: Options): AuthOptions {
  return {
    auth: opts.auth,
    accounts: opts.accounts,
    ...(opts.tls !== undefined ? { tls: { timeoutMs: opts.tls.timeoutMs, verifyAndMap: opts.tls.verifyAndMap === true } } : {}),
    systemAccount: opts.systemAccount,
    noSystemAccount: opts.noSystemAccount,
  };
}
