// Wall-clock time with sub-millisecond resolution for the `now` fields. Date.now() stops at the
// millisecond; performance.now() is finer but monotonic, so it is anchored to Date.now() and
// re-anchored whenever the two drift a millisecond apart (NTP steps, suspend).

import { performance } from 'node:perf_hooks';

export class WallClock {
  private anchorWall = Date.now();
  private anchorMono = performance.now();

  /** Milliseconds since the epoch, fraction included. */
  nowMs(): number {
    const wall = Date.now();
    const derived = this.anchorWall + (performance.now() - this.anchorMono);
    if (Math.abs(derived - wall) < 1) return derived;
    this.anchorWall = wall;
    this.anchorMono = performance.now();
    return wall;
  }
}
