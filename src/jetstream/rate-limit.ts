// rate_limit_bps of a push consumer: a token bucket over delivered bytes, as nats-server paces with
// golang.org/x/time/rate. The bucket holds up to `burst` bytes (the stream's max_msg_size, or else the
// server's max_payload), starts full and refills at bps / 8 bytes per second; a delivery of n bytes
// takes n tokens once the bucket has them.

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
   * 0 when `bytes` may go out at `nowMs` (its tokens are taken), otherwise the milliseconds until they
   * may (nothing is taken). A delivery bigger than the whole bucket waits for a full bucket: in
   * nats-server it would wait forever.
   */
  delayFor(bytes: number, nowMs: number): number {
    if (nowMs > this.lastMs) {
      this.tokens = Math.min(this.burst, this.tokens + (nowMs - this.lastMs) * this.bytesPerMs);
      this.lastMs = nowMs;
    }
    const need = Math.min(bytes, this.burst);
    if (this.tokens >= need) {
      this.tokens -= need;
      return 0;
    }
    if (this.bytesPerMs <= 0) return Infinity;
    return Math.max(1, Math.ceil((need - this.tokens) / this.bytesPerMs));
  }
}
