// Top-level `jetstream`: a boolean, "enabled"/"disabled", or a block (nats-server 2.9.10's parseJetStream,
// plus 2.10's `sync_interval`). Settings of features that do not exist yet are checked and reported as ignored.

import type { Field, Issues } from './conf-reader.js';
import { fieldOf, lowerCased, readBoolean, readMap, readString, typeError } from './conf-reader.js';
import type { ConfEntry, SourcePos } from './conf-tree.js';
import { DurationError, parseGoDurationMs } from './durations.js';
import type { JetStreamLayer, SyncInterval } from './options.js';

export interface JetStreamSetting {
  /** Everything but the store directory, which may also be set at the top level (once). */
  readonly layer: JetStreamLayer;
  readonly storeDir?: { readonly value: string; readonly pos: SourcePos };
}

const INT64_MAX = (1n << 63n) - 1n;
const BINARY_SUFFIX_SHIFT: Readonly<Record<string, bigint>> = { K: 10n, M: 20n, G: 30n, T: 40n };

/**
 * nats-server's getStorageSize: an integer (the lexer has applied unquoted suffixes: 1G = 10^9, 1GB = 2^30), or
 * a string of an integer and one upper-case K, M, G or T, in powers of 1024 ("1G" = 2^30); "" is 0.
 * Errors read `<what> <reason>` in nats-server's words.
 */
export function readStorageSize(issues: Issues, field: Field, what: string): number | undefined {
  const node = field.node;
  let bytes: bigint;
  if (node.kind === 'integer') {
    bytes = node.value;
  } else if (node.kind === 'string') {
    if (node.value === '') return 0;
    const digits = node.value.slice(0, -1);
    const shift = BINARY_SUFFIX_SHIFT[node.value.slice(-1)];
    if (!/^[+-]?\d+$/.test(digits)) {
      issues.error(field.pos, `${what} strconv.ParseInt: parsing ${JSON.stringify(digits)}: invalid syntax`);
      return undefined;
    }
    if (BigInt(digits) > INT64_MAX || BigInt(digits) < -INT64_MAX - 1n) {
      issues.error(field.pos, `${what} strconv.ParseInt: parsing ${JSON.stringify(digits)}: value out of range`);
      return undefined;
    }
    if (shift === undefined) {
      issues.error(field.pos, `${what} sizes defined as strings must end in K, M, G, T`);
      return undefined;
    }
    bytes = BigInt(digits) << shift;
  } else {
    issues.error(field.pos, `${what} must be int64 or string`);
    return undefined;
  }
  const value = Number(bytes);
  if (!Number.isSafeInteger(value)) {
    issues.error(field.pos, `${what} value is too big`);
    return undefined;
  }
  return value;
}

/** `always`, or a Go duration string ("2m"); an integer is seconds, with nats-server's deprecation warning. */
function readSyncInterval(issues: Issues, field: Field): SyncInterval | undefined {
  const node = field.node;
  const name = field.name;
  let ms: number;
  if (node.kind === 'string') {
    if (node.value.toLowerCase() === 'always') return 'always';
    try {
      ms = parseGoDurationMs(node.value);
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      issues.error(field.pos, `error parsing ${name}: ${err.message}`);
      return undefined;
    }
  } else if (node.kind === 'integer') {
    issues.warn(field.pos, `invalid use of field ${JSON.stringify(name)}: ${name} should be converted to a duration`);
    ms = Number(node.value) * 1000;
  } else {
    return typeError(issues, field, '"always" or a duration string such as "2m"');
  }
  // nats-server would fall back to its 2 minutes for 0 and fail at run time below it: say so now instead.
  if (!(ms > 0)) {
    issues.error(field.pos, `invalid ${name}: expected "always" or a positive duration`);
    return undefined;
  }
  return ms;
}

function checkCipher(issues: Issues, field: Field): void {
  const cipher = readString(issues, field);
  if (cipher !== undefined && !['chacha', 'chachapoly', 'aes'].includes(cipher.toLowerCase())) {
    issues.error(field.pos, `Unknown cipher type: ${JSON.stringify(cipher)}`);
  }
}

/** `enabled`/`enable` or `disabled`/`disable`, any case; shared with the accounts' `jetstream`. */
export function enabledFromWord(issues: Issues, field: Field, word: string): boolean | undefined {
  switch (word.toLowerCase()) {
    case 'enabled':
    case 'enable':
      return true;
    case 'disabled':
    case 'disable':
      return false;
    default:
      issues.error(field.pos, `Expected 'enabled' or 'disabled' for string value, got '${word}'`);
      return undefined;
  }
}

export function readJetStream(issues: Issues, entry: ConfEntry): JetStreamSetting | undefined {
  const top = fieldOf(entry);
  const value = entry.value;
  if (value.kind === 'boolean') return { layer: { enabled: value.value } };
  if (value.kind === 'string') {
    const enabled = enabledFromWord(issues, top, value.value);
    return enabled === undefined ? undefined : { layer: { enabled } };
  }
  if (value.kind !== 'map') {
    issues.error(entry.pos, `Expected map, bool or string to define JetStream, got ${describeKind(value.kind)}`);
    return undefined;
  }
  const layer: JetStreamLayer = { enabled: true };
  let storeDir: JetStreamSetting['storeDir'];
  for (const [key, child] of lowerCased(value)) {
    const field = fieldOf(child);
    switch (key) {
      case 'store':
      case 'store_dir':
      case 'storedir': {
        const dir = readString(issues, field);
        if (dir !== undefined) storeDir = { value: dir, pos: child.pos };
        break;
      }
      case 'enable':
      case 'enabled':
        layer.enabled = readBoolean(issues, field) ?? layer.enabled;
        break;
      case 'max_memory_store':
      case 'max_mem_store':
      case 'max_mem':
        layer.maxMemoryStore = readStorageSize(issues, field, 'max_mem_store');
        break;
      case 'max_file_store':
      case 'max_file':
        layer.maxFileStore = readStorageSize(issues, field, 'max_file_store');
        break;
      case 'sync':
      case 'sync_interval':
        layer.syncInterval = readSyncInterval(issues, field);
        break;
      case 'domain':
        layer.domain = readString(issues, field);
        break;
      case 'max_outstanding_catchup':
        readStorageSize(issues, field, key);
        issues.unsupported(child, `jetstream.${child.key}`);
        break;
      case 'cipher':
        checkCipher(issues, field);
        issues.unsupported(child, `jetstream.${child.key}`);
        break;
      case 'key':
      case 'ek':
      case 'encryption_key':
      case 'extension_hint':
      case 'unique_tag':
        readString(issues, field);
        issues.unsupported(child, `jetstream.${child.key}`);
        break;
      case 'limits':
        readMap(issues, field);
        issues.unsupported(child, `jetstream.${child.key}`);
        break;
      default:
        issues.unknownField(child);
    }
  }
  return { layer, ...(storeDir !== undefined && { storeDir }) };
}

/** Go's %T for the config value types, as nats-server's message prints it. */
export function describeKind(kind: string): string {
  switch (kind) {
    case 'integer':
      return 'int64';
    case 'float':
      return 'float64';
    case 'array':
      return '[]interface {}';
    case 'datetime':
      return 'time.Time';
    default:
      return kind;
  }
}
