// A StoreClock the test drives: wall and monotonic time move only when told, the boot id is settable.

import type { StoreClock } from '../../../../src/jetstream/store/index.js';

export const YEAR_MS = 365 * 24 * 3600 * 1000;

export class FakeClock implements StoreClock {
  wall: number;
  mono: number;
  boot: string;

  constructor(wallMs = 1_700_000_000_000, monoMs = 1_000, boot = 'boot-1') {
    this.wall = wallMs;
    this.mono = monoMs;
    this.boot = boot;
  }

  wallNs(): bigint {
    return BigInt(this.wall) * 1_000_000n;
  }

  monoMs(): number {
    return this.mono;
  }

  bootId(): string {
    return this.boot;
  }

  /** Real time passing: both clocks move. */
  advance(ms: number): void {
    this.wall += ms;
    this.mono += ms;
  }
}
