// Fast-producer stall, as nats-server does it: a publisher that overfills a subscriber stops being
// read until that subscriber drains, or for at most STALL_MS, so a burst does not push a healthy
// subscriber past max_pending. A subscriber that never drains is still cut by max_pending or the
// write deadline.

/** Longest a publisher waits for a subscriber it overfills (nats-server stalls producers similarly briefly). */
const STALL_MS = 100;

export interface StallOwner {
  readonly closed: boolean;
  pauseInput(): void;
  resumeInput(): void;
}

export class ProducerStall {
  private readonly owner: StallOwner;
  private timer: NodeJS.Timeout | null = null;
  /** The subscriber this publisher waits for while stalled. */
  private waitingOn: ProducerStall | null = null;
  /** Publishers waiting for this connection to drain. */
  private readonly waiting = new Set<ProducerStall>();

  constructor(owner: StallOwner) {
    this.owner = owner;
  }

  /** Stops reading from this publisher until `consumer` drains (or STALL_MS pass). */
  waitFor(consumer: ProducerStall): void {
    if (this.timer !== null || this.owner.closed || consumer === this) return;
    this.owner.pauseInput();
    consumer.waiting.add(this);
    this.waitingOn = consumer;
    this.timer = setTimeout(() => this.release(), STALL_MS);
  }

  /** This connection's socket drained: every publisher waiting for it reads again. */
  drained(): void {
    for (const p of this.waiting) p.release();
  }

  /** The connection closed: it neither waits nor is waited for. */
  stop(): void {
    this.release();
    this.drained();
  }

  private release(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.waitingOn?.waiting.delete(this);
    this.waitingOn = null;
    if (!this.owner.closed) this.owner.resumeInput();
  }
}
