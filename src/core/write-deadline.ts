// write_deadline for every connection kind with a socket (clients, leaf links): once a write leaves
// the socket past its high-water mark, the peer has `write_deadline` to drain it, or the connection
// is closed as a slow consumer (nats-server's words in the log).

import type { Router } from './router.js';

export interface WriteDeadlineOwner {
  readonly closed: boolean;
  label(): string;
  /** The peer took too long: counted and closed as a slow consumer. */
  writeDeadlineExceeded(): void;
}

export class WriteDeadline {
  private timer: NodeJS.Timeout | null = null;
  private readonly owner: WriteDeadlineOwner;
  private readonly router: Router;

  constructor(owner: WriteDeadlineOwner, router: Router) {
    this.owner = owner;
    this.router = router;
  }

  /** A write was not taken at once (the socket is over its high-water mark): start the clock unless it runs. */
  backedUp(): void {
    if (this.timer !== null || this.owner.closed) return;
    const ms = this.router.limits.writeDeadlineMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.router.log.warn(`${this.owner.label()} - Slow Consumer Detected: WriteDeadline of ${ms}ms exceeded`);
      this.router.stats.slowConsumers++;
      this.owner.writeDeadlineExceeded();
    }, ms);
  }

  /** The socket drained, or the connection closed. */
  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
