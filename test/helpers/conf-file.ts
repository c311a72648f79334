// Server configuration files for tests, written to a private temp folder and removed afterwards.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TempConf {
  readonly path: string;
  remove(): void;
}

/** Writes `text` as a nats-server style .conf file (start a server with `-c <path>`). */
export function writeTempConf(text: string): TempConf {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-conf-'));
  const file = path.join(dir, 'server.conf');
  fs.writeFileSync(file, text);
  return { path: file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
