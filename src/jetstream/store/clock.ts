// The machine's clocks as a StoreClock (see types.ts). Tests inject their own.

import { readFileSync } from 'node:fs';

import type { StoreClock } from './types.js';

function readBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
  } catch {
    return '';
  }
}

let bootId: string | null = null;

export const systemClock: StoreClock = {
  wallNs: () => BigInt(Date.now()) * 1_000_000n,
  // process.hrtime reads CLOCK_MONOTONIC on Linux: counted from boot, so two processes of one boot agree.
  monoMs: () => Number(process.hrtime.bigint() / 1_000_000n),
  bootId: () => (bootId ??= readBootId()),
};
