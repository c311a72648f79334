// A fresh temporary directory per test, removed when the test ends.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';

export interface TempDir {
  readonly dir: string;
  /** Absolute path of a file in the directory. */
  path(name: string): string;
  /** Writes a file (e.g. a config file) and returns its absolute path. */
  write(name: string, text: string): string;
}

export function tempDir(t: TestContext, prefix = 'leafgate-test-'): TempDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string): string => path.join(dir, name);
  return {
    dir,
    path: file,
    write: (name, text) => {
      fs.writeFileSync(file(name), text);
      return file(name);
    },
  };
}
