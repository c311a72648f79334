// Messages over a leaf link: one nats-server hub with two edges on it, a leafgate edge and a
// nats-server edge, each in turn carrying 1 pub -> 1 sub at 16 B from a publisher on the edge to a
// subscriber on the hub. The issue's figure is the leafgate edge's rate as a share of the
// nats-server edge's, measured in the same rounds (>= 0.5x).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hrtime } from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

import { freePort } from '../helpers/ports.js';
import { leafgateLauncher, natsServerLauncher, ServerProcess } from './servers.js';
import type { ServerLauncher } from './servers.js';
import { median } from './stats.js';
import { tcpClient } from './websocket.js';

const PAYLOAD = Buffer.alloc(16, 'x');
const PER_BATCH = 4096;
/** A round that has not finished by then lost messages: it is reported as failed, not waited for. */
const ROUND_TIMEOUT_MS = 120_000;
/** Time for the hub subscriber's LS+ to reach the edges. */
const INTEREST_SETTLE_MS = 500;

/** Messages/s of `count` 16 B publishes from a client of `edgePort` reaching a subscriber of `hubPort`. */
async function overLink(hubPort: number, edgePort: number, subject: string, count: number): Promise<number> {
  const frameLen = Buffer.byteLength(`MSG ${subject} 1 16\r\n`) + 16 + 2;
  let received = 0;
  let done: (ok: boolean) => void = () => {};
  const finished = new Promise<boolean>((resolve) => (done = resolve));
  const sub = await tcpClient(hubPort, `SUB ${subject} 1\r\n`, (chunk) => {
    received += chunk.length;
    if (received >= count * frameLen) done(true);
  });
  await sleep(INTEREST_SETTLE_MS);
  const pub = await tcpClient(edgePort, '', () => {});
  const one = Buffer.concat([Buffer.from(`PUB ${subject} 16\r\n`), PAYLOAD, Buffer.from('\r\n')]);
  const batch = Buffer.concat(Array<Buffer>(PER_BATCH).fill(one));
  const timer = setTimeout(() => done(false), ROUND_TIMEOUT_MS);
  const start = hrtime.bigint();
  for (let sent = 0; sent < count; sent += PER_BATCH) {
    const n = Math.min(PER_BATCH, count - sent);
    await pub.write(n === PER_BATCH ? batch : batch.subarray(0, n * one.length));
  }
  const ok = await finished;
  const seconds = Number(hrtime.bigint() - start) / 1e9;
  clearTimeout(timer);
  sub.close();
  pub.close();
  if (!ok) throw new Error(`only ${Math.floor(received / frameLen)} of ${count} messages crossed the leaf link`);
  return count / seconds;
}

export async function runLeafBench(natsBinary: string, quick: boolean, log: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'leafgate-bench-leaf-'));
  const leafPort = await freePort();
  const withConf = (name: string, launcher: ServerLauncher, body: string): ServerLauncher => (port) => {
    const conf = join(dir, `${name}.conf`);
    writeFileSync(conf, `server_name: ${name}\n${body}\n`);
    const command = launcher(port);
    return { ...command, args: [...command.args, '-c', conf] };
  };
  const remote = `leafnodes { remotes: [ { url: "nats-leaf://127.0.0.1:${leafPort}" } ] }`;
  const servers: ServerProcess[] = [];
  const rounds = quick ? 3 : 6;
  const msgs = quick ? 200_000 : 1_000_000;
  const rates = new Map<string, number[]>([
    ['leafgate', []],
    ['nats-server', []],
  ]);
  try {
    const hub = await ServerProcess.start('hub', withConf('hub', natsServerLauncher(natsBinary), `leafnodes { listen: "127.0.0.1:${leafPort}" }`));
    servers.push(hub);
    const edges = [await ServerProcess.start('leafgate', withConf('edge-leafgate', leafgateLauncher(), remote)), await ServerProcess.start('nats-server', withConf('edge-nats', natsServerLauncher(natsBinary), remote))];
    servers.push(...edges);
    // Both links up: a short warm-up over each proves it (a failed round would throw).
    for (const edge of edges) await overLink(hub.port, edge.port, `warm.${edge.label}`, msgs / 10);
    for (let round = 0; round < rounds; round++) {
      for (const edge of round % 2 === 0 ? edges : [...edges].reverse()) {
        (rates.get(edge.label) as number[]).push(await overLink(hub.port, edge.port, `bench.${edge.label}`, msgs));
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
  const lg = median(rates.get('leafgate') as number[]);
  const ns = median(rates.get('nats-server') as number[]);
  log(`Leaf link, edge publisher -> nats-server hub subscriber, 1->1 16 B, medians of ${rounds} rounds`);
  log(`edge          msgs/s`);
  log(`leafgate      ${`${(lg / 1e6).toFixed(2)}M`.padStart(8)}`);
  log(`nats-server   ${`${(ns / 1e6).toFixed(2)}M`.padStart(8)}`);
  log(`leafgate edge / nats-server edge: ${(lg / ns).toFixed(2)}x (>= 0.5x)`);
}
