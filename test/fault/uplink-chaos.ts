// The uplink through a broken link: a leafgate edge forwards into a hub stream (nats-server or
// leafgate) through our fault proxy, which cuts, stalls, slows and half-closes the link at random
// while the messages flow. Afterwards every message must be in the hub stream exactly once, and each
// subject's messages in the order they were published.

import { jetstream, jetstreamManager } from '@nats-io/jetstream';

import type { Cleanups } from '../interop/leaf-pair.js';
import { publishThroughChaos, startChaosPair, tallyStream } from './chaos-flow.js';
import type { ChaosOptions, ChaosReport } from './chaos-flow.js';

const SUBJECTS = 8;

export async function runUplinkChaos(t: Cleanups, o: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const pair = await startChaosPair(t, o, 'uplink { subjects: ["chaos.>"], stream: CHAOS, domain: hub, name: edge1 }');
  await (await jetstreamManager(pair.hub)).streams.add({ name: 'CHAOS', subjects: ['edge1.>'], duplicate_window: 2_000_000_000 });
  await publishThroughChaos(pair, o, jetstream(pair.edge), (i) => `chaos.s${i % SUBJECTS}`);
  const tally = await tallyStream(pair.hub, 'CHAOS', o.messages, o.drainTimeoutMs, (subject) => subject);
  return { seed: pair.proxy.seed, messages: o.messages, ...tally, faults: { ...pair.proxy.faults }, seconds: (Date.now() - started) / 1000 };
}
