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

import { closeAll, connectTo } from '../helpers/nats-client.js';
import { startLeafgate, startNatsServer } from '../helpers/processes.js';
import { freePort } from '../helpers/ports.js';

const PAYLOAD = Buffer.alloc(128, 'x');
const ROUNDS = 2;

async function held(jsm: JetStreamManager, stream: string, n: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await jsm.streams.info(stream)).state.messages < n) {
    if (Date.now() > deadline) throw new Error(`${stream} never held ${n} messages`);
    await sleep(20);
  }
}

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
    const leafPort = await freePort();
    const conf = (name: string, body: string): string => {
      const file = path.join(dir, `${name}.conf`);
      fs.writeFileSync(file, `server_name: ${name}\njetstream { store_dir: "${path.join(dir, name)}", domain: ${name} }\n${body}\n`);
      return file;
    };
    const hub = await startNatsServer({ args: ['-c', conf('hub', `leafnodes { listen: "127.0.0.1:${leafPort}" }`)] });
    cleanups.push(() => hub.stop());
    const remote = `leafnodes { remotes: [ { url: "nats-leaf://127.0.0.1:${leafPort}" } ] }`;
    const edge = await startLeafgate({ args: ['-c', conf('edge', remote)] });
    cleanups.push(() => edge.stop());
    const nedge = await startNatsServer({ args: ['-c', conf('nedge', remote)] });
    cleanups.push(() => nedge.stop());
    const hubNc = await connectTo(hub.port);
    const edgeNc = await connectTo(edge.port);
    const nedgeNc = await connectTo(nedge.port);
    cleanups.push(() => closeAll([hubNc, edgeNc, nedgeNc]));
    const hubJsm = await jetstreamManager(hubNc);
    await hubJsm.streams.add({ name: 'ORIGIN', subjects: ['origin.>'] });
    for (let i = 0; i < n; i++) {
      hubNc.publish('origin.x', PAYLOAD);
      if (i % 10_000 === 9_999) await hubNc.flush();
    }
    await hubNc.flush();
    await held(hubJsm, 'ORIGIN', n, 600_000);

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
