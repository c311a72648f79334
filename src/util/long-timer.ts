// A one-shot timer for a moment that may lie further ahead than setTimeout can wait (2^31-1 ms,
// about 24.8 days; a longer delay fires at once): it waits in steps until the moment comes.

const MAX_DELAY_MS = 2 ** 31 - 1;

export class LongTimer {
  private timer: NodeJS.Timeout | null = null;
  private readonly fire: () => void;

  constructor(fire: () => void) {
    this.fire = fire;
  }

  /** Fires at `atMs` (ms since the epoch), at once when that has passed; replaces any earlier moment. */
  at(atMs: number): void {
    this.stop();
    const delay = atMs - Date.now();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (delay > MAX_DELAY_MS) this.at(atMs);
      else this.fire();
    }, Math.max(0, Math.min(delay, MAX_DELAY_MS)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
