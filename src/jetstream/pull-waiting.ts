// A pull consumer's waiting requests (nats-server's waitQueue): who gets the next message, what a
// request still wants (messages, bytes), and the 408 / 409 / heartbeat statuses its reply subject
// hears when it expires, overflows max_bytes or waits idle. One timer serves every request.

import type { InternalClient } from '../core/index.js';
import { PullStatus } from './errors.js';

/** A queued pull request. */
export class WaitingRequest {
  readonly reply: string;
  /** Messages still wanted. */
  n: number;
  /** Bytes still allowed; 0 = no limit. */
  b: number;
  readonly maxBytes: boolean;
  /** Messages delivered to it. */
  d = 0;
  readonly noWait: boolean;
  /** Epoch ms; 0 = never. */
  readonly expiresAt: number;
  readonly hbMs: number;
  hbNext: number;
  constructor(reply: string, n: number, b: number, noWait: boolean, expiresAt: number, hbMs: number, now: number) {
    this.reply = reply;
    this.n = n;
    this.b = b;
    this.maxBytes = b > 0;
    this.noWait = noWait;
    this.expiresAt = expiresAt;
    this.hbMs = hbMs;
    this.hbNext = hbMs > 0 ? now + hbMs : 0;
  }
}

export class WaitQueue {
  private readonly requests: WaitingRequest[] = [];
  private readonly client: InternalClient;
  /** Sends a status header block to a request's reply subject. */
  private readonly status: (reply: string, text: string) => void;
  /** The idle heartbeat as the consumer's cursors make it now. */
  private readonly heartbeat: () => string;
  private timer: NodeJS.Timeout | null = null;
  private dueMs = 0;

  constructor(client: InternalClient, status: (reply: string, text: string) => void, heartbeat: () => string) {
    this.client = client;
    this.status = status;
    this.heartbeat = heartbeat;
  }

  get length(): number {
    return this.requests.length;
  }

  add(wr: WaitingRequest): void {
    this.requests.push(wr);
  }

  has(wr: WaitingRequest): boolean {
    return this.requests.includes(wr);
  }

  /** Messages the waiting requests still want, together. */
  batchPending(): number {
    let n = 0;
    for (const wr of this.requests) n += wr.n;
    return n;
  }

  /** The request that takes a message of `size` bytes (round robin), or null when none can. */
  next(size: number): WaitingRequest | null {
    const waiting = this.requests;
    while (waiting.length > 0) {
      const wr = waiting[0];
      if (wr.maxBytes) {
        if (size > wr.b) {
          this.status(wr.reply, PullStatus.messageSizeExceedsMaxBytes(wr.n, wr.b));
          waiting.shift();
          continue;
        }
        wr.b -= size;
        // Exactly used up: this one goes out and the request is done.
        if (wr.b === 0) wr.n = 1;
      }
      const now = Date.now();
      const expired = wr.expiresAt > 0 && now >= wr.expiresAt;
      if (!expired && this.client.hasSubscribers(wr.reply)) {
        wr.d++;
        wr.n--;
        waiting.shift();
        if (wr.n > 0) waiting.push(wr);
        if (wr.hbMs > 0) wr.hbNext = now + wr.hbMs;
        return wr;
      }
      // Expired before its timer saw it: it ends with the 408 the timer would have sent, so a puller
      // waiting for the end of its request (the uplink does) always hears it. nats-server's
      // nextWaiting drops such a request without a word; its timer sends the 408 in the other order.
      if (expired) this.status(wr.reply, PullStatus.requestTimeout(wr.n, wr.b));
      waiting.shift();
    }
    return null;
  }

  /** Out of messages: no_wait requests that got some end with a 408 (nats-server processWaiting at end of stream). */
  endNoWait(): void {
    const waiting = this.requests;
    for (let i = 0; i < waiting.length; i++) {
      const wr = waiting[i];
      if (!wr.noWait || wr.d === 0) continue;
      this.status(wr.reply, PullStatus.requestTimeout(wr.n, wr.b));
      waiting.splice(i--, 1);
    }
  }

  /** Expired requests get a 408, requests nobody listens to any more are dropped, heartbeats go out. */
  process(now: number): void {
    const waiting = this.requests;
    for (let i = 0; i < waiting.length; i++) {
      const wr = waiting[i];
      if (wr.expiresAt > 0 && now >= wr.expiresAt) {
        this.status(wr.reply, PullStatus.requestTimeout(wr.n, wr.b));
        waiting.splice(i--, 1);
        continue;
      }
      if (!this.client.hasSubscribers(wr.reply)) {
        waiting.splice(i--, 1);
        continue;
      }
      if (wr.hbNext > 0 && now >= wr.hbNext) {
        this.status(wr.reply, this.heartbeat());
        wr.hbNext = now + wr.hbMs;
      }
    }
  }

  /** Sets the one timer for the earliest expiry or heartbeat due. */
  armTimer(now: number): void {
    let due = 0;
    for (const wr of this.requests) {
      if (wr.expiresAt > 0 && (due === 0 || wr.expiresAt < due)) due = wr.expiresAt;
      if (wr.hbNext > 0 && (due === 0 || wr.hbNext < due)) due = wr.hbNext;
    }
    if (due === 0 || (this.timer !== null && this.dueMs <= due)) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.dueMs = due;
    this.timer = setTimeout(() => this.timerFired(), Math.max(1, due - now));
    this.timer.unref();
  }

  private timerFired(): void {
    this.timer = null;
    const now = Date.now();
    this.process(now);
    this.armTimer(now);
  }

  /** The consumer closed: the timer stops; when it was deleted, the requests hear `409 Consumer Deleted`. */
  clear(deleted: boolean): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (deleted) for (const wr of this.requests) this.status(wr.reply, PullStatus.ConsumerDeleted);
    this.requests.length = 0;
  }
}
