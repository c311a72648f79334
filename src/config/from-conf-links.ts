// An account's `exports` and `imports` lists, read as nats-server reads them (its words for each
// mistake); whether the imports can link to the exports is checked once every account is read.

import type { Issues } from './conf-reader.js';
import { describeNode, lowerCased } from './conf-reader.js';
import type { ConfEntry, ConfMap, ConfNode } from './conf-tree.js';
import { DurationError, parseGoDurationMs } from './durations.js';
import { ResponseType } from '../util/index.js';
import type { ExportSpec, ServiceExportSpec, ServiceImportSpec, StreamImportSpec } from '../util/index.js';

export interface ExportsRead {
  readonly streams: ExportSpec[];
  readonly services: ServiceExportSpec[];
}

export interface ImportsRead {
  readonly streams: StreamImportSpec[];
  readonly services: ServiceImportSpec[];
}

const RESPONSE_TYPES: ReadonlyMap<string, ResponseType> = new Map([
  ['single', ResponseType.Singleton],
  ['singleton', ResponseType.Singleton],
  ['stream', ResponseType.Streamed],
  ['chunk', ResponseType.Chunked],
  ['chunked', ResponseType.Chunked],
]);

/** Go's %T of a configuration value, for nats-server's "got %T" messages. */
function goType(node: ConfNode): string {
  switch (node.kind) {
    case 'string':
      return 'string';
    case 'integer':
      return 'int64';
    case 'float':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'datetime':
      return 'time.Time';
    case 'array':
      return '[]interface {}';
    default:
      return 'map[string]interface {}';
  }
}

export function readExports(issues: Issues, entry: ConfEntry): ExportsRead {
  const out: ExportsRead = { streams: [], services: [] };
  if (entry.value.kind !== 'array') {
    issues.error(entry.pos, `Exports should be an array, got ${goType(entry.value)}`);
    return out;
  }
  for (const item of entry.value.items) {
    if (item.kind !== 'map') {
      issues.error(item.pos, `Export Items should be a map with type entry, got ${goType(item)}`);
      continue;
    }
    readExport(issues, item, out);
  }
  return out;
}

function readExport(issues: Issues, item: ConfMap, out: ExportsRead): void {
  let stream: string | undefined;
  let service: string | undefined;
  let accounts: string[] | undefined;
  let responseType: ResponseType | undefined;
  let responseSeen: ConfEntry | undefined;
  let thresholdMs: number | undefined;
  let thresholdSeen = false;
  let tokenPosition: number | undefined;
  for (const [key, e] of lowerCased(item)) {
    const v = e.value;
    switch (key) {
      case 'stream':
        if (service !== undefined) issues.error(e.pos, `Detected stream ${JSON.stringify(nodeText(v))} but already saw a service`);
        else if (responseSeen !== undefined) issues.error(responseSeen.pos, 'Detected response directive on non-service');
        else if (v.kind !== 'string') issues.error(e.pos, `Expected stream name to be string, got ${goType(v)}`);
        else stream = v.value;
        break;
      case 'service':
        if (stream !== undefined) issues.error(e.pos, `Detected service ${JSON.stringify(nodeText(v))} but already saw a stream`);
        else if (v.kind !== 'string') issues.error(e.pos, `Expected service name to be string, got ${goType(v)}`);
        else service = v.value;
        break;
      case 'response':
      case 'response_type': {
        if (responseSeen !== undefined) {
          issues.error(e.pos, 'Duplicate response type definition');
          break;
        }
        responseSeen = e;
        if (v.kind !== 'string') {
          issues.error(e.pos, `Expected response type to be string, got ${goType(v)}`);
          break;
        }
        const rt = RESPONSE_TYPES.get(v.value.toLowerCase());
        if (rt === undefined) issues.error(e.pos, `Unknown response type: ${JSON.stringify(v.value)}`);
        else responseType = rt;
        if (stream !== undefined) issues.error(e.pos, 'Detected response directive on non-service');
        break;
      }
      case 'threshold':
      case 'response_threshold':
      case 'response_max_time':
      case 'response_time':
        if (thresholdSeen) {
          issues.error(e.pos, 'Duplicate response threshold detected');
          break;
        }
        thresholdSeen = true;
        if (v.kind !== 'string') {
          issues.error(e.pos, `Expected response threshold to be a parseable time duration, got ${goType(v)}`);
          break;
        }
        try {
          thresholdMs = parseGoDurationMs(v.value);
        } catch (err) {
          if (!(err instanceof DurationError)) throw err;
          issues.error(e.pos, `Expected response threshold to be a parseable time duration, got ${JSON.stringify(v.value)}`);
          break;
        }
        if (stream !== undefined) issues.error(e.pos, 'Detected response directive on non-service');
        break;
      case 'accounts':
        if (v.kind !== 'array' || v.items.some((i) => i.kind !== 'string')) issues.error(e.pos, `Expected an array of account names, got ${describeNode(v)}`);
        else accounts = v.items.map((i) => (i.kind === 'string' ? i.value : ''));
        break;
      case 'account_token_position':
        if (v.kind !== 'integer' || v.value < 0n) issues.error(e.pos, `Expected an account token position, got ${describeNode(v)}`);
        else tokenPosition = Number(v.value);
        break;
      case 'latency':
        issues.unsupported(e, 'service export latency tracking');
        break;
      default:
        issues.unknownField(e);
    }
  }
  // An empty list names nobody: nats-server then leaves the export public.
  const common = { ...(accounts !== undefined && accounts.length > 0 && { accounts }), ...(tokenPosition !== undefined && tokenPosition > 0 && { accountTokenPosition: tokenPosition }) };
  if (stream !== undefined) out.streams.push({ subject: stream, ...common });
  if (service !== undefined) {
    out.services.push({
      subject: service,
      ...common,
      ...(responseType !== undefined && { responseType }),
      ...(thresholdMs !== undefined && thresholdMs !== 0 && { responseThresholdMs: thresholdMs }),
    });
  }
}

export function readImports(issues: Issues, entry: ConfEntry): ImportsRead {
  const out: ImportsRead = { streams: [], services: [] };
  if (entry.value.kind !== 'array') {
    issues.error(entry.pos, `Imports should be an array, got ${goType(entry.value)}`);
    return out;
  }
  const seen = new Map<string, ServiceImportSpec>();
  for (const item of entry.value.items) {
    if (item.kind !== 'map') {
      issues.error(item.pos, `Import Items should be a map with type entry, got ${goType(item)}`);
      continue;
    }
    const read = readImport(issues, item);
    if (read === undefined) continue;
    if (read.kind === 'stream') {
      out.streams.push(read.spec);
      continue;
    }
    const local = read.spec.to ?? read.spec.subject;
    const dup = seen.get(local);
    if (dup !== undefined) {
      issues.error(item.pos, `Duplicate service import subject ${JSON.stringify(local)}, previously used in import for account ${JSON.stringify(dup.account)}, subject ${JSON.stringify(dup.subject)}`);
      continue;
    }
    seen.set(local, read.spec);
    out.services.push(read.spec);
  }
  return out;
}

type ImportRead = { readonly kind: 'stream'; readonly spec: StreamImportSpec } | { readonly kind: 'service'; readonly spec: ServiceImportSpec };

function readImport(issues: Issues, item: ConfMap): ImportRead | undefined {
  let stream: { account: string; subject: string } | undefined;
  let service: { account: string; subject: string } | undefined;
  let prefix = '';
  let to = '';
  let share = false;
  for (const [key, e] of lowerCased(item)) {
    const v = e.value;
    switch (key) {
      case 'stream':
      case 'service': {
        const other = key === 'stream' ? service : stream;
        if (other !== undefined) {
          issues.error(e.pos, `Detected ${key} but already saw a ${key === 'stream' ? 'service' : 'stream'}`);
          break;
        }
        if (v.kind !== 'map') {
          issues.error(e.pos, `${key === 'stream' ? 'Stream' : 'Service'} entry should be an account map, got ${goType(v)}`);
          break;
        }
        const target = readTarget(issues, v);
        if (target.account === '' || target.subject === '') {
          issues.error(e.pos, 'Expect an account name and a subject');
          break;
        }
        if (key === 'stream') stream = target;
        else service = target;
        break;
      }
      case 'prefix':
        if (v.kind === 'string') prefix = v.value;
        else issues.error(e.pos, `Expected a prefix string, got ${describeNode(v)}`);
        break;
      case 'to':
        if (v.kind !== 'string') {
          issues.error(e.pos, `Expected a subject string, got ${describeNode(v)}`);
          break;
        }
        to = v.value;
        if (stream !== undefined && prefix !== '') issues.error(e.pos, "Stream import can not have a 'prefix' and a 'to' property");
        break;
      case 'share':
        if (v.kind === 'boolean') share = v.value;
        else issues.error(e.pos, `Expected share to be a boolean, got ${describeNode(v)}`);
        break;
      default:
        issues.unknownField(e);
    }
  }
  if (stream !== undefined) return { kind: 'stream', spec: { ...stream, ...(prefix !== '' && { prefix }), ...(to !== '' && { to }) } };
  if (service !== undefined) return { kind: 'service', spec: { ...service, ...(to !== '' && { to }), ...(share && { share }) } };
  return undefined;
}

function readTarget(issues: Issues, map: ConfMap): { account: string; subject: string } {
  let account = '';
  let subject = '';
  for (const [key, e] of lowerCased(map)) {
    if (key === 'account') account = e.value.kind === 'string' ? e.value.value : '';
    else if (key === 'subject') subject = e.value.kind === 'string' ? e.value.value : '';
    else issues.unknownField(e);
  }
  return { account, subject };
}

function nodeText(node: ConfNode): string {
  return node.kind === 'string' ? node.value : describeNode(node);
}
