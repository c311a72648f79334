// NATS over WebSocket against NATS over TCP: 1 pub -> 1 sub at 16 B, both clients over the same
// transport, in alternating rounds on one leafgate (and on nats-server, for its own ratio). The
// issue's figure is leafgate's WebSocket rate as a share of its TCP rate (>= 0.5x). The WebSocket
// clients are `ws` clients writing the protocol in binary messages, as nats.js does.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hrtime } from 'node:process';

import { WebSocket } from 'ws';

import { freePort } from '../helpers/ports.js';
import { leafgateLauncher, natsServerLauncher, ServerProcess } from './servers.js';
import type { ServerLauncher } from './servers.js';
import { median } from './stats.js';

const PAYLOAD = Buffer.alloc(16, 'x');
const PER_BATCH = 4096;

/** A client's byte pipe: TCP or WebSocket. */
export interface Pipe {
  write(data: Buffer): Promise<void>;
  close(): void;
}

/** Connects, sends CONNECT (+ `then`), resolves after the PONG; later bytes go to `onData`. */
export function tcpClient(port: number, then: string, onData: (chunk: Buffer) => void): Promise<Pipe> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    let greeting = '';
    let ready = false;
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      if (ready) return onData(chunk);
      greeting += chunk.toString('latin1');
      if (greeting.startsWith('INFO') && greeting.includes('\r\n') && !greeting.includes('SENT')) {
        greeting += 'SENT';
        socket.write(`CONNECT {"verbose":false,"echo":false}\r\n${then}PING\r\n`);
      }
      if (greeting.includes('PONG\r\n')) {
        ready = true;
        resolve({ write: (data) => (socket.write(data) ? Promise.resolve() : new Promise((r) => socket.once('drain', () => r()))), close: () => socket.destroy() });
      }
    });
  });
}

function wsClient(port: number, then: string, onData: (chunk: Buffer) => void): Promise<Pipe> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    let greeting = '';
    let ready = false;
    ws.once('error', reject);
    ws.on('message', (data: Buffer) => {
      if (ready) return onData(data);
      greeting += data.toString('latin1');
      if (greeting.startsWith('INFO') && !greeting.includes('SENT')) {
        greeting += 'SENT';
        ws.send(Buffer.from(`CONNECT {"verbose":false,"echo":false}\r\n${then}PING\r\n`));
      }
      if (greeting.includes('PONG\r\n')) {
        ready = true;
        resolve({
          write: (bytes) => new Promise<void>((r, j) => ws.send(bytes, { binary: true }, (err) => (err ? j(err) : r()))),
          close: () => ws.terminate(),
        });
      }
    });
  });
}

/** Messages/s of `count` 16 B publishes reaching one subscriber, both over TCP or both over WebSocket. */
async function throughput(port: number, wsPort: number, overWs: boolean, count: number): Promise<number> {
  const frameLen = Buffer.byteLength('MSG bench 1 16\r\n') + 16 + 2;
  let received = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const open = overWs ? (then: string, onData: (c: Buffer) => void) => wsClient(wsPort, then, onData) : (then: string, onData: (c: Buffer) => void) => tcpClient(port, then, onData);
  const sub = await open('SUB bench 1\r\n', (chunk) => {
    received += chunk.length;
    if (received >= count * frameLen) done();
  });
  const pub = await open('', () => {});
  const one = Buffer.concat([Buffer.from('PUB bench 16\r\n'), PAYLOAD, Buffer.from('\r\n')]);
  const batch = Buffer.concat(Array<Buffer>(PER_BATCH).fill(one));
  const start = hrtime.bigint();
  for (let sent = 0; sent < count; sent += PER_BATCH) {
    const n = Math.min(PER_BATCH, count - sent);
    await pub.write(n === PER_BATCH ? batch : batch.subarray(0, n * one.length));
  }
  await finished;
  const seconds = Number(hrtime.bigint() - start) / 1e9;
  sub.close();
  pub.close();
  return count / seconds;
}

export async function runWebsocketBench(natsBinary: string, quick: boolean, log: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'leafgate-bench-ws-'));
  const wsPorts = new Map<string, number>();
  const withWebsocket = (label: string, launcher: ServerLauncher, wsPort: number): ServerLauncher => (port) => {
    const conf = join(dir, `${label}.conf`);
    writeFileSync(conf, `websocket { host: 127.0.0.1, port: ${wsPort}, no_tls: true }\n`);
    const command = launcher(port);
    return { ...command, args: [...command.args, '-c', conf] };
  };
  const ports = [await freePort(), await freePort()] as const;
  const servers = [await ServerProcess.start('leafgate', withWebsocket('leafgate', leafgateLauncher(), ports[0])), await ServerProcess.start('nats-server', withWebsocket('nats-server', natsServerLauncher(natsBinary), ports[1]))];
  wsPorts.set('leafgate', ports[0]);
  wsPorts.set('nats-server', ports[1]);
  const rounds = quick ? 3 : 6;
  const msgs = quick ? 200_000 : 1_000_000;
  const rates = new Map<string, { tcp: number[]; ws: number[] }>(servers.map((s) => [s.label, { tcp: [], ws: [] }]));
  try {
    for (const s of servers) await throughput(s.port, wsPorts.get(s.label) as number, true, msgs / 10);
    for (let round = 0; round < rounds; round++) {
      for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
        for (const overWs of round % 2 === 0 ? [false, true] : [true, false]) {
          const rate = await throughput(s.port, wsPorts.get(s.label) as number, overWs, msgs);
          (rates.get(s.label) as { tcp: number[]; ws: number[] })[overWs ? 'ws' : 'tcp'].push(rate);
        }
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
  log(`NATS over WebSocket, 1->1 16 B, medians of ${rounds} rounds (same server; both clients over the transport)`);
  log('server        over TCP           over WebSocket     ratio (>= 0.5x)');
  for (const s of servers) {
    const r = rates.get(s.label) as { tcp: number[]; ws: number[] };
    const [tcp, ws] = [median(r.tcp), median(r.ws)];
    log(`${s.label.padEnd(12)}  ${`${(tcp / 1e6).toFixed(2)}M msgs/s`.padStart(15)}   ${`${(ws / 1e6).toFixed(2)}M msgs/s`.padStart(15)}   ${(ws / tcp).toFixed(2).padStart(13)}x`);
  }
}
