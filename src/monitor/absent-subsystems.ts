// /routez, /leafz, /gatewayz and /jsz as a standalone nats-server without clustering, leaf nodes,
// gateways or JetStream answers them: empty lists and a disabled JetStream. Their parameters are
// still decoded so malformed ones get the same 400.

import type { EndpointContext, EndpointReply } from './context.js';
import { BadRequestError } from './errors.js';
import { rfc3339Nano } from './format.js';
import { indentedJson } from './json.js';

function head(ctx: EndpointContext): { server_id: string; now: string } {
  return { server_id: ctx.source.id, now: rfc3339Nano(ctx.nowMs) };
}

function reply(body: object): EndpointReply {
  return { kind: 'json', status: 200, body: indentedJson(body) };
}

export function routez(ctx: EndpointContext): EndpointReply {
  ctx.query.subs();
  return reply({ ...head(ctx), num_routes: 0, routes: [] });
}

export function leafz(ctx: EndpointContext): EndpointReply {
  ctx.query.bool('subs');
  return reply({ ...head(ctx), leafnodes: 0, leafs: null });
}

export function gatewayz(ctx: EndpointContext): EndpointReply {
  ctx.query.bool('accs');
  return reply({ ...head(ctx), outbound_gateways: {}, inbound_gateways: {} });
}

export function jsz(ctx: EndpointContext): EndpointReply {
  const q = ctx.query;
  for (const flag of ['accounts', 'streams', 'consumers', 'config']) q.bool(flag);
  q.int('offset');
  q.int('limit');
  if (q.bool('leader-only')) throw new BadRequestError('filtered response: not leader');
  return reply({
    ...head(ctx),
    disabled: true,
    config: { max_memory: 0, max_storage: 0 },
    memory: 0,
    storage: 0,
    reserved_memory: 0,
    reserved_storage: 0,
    accounts: 0,
    ha_assets: 0,
    api: { total: 0, errors: 0 },
    streams: 0,
    consumers: 0,
    messages: 0,
    bytes: 0,
  });
}
