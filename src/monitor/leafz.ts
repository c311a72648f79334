// /leafz: the leaf node links, with nats-server's fields (2.9.10's, plus 2.10's name and is_spoke),
// their subscriptions listed with `subs=1`, filtered by account with `acc`. The system account's
// LEAFZ request answers the same.

import type { EndpointContext, EndpointReply } from './context.js';
import { rfc3339Nano, rtt } from './format.js';
import { jsonReply } from './json.js';
import type { LeafLinkState, MonitorSource } from './source.js';

export function leafz(ctx: EndpointContext): EndpointReply {
  const subs = ctx.query.bool('subs');
  return jsonReply(ctx, leafzBody(ctx.source, ctx.nowMs, subs, ctx.query.string('acc')));
}

export function leafzBody(source: MonitorSource, nowMs: number, subs: boolean, account: string): Record<string, unknown> {
  const links = source.leafLinks.filter((l) => account === '' || l.account === account);
  return {
    server_id: source.id,
    now: rfc3339Nano(nowMs),
    leafnodes: links.length,
    leafs: links.length === 0 ? null : links.map((l) => leafInfo(l, subs)),
  };
}

function leafInfo(l: LeafLinkState, subs: boolean): Record<string, unknown> {
  return {
    name: l.name,
    is_spoke: l.isSpoke,
    account: l.account,
    ip: l.ip,
    port: l.port,
    rtt: rtt(l.rttMs),
    in_msgs: l.inMsgs,
    out_msgs: l.outMsgs,
    in_bytes: l.inBytes,
    out_bytes: l.outBytes,
    subscriptions: l.subjects.length,
    ...(subs && l.subjects.length > 0 && { subscriptions_list: l.subjects }),
  };
}
