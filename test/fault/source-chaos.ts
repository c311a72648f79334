// A leafgate edge stream reading a hub stream (nats-server or leafgate) of another domain through a
// link our fault proxy cuts, stalls, slows and half-closes at random while the hub's stream fills.
// Afterwards the edge stream must hold every message once, in the origin's order.

import { jetstream, jetstreamManager } from '@nats-io/jetstream';

import type { Cleanups } from '../interop/leaf-pair.js';
import { publishThroughChaos, startChaosPair, tallyStream } from './chaos-flow.js';
import type { ChaosOptions, ChaosReport } from './chaos-flow.js';

const SUBJECTS = 8;

export async function runSourceChaos(t: Cleanups, o: ChaosOptions & { readonly mirror: boolean }): Promise<ChaosReport> {
  const started = Date.now();
  const pair = await startChaosPair(t, o);
  await (await jetstreamManager(pair.hub)).streams.add({ name: 'ORIGIN', subjects: ['chaos.>'] });
  const origin = { name: 'ORIGIN', external: { api: '$JS.hub.API', deliver: 'deliver.hub' } };
  await (await jetstreamManager(pair.edge)).streams.add(o.mirror ? { name: 'READER', mirror: origin } : { name: 'READER', sources: [origin] });
  await publishThroughChaos(pair, o, jetstream(pair.hub), (i) => `chaos.s${i % SUBJECTS}`);
  // One publisher, so the origin holds the messages in their order, and so must the reader.
  const tally = await tallyStream(pair.edge, 'READER', o.messages, o.drainTimeoutMs, () => '');
  return { seed: pair.proxy.seed, messages: o.messages, ...tally, faults: { ...pair.proxy.faults }, seconds: (Date.now() - started) / 1000 };
}
