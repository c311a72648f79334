// The configured users, resolved once: account binding, effective permissions, allowed connection types.
import { AuthConfigError } from './errors.js';
import type { ConnectionType, PermissionRules } from '../core/index.js';
import { GLOBAL_ACCOUNT } from '../util/index.js';
import { CONNECTION_TYPES, type AccountSpec, type AuthorizationSpec, type NkeyUserSpec, type UserSpec } from './types.js';

/** Who a login is: a user's name (an NKEY user's is its public key), account and rights. */
export interface AuthIdentity {
  readonly name: string;
  readonly account: string;
  readonly permissions?: PermissionRules;
  /** Undefined = every connection type. */
  readonly allowedConnectionTypes?: ReadonlySet<string>;
}

/** A user by name and password. */
export interface AuthUser extends AuthIdentity {
  /** Plain text or bcrypt hash. */
  readonly password: string;
}

/** Users of `authorization {}` (bound to $G) and of every `accounts {}` block, by name. */
export function buildUserTable(auth: AuthorizationSpec, accounts: readonly AccountSpec[]): Map<string, AuthUser> {
  const table = new Map<string, AuthUser>();
  for (const u of auth.users) add(table, resolveUser(u, GLOBAL_ACCOUNT, auth.defaultPermissions));
  for (const acc of accounts) {
    for (const u of acc.users) add(table, resolveUser(u, acc.name, acc.defaultPermissions));
  }
  return table;
}

/** The NKEY users of `authorization {}` and of every account, by public key. */
export function buildNkeyTable(auth: AuthorizationSpec, accounts: readonly AccountSpec[]): Map<string, AuthIdentity> {
  const table = new Map<string, AuthIdentity>();
  const add = (u: NkeyUserSpec, account: string, blockDefault: PermissionRules | undefined): void => {
    if (table.has(u.nkey)) throw new AuthConfigError('DUPLICATE_USER', `duplicate nkey "${u.nkey}" detected`);
    table.set(u.nkey, resolve(u.nkey, account, u.permissions ?? blockDefault, u.allowedConnectionTypes));
  };
  for (const u of auth.nkeys ?? []) add(u, GLOBAL_ACCOUNT, auth.defaultPermissions);
  for (const acc of accounts) for (const u of acc.nkeys ?? []) add(u, acc.name, acc.defaultPermissions);
  return table;
}

export function connectionTypeAllowed(user: AuthIdentity, type: ConnectionType): boolean {
  return user.allowedConnectionTypes === undefined || user.allowedConnectionTypes.has(type);
}

function add(table: Map<string, AuthUser>, user: AuthUser): void {
  if (table.has(user.name)) {
    throw new AuthConfigError('DUPLICATE_USER', `duplicate user "${user.name}" detected`);
  }
  table.set(user.name, user);
}

// A block's default permissions apply only to its users that have none of their own.
function resolveUser(u: UserSpec, account: string, blockDefault: PermissionRules | undefined): AuthUser {
  return { ...resolve(u.user, account, u.permissions ?? blockDefault, u.allowedConnectionTypes), password: u.password };
}

function resolve(name: string, account: string, permissions: PermissionRules | undefined, types: readonly string[] | undefined): AuthIdentity {
  const allowedConnectionTypes = resolveConnectionTypes(types);
  return {
    name,
    account,
    ...(permissions !== undefined && { permissions }),
    ...(allowedConnectionTypes !== undefined && { allowedConnectionTypes }),
  };
}

function resolveConnectionTypes(types: readonly string[] | undefined): ReadonlySet<string> | undefined {
  // An empty list means no restriction, as in nats-server.
  if (types === undefined || types.length === 0) return undefined;
  const set = new Set<string>();
  for (const t of types) {
    const upper = t.toUpperCase();
    if (!CONNECTION_TYPES.has(upper)) {
      throw new AuthConfigError('UNKNOWN_CONNECTION_TYPE', `unknown connection type "${t}"`);
    }
    set.add(upper);
  }
  return set;
}
