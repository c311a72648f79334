// One client connection as /connz lists it, in nats-server's field order. Closed connections are
// reported as they were when they closed: uptime and idle end at their stop time.

import { ConnectionKind, REDACTED_TOKEN } from '../core/index.js';
import { GLOBAL_ACCOUNT, subjectToText } from '../util/index.js';
import type { ConnectionType, ListedClient } from '../core/index.js';
import { rfc3339Nano, rtt, tlsVersion, uptime } from './format.js';
import type { SubsOption } from './query.js';
import { subDetail } from './sub-detail.js';
import type { SubDetail } from './sub-detail.js';


const KIND_NAMES: ReadonlyMap<ConnectionKind, string> = new Map([[ConnectionKind.Client, 'Client']]);

/** nats-server's client type names (MQTT over websocket still reports mqtt); leaf links have none. */
const TYPE_NAMES: Readonly<Record<ConnectionType, string>> = {
  STANDARD: 'nats',
  WEBSOCKET: 'websocket',
  MQTT: 'mqtt',
  MQTT_WS: 'mqtt',
  LEAFNODE: '',
  LEAFNODE_WS: '',
};

/** A connection as /connz lists it: open, or what a closed one left. */
export type ListedConnection = ListedClient;

export interface ConnInfo {
  cid: number;
  kind: string;
  type?: string;
  ip: string;
  port: number;
  start: string;
  last_activity: string;
  stop?: string;
  reason?: string;
  rtt: string;
  uptime: string;
  idle: string;
  pending_bytes: number;
  in_msgs: number;
  out_msgs: number;
  in_bytes: number;
  out_bytes: number;
  subscriptions: number;
  name?: string;
  lang?: string;
  version?: string;
  tls_version?: string;
  tls_cipher_suite?: string;
  authorized_user?: string;
  account?: string;
  jwt?: string;
  issuer_key?: string;
  name_tag?: string;
  tags?: readonly string[];
  mqtt_client?: string;
  subscriptions_list?: string[];
  subscriptions_list_detail?: SubDetail[];
}

export interface ConnInfoOptions {
  /** Include authorized_user and account (`auth=true`). */
  readonly auth: boolean;
  readonly subs: SubsOption;
}

/**
 * The user a connection authenticated as, for `auth=true` and the `user=` filter. nats-server 2.9.10
 * shows a token itself here; like its later releases we show `[REDACTED]`: a token is a secret.
 */
export function authorizedUser(conn: ListedConnection): string {
  const nkey = conn.opts.nkey ?? '';
  if (nkey !== '') return nkey;
  const user = conn.user !== '' ? conn.user : (conn.opts.user ?? '');
  if (user !== '') return user;
  return conn.opts.auth_token ? REDACTED_TOKEN : '';
}

export function connInfo(conn: ListedConnection, nowMs: number, options: ConnInfoOptions): ConnInfo {
  const startMs = conn.start.getTime();
  const endMs = conn.stop !== null ? conn.stop.getTime() : nowMs;
  const name = conn.opts.name ?? '';
  const lang = conn.opts.lang ?? '';
  const version = conn.opts.version ?? '';
  const type = TYPE_NAMES[conn.type];
  const user = options.auth ? authorizedUser(conn) : '';
  const account = options.auth && conn.account !== null && conn.account.name !== GLOBAL_ACCOUNT ? conn.account.name : '';
  const closed = conn.stop !== null;
  return {
    cid: conn.cid,
    kind: KIND_NAMES.get(conn.kind) ?? 'Unknown Type',
    ...(type !== '' ? { type } : {}),
    ip: conn.ip,
    port: conn.port,
    start: rfc3339Nano(startMs),
    last_activity: rfc3339Nano(conn.lastActivity),
    ...(closed ? { stop: rfc3339Nano(endMs) } : {}),
    ...(closed && conn.closeReason !== '' ? { reason: conn.closeReason } : {}),
    rtt: rtt(conn.rttMs),
    uptime: uptime(endMs - startMs),
    idle: uptime(endMs - conn.lastActivity),
    pending_bytes: conn.pendingBytes,
    in_msgs: conn.inMsgs,
    out_msgs: conn.outMsgs,
    in_bytes: conn.inBytes,
    out_bytes: conn.outBytes,
    subscriptions: conn.subs.size,
    ...(name !== '' ? { name } : {}),
    ...(lang !== '' ? { lang } : {}),
    ...(version !== '' ? { version } : {}),
    ...(conn.tlsVersion !== '' ? { tls_version: tlsVersion(conn.tlsVersion) } : {}),
    ...(conn.tlsCipher !== '' ? { tls_cipher_suite: conn.tlsCipher } : {}),
    ...(user !== '' ? { authorized_user: user } : {}),
    ...(account !== '' ? { account } : {}),
    ...(options.auth ? jwtDetails(conn) : {}),
    ...(conn.mqttClient !== undefined && conn.mqttClient !== '' ? { mqtt_client: conn.mqttClient } : {}),
    ...subscriptionLists(conn, options.subs, closed),
  };
}

/** A JWT login's token, the key that signed it and its name, as nats-server shows them with `auth=true`. */
function jwtDetails(conn: ListedConnection): Pick<ConnInfo, 'jwt' | 'issuer_key' | 'name_tag' | 'tags'> {
  const jwt = conn.opts.jwt ?? '';
  return {
    ...(jwt !== '' ? { jwt } : {}),
    ...(conn.issuerKey !== '' ? { issuer_key: conn.issuerKey } : {}),
    ...(conn.nameTag !== '' ? { name_tag: conn.nameTag } : {}),
    ...(conn.tags.length > 0 ? { tags: conn.tags } : {}),
  };
}

function subscriptionLists(conn: ListedConnection, subs: SubsOption, closed: boolean): Pick<ConnInfo, 'subscriptions_list' | 'subscriptions_list_detail'> {
  if (conn.subs.size === 0) return {};
  if (subs.detail) return { subscriptions_list_detail: [...conn.subs.values()].map((sub) => subDetail(sub, conn, closed)) };
  if (subs.list) return { subscriptions_list: [...conn.subs.values()].map((sub) => subjectToText(sub.subject)) };
  return {};
}
