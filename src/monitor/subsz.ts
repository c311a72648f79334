// /subsz (and its alias /subscriptionsz): sublist statistics, and with subs=true the
// subscriptions themselves, optionally only those a publish to `test` would reach.

import { isValidLiteralSubject, subjectMatches } from '../core/index.js';
import type { Account, SublistStats } from '../core/index.js';
import { subjectFromText } from '../util/index.js';
import type { EndpointContext, EndpointReply } from './context.js';
import { BadRequestError } from './errors.js';
import { rfc3339Nano } from './format.js';
import { indentedJson } from './json.js';
import { subDetail } from './sub-detail.js';
import type { SubDetail } from './sub-detail.js';
import { sumSublistStats } from './sublist-stats.js';

export const DEFAULT_SUB_LIST_SIZE = 1024;

type Subsz = { server_id: string; now: string } & SublistStats & {
  total: number;
  offset: number;
  limit: number;
  subscriptions_list: SubDetail[];
};

export function subsz(ctx: EndpointContext): EndpointReply {
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
  if (!wantList) return reply(stats);

  const details: SubDetail[] = [];
  for (const acc of accounts) {
    for (const sub of acc.sublist.all()) {
      if (test === '' || subjectMatches(test, sub.subject)) details.push(subDetail(sub, sub.conn, true));
    }
  }
  const page = details.slice(Math.min(offset, details.length), Math.min(offset + limit, details.length));
  // nats-server 2.9 answers with the statistics alone when the list is empty.
  if (page.length === 0) return reply(stats);
  const body: Subsz = {
    server_id: ctx.source.id,
    now: rfc3339Nano(ctx.nowMs),
    ...stats,
    // 2.9 counts the page, not the matches.
    total: page.length,
    offset,
    limit,
    subscriptions_list: page,
  };
  return reply(body);
}

function reply(body: SublistStats | Subsz): EndpointReply {
  return { kind: 'json', status: 200, body: indentedJson(body) };
}
