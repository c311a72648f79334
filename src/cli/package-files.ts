// Where the installed package lies. The compiled tree (dist/src/cli/) and the shipped bundle (dist/bin/)
// sit at different depths under its root, so the root is the nearest folder above this module that holds
// a package.json.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Manifest {
  readonly version?: unknown;
  readonly bin?: unknown;
}

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}

function readManifest(root: string): Manifest {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
}

export function packageVersion(): string {
  const { version } = readManifest(packageRoot());
  return typeof version === 'string' ? version : '0.0.0';
}

/** Absolute path of this installation's `leafgate` bin script. */
export function binScript(): string {
  const root = packageRoot();
  const { bin } = readManifest(root);
  const script = typeof bin === 'object' && bin !== null ? (bin as Record<string, unknown>).leafgate : undefined;
  return join(root, typeof script === 'string' ? script : 'dist/bin/leafgate.js');
}
