// nats-server's ports file, `<dir>/<program>_<pid>.ports`: the URLs of each listener, for tools that
// start a server on free ports.

import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { reachableUrls } from '../util/index.js';
import type { Logger } from '../util/index.js';

export function portsFilePath(dir: string | undefined, programName: string): string | null {
  return dir === undefined ? null : path.join(dir, `${programName}_${process.pid}.ports`);
}

/** Writes it; a failure is logged, not fatal. */
export function writePortsFile(file: string, nats: AddressInfo, tlsRequired: boolean, monitoring: AddressInfo | null, log: Logger): void {
  const ports: Record<string, string[]> = { nats: reachableUrls(tlsRequired ? 'tls' : 'nats', nats) };
  if (monitoring !== null) ports.monitoring = reachableUrls('http', monitoring);
  try {
    fs.writeFileSync(file, JSON.stringify(ports));
  } catch (err) {
    log.error(`Error writing ports file (${file}): ${(err as Error).message}`);
  }
}
