// What both JetStream-over-a-leaf benches share: a nats-server hub (JetStream domain `hub`) with two
// leafs, a leafgate edge (domain `edge`) and a nats-server edge (domain `nedge`), each with JetStream
// in a folder of `dir`, and a client of each; streams filled with 128 B messages, and waited on.

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import { closeAll, connectTo } from '../helpers/nats-client.js';
import { startLeafgate, startNatsServer } from '../helpers/processes.js';
import { freePort } from '../helpers/ports.js';

const PAYLOAD = Buffer.alloc(128, 'x');

/** Waits until `stream` holds at least `n` messages. */
export async function held(jsm: JetStreamManager, stream: string, n: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await jsm.streams.info(stream)).state.messages < n) {
    if (Date.now() > deadline) throw new Error(`${stream} never held ${n} messages`);
    await sleep(20);
  }
}

/** Publishes n 128 B messages on `subject` (core NATS, flushed every 10k), then waits until `stream` holds them. */
export async function fill(nc: NatsConnection, subject: string, stream: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    nc.publish(subject, PAYLOAD);
    if (i % 10_000 === 9_999) await nc.flush();
  }
  await nc.flush();
  await held(await jetstreamManager(nc), stream, n, 600_000);
}

export interface LeafTrio {
  /** The hub's leafnodes port. */
  readonly leafPort: number;
  readonly hub: NatsConnection;
  readonly edge: NatsConnection;
  readonly nedge: NatsConnection;
}

/**
 * Starts the three, registering their stops in `cleanups`. The edges dial `remotePort` (a proxy in
 * front of the hub) when given, else the hub's leafnodes port; `edgeConf` goes into leafgate's file.
 */
export async function startLeafTrio(dir: string, cleanups: (() => unknown)[], opts: { remotePort?: number; edgeConf?: string } = {}): Promise<LeafTrio> {
  const leafPort = await freePort();
  const conf = (name: string, body: string): string => {
    const file = path.join(dir, `${name}.conf`);
    fs.writeFileSync(file, `server_name: ${name}\njetstream { store_dir: "${path.join(dir, name)}", domain: ${name} }\n${body}\n`);
    return file;
  };
  const hub = await startNatsServer({ args: ['-c', conf('hub', `leafnodes { listen: "127.0.0.1:${leafPort}" }`)] });
  cleanups.push(() => hub.stop());
  const remote = `leafnodes { remotes: [ { url: "nats-leaf://127.0.0.1:${opts.remotePort ?? leafPort}" } ] }`;
  const edge = await startLeafgate({ args: ['-c', conf('edge', `${remote}\n${opts.edgeConf ?? ''}`)] });
  cleanups.push(() => edge.stop());
  const nedge = await startNatsServer({ args: ['-c', conf('nedge', remote)] });
  cleanups.push(() => nedge.stop());
  const trio = { leafPort, hub: await connectTo(hub.port), edge: await connectTo(edge.port), nedge: await connectTo(nedge.port) };
  cleanups.push(() => closeAll([trio.hub, trio.edge, trio.nedge]));
  return trio;
}
