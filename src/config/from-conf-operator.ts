// Operator (JWT) mode: `operator` (a file, or the token inline), the account resolver (`MEMORY`, or
// the full directory resolver) and `resolver_preload`, read as nats-server reads them. The tokens are
// checked at start (auth/), not here: the configuration only knows text. The URL and CACHE resolvers
// are refused until they exist.

import fs from 'node:fs';

import type { Issues } from './conf-reader.js';
import type { ConfEntry } from './conf-tree.js';
import { DurationError, parseGoDurationNs } from './durations.js';
import type { ResolverConfig } from './options.js';

const RESOLVER_SHAPE_ERROR = 'error parsing account resolver, should be MEM or  URL("url") or a map containing dir and type state=[FULL|CACHE])';

/** All JWTs once encoded start with this: a value that is no readable file may be the token itself. */
const JWT_PREFIX = 'eyJ';

/** Go's %T for the configuration values these keys see. */
function goType(entry: ConfEntry): string {
  switch (entry.value.kind) {
    case 'array':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    case 'integer':
      return 'int64';
    case 'boolean':
      return 'bool';
    default:
      return entry.value.kind;
  }
}

/**
 * The operator's token text: the file's contents (a path relative to the working directory, as
 * nats-server reads it), or the value itself when it is no file and looks like a JWT.
 */
export function readOperator(issues: Issues, entry: ConfEntry): string | undefined {
  if (entry.value.kind !== 'string') {
    issues.error(entry.pos, `error parsing operators: unsupported type ${goType(entry)}`);
    return undefined;
  }
  const value = entry.value.value;
  try {
    return fs.readFileSync(value, 'utf8');
  } catch (err) {
    if (value.startsWith(JWT_PREFIX)) return value;
    issues.error(entry.pos, `error parsing operator JWT: open ${value}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
    return undefined;
  }
}

/**
 * `MEM`/`MEMORY`, or `{ type: full, dir, allow_delete, limit, interval, timeout }`. A URL resolver and
 * the CACHE directory resolver are refused (not built yet).
 */
export function readResolver(issues: Issues, entry: ConfEntry): ResolverConfig | undefined {
  const v = entry.value;
  if (v.kind === 'string') {
    if (/(MEM|MEMORY)\s*/i.test(v.value)) return { type: 'memory' };
    if (/URL/i.test(v.value)) issues.unsupportedAccessControl(entry.pos, `${entry.key} URL(...) is`);
    else issues.error(entry.pos, RESOLVER_SHAPE_ERROR);
    return undefined;
  }
  if (v.kind !== 'map') {
    issues.error(entry.pos, `error parsing operator resolver, wrong type ${goType(entry)}`);
    return undefined;
  }
  const field = (name: string): ConfEntry | undefined => [...v.entries.values()].find((e) => e.key === name);
  const text = (name: string): string => {
    const e = field(name);
    return e?.value.kind === 'string' ? e.value.value : '';
  };
  const dir = text('dir');
  const type = text('type').toUpperCase();
  const allowDelete = field('allow_delete')?.value;
  const limit = field('limit')?.value;
  let ttlNs = 0;
  let intervalNs = 0;
  try {
    if (field('ttl') !== undefined) ttlNs = parseGoDurationNs(text('ttl'));
    if (field('interval') !== undefined) intervalNs = parseGoDurationNs(text('interval'));
    if (field('timeout') !== undefined) parseGoDurationNs(text('timeout'));
  } catch (err) {
    if (!(err instanceof DurationError)) throw err;
    issues.error(entry.pos, err.message);
    return undefined;
  }
  if (dir === '') {
    issues.error(entry.pos, 'dir has no value and needs to point to a directory');
    return undefined;
  }
  if (!accessibleDirOrAbsent(dir)) {
    issues.error(entry.pos, 'dir needs to point to an accessible directory');
    return undefined;
  }
  if (type === 'CACHE') {
    if (intervalNs !== 0) issues.error(entry.pos, 'CACHE does not accept sync');
    if (allowDelete?.kind === 'boolean' && allowDelete.value) issues.error(entry.pos, 'CACHE does not accept allow_delete');
    issues.unsupportedAccessControl(entry.pos, `${entry.key} of type CACHE is`);
    return undefined;
  }
  if (type !== 'FULL') {
    issues.error(entry.pos, RESOLVER_SHAPE_ERROR);
    return undefined;
  }
  if (ttlNs !== 0) {
    issues.error(entry.pos, 'FULL does not accept ttl');
    return undefined;
  }
  return {
    type: 'full',
    dir,
    allowDelete: allowDelete?.kind === 'boolean' && allowDelete.value,
    limit: limit?.kind === 'integer' && limit.value > 0 ? Number(limit.value) : Number.MAX_SAFE_INTEGER,
  };
}

/** A directory the owner may search (nats-server checks the owner's execute bit), or nothing there yet. */
function accessibleDirOrAbsent(dir: string): boolean {
  try {
    const st = fs.statSync(dir);
    return st.isDirectory() && (st.mode & 0o100) !== 0;
  } catch {
    return true;
  }
}

/** `resolver_preload { <account public key>: <account JWT> }`. */
export function readPreload(issues: Issues, entry: ConfEntry): Record<string, string> | undefined {
  if (entry.value.kind !== 'map') {
    issues.error(entry.pos, 'preload should be a map of account_public_key:account_jwt');
    return undefined;
  }
  const preload: Record<string, string> = {};
  for (const item of entry.value.entries.values()) {
    if (item.value.kind !== 'string') {
      issues.error(item.pos, 'preload map value should be a string JWT');
      continue;
    }
    preload[item.key] = item.value.value;
  }
  return preload;
}
