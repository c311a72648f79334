// One subscription as /connz (subs=detail) and /subsz list it.

import type { Subscription } from '../core/index.js';

export interface SubDetail {
  account?: string;
  subject: string;
  qgroup?: string;
  sid: string;
  msgs: number;
  max?: number;
  cid: number;
}

/** `withAccount`: /subsz and closed connections name the account; open connections in /connz do not. */
export function subDetail(sub: Subscription, withAccount: boolean): SubDetail {
  const account = sub.conn.account;
  return {
    ...(withAccount && account !== null ? { account: account.name } : {}),
    subject: sub.subject,
    ...(sub.queue !== null && sub.queue !== '' ? { qgroup: sub.queue } : {}),
    sid: sub.sid,
    msgs: sub.delivered,
    ...(sub.max > 0 ? { max: sub.max } : {}),
    cid: sub.conn.cid,
  };
}
