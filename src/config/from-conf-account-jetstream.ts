// An account's `jetstream`: a boolean, "enabled"/"disabled", or a block of limits (nats-server 2.9.10's
// parseJetStreamForAccount). Enabled without a block means every limit unlimited.

import type { Field, Issues } from './conf-reader.js';
import { fieldOf, lowerCased } from './conf-reader.js';
import type { ConfEntry, ConfMap, ConfNode } from './conf-tree.js';
import { describeKind, enabledFromWord } from './from-conf-jetstream.js';
import type { JetStreamAccountLimits } from './options.js';
import { UNLIMITED_ACCOUNT_JETSTREAM } from './options.js';

type NumericLimit = Exclude<keyof JetStreamAccountLimits, 'maxBytesRequired'>;

/** Every spelling nats-server accepts in the block, to the limit it sets. */
const NUMERIC_KEYS: ReadonlyMap<string, NumericLimit> = new Map([
  ['max_memory', 'maxMemory'],
  ['max_mem', 'maxMemory'],
  ['mem', 'maxMemory'],
  ['memory', 'maxMemory'],
  ['max_store', 'maxStore'],
  ['max_file', 'maxStore'],
  ['max_disk', 'maxStore'],
  ['store', 'maxStore'],
  ['disk', 'maxStore'],
  ['max_streams', 'maxStreams'],
  ['streams', 'maxStreams'],
  ['max_consumers', 'maxConsumers'],
  ['consumers', 'maxConsumers'],
  ['mem_max_stream_bytes', 'memoryMaxStreamBytes'],
  ['memory_max_stream_bytes', 'memoryMaxStreamBytes'],
  ['disk_max_stream_bytes', 'storeMaxStreamBytes'],
  ['store_max_stream_bytes', 'storeMaxStreamBytes'],
  ['max_ack_pending', 'maxAckPending'],
]);

const BYTES_REQUIRED_KEYS: ReadonlySet<string> = new Set(['max_bytes_required', 'max_stream_bytes', 'max_bytes']);

/** Go's %v of a config value, as nats-server's messages print it. */
function goValue(node: ConfNode): string {
  switch (node.kind) {
    case 'string':
    case 'integer':
    case 'float':
    case 'boolean':
      return String(node.value);
    default:
      return describeKind(node.kind);
  }
}

/** An integer (unquoted size suffixes apply: 1G = 10^9, 1GB = 2^30); quoted sizes are refused, as in nats-server. */
function readLimit(issues: Issues, field: Field): number | undefined {
  const value = field.node.kind === 'integer' ? Number(field.node.value) : undefined;
  if (value === undefined) {
    issues.error(field.pos, `Expected a parseable size for ${JSON.stringify(field.name)}, got ${goValue(field.node)}`);
    return undefined;
  }
  if (!Number.isSafeInteger(value)) {
    issues.error(field.pos, `${field.name} value is too big`);
    return undefined;
  }
  return value;
}

function readLimits(issues: Issues, block: ConfMap): JetStreamAccountLimits {
  const limits: { -readonly [K in keyof JetStreamAccountLimits]: JetStreamAccountLimits[K] } = { ...UNLIMITED_ACCOUNT_JETSTREAM };
  for (const [key, child] of lowerCased(block)) {
    const field = fieldOf(child);
    const limit = NUMERIC_KEYS.get(key);
    if (limit !== undefined) {
      limits[limit] = readLimit(issues, field) ?? limits[limit];
    } else if (BYTES_REQUIRED_KEYS.has(key)) {
      if (child.value.kind === 'boolean') limits.maxBytesRequired = child.value.value;
      else issues.error(child.pos, `Expected a parseable bool for ${JSON.stringify(child.key)}, got ${goValue(child.value)}`);
    } else {
      issues.unknownField(child);
    }
  }
  return Object.freeze(limits);
}

/**
 * The account's JetStream limits; undefined when the setting leaves JetStream off (`false`, `disabled`) or is
 * wrong (the error is recorded).
 */
export function readAccountJetStream(issues: Issues, entry: ConfEntry): JetStreamAccountLimits | undefined {
  const value = entry.value;
  switch (value.kind) {
    case 'boolean':
      return value.value ? UNLIMITED_ACCOUNT_JETSTREAM : undefined;
    case 'string':
      return enabledFromWord(issues, fieldOf(entry), value.value) === true ? UNLIMITED_ACCOUNT_JETSTREAM : undefined;
    case 'map':
      return readLimits(issues, value);
    default:
      issues.error(entry.pos, `Expected map, bool or string to define JetStream, got ${describeKind(value.kind)}`);
      return undefined;
  }
}
