// /connz: open and closed client connections, filtered, sorted and paged.

import { ConnectionKind } from '../core/index.js';
import type { Account, ClientConnection } from '../core/index.js';
import { connInfo, authorizedUser } from './conn-info.js';
import type { ConnInfo, ListedConnection } from './conn-info.js';
import { parseSortOrder, sortConnections } from './connz-sort.js';
import type { EndpointContext, EndpointReply } from './context.js';
import { BadRequestError } from './errors.js';
import { rfc3339Nano } from './format.js';
import { jsonReply } from './json.js';
import { ConnState } from './query.js';

export const DEFAULT_CONN_LIST_SIZE = 1024;

interface Connz {
  server_id: string;
  now: string;
  num_connections: number;
  total: number;
  offset: number;
  limit: number;
  connections: ConnInfo[] | null;
}

interface Filters {
  readonly user: string;
  readonly mqttClient: string;
}

export function connz(ctx: EndpointContext): EndpointReply {
  const q = ctx.query;
  const sortText = q.string('sort');
  const auth = q.bool('auth');
  const subs = q.subs();
  let offset = q.int('offset');
  let limit = q.int('limit');
  const cid = q.uint('cid');
  const state = q.state();
  const filters: Filters = { user: q.string('user'), mqttClient: q.string('mqtt_client') };
  const accName = q.string('acc');

  const order = parseSortOrder(sortText);
  if (offset < 0) offset = 0;
  if (limit <= 0) limit = DEFAULT_CONN_LIST_SIZE;
  if (order === 'stop' && state !== ConnState.Closed) throw new BadRequestError('sort by stop only valid on closed connections');
  if (order === 'reason' && state !== ConnState.Closed) throw new BadRequestError('sort by reason only valid on closed connections');
  if (cid > 0) limit = 1;

  const router = ctx.source.router;
  const now = rfc3339Nano(ctx.nowMs);
  let account: Account | null = null;
  if (accName !== '') {
    account = router.findAccount(accName);
    // nats-server answers an unknown account with this half-filled reply; clients are used to it.
    if (account === null) return jsonReply(ctx, { server_id: '', now, num_connections: 0, total: 0, offset, limit, connections: null } satisfies Connz);
  }

  const open = state === ConnState.Closed ? [] : [...openConnections(router.conns.values(), account), ...[...router.devices.values()].filter((c) => account === null || c.account === account)];
  const closed = state === ConnState.Open ? [] : router.closedConns.filter((c) => account === null || c.account === account);
  const total = open.length + closed.length;

  let selected = cid > 0 ? [...open, ...closed].filter((c) => c.cid === cid) : [...open, ...closed];
  selected = selected.filter((c) => matches(c, filters));
  sortConnections(selected, order, ctx.nowMs);

  const page = selected.slice(Math.min(offset, selected.length), Math.min(offset + limit, selected.length));
  const connections = page.map((c) => connInfo(c, ctx.nowMs, { auth, subs }));
  return jsonReply(ctx, { server_id: ctx.source.id, now, num_connections: connections.length, total, offset, limit, connections } satisfies Connz);
}

function openConnections(all: Iterable<ClientConnection>, account: Account | null): ClientConnection[] {
  const out: ClientConnection[] = [];
  for (const c of account === null ? all : account.conns) {
    if (c.kind === ConnectionKind.Client && !c.closed) out.push(c);
  }
  return out;
}

function matches(c: ListedConnection, f: Filters): boolean {
  if (f.user !== '' && authorizedUser(c) !== f.user) return false;
  // Only MQTT sessions carry a client id; a filter on one matches no other connection.
  if (f.mqttClient !== '' && c.mqttClient !== f.mqttClient) return false;
  return true;
}
