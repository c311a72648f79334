// /healthz: ok once the client listener is up, an error while it is not (starting, lame duck).
// The JetStream parameters are decoded (and rejected when malformed) as nats-server does; with no
// JetStream running there is nothing further for them to check.

import type { EndpointContext, EndpointReply } from './context.js';
import { compactJson } from './json.js';

export function healthz(ctx: EndpointContext): EndpointReply {
  const q = ctx.query;
  q.bool('js-enabled');
  q.bool('js-enabled-only');
  q.bool('js-server-only');
  const { source } = ctx;
  if (source.port === 0 || source.lameDuck) {
    const body = { status: 'error', error: 'failed to be ready for connections after 1ms: server' };
    return { kind: 'json', status: 503, body: compactJson(body) };
  }
  return { kind: 'json', status: 200, body: compactJson({ status: 'ok' }) };
}
