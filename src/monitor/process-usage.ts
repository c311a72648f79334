// Process CPU and resident memory for /varz. CPU is the share of one core used since the previous
// sample, as nats-server reports it (one decimal); samples closer than a second apart reuse the
// last figure so rapid polling does not report noise.

import os from 'node:os';

const MIN_WINDOW_MS = 1000;

export interface UsageSample {
  /** Percent of one core, e.g. 12.5. */
  readonly cpu: number;
  /** Resident set size in bytes. */
  readonly mem: number;
}

export class ProcessUsage {
  private lastCpuMicros: number;
  private lastAt: number;
  private cpu: number;

  constructor() {
    const used = process.cpuUsage();
    this.lastCpuMicros = used.user + used.system;
    this.lastAt = Date.now();
    // Until a first window has passed, the average since the process started.
    this.cpu = roundTenth((this.lastCpuMicros / 1000 / Math.max(process.uptime() * 1000, 1)) * 100);
  }

  sample(): UsageSample {
    const now = Date.now();
    const elapsedMs = now - this.lastAt;
    if (elapsedMs >= MIN_WINDOW_MS) {
      const used = process.cpuUsage();
      const micros = used.user + used.system;
      this.cpu = roundTenth(((micros - this.lastCpuMicros) / 1000 / elapsedMs) * 100);
      this.lastCpuMicros = micros;
      this.lastAt = now;
    }
    return { cpu: this.cpu, mem: process.memoryUsage.rss() };
  }
}

/** Logical CPUs available to the process. */
export function coreCount(): number {
  return os.availableParallelism();
}

function roundTenth(n: number): number {
  return Math.round(n * 10) / 10;
}
