// The name the program was invoked as, for the files nats-server names after its executable (`<name>_<pid>.ports`).
import { basename } from 'node:path';

/** The program's own name: the bin, the help and the error lines use it. */
export const PROGRAM_NAME = 'leafgate';

/**
 * The base name of the invoked script without a `.js` extension: `nats-server` through a link of that name,
 * `leafgate` for the installed bin. Run as `node dist/src/main.js` (or with no script) it is `leafgate`, not `main`.
 */
export function programName(script: string | undefined): string {
  if (script === undefined || script === '') return PROGRAM_NAME;
  const name = basename(script).replace(/\.[cm]?js$/, '');
  return name === '' || name === 'main' ? PROGRAM_NAME : name;
}
