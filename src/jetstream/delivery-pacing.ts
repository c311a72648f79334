// The two ways a consumer's deliveries wait for their time rather than for a reader: rate_limit_bps
// (a push consumer's bytes per second) and replay_policy original (the stream's own spacing). Each
// holds one timer and wakes the consumer's pump when it is due.

import { RateLimiter } from './rate-limit.js';
import type { StoredMsg } from './store/index.js';
import { NS_PER_MS } from './time.js';

/** A push delivery waiting for its rate-limit tokens, with the ack reply it was given when taken. */
export class HeldDelivery {
  readonly msg: StoredMsg;
  readonly reply: string;
  readonly hdr: Uint8Array | null;
  readonly body: Uint8Array;
  readonly cseq: number;
  readonly dc: number;
  constructor(msg: StoredMsg, reply: string, hdr: Uint8Array | null, body: Uint8Array, cseq: number, dc: number) {
    this.msg = msg;
    this.reply = reply;
    this.hdr = hdr;
    this.body = body;
    this.cseq = cseq;
    this.dc = dc;
  }

  /** The bytes nats-server counts against the rate: subject, ack reply, headers and payload. */
  static size(msg: StoredMsg, reply: string, hdr: Uint8Array | null, body: Uint8Array): number {
    return msg.subject.length + reply.length + (hdr === null ? 0 : hdr.length) + body.length;
  }
}

/**
 * rate_limit_bps as nats-server applies it: a delivery reserves its bytes; one that must wait is
 * taken off the stream and held until its time (the info meanwhile shows the cursor past it).
 */
export class RatePacing {
  private readonly limiter: RateLimiter;
  private readonly wake: () => void;
  private timer: NodeJS.Timeout | null = null;
  private held: HeldDelivery | null = null;

  /** `burst`: the stream's max_msg_size, or else the largest payload the server takes. */
  constructor(bps: number, burst: number, wake: () => void) {
    this.limiter = new RateLimiter(bps, burst, Date.now());
    this.wake = wake;
  }

  /** The held delivery once it is due (null when none is held); undefined while it must still wait. */
  due(): HeldDelivery | null | undefined {
    if (this.held === null) return null;
    if (this.timer !== null) return undefined;
    const h = this.held;
    this.held = null;
    return h;
  }

  /** Reserves `size` bytes; true when the delivery must wait: the caller takes it off and hands it to hold(). */
  mustWait(size: number): boolean {
    const delay = this.limiter.reserve(size, Date.now());
    if (delay === 0) return false;
    if (delay !== Infinity) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.wake();
      }, delay);
      this.timer.unref();
    }
    return true;
  }

  hold(delivery: HeldDelivery): void {
    this.held = delivery;
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** replay_policy original: each message waits as long after the previous delivery as it was stored after it. */
export class ReplayPacing {
  private readonly wake: () => void;
  private lastNs = 0n;
  private lastMs = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(wake: () => void) {
    this.wake = wake;
  }

  /** True when `m` must wait to keep the stream's original spacing (the pump is woken then). */
  mustWait(m: StoredMsg): boolean {
    const now = Date.now();
    if (this.lastNs !== 0n && m.timeNs > this.lastNs) {
      const due = this.lastMs + Number((m.timeNs - this.lastNs) / NS_PER_MS);
      if (due > now + 1) {
        if (this.timer === null) {
          this.timer = setTimeout(() => {
            this.timer = null;
            this.lastNs = m.timeNs;
            this.lastMs = Date.now();
            this.wake();
          }, due - now);
          this.timer.unref();
        }
        return true;
      }
    }
    this.lastNs = m.timeNs;
    this.lastMs = now;
    return false;
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
