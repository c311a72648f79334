// A link to another server (a leaf node now, a route later) as the router sees it. A link takes one
// copy of a message however many remote subscriptions match, with the queue groups chosen for it
// listed, is never cut as a slow consumer for one remote subscriber, and never gets a message back
// from where it came. Its protocol (handshake, interest, liveness) belongs to its kind's module.

import { Connection } from './connection.js';
import type { ConnectionKind } from './connection.js';
import { Outbound, scheduleFlush } from './outbound.js';
import type { Flushable } from './outbound.js';
import { ProducerStall } from './producer-stall.js';
import { Subscription } from './subscription.js';
import type { Account } from './account.js';
import type { StallOwner } from './producer-stall.js';

export abstract class LinkConnection extends Connection implements Flushable, StallOwner {
  readonly outbound = new Outbound();
  /** Publishers overfilling this link wait for it to drain, as for a client. */
  readonly stall: ProducerStall;
  /** The other side's cluster name ('' for none): a message from a link never goes on to another link into that cluster. */
  remoteCluster = '';
  /** Queued bytes past which a publisher waits for the link to drain. */
  protected stallAtBytes = 32 * 1024 * 1024;

  constructor(cid: number, kind: ConnectionKind) {
    super(cid, kind);
    this.stall = new ProducerStall(this);
  }

  /** Bytes queued for the other side, in our buffer and the socket's. */
  abstract get pendingBytes(): number;

  abstract flushOutbound(): void;

  abstract pauseInput(): void;

  abstract resumeInput(): void;

  /** A message was written to the outbound buffer: true when the link is backing up and its publisher should wait. */
  queueDelivery(): boolean {
    scheduleFlush(this);
    return this.pendingBytes > this.stallAtBytes;
  }

  stallFor(consumer: ProducerStall): void {
    this.stall.waitFor(consumer);
  }

  /**
   * The other side is interested in `subject` (by `weight` members of `queue`): one subscription per
   * (subject, queue), kept under that key; a repeat only changes a queue's weight. The subject is valid.
   */
  protected remoteSub(subject: string, queue: string | null, weight: number): void {
    const key = queue === null ? subject : `${subject} ${queue}`;
    const existing = this.subs.get(key);
    if (existing !== undefined) {
      if (queue !== null) (this.account as Account).reweigh(existing, weight);
      return;
    }
    const sub = new Subscription(this, subject, queue, key);
    sub.weight = weight;
    this.addSub(sub);
  }

  /** The other side lost its interest in `subject` (with `queue`). */
  protected remoteUnsub(subject: string, queue: string | null): void {
    const sub = this.subs.get(queue === null ? subject : `${subject} ${queue}`);
    if (sub !== undefined) this.removeSub(sub);
  }

  /** Whether a message that came over this link may go on over `other`. */
  mayRelayTo(other: LinkConnection): boolean {
    return this.remoteCluster === '' || this.remoteCluster !== other.remoteCluster;
  }
}

/**
 * The links one message goes to while it is routed, each with the queue groups chosen for it. Reused
 * from a pool: a delivery may publish again (an internal handler), so each pass takes its own.
 */
export class LinkTargets {
  readonly links: LinkConnection[] = [];
  /** queues[i]: the groups chosen for links[i] (arrays reused across passes). */
  readonly queues: string[][] = [];

  /** Adds `link` once; a queue group chosen for it joins its list. */
  add(link: LinkConnection, queue: string | null): void {
    const links = this.links;
    for (let i = 0; i < links.length; i++) {
      if (links[i] !== link) continue;
      if (queue !== null) this.queues[i].push(queue);
      return;
    }
    const list = (this.queues[links.length] ??= []);
    list.length = 0;
    if (queue !== null) list.push(queue);
    links.push(link);
  }

  clear(): void {
    this.links.length = 0;
  }
}
