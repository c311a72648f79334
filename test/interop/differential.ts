// Runs a table of scenarios against the real nats-server and leafgate, each started once with the
// same configuration, and requires both to be observed identically (and as the table says).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { NatsConnection } from '@nats-io/transport-node';
import { writeTempConf } from '../helpers/conf-file.js';
import type { TempConf } from '../helpers/conf-file.js';
import { startLeafgate, startNatsServer } from '../helpers/processes.js';
import type { ServerProcess } from '../helpers/processes.js';
import { expectedObservations, runScript } from './script.js';
import type { Scenario } from './script.js';

export interface ServerPair {
  readonly natsServer: ServerProcess;
  readonly leafgate: ServerProcess;
  /** Each server's monitoring port; 0 unless asked for. */
  readonly httpPort: { readonly natsServer: number; readonly leafgate: number };
}

/** Starts both servers with `conf` (nats-server .conf text; none = defaults) for the enclosing suite. */
export function serverPair(conf?: string, opts: { readonly monitoring?: boolean } = {}): () => ServerPair {
  let pair: ServerPair | null = null;
  let file: TempConf | null = null;
  before(async () => {
    file = conf === undefined ? null : writeTempConf(conf);
    const args = file === null ? [] : ['-c', file.path];
    const monitor = opts.monitoring === true;
    const [natsServer, leafgate] = await Promise.all([startNatsServer({ args, monitor }), startLeafgate({ args, monitor })]);
    pair = { natsServer, leafgate, httpPort: { natsServer: natsServer.httpPort, leafgate: leafgate.httpPort } };
  });
  after(async () => {
    await Promise.all([pair?.natsServer.stop(), pair?.leafgate.stop()]);
    file?.remove();
  });
  return () => {
    if (pair === null) throw new Error('servers not started');
    return pair;
  };
}

/**
 * A check for the suite's pair: `observe` runs against nats-server, then leafgate, and both must give
 * `want` (what nats-server is observed to give).
 */
export function observedAlike(servers: () => ServerPair): <T>(want: T, observe: (port: number) => Promise<T>) => Promise<void> {
  return async (want, observe) => {
    const { natsServer, leafgate } = servers();
    const fromNats = await observe(natsServer.port);
    const fromLeafgate = await observe(leafgate.port);
    assert.deepEqual({ natsServer: fromNats, leafgate: fromLeafgate }, { natsServer: want, leafgate: want });
  };
}

/** Two clients each publish to `x` and subscribe to it: what each one gets (its own message only, when they are in different accounts). */
export async function crossTalk(a: NatsConnection, b: NatsConnection): Promise<{ a: string; b: string }> {
  const inA = a.subscribe('x', { max: 1 });
  const inB = b.subscribe('x', { max: 1 });
  await Promise.all([a.flush(), b.flush()]);
  a.publish('x', 'from A');
  b.publish('x', 'from B');
  const got = async (sub: typeof inA): Promise<string> => {
    for await (const msg of sub) return msg.string();
    return '';
  };
  return { a: await got(inA), b: await got(inB) };
}

/** One test per scenario, all against one server pair. */
export function differentialSuite(title: string, scenarios: readonly Scenario[], conf?: string): void {
  describe(title, () => {
    const servers = serverPair(conf);
    for (const scenario of scenarios) {
      test(scenario.name, async () => {
        const { natsServer, leafgate } = servers();
        const [fromNats, fromLeafgate] = await Promise.all([runScript(natsServer.port, scenario), runScript(leafgate.port, scenario)]);
        const want = expectedObservations(scenario);
        // One comparison shows at a glance whether leafgate, the table, or both disagree with nats-server.
        assert.deepEqual({ natsServer: fromNats, leafgate: fromLeafgate }, { natsServer: want, leafgate: want });
      });
    }
  });
}
