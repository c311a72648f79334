// The system account's server requests: `$SYS.REQ.SERVER.PING[.<ENDPOINT>]` (every server answers)
// and `$SYS.REQ.SERVER.<id>.<ENDPOINT>` (this one). The answers are the monitoring endpoints' own,
// their options taken from the request's JSON (nats-server's field names) instead of a query string,
// wrapped as nats-server wraps them: `{"server": {...}, "data": ...}`, or `"statsz"` for a PING.

import { ClientConnection } from '../core/index.js';
import type { Connection } from '../core/index.js';
import type { WallClock } from './clock.js';
import { connz } from './connz.js';
import type { EndpointContext, EndpointHandler } from './context.js';
import { BadRequestError } from './errors.js';
import { rfc3339Nano } from './format.js';
import { accountStat, eventId } from './system/index.js';
import type { ServerStamp } from './system/index.js';
import { healthz } from './healthz.js';
import { accountDetail, accountz } from './accountz.js';
import { accountStatz } from './accstatz.js';
import { jsz, jszAccount } from './jsz.js';
import { leafz, leafzBody } from './leafz.js';
import { ProcessUsage, coreCount } from './process-usage.js';
import { Query } from './query.js';
import type { MonitorSource } from './source.js';
import { subszRequest } from './subsz.js';
import { varz } from './varz.js';

type OptionNames = Readonly<Record<string, string>>;

/** Each endpoint, and how its JSON options (nats-server's *Options structs) become query parameters. */
const ENDPOINTS: Readonly<Record<string, { readonly handler: EndpointHandler; readonly options: OptionNames }>> = {
  VARZ: { handler: varz, options: {} },
  CONNZ: {
    handler: connz,
    options: { sort: 'sort', auth: 'auth', subscriptions: 'subs', offset: 'offset', limit: 'limit', cid: 'cid', state: 'state', user: 'user', acc: 'acc', mqtt_client: 'mqtt_client' },
  },
  SUBSZ: { handler: subszRequest, options: { offset: 'offset', limit: 'limit', subscriptions: 'subs', account: 'acc', test: 'test' } },
  HEALTHZ: { handler: healthz, options: { 'js-enabled-only': 'js-enabled-only', 'js-server-only': 'js-server-only' } },
  JSZ: {
    handler: jsz,
    options: { account: 'acc', accounts: 'accounts', streams: 'streams', consumer: 'consumers', config: 'config', leader_only: 'leader-only', offset: 'offset', limit: 'limit' },
  },
  ACCOUNTZ: { handler: accountz, options: { account: 'acc' } },
  LEAFZ: { handler: leafz, options: { subscriptions: 'subs', account: 'acc' } },
};

/** ConnState as the JSON carries it. */
const STATES = ['open', 'closed', 'all'];

export class SystemRequests {
  private readonly source: MonitorSource;
  private readonly stamp: ServerStamp;
  private readonly clock: WallClock;
  private readonly usage = new ProcessUsage();

  constructor(source: MonitorSource, stamp: ServerStamp) {
    this.source = source;
    this.stamp = stamp;
    this.clock = stamp.clock;
  }

  /**
   * The answer to a request on `subject` with JSON options `body` ('' for none), or null when the
   * subject names no endpoint this answers.
   */
  answer(subject: string, body: string): string | null {
    const tokens = subject.split('.');
    if (tokens[2] === 'ACCOUNT') return this.answerAccount(tokens, body);
    // $SYS.REQ.SERVER.PING[.<ENDPOINT>] or $SYS.REQ.SERVER.<id>.<ENDPOINT>
    const name = tokens[3] === 'PING' ? (tokens[4] ?? 'STATSZ') : tokens[4];
    if (name === undefined || tokens.length > 5) return null;
    if (name === 'STATSZ') return this.wrap('statsz', JSON.stringify(this.statsz()));
    const endpoint = ENDPOINTS[name];
    if (endpoint === undefined) return null;
    let reply;
    try {
      const ctx: EndpointContext = { source: this.source, query: new Query(queryOf(body, endpoint.options)), nowMs: this.clock.nowMs(), usage: this.usage, requestCounts: new Map(), compact: true };
      reply = endpoint.handler(ctx);
    } catch (err) {
      if (!(err instanceof BadRequestError)) throw err;
      return this.wrap('error', JSON.stringify({ code: 400, description: err.message }));
    }
    return reply.kind === 'json' ? this.wrap('data', reply.body) : null;
  }

  /**
   * `$SYS.REQ.ACCOUNT.<acc>.<ENDPOINT>`: one account's connections, subscriptions, detail (INFO),
   * JetStream, leaf nodes, statistics (STATZ, and CONNS as nats-server's account_connections event),
   * and `$SYS.REQ.ACCOUNT.PING.STATZ` for every account with connections. Other accounts reach their
   * own CONNZ and STATZ through the system imports every account has.
   */
  private answerAccount(tokens: readonly string[], body: string): string | null {
    if (tokens.length !== 5) return null;
    const name = tokens[3] as string;
    const endpoint = tokens[4];
    const s = this.source;
    let options: Record<string, unknown> = {};
    try {
      if (body.trim() !== '') options = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return this.wrap('error', JSON.stringify({ code: 400, description: 'Error decoding request options' }));
    }
    if (endpoint === 'STATZ') {
      const listed = Array.isArray(options['accounts']) && options['accounts'].length > 0 ? (options['accounts'] as unknown[]).map(String) : null;
      const statz = accountStatz(s, name === 'PING' ? listed : [name], options['include_unused'] === true, this.clock.nowMs());
      return statz.account_statz.length === 0 ? null : this.wrap('data', JSON.stringify(statz));
    }
    if (name === 'PING') return null;
    const account = s.router.findAccount(name);
    switch (endpoint) {
      case 'CONNZ':
      case 'SUBSZ': {
        const forced = endpoint === 'CONNZ' ? { ...options, acc: name } : { ...options, account: name, subscriptions: true };
        return this.answer(`$SYS.REQ.SERVER.${s.id}.${endpoint}`, JSON.stringify(forced));
      }
      case 'INFO':
        if (account === null) return this.wrap('error', JSON.stringify({ code: 500, description: `Account ${name} does not exist` }));
        return this.wrap('data', JSON.stringify(accountDetail(account, s.router, s.configLoadTime, s.jetStreamSource, s.accountJwt(account.name))));
      case 'JSZ': {
        const ctx: EndpointContext = { source: s, query: new Query(queryOf(body, ENDPOINTS.JSZ?.options ?? {})), nowMs: this.clock.nowMs(), usage: this.usage, requestCounts: new Map(), compact: true };
        const detail = jszAccount(ctx, name);
        if (detail === null) return `{"server":${this.serverJson()},"data":null,"error":{"code":500,"description":"jetstream not enabled"}}`;
        return this.wrap('data', detail);
      }
      case 'LEAFZ':
        return this.wrap('data', JSON.stringify(leafzBody(s, this.clock.nowMs(), options['subscriptions'] === true, name)));
      case 'CONNS': {
        if (account === null) return null;
        const stat = accountStat(account);
        const event = { type: 'io.nats.server.advisory.v1.account_connections', id: eventId(), timestamp: rfc3339Nano(this.clock.nowMs()), server: JSON.parse(this.serverJson()) as unknown, ...stat };
        return JSON.stringify(event);
      }
      default:
        return null;
    }
  }

  /** The server's statistics as its periodic STATSZ message carries them. */
  /**
   * `$SYS.REQ.USER.INFO` (nats-server 2.10): the asking user's name and account from the request's
   * shared details, with its permissions and how long its login stays valid (ns, whole seconds).
   */
  userInfo(requestInfo: string | null, requester: Connection): string {
    let ci: { user?: string; acc?: string };
    try {
      ci = requestInfo === null ? {} : (JSON.parse(requestInfo) as typeof ci);
    } catch {
      return this.wrap('error', '{"code":400}');
    }
    const rules = requester.perms?.rules;
    const subjects = (r: { readonly allow?: readonly string[]; readonly deny?: readonly string[] } | undefined) => ({
      ...((r?.allow?.length ?? 0) > 0 && { allow: r?.allow }),
      ...((r?.deny?.length ?? 0) > 0 && { deny: r?.deny }),
    });
    const expiresAt = requester instanceof ClientConnection ? requester.loginExpiresAtMs : 0;
    const expiresS = expiresAt > 0 ? Math.max(0, Math.floor((expiresAt - this.clock.nowMs()) / 1000)) : 0;
    return this.wrap(
      'data',
      JSON.stringify({
        user: ci.user ?? '',
        account: ci.acc ?? '',
        ...(rules !== undefined && { permissions: { publish: subjects(rules.publish), subscribe: subjects(rules.subscribe) } }),
        ...(expiresS > 0 && { expires: expiresS * 1e9 }),
      }),
    );
  }

  statszMessage(): string {
    return this.wrap('statsz', JSON.stringify(this.statsz()));
  }

  private wrap(key: string, json: string): string {
    return `{"server":${this.serverJson()},"${key}":${json}}`;
  }

  private serverJson(): string {
    return this.stamp.next();
  }

  private statsz(): Record<string, unknown> {
    const s = this.source;
    const r = s.router;
    let subscriptions = 0;
    let active = 0;
    for (const acc of r.accounts.values()) {
      subscriptions += acc.sublist.size;
      if (acc.connectionCount > 0) active++;
    }
    const usage = this.usage.sample();
    return {
      start: rfc3339Nano(s.startTime.getTime()),
      mem: usage.mem,
      cores: coreCount(),
      cpu: usage.cpu,
      connections: r.connectionCount,
      total_connections: r.stats.totalConnections,
      active_accounts: active,
      subscriptions,
      sent: { msgs: r.stats.outMsgs, bytes: r.stats.outBytes },
      received: { msgs: r.stats.inMsgs, bytes: r.stats.inBytes },
      slow_consumers: r.stats.slowConsumers,
      active_servers: 1,
    };
  }
}

/** The request's JSON options as the query parameters the endpoint reads. */
function queryOf(body: string, names: OptionNames): URLSearchParams {
  const params = new URLSearchParams();
  if (body.trim() === '') return params;
  let options: unknown;
  try {
    options = JSON.parse(body);
  } catch {
    throw new BadRequestError('Error decoding request options');
  }
  if (options === null || typeof options !== 'object') return params;
  for (const [key, value] of Object.entries(options as Record<string, unknown>)) {
    const name = names[key];
    if (name === undefined || value === null || value === undefined || value === false || value === '' || value === 0) continue;
    if (key === 'state' && typeof value === 'number') params.set(name, STATES[value] ?? String(value));
    else params.set(name, String(value));
  }
  if ((options as Record<string, unknown>).subscriptions_detail === true) params.set('subs', 'detail');
  return params;
}
