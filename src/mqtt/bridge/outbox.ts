// A bridge's outbox: the messages for the remote broker, in the MQTT store, in the order they were
// put. A message leaves it when it is done with: a QoS 1 one at the remote's PUBACK, a QoS 0 one once
// written to the link. Memory holds only a window of it (the messages about to be sent, read from the
// store a page at a time), so a backlog of days waits on disk, not in the heap.
//
// The outbox is bounded: beyond max_bytes the oldest messages are dropped, and with max_age those
// older than it, as a JetStream stream with discard old does. A gateway cut off for long keeps its
// newest data; `dropped` counts what was given up.

import { keepBytes } from '../../util/index.js';
import type { MessageProperties, MqttStore, OutboxMessage } from '../store/index.js';

/** Messages read from the store at a time, and the most the window holds of new ones. */
const PAGE = 1024;

function outboxBytes(m: { readonly topic: string; readonly payload: Uint8Array }): number {
  return Buffer.byteLength(m.topic, 'utf8') + m.payload.length;
}

export class BridgeOutbox {
  count: number;
  bytes: number;
  /** Messages dropped by max_bytes or max_age since start. */
  dropped = 0;
  private lastSeq: number;
  /** Messages read or put but not taken yet, oldest first, from `head`. */
  private window: OutboxMessage[] = [];
  private head = 0;
  /** Every message up to this seq is in the window, taken, or gone; later ones are only in the store. */
  private loadedThrough: number;
  /** Every message up to this seq was dropped (or done with before): finishing one again changes nothing. */
  private droppedThrough = 0;
  /** Done with, not yet removed from the store. */
  private doneSeqs: number[] = [];

  constructor(
    private readonly store: MqttStore,
    private readonly bridge: string,
    private readonly maxBytes: number,
    private readonly maxAgeMs: number,
  ) {
    const summary = store.outboxSummary(bridge);
    this.count = summary.count;
    this.bytes = summary.bytes;
    this.lastSeq = summary.lastSeq;
    this.loadedThrough = summary.count === 0 ? summary.lastSeq : summary.firstSeq - 1;
  }

  /** Whether nothing waits: a QoS 0 message may then skip the outbox while the link is up. */
  get empty(): boolean {
    return this.count === 0;
  }

  /** Puts a message (its payload borrowed for the call) after the others. */
  put(topic: string, payload: Uint8Array, qos: 0 | 1, retain: boolean, properties: MessageProperties | null, nowMs: number): void {
    const seq = ++this.lastSeq;
    const message: OutboxMessage = { seq, topic, payload: payload as Buffer, qos, retain, properties, storedAtMs: nowMs };
    this.store.putOutbox(this.bridge, message);
    this.count++;
    this.bytes += outboxBytes(message);
    if (this.loadedThrough === seq - 1 && this.window.length - this.head < PAGE) {
      this.window.push({ ...message, payload: keepBytes(payload) });
      this.loadedThrough = seq;
    }
    if (this.bytes > this.maxBytes) this.dropOverBytes();
  }

  /** The next message to send; undefined when none waits. */
  take(nowMs: number): OutboxMessage | undefined {
    for (;;) {
      if (this.head >= this.window.length && !this.refill()) return undefined;
      const m = this.window[this.head++];
      if (m.seq <= this.droppedThrough) continue;
      if (this.maxAgeMs > 0 && m.storedAtMs < nowMs - this.maxAgeMs) {
        this.dropThrough(m.seq);
        continue;
      }
      return m;
    }
  }

  /** A message taken is done with: it leaves the outbox at the next flushDone(). */
  done(m: OutboxMessage): void {
    if (m.seq <= this.droppedThrough) return;
    this.doneSeqs.push(m.seq);
    this.count--;
    this.bytes -= outboxBytes(m);
  }

  /** Removes what was done with since the last call, a run of consecutive messages in one write. */
  flushDone(): void {
    const seqs = this.doneSeqs;
    if (seqs.length === 0) return;
    seqs.sort((a, b) => a - b);
    let from = seqs[0];
    for (let i = 1; i <= seqs.length; i++) {
      if (i < seqs.length && seqs[i] === seqs[i - 1] + 1) continue;
      this.store.deleteOutboxRange(this.bridge, from, seqs[i - 1]);
      if (i < seqs.length) from = seqs[i];
    }
    this.doneSeqs = [];
  }

  /** Messages taken but not done with (the link dropped) go first again, in their order. */
  giveBack(messages: readonly OutboxMessage[]): void {
    const back = messages.filter((m) => m.seq > this.droppedThrough).sort((a, b) => a.seq - b.seq);
    if (back.length === 0) return;
    this.window = [...back, ...this.window.slice(this.head)];
    this.head = 0;
  }

  /** Drops what max_age has passed; called now and then while messages wait. */
  expire(nowMs: number): void {
    if (this.maxAgeMs <= 0 || this.count === 0) return;
    this.flushDone();
    const seq = this.store.lastOutboxBefore(this.bridge, nowMs - this.maxAgeMs);
    if (seq > this.droppedThrough) this.dropThrough(seq);
  }

  private refill(): boolean {
    if (this.loadedThrough >= this.lastSeq) return false;
    this.window = this.store.readOutbox(this.bridge, this.loadedThrough, PAGE);
    this.head = 0;
    this.loadedThrough = this.window.length === PAGE ? this.window[PAGE - 1].seq : this.lastSeq;
    return this.window.length > 0;
  }

  private dropOverBytes(): void {
    while (this.bytes > this.maxBytes) {
      this.flushDone();
      const oldest = this.store.outboxSizes(this.bridge, 256);
      if (oldest.length === 0) return;
      let excess = this.bytes - this.maxBytes;
      let through = 0;
      for (const o of oldest) {
        through = o.seq;
        excess -= o.bytes;
        if (excess <= 0) break;
      }
      this.dropThrough(through);
    }
  }

  private dropThrough(seq: number): void {
    this.flushDone();
    const gone = this.store.deleteOutboxThrough(this.bridge, seq);
    this.count -= gone.count;
    this.bytes -= gone.bytes;
    this.dropped += gone.count;
    if (seq > this.droppedThrough) this.droppedThrough = seq;
  }
}
