// An account: its own subject space and the client connections bound to it.

import { InterestWatches } from './interest.js';
import type { InterestListener, InterestRule, InterestWatch } from './interest.js';
import { Sublist } from './sublist.js';
import type { Subscription } from './subscription.js';
import type { ClientConnection } from './client-connection.js';
import type { SubjectMappings } from '../util/index.js';

export class Account {
  readonly name: string;
  readonly sublist: Sublist<Subscription>;
  /** Clients only: code inside the server (internal clients) is not listed as a connection. */
  readonly conns = new Set<ClientConnection>();
  readonly isSystem: boolean;
  /** Where clients' publishes to some subjects go instead (null: none, the usual case). */
  mappings: SubjectMappings | null = null;
  private readonly watches = new InterestWatches();

  constructor(name: string, isSystem: boolean, useCache: boolean) {
    this.name = name;
    this.isSystem = isSystem;
    this.sublist = new Sublist<Subscription>(useCache);
  }

  /** Puts a subscription into the subject space. Every connection kind subscribes through here. */
  insert(sub: Subscription): void {
    this.sublist.insert(sub);
    if (this.watches.size > 0) this.watches.added(sub);
  }

  /** Takes a subscription out of the subject space (a no-op when it is not there). */
  remove(sub: Subscription): void {
    if (this.sublist.remove(sub) && this.watches.size > 0) this.watches.removed(sub);
  }

  /**
   * Tells `listener` when the literal `subject` gains its first or loses its last subscription that
   * `rule` counts, whoever subscribes (a client's SUB, code inside the server) and however it leaves
   * (UNSUB, an UNSUB max reached, a closed connection, revoked permissions). The listener runs inside
   * the change, so it must not assume the subscriber has heard anything yet. The watch's `interested`
   * tells the state at the start.
   */
  watchInterest(subject: string, rule: InterestRule, listener: InterestListener): InterestWatch {
    const r = this.sublist.match(subject);
    return this.watches.watch(subject, rule, listener, [r.psubs, ...r.qsubs]);
  }
}
