// /connz sort orders. Only cid and start (the same order) and uptime and reason run ascending;
// the others put the largest first, as nats-server does.

import type { ListedConnection } from './conn-info.js';
import { BadRequestError } from './errors.js';

export type SortOrder =
  | 'cid'
  | 'start'
  | 'subs'
  | 'pending'
  | 'msgs_to'
  | 'msgs_from'
  | 'bytes_to'
  | 'bytes_from'
  | 'last'
  | 'idle'
  | 'uptime'
  | 'stop'
  | 'reason';

type Compare = (a: ListedConnection, b: ListedConnection, nowMs: number) => number;

const byCid = (a: ListedConnection, b: ListedConnection): number => a.cid - b.cid;
const endOf = (c: ListedConnection, nowMs: number): number => (c.stop !== null ? c.stop.getTime() : nowMs);

const COMPARE: Readonly<Record<SortOrder, Compare>> = {
  cid: byCid,
  start: byCid,
  subs: (a, b) => b.subs.size - a.subs.size,
  pending: (a, b) => b.pendingBytes - a.pendingBytes,
  msgs_to: (a, b) => b.outMsgs - a.outMsgs,
  msgs_from: (a, b) => b.inMsgs - a.inMsgs,
  bytes_to: (a, b) => b.outBytes - a.outBytes,
  bytes_from: (a, b) => b.inBytes - a.inBytes,
  last: (a, b) => b.lastActivity - a.lastActivity,
  // Longest idle first, idle ending at the stop time of a closed connection (as nats-server 2.10 fixed it).
  idle: (a, b, now) => endOf(b, now) - b.lastActivity - (endOf(a, now) - a.lastActivity),
  uptime: (a, b, now) => endOf(a, now) - a.start.getTime() - (endOf(b, now) - b.start.getTime()),
  stop: (a, b) => (b.stop?.getTime() ?? 0) - (a.stop?.getTime() ?? 0),
  reason: (a, b) => (a.closeReason < b.closeReason ? -1 : a.closeReason > b.closeReason ? 1 : 0),
};

export function parseSortOrder(text: string): SortOrder {
  if (text === '') return 'cid';
  if (Object.hasOwn(COMPARE, text)) return text as SortOrder;
  throw new BadRequestError(`invalid sorting option: ${text}`);
}

/** Sorts in place; ties keep cid order. */
export function sortConnections(conns: ListedConnection[], order: SortOrder, nowMs: number): void {
  conns.sort(byCid);
  if (order === 'cid' || order === 'start') return;
  const compare = COMPARE[order];
  conns.sort((a, b) => compare(a, b, nowMs));
}
