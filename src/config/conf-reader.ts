// Typed reads from the value tree for the option mapping. A wrong type is recorded as an error at
// the setting's position and the read yields undefined, so one run reports every problem at once.

import type { ConfEntry, ConfMap, ConfNode, SourcePos } from './conf-tree.js';
import { formatPos } from './conf-tree.js';

/** Errors and warnings collected while mapping, each already prefixed with `<file>:<line>:<col>: `. */
export class Issues {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  error(pos: SourcePos, message: string): void {
    this.errors.push(`${formatPos(pos)}: ${message}`);
  }

  warn(pos: SourcePos, message: string): void {
    this.warnings.push(`${formatPos(pos)}: ${message}`);
  }

  /** A setting a later subsystem will implement: accepted so the file loads, reported as ignored. */
  unsupported(entry: ConfEntry, path: string): void {
    this.warn(entry.pos, `${path} is not supported yet, ignored`);
  }

  /**
   * A setting that restricts who may connect, which leafgate does not implement yet: ignoring it would
   * serve without the access control it asks for, so the configuration is refused (fail closed).
   */
  unsupportedAccessControl(pos: SourcePos, what: string): void {
    this.error(pos, `${what} not supported yet; refusing to start rather than run without the access control it sets`);
  }

  /** Unknown keys are errors, except helper keys that only serve as `$variables`. */
  unknownField(entry: ConfEntry): void {
    if (!entry.usedAsVariable) this.error(entry.pos, `unknown field ${JSON.stringify(entry.key)}`);
  }
}

/** A value together with the name and position a message about it should use. */
export interface Field {
  readonly name: string;
  readonly pos: SourcePos;
  readonly node: ConfNode;
}

export function fieldOf(entry: ConfEntry): Field {
  return { name: entry.key, pos: entry.pos, node: entry.value };
}

/** Array items are reported at their own position under the array's name. */
export function itemsOf(field: Field, items: readonly ConfNode[]): Field[] {
  return items.map((node) => ({ name: field.name, pos: node.pos, node }));
}

/** Entries with lower-cased keys: keys are case-insensitive in every nats-server block. */
export function* lowerCased(map: ConfMap): Generator<[string, ConfEntry]> {
  for (const entry of map.entries.values()) yield [entry.key.toLowerCase(), entry];
}

export function describeNode(node: ConfNode): string {
  switch (node.kind) {
    case 'string':
      return `string ${JSON.stringify(node.value)}`;
    case 'integer':
    case 'float':
    case 'boolean':
      return `${node.kind} ${String(node.value)}`;
    case 'datetime':
      return `datetime ${node.value.toISOString()}`;
    default:
      return node.kind;
  }
}

export function typeError(issues: Issues, field: Field, expected: string): undefined {
  issues.error(field.pos, `invalid value for ${JSON.stringify(field.name)}: expected ${expected}, got ${describeNode(field.node)}`);
  return undefined;
}

export function readString(issues: Issues, field: Field): string | undefined {
  return field.node.kind === 'string' ? field.node.value : typeError(issues, field, 'a string');
}

export function readBoolean(issues: Issues, field: Field): boolean | undefined {
  return field.node.kind === 'boolean' ? field.node.value : typeError(issues, field, 'a boolean');
}

/** An integer that fits a JavaScript number exactly. */
export function readInteger(issues: Issues, field: Field): number | undefined {
  if (field.node.kind !== 'integer') return typeError(issues, field, 'an integer');
  const value = Number(field.node.value);
  if (!Number.isSafeInteger(value)) {
    issues.error(field.pos, `${field.name} value is too big`);
    return undefined;
  }
  return value;
}

/** An integer or a float. */
export function readNumber(issues: Issues, field: Field): number | undefined {
  if (field.node.kind === 'float') return field.node.value;
  if (field.node.kind === 'integer') return readInteger(issues, field);
  return typeError(issues, field, 'a number');
}

export function readMap(issues: Issues, field: Field): ConfMap | undefined {
  return field.node.kind === 'map' ? field.node : typeError(issues, field, 'a map');
}

/** A single string or an array of strings. */
export function readStringList(issues: Issues, field: Field): string[] | undefined {
  if (field.node.kind === 'string') return [field.node.value];
  if (field.node.kind !== 'array') return typeError(issues, field, 'a string or an array of strings');
  const out: string[] = [];
  for (const item of itemsOf(field, field.node.items)) {
    const value = readString(issues, item);
    if (value === undefined) return undefined;
    out.push(value);
  }
  return out;
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Go's net.SplitHostPort: `host:port`, `[v6]:port`, `:port`. */
function splitHostPort(text: string): { host: string; port: string } | undefined {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text[close + 1] !== ':') return undefined;
    return { host: text.slice(1, close), port: text.slice(close + 2) };
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0) return undefined;
  const host = text.slice(0, colon);
  if (host.includes(':')) return undefined;
  return { host, port: text.slice(colon + 1) };
}

/** `listen`-style value: a port number, or `host:port`. */
export function readHostPort(issues: Issues, field: Field): HostPort | undefined {
  const node = field.node;
  if (node.kind === 'integer') {
    const port = readInteger(issues, field);
    return port === undefined ? undefined : { host: '', port };
  }
  if (node.kind !== 'string') {
    issues.error(field.pos, `expected port or host:port, got ${node.kind}`);
    return undefined;
  }
  const parts = splitHostPort(node.value);
  if (parts === undefined) {
    issues.error(field.pos, `could not parse address string ${JSON.stringify(node.value)}`);
    return undefined;
  }
  if (!/^[+-]?\d+$/.test(parts.port)) {
    issues.error(field.pos, `could not parse port ${JSON.stringify(parts.port)}`);
    return undefined;
  }
  return { host: parts.host, port: Number(parts.port) };
}
