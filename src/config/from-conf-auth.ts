// `authorization { }` and user lists (shared with accounts { X { users: [...] } }).

import { decodePublicKey, GLOBAL_ACCOUNT, NkeyRole } from '../util/index.js';
import type { Field, Issues } from './conf-reader.js';
import {
  describeNode,
  fieldOf,
  itemsOf,
  lowerCased,
  readNumber,
  readString,
  readStringList,
  typeError,
} from './conf-reader.js';
import type { ConfEntry, SourcePos } from './conf-tree.js';
import { DurationError, parseGoDurationMs } from './durations.js';
import { readPermissions } from './from-conf-permissions.js';
import type { NkeyUserConfig, PermissionsConfig, UserConfig } from './options.js';

/** Name of the global account, home of the authorization block's users. */

const CONNECTION_TYPES = new Set(['STANDARD', 'WEBSOCKET', 'LEAFNODE', 'LEAFNODE_WS', 'MQTT', 'MQTT_WS']);

/** A configured user (by name and password, or by NKEY) and where it was declared, for duplicate and conflict messages. */
export interface UserEntry {
  readonly config: UserConfig | NkeyUserConfig;
  readonly pos: SourcePos;
}

/** The entries' users by name and by NKEY, as the options keep them (nats-server's Users and Nkeys). */
export function splitUsers(entries: readonly UserEntry[]): { users: UserConfig[]; nkeys: NkeyUserConfig[] } {
  const users: UserConfig[] = [];
  const nkeys: NkeyUserConfig[] = [];
  for (const { config } of entries) {
    if ('nkey' in config) nkeys.push(config);
    else users.push(config);
  }
  return { users, nkeys };
}

export interface AuthorizationBlock {
  readonly pos: SourcePos;
  readonly token?: string;
  readonly user?: string;
  readonly password?: string;
  readonly timeoutMs?: number;
  readonly defaultPermissions?: PermissionsConfig;
  /** Undefined when there is no `users` key; `users: []` still counts as a users array. */
  readonly users?: readonly UserEntry[];
}

function readConnectionTypes(issues: Issues, field: Field): string[] | undefined {
  const types = readStringList(issues, field);
  if (types === undefined) return undefined;
  const upper = types.map((type) => type.toUpperCase());
  const unknown = upper.filter((type) => !CONNECTION_TYPES.has(type));
  if (unknown.length > 0) issues.error(field.pos, `invalid connection types ${JSON.stringify(unknown)}`);
  return [...new Set(upper.filter((type) => CONNECTION_TYPES.has(type)))];
}

function readUser(issues: Issues, item: Field, account: string): UserEntry | undefined {
  if (item.node.kind !== 'map') {
    issues.error(item.pos, `Expected user entry to be a map/struct, got ${describeNode(item.node)}`);
    return undefined;
  }
  let user: string | undefined;
  let password: string | undefined;
  let nkey: string | undefined;
  let permissions: PermissionsConfig | undefined;
  let allowedConnectionTypes: string[] | undefined;
  for (const [key, entry] of lowerCased(item.node)) {
    const field = fieldOf(entry);
    switch (key) {
      case 'user':
      case 'username':
        user = readString(issues, field);
        break;
      case 'pass':
      case 'password':
        password = readString(issues, field);
        break;
      case 'nkey':
        nkey = readString(issues, field);
        break;
      case 'permission':
      case 'permissions':
      case 'authorization':
        permissions = readPermissions(issues, field);
        break;
      case 'allowed_connection_types':
      case 'connection_types':
      case 'clients':
        allowedConnectionTypes = readConnectionTypes(issues, field);
        break;
      default:
        issues.unknownField(entry);
    }
  }
  const rights = {
    ...(permissions !== undefined && { permissions }),
    ...(allowedConnectionTypes !== undefined && { allowedConnectionTypes }),
  };
  if (nkey !== undefined) {
    if (decodePublicKey(NkeyRole.User, nkey) === null) {
      issues.error(item.pos, 'Not a valid public nkey for a user');
      return undefined;
    }
    if (user !== undefined || password !== undefined) {
      issues.error(item.pos, 'Nkey users do not take usernames or passwords');
      return undefined;
    }
    return { config: { nkey, account, ...rights }, pos: item.pos };
  }
  if (user === undefined) {
    issues.error(item.pos, 'User entry requires a user');
    return undefined;
  }
  return { config: { user, password: password ?? '', account, ...rights }, pos: item.pos };
}

/** `users: [ {user, password | nkey, permissions, allowed_connection_types}, ... ]` bound to `account`. */
export function readUsers(issues: Issues, field: Field, account: string): UserEntry[] | undefined {
  if (field.node.kind !== 'array') {
    issues.error(field.pos, `Expected users field to be an array, got ${describeNode(field.node)}`);
    return undefined;
  }
  const users: UserEntry[] = [];
  for (const item of itemsOf(field, field.node.items)) {
    const user = readUser(issues, item, account);
    if (user !== undefined) users.push(user);
  }
  return users;
}

/** Users without permissions of their own get the block's default permissions. */
export function withDefaultPermissions(users: readonly UserEntry[], defaults: PermissionsConfig | undefined): UserEntry[] {
  if (defaults === undefined) return [...users];
  return users.map((u) => (u.config.permissions === undefined ? { ...u, config: { ...u.config, permissions: defaults } } : u));
}

/** Authorization timeout: seconds (integer or float), or a duration string as newer servers accept. */
function readAuthTimeoutMs(issues: Issues, field: Field): number | undefined {
  if (field.node.kind === 'string') {
    try {
      return parseGoDurationMs(field.node.value);
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      issues.error(field.pos, `error parsing authorization timeout: ${err.message}`);
      return undefined;
    }
  }
  if (field.node.kind !== 'integer' && field.node.kind !== 'float') {
    return typeError(issues, field, 'a number of seconds or a duration string');
  }
  const seconds = readNumber(issues, field);
  return seconds === undefined ? undefined : seconds * 1000;
}

export function readAuthorization(issues: Issues, entry: ConfEntry): AuthorizationBlock | undefined {
  if (entry.value.kind !== 'map') return typeError(issues, fieldOf(entry), 'a map');
  let token: string | undefined;
  let user: string | undefined;
  let password: string | undefined;
  let timeoutMs: number | undefined;
  let defaultPermissions: PermissionsConfig | undefined;
  let users: UserEntry[] | undefined;
  for (const [key, child] of lowerCased(entry.value)) {
    const field = fieldOf(child);
    switch (key) {
      case 'user':
      case 'username':
        user = readString(issues, field);
        break;
      case 'pass':
      case 'password':
        password = readString(issues, field);
        break;
      case 'token':
        token = readString(issues, field);
        break;
      case 'timeout':
        timeoutMs = readAuthTimeoutMs(issues, field);
        break;
      case 'users':
        users = readUsers(issues, field, GLOBAL_ACCOUNT) ?? [];
        break;
      case 'default_permission':
      case 'default_permissions':
      case 'permissions':
        defaultPermissions = readPermissions(issues, field);
        break;
      default:
        issues.unknownField(child);
    }
  }
  // Empty strings do not count as set, as in nats-server.
  if ((user || password) && token) {
    issues.error(entry.pos, 'Cannot have a user/pass and token');
  }
  return {
    pos: entry.pos,
    ...(token !== undefined && { token }),
    ...(user !== undefined && { user }),
    ...(password !== undefined && { password }),
    ...(timeoutMs !== undefined && { timeoutMs }),
    ...(defaultPermissions !== undefined && { defaultPermissions }),
    ...(users !== undefined && { users: withDefaultPermissions(users, defaultPermissions) }),
  };
}
