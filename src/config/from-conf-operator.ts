// Operator (JWT) mode: `operator` (a file, or the token inline), `resolver: MEMORY` and
// `resolver_preload`, read as nats-server reads them. The tokens are checked at start (auth/), not
// here: the configuration only knows text. Every other resolver is refused until it exists.

import fs from 'node:fs';

import type { Issues } from './conf-reader.js';
import type { ConfEntry } from './conf-tree.js';

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

/** `MEM`/`MEMORY`; anything else is refused (a URL or directory resolver is not built yet). */
export function readResolver(issues: Issues, entry: ConfEntry): 'memory' | undefined {
  const v = entry.value;
  if (v.kind === 'string' && /^\s*(MEM|MEMORY)\s*$/i.test(v.value)) return 'memory';
  if (v.kind === 'string' || v.kind === 'map') {
    issues.unsupportedAccessControl(entry.pos, `${entry.key} other than MEMORY is`);
    return undefined;
  }
  issues.error(entry.pos, `error parsing operator resolver, wrong type ${goType(entry)}`);
  return undefined;
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
