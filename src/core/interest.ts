// Interest events: code inside the server (a push consumer, later leaf links, routes and MQTT) is told
// when a literal subject gains its first or loses its last subscriber within an account, instead of
// asking the sublist over and over.
//
// Every subscription enters and leaves an account's sublist through Account.insert/remove, which hand
// it here only while someone watches: with no watch, SUB and UNSUB pay one size check and deliveries
// nothing (a delivery only reaches this when an UNSUB max removes its subscription).

import { isValidLiteralSubject, subjectMatches } from '../util/index.js';
import type { SublistEntry } from './sublist.js';

/** Which subscriptions count as interest for a watch. */
export interface InterestRule {
  /** null: plain subscriptions only; a name: members of that queue group only. */
  readonly queue: string | null;
  /**
   * Only subscriptions to exactly the watched subject count, not wildcards covering it: nats-server's
   * push consumers (sublist RegisterNotification) ignore a `d.*` subscriber of their deliver subject `d.x`.
   */
  readonly exact: boolean;
}

/** Called with true when the first counted subscription arrives, with false when the last one leaves. */
export type InterestListener = (interested: boolean) => void;

/** One watch on one subject; stop() ends it. */
export class InterestWatch {
  readonly subject: string;
  readonly queue: string | null;
  readonly exact: boolean;
  private readonly listener: InterestListener;
  private readonly registry: InterestWatches;
  /** Counted subscriptions now. */
  count = 0;
  stopped = false;

  constructor(registry: InterestWatches, subject: string, rule: InterestRule, listener: InterestListener) {
    this.registry = registry;
    this.subject = subject;
    this.queue = rule.queue;
    this.exact = rule.exact;
    this.listener = listener;
  }

  /** Whether the subject has counted subscriptions now. */
  get interested(): boolean {
    return this.count > 0;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.registry.unwatch(this);
  }

  /** Whether `sub`, known to cover the subject, counts for this watch. */
  counts(sub: SublistEntry): boolean {
    return sub.queue === this.queue && (!this.exact || sub.subject === this.subject);
  }

  /** One counted subscription more (`up`) or fewer; the listener hears the first and the last. */
  changed(up: boolean): void {
    if (up ? this.count++ === 0 : --this.count === 0) {
      if (!this.stopped) this.listener(up);
    }
  }
}

/**
 * The watches of one account, by subject. The lists are replaced, never changed in place, so a
 * listener may start or stop watches while a change is being told.
 */
export class InterestWatches {
  private readonly bySubject = new Map<string, readonly InterestWatch[]>();
  /** Watches that count wildcard subscriptions: only then does a wildcard SUB look through the subjects. */
  private coveringWatches = 0;
  /** Watches in place; the account's SUB/UNSUB path looks only at this while nobody watches. */
  size = 0;

  /** Starts a watch whose count begins at the subscriptions `covering` lists (those matching `subject`). */
  watch(subject: string, rule: InterestRule, listener: InterestListener, covering: readonly (readonly SublistEntry[])[]): InterestWatch {
    const w = new InterestWatch(this, subject, rule, listener);
    for (const subs of covering) for (const sub of subs) if (w.counts(sub)) w.count++;
    this.bySubject.set(subject, [...(this.bySubject.get(subject) ?? []), w]);
    if (!w.exact) this.coveringWatches++;
    this.size++;
    return w;
  }

  unwatch(w: InterestWatch): void {
    const list = this.bySubject.get(w.subject);
    if (list === undefined || !list.includes(w)) return;
    if (list.length === 1) this.bySubject.delete(w.subject);
    else this.bySubject.set(w.subject, list.filter((x) => x !== w));
    if (!w.exact) this.coveringWatches--;
    this.size--;
  }

  /** A subscription entered the account's sublist. */
  added(sub: SublistEntry): void {
    this.tell(sub, true);
  }

  /** A subscription left the account's sublist. */
  removed(sub: SublistEntry): void {
    this.tell(sub, false);
  }

  /** The watches `sub` counts for go up or down: those on its own subject, and those a wildcard covers. */
  private tell(sub: SublistEntry, up: boolean): void {
    const same = this.bySubject.get(sub.subject);
    if (same !== undefined) for (const w of same) if (w.counts(sub)) w.changed(up);
    // A subscription in the sublist is valid: not a literal subject means it has a wildcard.
    if (this.coveringWatches === 0 || isValidLiteralSubject(sub.subject)) return;
    for (const [subject, list] of this.bySubject) {
      if (!subjectMatches(subject, sub.subject)) continue;
      for (const w of list) if (w.counts(sub)) w.changed(up);
    }
  }
}
