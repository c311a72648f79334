// /jsz as nats-server 2.9.10 answers it: JetStream's configuration, usage and API counters, and on request
// each account's details with its streams, their consumers and configs. Without a running JetStream it
// answers as nats-server with JetStream off: `disabled` and zeros.

import type { EndpointContext, EndpointReply } from './context.js';
import { BadRequestError } from './errors.js';
import { rfc3339Nano } from './format.js';
import { jetStreamConfigJson, jetStreamStatsJson } from './jetstream-format.js';
import type { JetStreamAccountSnapshot, JetStreamStreamSnapshot } from './jetstream-source.js';
import { jsonReply } from './json.js';

const DEFAULT_LIMIT = 1024;
const UINT64_SPAN = 1n << 64n;

interface JszOptions {
  readonly account: string;
  readonly accounts: boolean;
  readonly streams: boolean;
  readonly consumers: boolean;
  readonly config: boolean;
  readonly offset: number;
  readonly limit: number;
  readonly leaderOnly: boolean;
}

export function jsz(ctx: EndpointContext): EndpointReply {
  const opts = jszOptions(ctx);
  const head = { server_id: ctx.source.id, now: rfc3339Nano(ctx.nowMs) };
  const js = ctx.source.jetStreamSource;
  if (js === null || !js.ready) {
    if (opts.leaderOnly) throw new BadRequestError('filtered response: not leader');
    return jsonReply(ctx, { ...head, disabled: true, config: { max_memory: 0, max_storage: 0 }, ...zeroStats(), streams: 0, consumers: 0, messages: 0, bytes: 0 });
  }
  // A single server leads every asset, so leader-only filters nothing out.
  const snap = js.snapshot({ streams: opts.streams, consumers: opts.consumers });
  let streams = 0;
  let consumers = 0;
  let messages = 0;
  let bytes = 0;
  for (const acc of snap.accounts) {
    streams += acc.streamCount;
    consumers += acc.consumerCount;
    messages += acc.messages;
    bytes += acc.bytes;
  }
  const shown = shownAccounts(snap.accounts, opts);
  const leader = ctx.source.router.serverInfo.server_name;
  return jsonReply(ctx, {
      ...head,
      config: jetStreamConfigJson(snap.config, ctx.source.opts.jetstream),
      ...jetStreamStatsJson(snap),
      streams,
      consumers,
      messages,
      bytes,
      ...(shown.length > 0 ? { account_details: shown.map((acc) => accountDetail(acc, opts, leader)) } : {}),
    });
}

/**
 * `$SYS.REQ.ACCOUNT.<acc>.JSZ`: that account's detail (nats-server's JszAccount), as JSON text; null
 * when JetStream is off, an empty object's text when the account has none.
 */
export function jszAccount(ctx: EndpointContext, account: string): string | null {
  const js = ctx.source.jetStreamSource;
  if (js === null || !js.ready) return null;
  const opts = { ...jszOptions(ctx), account };
  const snap = js.snapshot({ streams: opts.streams, consumers: opts.consumers });
  const acc = snap.accounts.find((a) => a.name === account);
  return jsonReply({ compact: true }, acc === undefined ? {} : accountDetail(acc, opts, ctx.source.router.serverInfo.server_name)).body;
}

/** The options in the order nats-server decodes them (the first malformed one is the 400). */
function jszOptions(ctx: EndpointContext): JszOptions {
  const q = ctx.query;
  const accounts = q.bool('accounts');
  const streams = q.bool('streams');
  const consumers = q.bool('consumers');
  const config = q.bool('config');
  const offset = q.int('offset');
  const limit = q.int('limit');
  const leaderOnly = q.bool('leader-only');
  // consumers imply streams, streams imply accounts. A negative offset or limit makes nats-server panic
  // (the connection drops); here they mean none and the default.
  return {
    account: q.string('acc'),
    accounts: accounts || streams || consumers,
    streams: streams || consumers,
    consumers,
    config,
    offset: Math.max(offset, 0),
    limit: limit > 0 ? limit : DEFAULT_LIMIT,
    leaderOnly,
  };
}

/** `acc` names one account (when it has JetStream); otherwise `accounts` pages through all, by name. */
function shownAccounts(all: readonly JetStreamAccountSnapshot[], opts: JszOptions): readonly JetStreamAccountSnapshot[] {
  const named = all.find((acc) => acc.name === opts.account);
  if (named !== undefined) return [named];
  if (!opts.accounts) return [];
  return [...all].sort(byName).slice(opts.offset, opts.offset + opts.limit);
}

function accountDetail(acc: JetStreamAccountSnapshot, opts: JszOptions, leader: string): Record<string, unknown> {
  const streams = opts.streams ? [...acc.streams].sort(byName) : [];
  return {
    name: acc.name,
    id: acc.name,
    memory: acc.memory,
    storage: acc.storage,
    // The account's limits as Go's uint64: unlimited (-1) shows as 2^64-1.
    reserved_memory: asUint64(acc.maxMemory),
    reserved_storage: asUint64(acc.maxStorage),
    accounts: 0,
    ha_assets: 0,
    api: { total: acc.apiTotal, errors: acc.apiErrors },
    ...(streams.length > 0 ? { stream_detail: streams.map((s) => streamDetail(s, opts, leader)) } : {}),
  };
}

function streamDetail(s: JetStreamStreamSnapshot, opts: JszOptions, leader: string): Record<string, unknown> {
  const consumers = opts.consumers ? [...s.consumers].sort(byConsumerName) : [];
  return {
    name: s.name,
    created: s.created,
    cluster: { leader },
    ...(opts.config ? { config: s.config } : {}),
    state: s.state,
    ...(consumers.length > 0 ? { consumer_detail: consumers.map((c) => (opts.config ? c : withoutConfig(c))) } : {}),
    ...(s.mirror !== undefined ? { mirror: s.mirror } : {}),
    ...(s.sources !== undefined ? { sources: s.sources } : {}),
  };
}

function withoutConfig(info: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(info)) if (key !== 'config') out[key] = info[key];
  return out;
}

function zeroStats(): Record<string, unknown> {
  return { memory: 0, storage: 0, reserved_memory: 0, reserved_storage: 0, accounts: 0, ha_assets: 0, api: { total: 0, errors: 0 } };
}

function asUint64(n: number): bigint {
  const v = BigInt(n);
  return v < 0n ? UINT64_SPAN + v : v;
}

function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function byConsumerName(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): number {
  return byName({ name: String(a.name) }, { name: String(b.name) });
}

