// /accstatz and the STATZ account requests: each account's connection counts and message totals,
// only accounts with connections unless `unused` (include_unused) asks for all.

import type { Account } from '../core/index.js';
import type { EndpointContext, EndpointReply } from './context.js';
import { rfc3339Nano } from './format.js';
import { jsonReply } from './json.js';
import type { MonitorSource } from './source.js';
import { accountStat } from './system/index.js';

/** nats-server's AccountStatz: `names` null for every account. */
export function accountStatz(source: MonitorSource, names: readonly string[] | null, includeUnused: boolean, nowMs: number): { server_id: string; now: string; account_statz: Record<string, unknown>[] } {
  const router = source.router;
  const accounts = names === null ? [...router.accounts.values()] : names.map((n) => router.findAccount(n)).filter((a): a is Account => a !== null);
  return {
    server_id: source.id,
    now: rfc3339Nano(nowMs),
    account_statz: accounts.filter((a) => includeUnused || a.connectionCount > 0).map(accountStat),
  };
}

export function accstatz(ctx: EndpointContext): EndpointReply {
  const unused = ctx.query.bool('unused');
  return jsonReply(ctx, accountStatz(ctx.source, null, unused, ctx.nowMs));
}
