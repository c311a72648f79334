// rate_limit_bps of a push consumer: a token bucket over delivered bytes, as nats-server paces with
// golang.org/x/time/rate. The bucket holds up to `burst` bytes (the stream's max_msg_size, or else the
// server's max_payload), starts full and refills at bps / 8 bytes per second. A delivery reserves its
// bytes at once (the bucket may go below zero) and goes out when the bucket is back at zero.

export class RateLimiter {
  private readonly bytesPerMs: number;
  private readonly burst: number;
  private tokens: number;
  private lastMs: number;

  constructor(bitsPerSecond: number, burst: number, nowMs: number) {
    // nats-server divides in integers: bps / 8 bytes per second.
    this.bytesPerMs = Math.floor(bitsPerSecond / 8) / 1000;
    this.burst = burst;
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  /**
   * Reserves `bytes` at `nowMs`: how many milliseconds the delivery must wait (0: it may go now;
   * Infinity below 8 bits a second, where no byte ever comes back). A delivery bigger than the whole
   * bucket reserves just the bucket: nats-server would never send it.
   */
  reserve(bytes: number, nowMs: number): number {
    if (nowMs > this.lastMs) {
      this.tokens = Math.min(this.burst, this.tokens + (nowMs - this.lastMs) * this.bytesPerMs);
      this.lastMs = nowMs;
    }
    this.tokens -= Math.min(bytes, this.burst);
    if (this.tokens >= 0) return 0;
    if (this.bytesPerMs === 0) return Infinity;
    return Math.ceil(-this.tokens / this.bytesPerMs);
  }
}
