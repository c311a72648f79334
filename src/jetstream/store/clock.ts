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

// Both clocks are read for every stored message: the wall clock as a bigint made once per millisecond,
// the monotonic one from performance.now() (the same clock as hrtime, without a bigint per read).
let wallMs = 0;
let wallNs = 0n;
const monoOriginMs = Number(process.hrtime.bigint() / 1_000_000n) - performance.now();

export const systemClock: StoreClock = {
  wallNs: () => {
    const ms = Date.now();
    if (ms !== wallMs) {
      wallMs = ms;
      wallNs = BigInt(ms) * 1_000_000n;
    }
    return wallNs;
  },
  // process.hrtime reads CLOCK_MONOTONIC on Linux: counted from boot, so two processes of one boot agree.
  monoMs: () => Math.floor(monoOriginMs + performance.now()),
  bootId: () => (bootId ??= readBootId()),
};
