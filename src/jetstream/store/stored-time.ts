// Stored time: the scale max_age is counted on.
//
// A message records the stored time at its append; it expires once the stored time has advanced by
// max_age past that. While the process runs, stored time advances with the monotonic clock, so a wall
// clock jump (NTP syncing a board that booted in the past) moves nothing. Across a restart it resumes
// from a checkpoint (stored, wall, mono, boot id) saved with the data:
//   - same boot: the monotonic clock kept running while we were down, so the downtime is exact;
//   - after a reboot: the wall clock's advance since the checkpoint, when it is not negative. A board
//     that booted in the past gets 0 (the backlog is kept for its full age from now, not forever); a
//     board whose wall clock is right counts the time it was off, as the data really aged.
// The scale never goes backwards, so stored times rise with the sequence: the oldest message is
// always the first, and expiry only ever looks at the front of the stream.

import type { StoreClock } from './types.js';

export interface StoredTimeCheckpoint {
  storedMs: number;
  wallMs: number;
  monoMs: number;
  bootId: string;
}

export class StoredTime {
  private readonly clock: StoreClock;
  /** Stored time when monoMs read `monoOrigin`. */
  private readonly storedOrigin: number;
  private readonly monoOrigin: number;

  constructor(clock: StoreClock, resumeFrom: StoredTimeCheckpoint | null) {
    this.clock = clock;
    this.monoOrigin = clock.monoMs();
    this.storedOrigin = resumeFrom === null ? 0 : resumeFrom.storedMs + StoredTime.downtime(clock, resumeFrom, this.monoOrigin);
  }

  private static downtime(clock: StoreClock, cp: StoredTimeCheckpoint, monoNow: number): number {
    const boot = clock.bootId();
    if (boot !== '' && boot === cp.bootId) return Math.max(0, monoNow - cp.monoMs);
    return Math.max(0, wallMs(clock) - cp.wallMs);
  }

  nowMs(): number {
    return this.storedOrigin + Math.max(0, this.clock.monoMs() - this.monoOrigin);
  }

  checkpoint(): StoredTimeCheckpoint {
    return { storedMs: this.nowMs(), wallMs: wallMs(this.clock), monoMs: this.clock.monoMs(), bootId: this.clock.bootId() };
  }
}

function wallMs(clock: StoreClock): number {
  return Number(clock.wallNs() / 1_000_000n);
}
