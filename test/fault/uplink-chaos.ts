// The uplink through a broken link: a leafgate edge forwards into a hub stream (nats-server or
// leafgate) through our fault proxy, which cuts, stalls, slows and half-closes the link at random
// while the messages flow. Afterwards every message must be in the hub stream exactly once, and each
// subject's messages in the order they were published.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { PubAck } from '@nats-io/jetstream';

import { closeAll } from '../helpers/nats-client.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import type { FaultKind } from '../helpers/fault-proxy.js';
import { startLeafPair } from '../interop/leaf-pair.js';
import type { Cleanups, ServerKind } from '../interop/leaf-pair.js';

export interface ChaosOptions {
  readonly messages: number;
  readonly hubKind: ServerKind;
  /** Mean time between faults. */
  readonly faultEveryMs: number;
  /** How long the publishing is spread over (the faults go on meanwhile, and a while after). */
  readonly publishOverMs: number;
  readonly seed?: number;
  /** How long all messages may take to reach the hub once the faults stop. */
  readonly drainTimeoutMs: number;
}

export interface ChaosReport {
  readonly seed: number;
  readonly messages: number;
  readonly held: number;
  readonly missing: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  readonly faults: Record<FaultKind, number>;
  readonly seconds: number;
}

const SUBJECTS = 8;
const PUBLISH_WINDOW = 256;

export async function runUplinkChaos(t: Cleanups, o: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const stores = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-chaos-'));
  t.after(() => fs.rmSync(stores, { recursive: true, force: true }));
  const proxy = await startFaultProxy(o.seed);
  t.after(() => proxy.close());
  const js = (domain: string): string => `jetstream { store_dir: "${fs.mkdtempSync(path.join(stores, `${domain}-`))}", domain: ${domain} }`;
  const pair = await startLeafPair(t, o.hubKind, 'leafgate', {
    hubConf: js('hub'),
    edgeConf: `${js('edge')}\nuplink { subjects: ["chaos.>"], stream: CHAOS, domain: hub, name: edge1 }`,
    edgeUrl: `nats-leaf://127.0.0.1:${proxy.port}`,
  });
  proxy.target = pair.leafPort;
  const hub = await pair.hub.connect();
  const edge = await pair.edge.connect();
  t.after(() => closeAll([hub, edge]));
  const hubJsm = await jetstreamManager(hub);
  await hubJsm.streams.add({ name: 'CHAOS', subjects: ['edge1.>'], duplicate_window: 2_000_000_000 });

  proxy.startChaos(o.faultEveryMs);
  const edgeJs = jetstream(edge);
  const pending = new Set<Promise<PubAck>>();
  const perSlice = Math.max(1, Math.ceil(o.messages / (o.publishOverMs / 100)));
  for (let i = 0; i < o.messages; i++) {
    const p = edgeJs.publish(`chaos.s${i % SUBJECTS}`, String(i));
    pending.add(p);
    void p.finally(() => pending.delete(p));
    if (pending.size >= PUBLISH_WINDOW) await Promise.race(pending);
    // Spread over publishOverMs, so the faults hit a link that carries a flow.
    if (i % perSlice === perSlice - 1) await sleep(100);
  }
  await Promise.all(pending);
  await sleep(Math.min(3000, o.publishOverMs));
  proxy.stopChaos();

  const deadline = Date.now() + o.drainTimeoutMs;
  let held = 0;
  while ((held = (await hubJsm.streams.info('CHAOS')).state.messages) < o.messages && Date.now() < deadline) await sleep(250);
  await sleep(2000);
  held = (await hubJsm.streams.info('CHAOS')).state.messages;

  const seen = new Map<number, number>();
  const lastBySubject = new Map<string, number>();
  let outOfOrder = 0;
  const consumer = await jetstream(hub).consumers.get('CHAOS');
  let read = 0;
  while (read < held) {
    const batch = await consumer.fetch({ max_messages: Math.min(1000, held - read), expires: 5000 });
    let got = 0;
    for await (const m of batch) {
      got++;
      const n = Number(m.string());
      seen.set(n, (seen.get(n) ?? 0) + 1);
      const last = lastBySubject.get(m.subject) ?? -1;
      if (n < last) outOfOrder++;
      lastBySubject.set(m.subject, n);
    }
    if (got === 0) break;
    read += got;
  }
  let missing = 0;
  let duplicates = 0;
  for (let i = 0; i < o.messages; i++) {
    const c = seen.get(i) ?? 0;
    if (c === 0) missing++;
    else duplicates += c - 1;
  }
  return { seed: proxy.seed, messages: o.messages, held, missing, duplicates, outOfOrder, faults: { ...proxy.faults }, seconds: (Date.now() - started) / 1000 };
}
