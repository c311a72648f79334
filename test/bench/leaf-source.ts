// A stream reading another domain's stream over a leaf link (`sources` with `external`): a
// nats-server hub holds N messages of 128 B, and a leafgate edge and a nats-server edge, both leafs
// of it, each create a stream sourcing it through `$JS.hub.API`, in turns (two rounds, the better
// of each kept). Timed from the first sourced message to the last.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';

import { fill, held, startLeafTrio } from './leaf-trio.js';

const ROUNDS = 2;

/** Seconds from the first sourced message to the n-th, on a stream created fresh. */
async function sourceOnce(jsm: JetStreamManager, n: number): Promise<number> {
  await jsm.streams.add({ name: 'READER', sources: [{ name: 'ORIGIN', external: { api: '$JS.hub.API', deliver: 'deliver.hub' } }] });
  await held(jsm, 'READER', 1, 60_000);
  const started = performance.now();
  await held(jsm, 'READER', n, 900_000);
  const seconds = (performance.now() - started) / 1000;
  await sleep(500);
  const exact = (await jsm.streams.info('READER')).state.messages === n;
  await jsm.streams.delete('READER');
  if (!exact) throw new Error('the sourcing stream holds more than its origin');
  return seconds;
}

export async function runLeafSourceBench(quick: boolean, log: (line: string) => void): Promise<void> {
  const n = quick ? 100_000 : 500_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-bench-source-'));
  const cleanups: (() => unknown)[] = [];
  try {
    const { hub: hubNc, edge: edgeNc, nedge: nedgeNc } = await startLeafTrio(dir, cleanups);
    const hubJsm = await jetstreamManager(hubNc);
    await hubJsm.streams.add({ name: 'ORIGIN', subjects: ['origin.>'] });
    await fill(hubNc, 'origin.x', 'ORIGIN', n);

    const readers = [
      { name: 'leafgate edge   ', jsm: await jetstreamManager(edgeNc), best: Infinity },
      { name: 'nats-server edge', jsm: await jetstreamManager(nedgeNc), best: Infinity },
    ];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? readers : [...readers].reverse();
      for (const r of order) r.best = Math.min(r.best, await sourceOnce(r.jsm, n));
    }
    log(`Stream sourcing a nats-server hub stream over a leaf link, ${n.toLocaleString('en-US')} messages of 128 B (better of ${ROUNDS} rounds)`);
    for (const r of readers) log(`${r.name}  ${Math.round(n / r.best).toLocaleString('en-US').padStart(9)} msgs/s`);
    log(`leafgate / nats-server: ${(readers[1].best / readers[0].best).toFixed(2)}x`);
  } finally {
    for (const fn of cleanups.reverse()) await fn();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
