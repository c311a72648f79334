// The uplink's backlog drain: a leafgate edge holds N messages of 128 B while its link to a
// nats-server hub is shut (our proxy refusing), then the link opens and the time until the hub
// stream holds all N (exactly once) gives the rate. Beside it, over the same proxy, nats-server's
// own way: a hub stream sourcing a nats-server edge stream of N messages (`external`). The proxy
// counts the bytes the edge sent, so the bytes per forwarded message come out too.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { jetstreamManager } from '@nats-io/jetstream';

import { startFaultProxy } from '../helpers/fault-proxy.js';
import { fill, held, startLeafTrio } from './leaf-trio.js';

export async function runLeafDrainBench(quick: boolean, log: (line: string) => void): Promise<void> {
  const n = quick ? 100_000 : 1_000_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-bench-drain-'));
  const cleanups: (() => unknown)[] = [];
  try {
    const proxy = await startFaultProxy();
    cleanups.push(() => proxy.close());
    const edgeConf = 'uplink { subjects: ["telemetry.>"], stream: DRAIN, domain: hub, name: edge }';
    const { leafPort, hub: hubNc, edge: edgeNc, nedge: nedgeNc } = await startLeafTrio(dir, cleanups, { remotePort: proxy.port, edgeConf });
    const hubJsm = await jetstreamManager(hubNc);
    await hubJsm.streams.add({ name: 'DRAIN', subjects: ['edge.>'] });
    await (await jetstreamManager(nedgeNc)).streams.add({ name: 'SRC', subjects: ['telemetry.>'] });

    // The backlogs build while the link is shut.
    await fill(edgeNc, 'telemetry.x', 'UPLINK_edge', n);
    await fill(nedgeNc, 'telemetry.x', 'SRC', n);

    // Timed from the first message in the hub stream: the edge's reconnect backoff (it found the link
    // shut) is not the drain's.
    const bytesBefore = proxy.bytes.toTarget;
    proxy.target = leafPort;
    await held(hubJsm, 'DRAIN', 1, 120_000);
    const opened = performance.now();
    await held(hubJsm, 'DRAIN', n, 900_000);
    const uplinkSeconds = (performance.now() - opened) / 1000;
    const uplinkBytes = (proxy.bytes.toTarget - bytesBefore) / n;
    await sleep(1000);
    const exact = (await hubJsm.streams.info('DRAIN')).state.messages === n;

    const sourceBytesBefore = proxy.bytes.toTarget;
    await hubJsm.streams.add({ name: 'AGG', sources: [{ name: 'SRC', external: { api: '$JS.nedge.API', deliver: 'deliver.nedge' } }] });
    await held(hubJsm, 'AGG', 1, 120_000);
    const sourced = performance.now();
    await held(hubJsm, 'AGG', n, 900_000);
    const sourceSeconds = (performance.now() - sourced) / 1000;
    const sourceBytes = (proxy.bytes.toTarget - sourceBytesBefore) / n;

    log(`Backlog drain over a leaf link into a nats-server hub stream, ${n.toLocaleString('en-US')} messages of 128 B`);
    log(`leafgate uplink            ${Math.round(n / uplinkSeconds).toLocaleString('en-US').padStart(9)} msgs/s  ${uplinkBytes.toFixed(0)} B sent per message  exactly once: ${exact ? 'yes' : 'NO'}`);
    log(`nats-server stream source  ${Math.round(n / sourceSeconds).toLocaleString('en-US').padStart(9)} msgs/s  ${sourceBytes.toFixed(0)} B sent per message`);
    log(`leafgate uplink / nats-server sourcing: ${(sourceSeconds / uplinkSeconds).toFixed(2)}x`);
  } finally {
    for (const fn of cleanups.reverse()) await fn();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
