// The parts of a chaos run: a hub and a leafgate edge linked through our fault proxy, JetStream
// publishes spread over a while with a window in flight (so the faults hit a link that carries a
// flow, not one idle after a burst), and the stream that received them read back and tallied.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import { closeAll } from '../helpers/nats-client.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import type { FaultKind, FaultProxy } from '../helpers/fault-proxy.js';
import { startLeafPair } from '../interop/leaf-pair.js';
import type { Cleanups, ServerKind } from '../interop/leaf-pair.js';

const PUBLISH_WINDOW = 256;

export interface ChaosOptions {
  readonly messages: number;
  readonly hubKind: ServerKind;
  /** Mean time between faults. */
  readonly faultEveryMs: number;
  /** How long the publishing is spread over (the faults go on meanwhile, and a while after). */
  readonly publishOverMs: number;
  readonly seed?: number;
  /** How long all messages may take to arrive once the faults stop. */
  readonly drainTimeoutMs: number;
}

export interface Tally {
  /** Messages the stream holds. */
  readonly held: number;
  readonly missing: number;
  readonly duplicates: number;
  /** Messages read after a later one of the same order key. */
  readonly outOfOrder: number;
}

export interface ChaosReport extends Tally {
  readonly seed: number;
  readonly messages: number;
  readonly faults: Record<FaultKind, number>;
  readonly seconds: number;
}

export interface ChaosPair {
  readonly proxy: FaultProxy & { readonly seed: number };
  /** Clients of the hub (JetStream domain `hub`) and of the edge (domain `edge`). */
  readonly hub: NatsConnection;
  readonly edge: NatsConnection;
}

/** A hub of `o.hubKind` and a leafgate edge (with `edgeConf` added) whose leaf link runs through a fault proxy. */
export async function startChaosPair(t: Cleanups, o: ChaosOptions, edgeConf = ''): Promise<ChaosPair> {
  const stores = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-chaos-'));
  t.after(() => fs.rmSync(stores, { recursive: true, force: true }));
  const proxy = await startFaultProxy(o.seed);
  t.after(() => proxy.close());
  const js = (domain: string): string => `jetstream { store_dir: "${fs.mkdtempSync(path.join(stores, `${domain}-`))}", domain: ${domain} }`;
  const pair = await startLeafPair(t, o.hubKind, 'leafgate', { hubConf: js('hub'), edgeConf: `${js('edge')}\n${edgeConf}`, edgeUrl: `nats-leaf://127.0.0.1:${proxy.port}` });
  proxy.target = pair.leafPort;
  const hub = await pair.hub.connect();
  const edge = await pair.edge.connect();
  t.after(() => closeAll([hub, edge]));
  return { proxy, hub, edge };
}

/**
 * Publishes message i (its body the text of i) on `subjectOf(i)`, for i below `o.messages`, spread
 * over `o.publishOverMs`, with the link broken at random meanwhile and for a while after.
 */
export async function publishThroughChaos(pair: ChaosPair, o: ChaosOptions, js: JetStreamClient, subjectOf: (i: number) => string): Promise<void> {
  pair.proxy.startChaos(o.faultEveryMs);
  const pending = new Set<Promise<PubAck>>();
  const perSlice = Math.max(1, Math.ceil(o.messages / (o.publishOverMs / 100)));
  for (let i = 0; i < o.messages; i++) {
    const p = js.publish(subjectOf(i), String(i));
    pending.add(p);
    void p.finally(() => pending.delete(p));
    if (pending.size >= PUBLISH_WINDOW) await Promise.race(pending);
    if (i % perSlice === perSlice - 1) await sleep(100);
  }
  await Promise.all(pending);
  await sleep(Math.min(3000, o.publishOverMs));
  pair.proxy.stopChaos();
}

/**
 * Waits up to `timeoutMs` for `stream` to hold `messages`, then a little longer for any extra, and
 * reads it all back: which of messages 0..messages-1 it holds how often, and whether those of each
 * order key (`orderKey`: the subject, or one key for a whole stream) come in the order published.
 */
export async function tallyStream(nc: NatsConnection, stream: string, messages: number, timeoutMs: number, orderKey: (subject: string) => string): Promise<Tally> {
  const jsm = await jetstreamManager(nc);
  const deadline = Date.now() + timeoutMs;
  while ((await jsm.streams.info(stream)).state.messages < messages && Date.now() < deadline) await sleep(250);
  await sleep(2000);
  const held = (await jsm.streams.info(stream)).state.messages;
  const seen = new Map<number, number>();
  const lastByKey = new Map<string, number>();
  let outOfOrder = 0;
  const consumer = await jetstream(nc).consumers.get(stream);
  let read = 0;
  while (read < held) {
    const batch = await consumer.fetch({ max_messages: Math.min(1000, held - read), expires: 5000 });
    let got = 0;
    for await (const m of batch) {
      got++;
      const n = Number(m.string());
      seen.set(n, (seen.get(n) ?? 0) + 1);
      const key = orderKey(m.subject);
      if (n < (lastByKey.get(key) ?? -1)) outOfOrder++;
      lastByKey.set(key, n);
    }
    if (got === 0) break;
    read += got;
  }
  let missing = 0;
  let duplicates = 0;
  for (let i = 0; i < messages; i++) {
    const c = seen.get(i) ?? 0;
    if (c === 0) missing++;
    else duplicates += c - 1;
  }
  return { held, missing, duplicates, outOfOrder };
}
