// What every connection kind shares: identity, the account it is bound to, its subscriptions and its
// counters. The router delivers to any kind through this shape: a client socket (ClientConnection),
// code inside the server (InternalClient) and a link to another server (LinkConnection: leaf nodes).

import { CONNECT_DEFAULTS } from '../protocol/nats/index.js';
import type { ConnectOptions } from '../protocol/nats/index.js';
import { Permissions } from './permissions.js';
import type { PermissionRules } from './permissions.js';
import type { Subscription } from './subscription.js';
import type { Account } from './account.js';
import type { ProducerStall } from './producer-stall.js';

/** nats-server's numbering (client.go): monitoring shows the names, and routes and leafs keep theirs when they come. */
export const ConnectionKind = { Client: 0, System: 3, Leaf: 4, JetStream: 5, Account: 6 } as const;
export type ConnectionKind = (typeof ConnectionKind)[keyof typeof ConnectionKind];

export abstract class Connection {
  readonly cid: number;
  readonly kind: ConnectionKind;
  readonly subs = new Map<string, Subscription>();
  readonly start: Date;

  opts: ConnectOptions = CONNECT_DEFAULTS;
  account: Account | null = null;
  user = '';
  perms: Permissions | null = null;
  /** Deliveries carry headers (a client said headers:true and the server supports them). */
  headers = false;
  closed = false;
  closeReason = '';
  stop: Date | null = null;

  inMsgs = 0;
  outMsgs = 0;
  inBytes = 0;
  outBytes = 0;

  constructor(cid: number, kind: ConnectionKind) {
    this.cid = cid;
    this.kind = kind;
    this.start = new Date();
  }

  /** How log lines name this connection. */
  abstract label(): string;

  /** A publish from this connection overfilled the receiver whose stall is `consumer`: wait for it to drain if this kind can wait. */
  abstract stallFor(consumer: ProducerStall): void;

  abstract close(reason: string): void;

  protected bindAccount(account: Account, user: string, rules: PermissionRules | undefined): void {
    if (this.account !== null && this.account !== account) this.removeAllSubs();
    this.account = account;
    this.user = user;
    this.perms = rules !== undefined ? new Permissions(rules) : null;
  }

  protected addSub(sub: Subscription): void {
    this.subs.set(sub.sid, sub);
    (this.account as Account).insert(sub);
  }

  removeSub(sub: Subscription): void {
    if (sub.closed) return;
    sub.closed = true;
    this.subs.delete(sub.sid);
    (this.account as Account).remove(sub);
  }

  protected removeAllSubs(): void {
    for (const sub of this.subs.values()) this.removeSub(sub);
  }

  /** On close the subscriptions leave the sublist but stay listed, for /connz?state=closed. */
  protected retireSubs(): void {
    const account = this.account as Account | null;
    for (const sub of this.subs.values()) {
      if (sub.closed) continue;
      sub.closed = true;
      account?.remove(sub);
    }
  }
}
