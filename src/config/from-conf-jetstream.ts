// Top-level `jetstream`: a boolean, "enabled"/"disabled", or a block. Only the switch and the
// store directory are options yet; the other known block keys are checked and reported as ignored.

import type { Field, Issues } from './conf-reader.js';
import { describeNode, fieldOf, lowerCased, readBoolean, readMap, readString } from './conf-reader.js';
import type { ConfEntry, SourcePos } from './conf-tree.js';

export interface JetStreamSetting {
  readonly enabled: boolean;
  readonly storeDir?: { readonly value: string; readonly pos: SourcePos };
}

/** Storage limits: an integer (size suffixes apply) or a string ending in K, M, G or T (powers of 1024). */
function checkStorageSize(issues: Issues, field: Field): void {
  if (field.node.kind === 'integer') return;
  if (field.node.kind === 'string' && (field.node.value === '' || /^-?\d+[KMGT]$/.test(field.node.value))) return;
  issues.error(
    field.pos,
    `invalid value for ${JSON.stringify(field.name)}: expected a size (integer, or a string ending in K, M, G or T), got ${describeNode(field.node)}`,
  );
}

function checkCipher(issues: Issues, field: Field): void {
  const cipher = readString(issues, field);
  if (cipher !== undefined && !['chacha', 'chachapoly', 'aes'].includes(cipher.toLowerCase())) {
    issues.error(field.pos, `Unknown cipher type: ${JSON.stringify(cipher)}`);
  }
}

function enabledFromWord(issues: Issues, field: Field, word: string): boolean | undefined {
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
  if (value.kind === 'boolean') return { enabled: value.value };
  if (value.kind === 'string') {
    const enabled = enabledFromWord(issues, top, value.value);
    return enabled === undefined ? undefined : { enabled };
  }
  if (value.kind !== 'map') {
    issues.error(entry.pos, `Expected map, bool or string to define JetStream, got ${describeNode(value)}`);
    return undefined;
  }
  let enabled = true;
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
        enabled = readBoolean(issues, field) ?? enabled;
        break;
      case 'max_memory_store':
      case 'max_mem_store':
      case 'max_mem':
      case 'max_file_store':
      case 'max_file':
      case 'max_outstanding_catchup':
        checkStorageSize(issues, field);
        issues.unsupported(child, `jetstream.${child.key}`);
        break;
      case 'cipher':
        checkCipher(issues, field);
        issues.unsupported(child, `jetstream.${child.key}`);
        break;
      case 'domain':
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
  return { enabled, ...(storeDir !== undefined && { storeDir }) };
}
