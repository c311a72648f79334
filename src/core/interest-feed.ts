// Interest as a stream of changes for links to other servers (leaf nodes now, routes later): each
// link is told when a (subject, queue) key of its account gains its first or loses its last counted
// subscription, and when a queue group's weight changes, so it can send LS+/LS- to the other side.
//
// Each link counts for itself (nats-server's per-leaf smap): a link never counts its own remote
// subscriptions, and which other subscriptions count depends on its role (a spoke passes on only
// local interest). The account hands every subscription that enters or leaves its sublist to each
// tally; with no link attached it pays one length check.

import type { Subscription } from './subscription.js';

/** What a link tells the account about itself. */
export interface InterestFeed {
  /** Whether `sub` counts as interest to pass on over this link. */
  counts(sub: Subscription): boolean;
  /**
   * A key's count changed in a way the other side must hear: `total` is the new count (0 when the
   * last subscription left). Plain keys report only their first and last; queue keys every change,
   * which is the weight the other side uses.
   */
  changed(subject: string, queue: string | null, total: number): void;
}

/** One link's counts within one account; stop() detaches it. */
export class InterestTally {
  readonly feed: InterestFeed;
  /** Count per key: `subject`, or `subject queue` for a queue group. */
  private readonly counts = new Map<string, number>();
  private readonly detach: (tally: InterestTally) => void;

  constructor(feed: InterestFeed, detach: (tally: InterestTally) => void) {
    this.feed = feed;
    this.detach = detach;
  }

  /** Counts `subs` without telling the feed one by one, then tells it every key once (the initial burst). */
  start(subs: readonly Subscription[], fixed: readonly string[]): void {
    for (const sub of subs) {
      if (!this.feed.counts(sub)) continue;
      const key = keyOf(sub.subject, sub.queue);
      this.counts.set(key, (this.counts.get(key) ?? 0) + weightOf(sub));
    }
    for (const subject of fixed) this.counts.set(subject, (this.counts.get(subject) ?? 0) + 1);
    for (const [key, n] of this.counts) {
      const space = key.indexOf(' ');
      if (space < 0) this.feed.changed(key, null, n);
      else this.feed.changed(key.slice(0, space), key.slice(space + 1), n);
    }
  }

  /** `sub` entered (`delta` > 0) or left (`delta` < 0) the account, or its weight changed by `delta`. */
  add(sub: Subscription, delta: number): void {
    if (delta === 0 || !this.feed.counts(sub)) return;
    const key = keyOf(sub.subject, sub.queue);
    const n = this.counts.get(key) ?? 0;
    const total = n + delta;
    if (total > 0) this.counts.set(key, total);
    else this.counts.delete(key);
    if (sub.queue !== null || n === 0 || total <= 0) this.feed.changed(sub.subject, sub.queue, Math.max(total, 0));
  }

  stop(): void {
    this.detach(this);
  }
}

/** How much a subscription weighs: a remote queue subscription stands for `weight` members. */
export function weightOf(sub: Subscription): number {
  return sub.queue !== null && sub.weight > 0 ? sub.weight : 1;
}

function keyOf(subject: string, queue: string | null): string {
  return queue === null ? subject : `${subject} ${queue}`;
}
