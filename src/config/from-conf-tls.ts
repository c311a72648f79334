// `tls { cert_file, key_file, ca_file, verify, timeout, ... }` for client connections.

import type { Field, Issues } from './conf-reader.js';
import { describeNode, fieldOf, lowerCased, readInteger, readString } from './conf-reader.js';
import type { ConfEntry } from './conf-tree.js';
import { DurationError, parseGoDurationMs } from './durations.js';
import type { TlsConfig } from './options.js';

/** Handshake deadline when `timeout` is absent or 0. */
const DEFAULT_TLS_TIMEOUT_MS = 2000;

const PINNED_CERT = /^[A-Fa-f0-9]{64}$/;

function tlsError(issues: Issues, field: Field, message: string): undefined {
  issues.error(field.pos, `error parsing tls config, ${message}`);
  return undefined;
}

function readFileName(issues: Issues, field: Field): string | undefined {
  if (field.node.kind === 'string') return field.node.value;
  return tlsError(issues, field, `expected '${field.name}' to be filename`);
}

function readFlag(issues: Issues, field: Field): boolean | undefined {
  if (field.node.kind === 'boolean') return field.node.value;
  return tlsError(issues, field, `expected '${field.name}' to be a boolean`);
}

/** Seconds as a number (float allowed) or a duration string. */
function readTimeoutMs(issues: Issues, field: Field): number | undefined {
  const node = field.node;
  if (node.kind === 'integer') {
    const seconds = readInteger(issues, field);
    return seconds === undefined ? undefined : seconds * 1000;
  }
  if (node.kind === 'float') return node.value * 1000;
  if (node.kind === 'string') {
    try {
      return parseGoDurationMs(node.value);
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      return tlsError(issues, field, `'timeout' ${err.message}`);
    }
  }
  return tlsError(issues, field, `'timeout' wrong type (${describeNode(node)})`);
}

/** A list of strings (cipher_suites, pinned_certs ...); those `pattern` refuses are reported and left out. */
function readTlsStringList(issues: Issues, field: Field, pattern?: RegExp): string[] | undefined {
  if (field.node.kind !== 'array') return tlsError(issues, field, `expected '${field.name}' to be an array`);
  if (field.node.items.length === 0 && pattern === undefined) return tlsError(issues, field, `'${field.name}' cannot be empty`);
  const out: string[] = [];
  for (const item of field.node.items) {
    const value = readString(issues, { name: field.name, pos: item.pos, node: item });
    if (value !== undefined && pattern !== undefined && !pattern.test(value)) {
      tlsError(issues, field, `'${field.name}' entry ${value} does not look like a hex-encoded SHA-256`);
    } else if (value !== undefined) out.push(value);
  }
  return out;
}

export function readTls(issues: Issues, entry: ConfEntry, path: string): TlsConfig | undefined {
  if (entry.value.kind !== 'map') return tlsError(issues, fieldOf(entry), `expected a map, got ${describeNode(entry.value)}`);
  let certFile: string | undefined;
  let keyFile: string | undefined;
  let caFile: string | undefined;
  let verify = false;
  let timeoutMs = DEFAULT_TLS_TIMEOUT_MS;
  let pinnedCerts: string[] | undefined;
  let verifyAndMap = false;
  for (const [key, child] of lowerCased(entry.value)) {
    const field = fieldOf(child);
    switch (key) {
      case 'cert_file':
        certFile = readFileName(issues, field);
        break;
      case 'key_file':
        keyFile = readFileName(issues, field);
        break;
      case 'ca_file':
        caFile = readFileName(issues, field);
        break;
      case 'verify':
        verify = readFlag(issues, field) ?? verify;
        break;
      case 'timeout': {
        const ms = readTimeoutMs(issues, field);
        if (ms !== undefined && ms !== 0) timeoutMs = ms;
        break;
      }
      case 'insecure':
        if (readFlag(issues, field) !== undefined) issues.unsupported(child, `${path}.${child.key}`);
        break;
      case 'verify_and_map':
        if (readFlag(issues, field) === true) {
          verifyAndMap = true;
          verify = true;
        }
        break;
      // Checks a client certificate's names against the URLs of routes and gateways, which do not exist here.
      case 'verify_cert_and_check_known_urls':
        if (readFlag(issues, field) === true) issues.unsupportedAccessControl(child.pos, `${path}.${child.key} is`);
        break;
      case 'cipher_suites':
      case 'curve_preferences':
        readTlsStringList(issues, field);
        issues.unsupported(child, `${path}.${child.key}`);
        break;
      case 'pinned_certs':
        pinnedCerts = readTlsStringList(issues, field, PINNED_CERT)?.map((hex) => hex.toLowerCase());
        break;
      case 'connection_rate_limit':
        if (readInteger(issues, field) !== undefined) issues.unsupported(child, `${path}.${child.key}`);
        break;
      default:
        tlsError(issues, field, `unknown field [${JSON.stringify(child.key)}]`);
    }
  }
  if (certFile === undefined || keyFile === undefined) {
    issues.error(entry.pos, 'error parsing tls config, cert_file and key_file are both required');
    return undefined;
  }
  return { certFile, keyFile, ...(caFile !== undefined && { caFile }), verify, timeoutMs, ...(pinnedCerts !== undefined && { pinnedCerts }), ...(verifyAndMap && { verifyAndMap }) };
}
