// /routez and /gatewayz as a standalone nats-server without clustering or gateways answers them:
// empty lists. Their parameters are still decoded so malformed ones get the same 400.

import type { EndpointContext, EndpointReply } from './context.js';
import { rfc3339Nano } from './format.js';
import { jsonReply } from './json.js';

function head(ctx: EndpointContext): { server_id: string; now: string } {
  return { server_id: ctx.source.id, now: rfc3339Nano(ctx.nowMs) };
}

export function routez(ctx: EndpointContext): EndpointReply {
  ctx.query.subs();
  return jsonReply(ctx, { ...head(ctx), num_routes: 0, routes: [] });
}

export function gatewayz(ctx: EndpointContext): EndpointReply {
  ctx.query.bool('accs');
  return jsonReply(ctx, { ...head(ctx), outbound_gateways: {}, inbound_gateways: {} });
}
