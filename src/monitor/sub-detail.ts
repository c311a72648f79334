// One subscription as /connz (subs=detail) and /subsz list it.

import type { Account, ClosedSubscription } from '../core/index.js';
import { subjectToText } from '../util/index.js';

/** Whose subscription it is. */
export interface SubOwner {
  readonly cid: number;
  readonly account: Account | null;
}

export interface SubDetail {
  account?: string;
  subject: string;
  qgroup?: string;
  sid: string;
  msgs: number;
  max?: number;
  cid: number;
}

/**
 * `withAccount`: /subsz and closed connections name the account; open connections in /connz do not.
 * Subject, queue and sid are wire bytes, shown as text.
 */
export function subDetail(sub: ClosedSubscription, owner: SubOwner, withAccount: boolean): SubDetail {
  const account = owner.account;
  return {
    ...(withAccount && account !== null ? { account: account.name } : {}),
    subject: subjectToText(sub.subject),
    ...(sub.queue !== null && sub.queue !== '' ? { qgroup: subjectToText(sub.queue) } : {}),
    sid: subjectToText(sub.sid),
    msgs: sub.delivered,
    ...(sub.max > 0 ? { max: sub.max } : {}),
    cid: owner.cid,
  };
}
