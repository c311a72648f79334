// A small file system of its own, to fill up: a tmpfs mounted for the test (root only).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';

/**
 * A tmpfs of `size` mounted at a fresh directory, or the reason there cannot be one. `release` (closing
 * the stores first) unmounts and removes it.
 */
function smallDisk(size: string): { dir: string; release: () => void } | { skip: string } {
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

/**
 * A small disk for test `t`, or null when there cannot be one (the test is then skipped). What is
 * opened on it is handed to `keep`, closed when the test ends, before the disk goes.
 */
export function smallDiskFor(t: TestContext, size: string): { dir: string; keep<T extends { close(): void }>(opened: T): T } | null {
  const disk = smallDisk(size);
  if ('skip' in disk) {
    t.skip(disk.skip);
    return null;
  }
  const opened: Array<{ close(): void }> = [];
  t.after(() => {
    for (const o of opened) o.close();
    disk.release();
  });
  return {
    dir: disk.dir,
    keep: (o) => {
      opened.push(o);
      return o;
    },
  };
}
