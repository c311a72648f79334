// A hub and an edge joined by a leaf link, each leafgate (the real bin) or Debian's nats-server
// 2.9.10, with config files in a private folder, on loopback ports, stopped by PID.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NatsConnection } from '@nats-io/transport-node';
import { startLeafgate, startNatsServer } from '../helpers/processes.js';
import type { ServerProcess } from '../helpers/processes.js';
import { freePort } from '../helpers/ports.js';
import { connectTo } from '../helpers/nats-client.js';

export type ServerKind = 'leafgate' | 'nats-server';

/** What the pair needs of a test: somewhere to register its cleanup (node:test's context, or the fault runner's). */
export interface Cleanups {
  after(fn: () => unknown): void;
}

export interface LeafNode {
  readonly kind: ServerKind;
  /** The current process (a restart replaces it). */
  proc: ServerProcess;
  readonly conf: string;
  restart(): Promise<void>;
  connect(): Promise<NatsConnection>;
}

export interface LeafPair {
  readonly hub: LeafNode;
  readonly edge: LeafNode;
  /** The hub's leafnodes port. */
  readonly leafPort: number;
}

/** Both directions carry a probe message: the link is up and each side knows the other's interest. */
export async function linkReady(a: NatsConnection, b: NatsConnection, timeoutMs = 15_000): Promise<void> {
  await oneWay(a, b, timeoutMs);
  await oneWay(b, a, timeoutMs);
}

async function oneWay(from: NatsConnection, to: NatsConnection, timeoutMs: number): Promise<void> {
  const subject = `probe.${Math.random().toString(36).slice(2)}`;
  let got = false;
  const sub = to.subscribe(subject, {
    callback: () => {
      got = true;
    },
  });
  await to.flush();
  const deadline = Date.now() + timeoutMs;
  try {
    while (!got) {
      if (Date.now() > deadline) throw new Error(`no probe crossed the leaf link within ${timeoutMs}ms`);
      from.publish(subject);
      await from.flush();
      await sleep(100);
    }
  } finally {
    sub.unsubscribe();
  }
}

function start(kind: ServerKind, conf: string, port: number): Promise<ServerProcess> {
  const opts = { args: ['-c', conf], port, monitor: true };
  return kind === 'leafgate' ? startLeafgate(opts) : startNatsServer(opts);
}

async function node(t: Cleanups, kind: ServerKind, dir: string, name: string, body: string): Promise<LeafNode> {
  const port = await freePort();
  const conf = path.join(dir, `${name}.conf`);
  fs.writeFileSync(conf, `server_name: ${name}\nlisten: 127.0.0.1:${port}\n${body}\n`);
  const n: LeafNode = {
    kind,
    proc: await start(kind, conf, port),
    conf,
    async restart() {
      await n.proc.stop();
      n.proc = await start(kind, conf, port);
    },
    connect: () => connectTo(port),
  };
  t.after(() => n.proc.stop());
  return n;
}

/**
 * A hub listening for leafs and an edge with it as its remote. `hubConf`/`edgeConf` add config text
 * (`leafnodes` blocks excluded: `hubLeaf` and `edgeLeaf` go inside them, `edgeRemote` inside the
 * remote, `edgeUrlAuth` is the `user:password` of its URL, and `edgeUrl` replaces that URL).
 */
export async function startLeafPair(
  t: Cleanups,
  hubKind: ServerKind,
  edgeKind: ServerKind,
  opts: { hubConf?: string; edgeConf?: string; hubLeaf?: string; edgeRemote?: string; edgeLeaf?: string; edgeUrlAuth?: string; edgeUrl?: string } = {},
): Promise<LeafPair> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-leaf-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const leafPort = await freePort();
  const hub = await node(t, hubKind, dir, 'hub', `${opts.hubConf ?? ''}\nleafnodes { listen: 127.0.0.1:${leafPort}\n${opts.hubLeaf ?? ''} }`);
  const auth = opts.edgeUrlAuth !== undefined ? `${opts.edgeUrlAuth}@` : '';
  const remote = `{ url: "${opts.edgeUrl ?? `nats-leaf://${auth}127.0.0.1:${leafPort}`}"\n${opts.edgeRemote ?? ''} }`;
  const edge = await node(t, edgeKind, dir, 'edge', `${opts.edgeConf ?? ''}\nleafnodes { reconnect: 1\n${opts.edgeLeaf ?? ''}\nremotes: [ ${remote} ] }`);
  return { hub, edge, leafPort };
}
