import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';

/** What the figures were measured on; printed above the table and kept in the JSON. */
export interface MachineInfo {
  cpuModel: string;
  cpus: number;
  memoryMiB: number;
  kernel: string;
  node: string;
  natsServerVersion: string;
}

export function describeMachine(natsServerBinary: string | null): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: availableParallelism(),
    memoryMiB: Math.round(totalmem() / 1024 / 1024),
    kernel: readFirstLine('/proc/sys/kernel/osrelease'),
    node: process.version,
    natsServerVersion: natsServerBinary === null ? 'nats-server: not used' : natsServerVersion(natsServerBinary),
  };
}

function natsServerVersion(binary: string): string {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 5000 }).trim();
  } catch {
    return 'unknown';
  }
}

function readFirstLine(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n')[0]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
