// leafgate started inside the test process: faster than a child process for most client tests.

import { mergeOptions } from '../../src/config/index.js';
import type { OptionLayer } from '../../src/config/index.js';
import { Server } from '../../src/server.js';
import { Logger } from '../../src/util/index.js';

export interface InProcessServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** Log lines written so far. */
  readonly logs: string[];
  stop(): Promise<void>;
}

export async function startInProcess(layer: OptionLayer = {}): Promise<InProcessServer> {
  const logs: string[] = [];
  const log = new Logger({ debug: layer.debug ?? false, trace: layer.trace ?? false }, { write: (t: string) => logs.push(t) });
  const opts = mergeOptions({ host: '127.0.0.1', port: -1 }, layer);
  const server = new Server(opts, log);
  await server.start();
  return {
    server,
    port: server.port,
    url: `127.0.0.1:${server.port}`,
    logs,
    stop: () => server.shutdown(),
  };
}
