// /varz: server identity, limits, and counters. Sub-objects of subsystems this server does not run
// (cluster, gateway, leaf, mqtt, websocket, jetstream when off) are empty objects, as in nats-server.

import type { JetStreamConfig, Options } from '../config/index.js';
import type { EndpointContext, EndpointReply } from './context.js';
import { rfc3339Nano, rtt, uptime } from './format.js';
import { jetStreamConfigJson, jetStreamStatsJson } from './jetstream-format.js';
import type { JetStreamMonitorSource } from './jetstream-source.js';
import { jsonReply } from './json.js';
import { coreCount } from './process-usage.js';
import type { MqttBridgeState, UplinkMonitorState } from './source.js';

const NS_PER_MS = 1_000_000;
const DEFAULT_TLS_TIMEOUT_MS = 2000;

export function varz(ctx: EndpointContext): EndpointReply {
  const { source, nowMs } = ctx;
  const opts = source.opts;
  const router = source.router;
  const stats = router.stats;
  const usage = ctx.usage.sample();
  const cores = coreCount();
  const systemAccount = router.accounts.has(router.systemAccount) ? router.systemAccount : '';
  const info = router.serverInfo;
  const body = {
    server_id: info.server_id,
    server_name: info.server_name,
    version: info.version,
    proto: info.proto,
    go: info.go,
    host: info.host,
    port: info.port,
    // The server's own view, unlike INFO's: true even when a no_auth_user lets clients in without credentials.
    ...(router.authenticator.configured ? { auth_required: true } : {}),
    ...(info.tls_required === true ? { tls_required: true } : {}),
    ...(info.tls_verify === true ? { tls_verify: true } : {}),
    ...(opts.clientAdvertise !== undefined ? { connect_urls: [opts.clientAdvertise] } : {}),
    max_connections: opts.maxConnections,
    ...(opts.maxSubscriptions > 0 ? { max_subscriptions: opts.maxSubscriptions } : {}),
    ping_interval: opts.pingIntervalMs * NS_PER_MS,
    ping_max: opts.pingMax,
    http_host: opts.httpHost !== '' ? opts.httpHost : opts.host,
    http_port: opts.httpPort,
    http_base_path: opts.httpBasePath,
    https_port: 0,
    auth_timeout: router.authenticator.timeoutMs / 1000,
    max_control_line: opts.maxControlLine,
    max_payload: opts.maxPayload,
    max_pending: opts.maxPending,
    cluster: {},
    gateway: {},
    leaf: leafVarz(opts),
    ...(source.uplink !== null && { uplink: uplinkJson(source.uplink) }),
    mqtt: mqttVarz(opts, source.mqttPort, source.mqttBridges),
    websocket: websocketVarz(opts, source.websocketPort),
    jetstream: jetStreamVarz(source.jetStreamSource, opts.jetstream),
    tls_timeout: (opts.tls?.timeoutMs ?? DEFAULT_TLS_TIMEOUT_MS) / 1000,
    write_deadline: opts.writeDeadlineMs * NS_PER_MS,
    start: rfc3339Nano(source.startTime.getTime()),
    now: rfc3339Nano(nowMs),
    uptime: uptime(nowMs - source.startTime.getTime()),
    mem: usage.mem,
    cores,
    gomaxprocs: cores,
    cpu: usage.cpu,
    connections: router.connectionCount,
    total_connections: stats.totalConnections,
    routes: 0,
    remotes: 0,
    leafnodes: source.leafLinks.length,
    in_msgs: stats.inMsgs,
    out_msgs: stats.outMsgs,
    in_bytes: stats.inBytes,
    out_bytes: stats.outBytes,
    slow_consumers: stats.slowConsumers,
    subscriptions: router.subscriptionCount(),
    http_req_stats: sortedCounts(ctx.requestCounts),
    config_load_time: rfc3339Nano(source.configLoadTime.getTime()),
    ...(systemAccount !== '' ? { system_account: systemAccount } : {}),
  };
  return jsonReply(ctx, body);
}

/** JetStream's configuration and usage, without any stream details. */
function jetStreamVarz(js: JetStreamMonitorSource | null, configured: JetStreamConfig | undefined): Record<string, unknown> {
  if (js === null) return {};
  const snap = js.snapshot({ streams: false, consumers: false });
  return { config: jetStreamConfigJson(snap.config, configured), stats: jetStreamStatsJson(snap) };
}

/** Go prints map keys sorted. */
function sortedCounts(counts: ReadonlyMap<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of [...counts.keys()].sort()) out[key] = counts.get(key) as number;
  return out;
}

/** leafgate's uplink in /varz and /healthz (nats-server has none). */
export function uplinkJson(u: UplinkMonitorState): Record<string, unknown> {
  return {
    name: u.name,
    stream: u.stream,
    connected: u.connected,
    rtt: rtt(u.rttMs),
    backlog_msgs: u.backlogMsgs,
    backlog_bytes: u.backlogBytes,
    oldest_msg_age: u.oldestMs * NS_PER_MS,
    forwarded_msgs: u.forwarded,
    acked_msgs: u.acked,
    drain_rate: u.rateMsgs,
    drain_eta_seconds: u.etaSeconds,
    last_error: u.lastError,
  };
}

/** nats-server's LeafNodeOptsVarz: the listener and the remotes, empty fields left out. */
function leafVarz(opts: Options): Record<string, unknown> {
  const l = opts.leafnodes;
  if (l === undefined) return {};
  return {
    ...(l.port !== 0 && { host: l.host !== '' ? l.host : opts.host, port: l.port }),
    ...(l.auth?.timeoutMs !== undefined && { auth_timeout: l.auth.timeoutMs / 1000 }),
    ...(l.remotes.length > 0 && { remotes: l.remotes.map((r) => ({ local_account: r.account ?? '$G', urls: r.urls.map(hostPortOf) })) }),
  };
}

/** What nats-server shows of a remote's URL: its host and port, without credentials. */
function hostPortOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port === '' ? 7422 : u.port}`;
}

/** nats-server's MQTTOptsVarz: the listener's settings, empty fields left out; the bound port; leafgate's bridges. */
function mqttVarz(opts: Options, port: number, bridges: readonly MqttBridgeState[]): Record<string, unknown> {
  const m = opts.mqtt;
  if (m === undefined) return {};
  return omitEmpty({
    host: m.host !== '' ? m.host : opts.host,
    port,
    no_auth_user: m.noAuthUser,
    auth_timeout: m.auth?.timeoutMs === undefined ? undefined : m.auth.timeoutMs / 1000,
    tls_timeout: m.tls === undefined ? undefined : m.tls.timeoutMs / 1000,
    ack_wait: m.ackWaitMs * NS_PER_MS,
    max_ack_pending: m.maxAckPending,
    bridges: bridges.length > 0 ? bridges.map(bridgeJson) : undefined,
  });
}

/** A bridge's state, every field present (a count of 0 and an empty last error say something here). */
export function bridgeJson(b: MqttBridgeState): Record<string, unknown> {
  return {
    name: b.name,
    url: b.url,
    connected: b.connected,
    connects: b.connects,
    last_error: b.lastError,
    backlog_msgs: b.backlogMsgs,
    backlog_bytes: b.backlogBytes,
    dropped_msgs: b.droppedMsgs,
    in_msgs: b.inMsgs,
    out_msgs: b.outMsgs,
  };
}

/** nats-server's WebsocketOptsVarz. */
function websocketVarz(opts: Options, port: number): Record<string, unknown> {
  const w = opts.websocket;
  if (w === undefined) return {};
  return omitEmpty({
    host: w.host,
    port,
    advertise: w.advertise,
    no_auth_user: w.noAuthUser,
    jwt_cookie: w.jwtCookie,
    handshake_timeout: w.handshakeTimeoutMs * NS_PER_MS,
    auth_timeout: w.auth?.timeoutMs === undefined ? undefined : w.auth.timeoutMs / 1000,
    no_tls: w.tls === undefined,
    same_origin: w.sameOrigin,
    allowed_origins: w.allowedOrigins.length > 0 ? w.allowedOrigins : undefined,
    compression: w.compression,
  });
}

/** Go's `omitempty`: zero values, empty strings and false are left out. */
function omitEmpty(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && v !== 0 && v !== false));
}
