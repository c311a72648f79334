// `accounts { NAME { users, default_permissions, ... } }` or `accounts: [NAME, ...]`.

import type { Issues } from './conf-reader.js';
import { fieldOf, itemsOf, lowerCased, readString, typeError } from './conf-reader.js';
import type { ConfEntry, ConfNode, SourcePos } from './conf-tree.js';
import type { UserEntry } from './from-conf-auth.js';
import { GLOBAL_ACCOUNT, linkAccounts } from '../util/index.js';
import { readAccountJetStream } from './from-conf-account-jetstream.js';
import { readExports, readImports } from './from-conf-links.js';
import type { ExportsRead, ImportsRead } from './from-conf-links.js';
import { readMappings } from './from-conf-mappings.js';
import { readUsers, splitUsers, withDefaultPermissions } from './from-conf-auth.js';
import { readPermissions } from './from-conf-permissions.js';
import type { AccountConfig, JetStreamAccountLimits, MappingConfig, PermissionsConfig } from './options.js';

export interface AccountsBlock {
  readonly accounts: readonly AccountConfig[];
  /** Every account user, for duplicate checks and conflicts with the authorization block. */
  readonly users: readonly UserEntry[];
  /** Where the first `users` key of an account is, for conflict messages. */
  readonly firstUsersPos?: SourcePos;
}

/** Account keys accepted but not acted upon yet. */
const LATER_ACCOUNT_KEYS = new Set(['nkey', 'limits']);

function reservedName(issues: Issues, name: string, pos: SourcePos): boolean {
  if (name !== GLOBAL_ACCOUNT) return false;
  issues.error(pos, `${JSON.stringify(name)} is a Reserved Account`);
  return true;
}

function readAccountNames(issues: Issues, entry: ConfEntry, items: readonly ConfNode[]): AccountsBlock {
  const accounts: AccountConfig[] = [];
  const seen = new Set<string>();
  for (const item of itemsOf(fieldOf(entry), items)) {
    const name = readString(issues, item);
    if (name === undefined || reservedName(issues, name, item.pos)) continue;
    if (seen.has(name)) {
      issues.error(item.pos, `Duplicate Account Entry: ${name}`);
      continue;
    }
    seen.add(name);
    accounts.push({ name, users: [] });
  }
  return { accounts, users: [] };
}

interface AccountRead {
  readonly account: AccountConfig;
  readonly users: readonly UserEntry[];
  readonly usersPos?: SourcePos;
}

function readAccount(issues: Issues, accountEntry: ConfEntry): AccountRead | undefined {
  const name = accountEntry.key;
  if (accountEntry.value.kind !== 'map') {
    issues.error(accountEntry.pos, 'Expected map entries for accounts');
    return undefined;
  }
  if (reservedName(issues, name, accountEntry.pos)) return undefined;
  let users: UserEntry[] = [];
  let usersPos: SourcePos | undefined;
  let defaultPermissions: PermissionsConfig | undefined;
  let jetstream: JetStreamAccountLimits | undefined;
  let mappings: MappingConfig[] | undefined;
  let exports: ExportsRead | undefined;
  let imports: ImportsRead | undefined;
  for (const [key, entry] of lowerCased(accountEntry.value)) {
    if (key === 'users') {
      usersPos = entry.pos;
      users = readUsers(issues, fieldOf(entry), name) ?? [];
    } else if (key === 'default_permissions') {
      defaultPermissions = readPermissions(issues, fieldOf(entry));
    } else if (key === 'mappings' || key === 'maps') {
      mappings = readMappings(issues, entry);
    } else if (key === 'jetstream') {
      jetstream = readAccountJetStream(issues, entry);
    } else if (key === 'exports') {
      exports = readExports(issues, entry);
    } else if (key === 'imports') {
      imports = readImports(issues, entry);
    } else if (LATER_ACCOUNT_KEYS.has(key)) {
      issues.unsupported(entry, `accounts.${name}.${entry.key}`);
    } else {
      issues.unknownField(entry);
    }
  }
  users = withDefaultPermissions(users, defaultPermissions);
  const { users: byName, nkeys } = splitUsers(users);
  const account: AccountConfig = {
    name,
    users: byName,
    ...(nkeys.length > 0 && { nkeys }),
    ...(defaultPermissions !== undefined && { defaultPermissions }),
    ...(mappings !== undefined && mappings.length > 0 && { mappings }),
    ...(jetstream !== undefined && { jetstream }),
    ...(exports !== undefined && exports.streams.length > 0 && { streamExports: exports.streams }),
    ...(exports !== undefined && exports.services.length > 0 && { serviceExports: exports.services }),
    ...(imports !== undefined && imports.streams.length > 0 && { streamImports: imports.streams }),
    ...(imports !== undefined && imports.services.length > 0 && { serviceImports: imports.services }),
  };
  return { account, users, ...(usersPos !== undefined && { usersPos }) };
}

export function readAccounts(issues: Issues, entry: ConfEntry): AccountsBlock | undefined {
  const value = entry.value;
  if (value.kind === 'array') return readAccountNames(issues, entry, value.items);
  if (value.kind !== 'map') return typeError(issues, fieldOf(entry), 'a map of accounts or an array of account names');

  const accounts: AccountConfig[] = [];
  const users: UserEntry[] = [];
  let firstUsersPos: SourcePos | undefined;
  for (const accountEntry of value.entries.values()) {
    // A helper key referenced as a $variable inside the block is not an account.
    if (accountEntry.usedAsVariable) continue;
    const read = readAccount(issues, accountEntry);
    if (read === undefined) continue;
    accounts.push(read.account);
    users.push(...read.users);
    if (read.users.length > 0) firstUsersPos ??= read.usersPos;
  }
  // nats-server links imports to exports once every account is read, and reports at the block.
  if (issues.errors.length === 0) for (const message of linkAccounts(accounts).errors) issues.error(entry.pos, message);
  return { accounts, users, ...(firstUsersPos !== undefined && { firstUsersPos }) };
}
