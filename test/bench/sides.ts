import type { BenchOptions } from './options.js';
import type { Side, SideKey } from './report.js';
import { commandLine, findNatsServer, leafgateLauncher, natsServerLauncher, type ServerLauncher } from './servers.js';

/** A table column and how to start its server. */
export interface SideSetup extends Side {
  launcher: ServerLauncher;
  /** Which program runs in this column (--calibrate puts nats-server in leafgate's). */
  program: 'nats-server' | 'leafgate';
}

export interface BenchSides {
  sides: SideSetup[];
  /** The nats-server binary in use, if any side runs it. */
  natsBinary: string | null;
}

/** The columns asked for: nats-server, leafgate, or a second nats-server in leafgate's place (--calibrate). */
export function benchSides(options: BenchOptions): BenchSides {
  const natsBinary = options.only !== 'leafgate' || options.calibrate ? findNatsServer() : null;
  const sides: SideSetup[] = [];
  const add = (key: SideKey, label: string, launcher: ServerLauncher, program: SideSetup['program']) =>
    sides.push({ key, label, launcher, program, command: commandLine(launcher(0)).replace(/ 0$/, ' <port>') });
  if (options.only !== 'leafgate' && natsBinary !== null) add('nats', 'nats-server', natsServerLauncher(natsBinary), 'nats-server');
  if (options.only !== 'nats') {
    if (options.calibrate && natsBinary !== null) add('leafgate', 'nats-server#2', natsServerLauncher(natsBinary), 'nats-server');
    else add('leafgate', 'leafgate', leafgateLauncher(), 'leafgate');
  }
  return { sides, natsBinary };
}
