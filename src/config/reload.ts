// What a config reload would change, and which of those changes need a restart instead.

import { formatGoDuration } from '../util/index.js';
import type { Options } from './options.js';
import { RELOADABLE } from './options.js';
import { jetStreamReloadRefusal } from './reload-jetstream.js';

export interface OptionsDiff {
  /** Every option whose value differs (deep comparison), reloadable or not. */
  readonly changed: (keyof Options)[];
  /** The subset of `changed` a reload cannot apply. */
  readonly refused: (keyof Options)[];
  /** Why, when `refused` is not empty: `config reload not supported for <keys>`, JetStream in nats-server's words. */
  readonly refusal?: string;
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
  let jetstreamRefusal: string | undefined;
  for (const key of keys) {
    if (deepEqual(oldOpts[key], newOpts[key])) continue;
    changed.push(key);
    if (key === 'jetstream') jetstreamRefusal = jetStreamReloadRefusal(oldOpts.jetstream, newOpts.jetstream);
    if (key === 'jetstream' ? jetstreamRefusal !== undefined : !RELOADABLE.has(key)) refused.push(key);
  }
  const others = refused.filter((key) => key !== 'jetstream');
  const reasons = [...(others.length > 0 ? [`config reload not supported for ${others.join(', ')}`] : []), ...(jetstreamRefusal !== undefined ? [jetstreamRefusal] : [])];
  return { changed, refused, ...(reasons.length > 0 && { refusal: reasons.join('; ') }) };
}

type Describe = (oldOpts: Options, newOpts: Options) => string[];

const value = (name: string, read: (o: Options) => unknown): Describe => (_, n) => [`${name} = ${String(read(n) ?? '')}`];
const duration = (name: string, read: (o: Options) => number): Describe => (_, n) => [`${name} = ${formatGoDuration(read(n))}`];
const fixed = (text: string): Describe => () => [text];

/** nats-server's `Reloaded: <text>` for each reloadable option (server/reload.go); auth and TLS expand per setting. */
const DESCRIBE: Partial<Record<keyof Options, Describe>> = {
  serverName: value('server_name', (o) => o.serverName),
  logFile: value('log_file', (o) => o.logFile),
  logtime: value('logtime', (o) => o.logtime),
  debug: value('debug', (o) => o.debug),
  trace: value('trace', (o) => o.trace),
  traceVerbose: value('trace_verbose', (o) => o.traceVerbose),
  maxTracedMsgLen: value('max_traced_msg_len', (o) => o.maxTracedMsgLen),
  maxControlLine: value('max_control_line', (o) => o.maxControlLine),
  maxPayload: value('max_payload', (o) => o.maxPayload),
  maxPending: value('max_pending', (o) => o.maxPending),
  maxConnections: value('max_connections', (o) => o.maxConnections),
  maxSubscriptions: value('max_subscriptions', (o) => o.maxSubscriptions),
  maxSubTokens: value('max_sub_tokens', (o) => o.maxSubTokens),
  pingIntervalMs: duration('ping_interval', (o) => o.pingIntervalMs),
  pingMax: value('ping_max', (o) => o.pingMax),
  writeDeadlineMs: duration('write_deadline', (o) => o.writeDeadlineMs),
  lameDuckDurationMs: duration('lame_duck_duration', (o) => o.lameDuckDurationMs),
  lameDuckGracePeriodMs: duration('lame_duck_grace_period', (o) => o.lameDuckGracePeriodMs),
  tls: describeTls,
  allowNonTls: value('allow_non_tls', (o) => o.allowNonTls),
  auth: describeAuth,
  accounts: fixed('accounts'),
  // nats-server reloads a mappings block as part of the accounts.
  mappings: fixed('accounts'),
  systemAccount: fixed('accounts'),
  noSystemAccount: fixed('accounts'),
  clientAdvertise: value('client_advertise', (o) => o.clientAdvertise),
  pidFile: value('pid_file', (o) => o.pidFile),
  portsFileDir: value('ports_file_dir', (o) => o.portsFileDir),
  disableSublistCache: value('disable_sublist_cache', (o) => o.disableSublistCache),
  // Only turning it on or off gets this far.
  jetstream: fixed('JetStream'),
  // The file path itself; a reload re-reads the same file.
  configFile: () => [],
};

/**
 * What a reload changed, one line per setting in nats-server's words (`authorization users`,
 * `max_payload = 2000`), to be logged as `Reloaded: <line>`. Unlike nats-server, which always names
 * users and accounts, only settings whose value changed are listed. Secrets are never shown.
 */
export function describeChanges(oldOpts: Options, newOpts: Options, changed: readonly (keyof Options)[]): string[] {
  const lines: string[] = [];
  for (const key of changed) {
    const describe = DESCRIBE[key];
    for (const line of describe !== undefined ? describe(oldOpts, newOpts) : [key]) if (!lines.includes(line)) lines.push(line);
  }
  return lines;
}

function describeAuth(oldOpts: Options, newOpts: Options): string[] {
  const a = oldOpts.auth;
  const b = newOpts.auth;
  const lines: string[] = [];
  if (a.user !== b.user) lines.push('authorization username');
  if (a.password !== b.password) lines.push('authorization password');
  if (a.token !== b.token) lines.push('authorization token');
  if (a.timeoutMs !== b.timeoutMs) lines.push(`authorization timeout = ${(b.timeoutMs ?? 0) / 1000}`);
  // Default permissions are copied into the users they apply to, so they change the users too.
  if (!deepEqual(a.users, b.users) || !deepEqual(a.nkeys, b.nkeys) || !deepEqual(a.defaultPermissions, b.defaultPermissions)) lines.push('authorization users');
  if (a.noAuthUser !== b.noAuthUser) lines.push(`no_auth_user = ${b.noAuthUser ?? ''}`);
  return lines;
}

function describeTls(oldOpts: Options, newOpts: Options): string[] {
  const a = oldOpts.tls;
  const b = newOpts.tls;
  if (a === undefined || b === undefined || !deepEqual({ ...a, timeoutMs: 0 }, { ...b, timeoutMs: 0 })) {
    return [`tls = ${b === undefined ? 'disabled' : 'enabled'}`];
  }
  return [`tls timeout = ${b.timeoutMs / 1000}`];
}
