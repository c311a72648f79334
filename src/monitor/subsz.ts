// /subsz (and its alias /subscriptionsz): sublist statistics, and with subs=true the
// subscriptions themselves, optionally only those a publish to `test` would reach.

import { isValidLiteralSubject, subjectMatches } from '../core/index.js';
import type { Account, SublistStats } from '../core/index.js';
import { subjectFromText } from '../util/index.js';
import type { EndpointContext, EndpointReply } from './context.js';
import { BadRequestError } from './errors.js';
import { rfc3339Nano } from './format.js';
import { jsonReply } from './json.js';
import { subDetail } from './sub-detail.js';
import type { SubDetail } from './sub-detail.js';
import { sumSublistStats } from './sublist-stats.js';

export const DEFAULT_SUB_LIST_SIZE = 1024;

type Subsz = { server_id: string; now: string } & SublistStats & {
  total: number;
  offset: number;
  limit: number;
  subscriptions_list?: SubDetail[];
};

/** /subsz over HTTP: nats-server 2.9 answers with the statistics alone when there is no list to show. */
export function subsz(ctx: EndpointContext): EndpointReply {
  const { stats, body } = subszBody(ctx);
  return jsonReply(ctx, body.subscriptions_list === undefined ? stats : body);
}

/** `$SYS.REQ.SERVER.*.SUBSZ`: the whole answer, the list left out when empty. */
export function subszRequest(ctx: EndpointContext): EndpointReply {
  return jsonReply(ctx, subszBody(ctx).body);
}

function subszBody(ctx: EndpointContext): { stats: SublistStats; body: Subsz } {
  const q = ctx.query;
  const wantList = q.bool('subs');
  let offset = q.int('offset');
  let limit = q.int('limit');
  const testText = q.string('test');
  const test = subjectFromText(testText);
  const accName = q.string('acc');
  if (offset < 0) offset = 0;
  if (limit <= 0) limit = DEFAULT_SUB_LIST_SIZE;
  if (test !== '' && !isValidLiteralSubject(test)) throw new BadRequestError(`invalid test subject, must be valid publish subject: ${testText}`);

  const accounts: Account[] = [];
  for (const acc of ctx.source.router.accounts.values()) {
    if (accName === '' || acc.name === accName) accounts.push(acc);
  }
  const stats = sumSublistStats(accounts);
  const details: SubDetail[] = [];
  if (wantList) {
    for (const acc of accounts) {
      for (const sub of acc.sublist.all()) {
        if (test === '' || subjectMatches(test, sub.subject)) details.push(subDetail(sub, sub.conn, true));
      }
    }
  }
  const page = details.slice(Math.min(offset, details.length), Math.min(offset + limit, details.length));
  const body: Subsz = {
    server_id: ctx.source.id,
    now: rfc3339Nano(ctx.nowMs),
    ...stats,
    // 2.9 counts the page, not the matches.
    total: page.length,
    offset,
    limit,
    ...(page.length > 0 && { subscriptions_list: page }),
  };
  return { stats, body };
}
