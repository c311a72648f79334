// /healthz as nats-server 2.9.10 answers it: an error while the client listener is not up (starting, lame
// duck); with JetStream configured, unavailable until it runs and has recovered its streams. A single
// server has no meta group or replicated assets, so js-enabled-only and js-server-only check no further.

import type { EndpointContext, EndpointReply } from './context.js';
import { compactJson } from './json.js';
import { bridgeJson, uplinkJson } from './varz.js';

/** nats-server's JSNotEnabledErr as its ApiError.Error() prints it. */
const JETSTREAM_NOT_ENABLED = 'JetStream not enabled (10076)';

export function healthz(ctx: EndpointContext): EndpointReply {
  const q = ctx.query;
  q.bool('js-enabled');
  q.bool('js-enabled-only');
  q.bool('js-server-only');
  const { source } = ctx;
  if (source.port === 0 || source.lameDuck) {
    return unhealthy({ status: 'error', error: 'failed to be ready for connections after 1ms: server' });
  }
  if (source.opts.jetstream !== undefined && source.jetStreamSource?.ready !== true) {
    return unhealthy({ status: 'unavailable', error: JETSTREAM_NOT_ENABLED });
  }
  // A bridge or uplink down is not the gateway down (each keeps what is to go): shown, the status stays ok.
  const bridges = source.mqttBridges;
  const body = {
    status: 'ok',
    ...(bridges.length > 0 && { mqtt_bridges: bridges.map(bridgeJson) }),
    ...(source.uplink !== null && { uplink: uplinkJson(source.uplink) }),
  };
  return { kind: 'json', status: 200, body: compactJson(body) };
}

function unhealthy(body: { status: string; error: string }): EndpointReply {
  return { kind: 'json', status: 503, body: compactJson(body) };
}
