// What the blocks of links to other brokers share (MQTT bridges, leaf remotes, the uplink): TLS
// toward the remote (the CA that verifies it, our certificate, the name it must carry), durations
// and sizes. Problems go through `fail`, which lets the caller name the bridge or remote.

import type { Field, Issues } from './conf-reader.js';
import { fieldOf, lowerCased, readBoolean, readInteger, readString, typeError } from './conf-reader.js';
import type { ConfEntry } from './conf-tree.js';
import { DurationError, parseGoDurationMs } from './durations.js';
import type { ClientTlsConfig } from './options.js';

const DEFAULT_TLS_TIMEOUT_MS = 2000;

export type Fail = (pos: Field['pos'], message: string) => void;

export function readClientTls(issues: Issues, entry: ConfEntry, fail: Fail): ClientTlsConfig | undefined {
  if (entry.value.kind !== 'map') return typeError(issues, fieldOf(entry), 'a map');
  let certFile: string | undefined;
  let keyFile: string | undefined;
  let caFile: string | undefined;
  let serverName: string | undefined;
  let insecure = false;
  let timeoutMs = DEFAULT_TLS_TIMEOUT_MS;
  for (const [key, child] of lowerCased(entry.value)) {
    const f = fieldOf(child);
    switch (key) {
      case 'cert_file':
        certFile = readString(issues, f);
        break;
      case 'key_file':
        keyFile = readString(issues, f);
        break;
      case 'ca_file':
        caFile = readString(issues, f);
        break;
      case 'server_name':
        serverName = readString(issues, f);
        break;
      case 'insecure':
        insecure = readBoolean(issues, f) ?? insecure;
        break;
      case 'timeout': {
        const ms = readSecondsOrDuration(issues, f, fail);
        // 0 keeps the default, as in the listener's tls block.
        if (ms !== undefined && ms < 0) fail(child.pos, 'tls timeout must not be negative');
        else if (ms !== undefined && ms > 0) timeoutMs = ms;
        break;
      }
      default:
        issues.unknownField(child);
    }
  }
  if ((certFile === undefined) !== (keyFile === undefined)) {
    fail(entry.pos, 'tls needs cert_file and key_file together, or neither');
    return undefined;
  }
  return {
    ...(certFile !== undefined && { certFile }),
    ...(keyFile !== undefined && { keyFile }),
    ...(caFile !== undefined && { caFile }),
    ...(serverName !== undefined && { serverName }),
    insecure,
    timeoutMs,
  };
}

export /** A Go duration string ("90s", "1h30m"). */
function readDuration(issues: Issues, field: Field, fail: Fail): number | undefined {
  if (field.node.kind !== 'string') return typeError(issues, field, 'a duration string such as "30s"');
  try {
    return parseGoDurationMs(field.node.value);
  } catch (err) {
    if (!(err instanceof DurationError)) throw err;
    fail(field.pos, `${field.name}: ${err.message}`);
    return undefined;
  }
}

export /** Whole seconds as a number, or a duration string. */
function readSecondsOrDuration(issues: Issues, field: Field, fail: Fail): number | undefined {
  if (field.node.kind === 'integer') {
    const seconds = readInteger(issues, field);
    return seconds === undefined ? undefined : seconds * 1000;
  }
  if (field.node.kind === 'float') return field.node.value * 1000;
  return readDuration(issues, field, fail);
}

/**
 * Bytes: an integer (the lexer has applied unquoted suffixes: 64MB = 2^26, 64M = 64 * 10^6), or a
 * string such as "64MB", "64M", "64MiB" or "512K", whose suffixes are all powers of 1024 (as quoted
 * sizes are in nats-server's JetStream block).
 */
export function readSize(issues: Issues, field: Field, fail: Fail): number | undefined {
  if (field.node.kind === 'integer') return readInteger(issues, field);
  if (field.node.kind !== 'string') return typeError(issues, field, 'a size such as "64MB"');
  const m = /^(\d+)\s*(?:([KMGT])(?:i?B)?|B)?$/i.exec(field.node.value.trim());
  const power = m?.[2] === undefined ? 0 : 'KMGT'.indexOf(m[2].toUpperCase()) + 1;
  const bytes = m === null ? NaN : Number(m[1]) * 1024 ** power;
  if (!Number.isSafeInteger(bytes)) {
    fail(field.pos, `${field.name} ${JSON.stringify(field.node.value)} is not a size such as "64MB"`);
    return undefined;
  }
  return bytes;
}
