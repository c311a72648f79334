// The retained messages of every account, in memory, kept in step with the store. A new subscription
// gets the ones its filter matches, found by MQTT's matching rules on the stored topics.

import { topicMatchesFilter } from '../protocol/mqtt/index.js';
import type { MqttStore, StoredRetained } from './store/index.js';

export class RetainedMessages {
  private readonly byAccount = new Map<string, Map<string, StoredRetained>>();

  constructor(private readonly store: MqttStore) {}

  /** Loads what the store kept (at start). */
  adopt(all: readonly StoredRetained[], nowMs: number): void {
    for (const r of all) {
      if (r.expiresAtMs !== 0 && r.expiresAtMs <= nowMs) this.store.deleteRetained(r.account, r.topic);
      else this.topics(r.account).set(r.topic, r);
    }
  }

  /** A retained publish: a payload replaces the topic's message, an empty one clears it. */
  set(r: StoredRetained): void {
    if (r.payload.length === 0) {
      if (this.topics(r.account).delete(r.topic)) this.store.deleteRetained(r.account, r.topic);
      return;
    }
    this.topics(r.account).set(r.topic, r);
    this.store.putRetained(r);
  }

  /** The account's retained messages whose topic the filter matches; expired ones are dropped on the way. */
  match(account: string, filter: string, nowMs: number): StoredRetained[] {
    const topics = this.byAccount.get(account);
    if (topics === undefined) return [];
    const out: StoredRetained[] = [];
    for (const r of topics.values()) {
      if (!topicMatchesFilter(r.topic, filter)) continue;
      if (r.expiresAtMs !== 0 && r.expiresAtMs <= nowMs) {
        topics.delete(r.topic);
        this.store.deleteRetained(account, r.topic);
        continue;
      }
      out.push(r);
    }
    return out;
  }

  get count(): number {
    let n = 0;
    for (const t of this.byAccount.values()) n += t.size;
    return n;
  }

  private topics(account: string): Map<string, StoredRetained> {
    let t = this.byAccount.get(account);
    if (t === undefined) this.byAccount.set(account, (t = new Map()));
    return t;
  }
}
