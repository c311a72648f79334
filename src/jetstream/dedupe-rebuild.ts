// After a restart the duplicate window and the last Msg-Id come back from the stored messages, as
// nats-server rebuilds them: the headers of the last duplicate_window's messages are read in chunks
// after the start, so a big stream serves at once; a publish carrying a Msg-Id before that is done
// finishes it.

import { headerValue } from '../protocol/nats/index.js';
import { MSG_ID } from './dedupe.js';
import type { Dedupe } from './dedupe.js';
import type { StreamStore } from './store/index.js';
import { NS_PER_MS } from './time.js';

/** Sequences whose headers are read per turn (messages without headers cost the store little). */
const REBUILD_SPAN = 4096;

/** The Msg-Id of the stream's last message ('' when it has none). */
export function lastMsgIdOf(store: StreamStore): string {
  const state = store.state();
  const last = state.msgs === 0 ? null : store.load(state.lastSeq);
  return last?.hdr != null ? (headerValue(last.hdr, 0, last.hdr.length, MSG_ID) ?? '') : '';
}

export class DedupeRebuild {
  private readonly store: StreamStore;
  private readonly dedupe: Dedupe;
  private next: number;
  private readonly last: number;
  private done = false;

  private constructor(store: StreamStore, dedupe: Dedupe, from: number, last: number) {
    this.store = store;
    this.dedupe = dedupe;
    this.next = from;
    this.last = last;
    setImmediate(() => this.chunk());
  }

  /** Starts rebuilding `dedupe` from the messages of the last `windowNs`; null when there is nothing to read. */
  static start(store: StreamStore, dedupe: Dedupe, windowNs: bigint): DedupeRebuild | null {
    const state = store.state();
    if (state.msgs === 0 || windowNs <= 0n) return null;
    const sinceNs = BigInt(Date.now()) * NS_PER_MS - windowNs;
    // Stored times rise with the sequence: the window starts at the first message not older than it.
    let lo = state.firstSeq;
    let hi = state.lastSeq;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const m = store.loadNext('', mid);
      if (m === null || m.timeNs >= sinceNs) hi = mid;
      else lo = m.seq + 1;
    }
    return new DedupeRebuild(store, dedupe, lo, state.lastSeq);
  }

  /** Reads the rest now: a publish with a Msg-Id must see the whole window. */
  finish(): void {
    while (!this.done) this.step();
  }

  stop(): void {
    this.done = true;
  }

  private chunk(): void {
    if (this.done) return;
    this.step();
    if (!this.done) setImmediate(() => this.chunk());
  }

  private step(): void {
    const to = Math.min(this.last, this.next + REBUILD_SPAN - 1);
    for (const m of this.store.headersBetween(this.next, to)) {
      const id = headerValue(m.hdr, 0, m.hdr.length, MSG_ID);
      if (id !== null && id !== '') this.dedupe.remember(id, m.seq, Number(m.timeNs / NS_PER_MS));
    }
    this.next = to + 1;
    if (this.next > this.last) this.done = true;
  }
}
