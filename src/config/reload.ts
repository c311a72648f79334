// What a config reload would change, and which of those changes need a restart instead.

import type { Options } from './options.js';
import { RELOADABLE } from './options.js';

export interface OptionsDiff {
  /** Every option whose value differs (deep comparison), reloadable or not. */
  readonly changed: (keyof Options)[];
  /** The subset of `changed` a reload cannot apply: `config reload not supported for <key>`. */
  readonly refused: (keyof Options)[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality over plain data; a property set to undefined equals a missing one. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (!deepEqual(a[key], b[key])) return false;
  }
  return true;
}

export function diffOptions(oldOpts: Options, newOpts: Options): OptionsDiff {
  const keys = new Set([...Object.keys(oldOpts), ...Object.keys(newOpts)] as (keyof Options)[]);
  const changed: (keyof Options)[] = [];
  const refused: (keyof Options)[] = [];
  for (const key of keys) {
    if (deepEqual(oldOpts[key], newOpts[key])) continue;
    changed.push(key);
    if (!RELOADABLE.has(key)) refused.push(key);
  }
  return { changed, refused };
}
