// A small file system of its own, to fill up: a tmpfs mounted for the test (root only).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A tmpfs of `size` mounted at a fresh directory, or the reason there cannot be one. `release` (closing
 * the stores first) unmounts and removes it.
 */
export function smallDisk(size: string): { dir: string; release: () => void } | { skip: string } {
  if (process.getuid?.() !== 0) return { skip: 'mounting a tmpfs needs root' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-full-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  if (r.status !== 0) {
    fs.rmdirSync(dir);
    return { skip: `mount -t tmpfs failed: ${String(r.stderr).trim()}` };
  }
  return {
    dir,
    release: () => {
      spawnSync('umount', [dir]);
      fs.rmdirSync(dir);
    },
  };
}
