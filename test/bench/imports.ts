// What crossing an account import costs: 1 pub -> 1 sub at 16 B and request/reply round trips, each
// measured in the same server and the same configuration directly (both clients in account A) and
// through an import (subscriber or requester in B, importing from A), in alternating blocks, on
// leafgate and on nats-server. The issue's figures are leafgate's own ratios: stream import >= 0.8x
// of direct, service import p50 <= 1.2x of direct; nats-server's ratios are shown beside them.

import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hrtime } from 'node:process';
import { leafgateLauncher, natsServerLauncher, ServerProcess } from './servers.js';
import type { ServerLauncher } from './servers.js';
import { median, percentile } from './stats.js';

const CONF = `
accounts {
  A: { users: [ { user: a, password: a } ], exports: [ { stream: "bench.>" }, { service: "rr.svc" } ] }
  B: { users: [ { user: b, password: b } ], imports: [ { stream: { account: A, subject: "bench.>" }, prefix: "imp" }, { service: { account: A, subject: "rr.svc" }, to: "rr.imp" } ] }
}
`;

const PAYLOAD = Buffer.alloc(16, 'x');

/** A bare client: CONNECT as `user`, then raw bytes both ways. */
class Client {
  private constructor(
    readonly socket: Socket,
    private readonly onData: (chunk: Buffer) => void,
  ) {}

  static open(port: number, user: string, onData: (chunk: Buffer) => void, subscribe = ''): Promise<Client> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.setNoDelay(true);
      let greeted = false;
      let handshake = '';
      socket.once('error', reject);
      socket.on('data', (chunk: Buffer) => {
        if (greeted) return client.onData(chunk);
        handshake += chunk.toString('latin1');
        if (!handshake.includes('\r\n')) return;
        if (!handshake.includes('PONG\r\n')) {
          if (handshake.startsWith('INFO') && !handshake.includes('CONNECT_SENT')) {
            handshake += 'CONNECT_SENT';
            socket.write(`CONNECT {"verbose":false,"pedantic":false,"user":"${user}","pass":"${user}","headers":true,"echo":false}\r\n${subscribe}PING\r\n`);
          }
          if (handshake.includes('-ERR')) reject(new Error(handshake));
          return;
        }
        greeted = true;
        resolve(client);
      });
      const client = new Client(socket, onData);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Messages/s of `count` 16 B publishes from A reaching one subscriber (in A on bench.x, or in B on imp.bench.x). */
async function throughput(port: number, viaImport: boolean, count: number): Promise<number> {
  const subject = viaImport ? 'imp.bench.x' : 'bench.x';
  const frameLen = Buffer.byteLength(`MSG ${subject} 1 16\r\n`) + 16 + 2;
  let received = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const sub = await Client.open(port, viaImport ? 'b' : 'a', (chunk) => {
    received += chunk.length;
    if (received >= count * frameLen) done();
  }, `SUB ${subject} 1\r\n`);
  const pub = await Client.open(port, 'a', () => {});
  const one = Buffer.concat([Buffer.from('PUB bench.x 16\r\n'), PAYLOAD, Buffer.from('\r\n')]);
  const perBatch = 4096;
  const batch = Buffer.concat(Array<Buffer>(perBatch).fill(one));
  const start = hrtime.bigint();
  for (let sent = 0; sent < count; sent += perBatch) {
    const n = Math.min(perBatch, count - sent);
    const ok = pub.socket.write(n === perBatch ? batch : batch.subarray(0, n * one.length));
    if (!ok) await new Promise((resolve) => pub.socket.once('drain', resolve));
  }
  await finished;
  const seconds = Number(hrtime.bigint() - start) / 1e9;
  sub.close();
  pub.close();
  return count / seconds;
}

/** Round-trip times (µs) of `count` sequential requests from A (direct) or B (through the import) to a responder in A. */
async function roundTrips(port: number, viaImport: boolean, count: number): Promise<number[]> {
  let pending = '';
  const responder = await Client.open(port, 'a', (chunk) => {
    pending += chunk.toString('latin1');
    let out = '';
    for (;;) {
      const eol = pending.indexOf('\r\n');
      if (eol < 0) break;
      const args = pending.slice(0, eol).split(' ');
      const size = Number(args[args.length - 1]);
      if (pending.length < eol + 2 + size + 2) break;
      const reply = args[0] === 'HMSG' ? args[3] : args[3];
      pending = pending.slice(eol + 2 + size + 2);
      if (reply !== undefined && args.length >= 5) out += `PUB ${reply} 2\r\nok\r\n`;
    }
    if (out !== '') responder.socket.write(out);
  }, 'SUB rr.svc 1\r\n');
  const samples: number[] = [];
  let sentAt = 0n;
  let next: () => void = () => {};
  const requester = await Client.open(port, viaImport ? 'b' : 'a', () => {
    samples.push(Number(hrtime.bigint() - sentAt) / 1000);
    next();
  }, 'SUB _INBOX.bench 1\r\n');
  const request = Buffer.from(`PUB ${viaImport ? 'rr.imp' : 'rr.svc'} _INBOX.bench 2\r\nhi\r\n`);
  for (let i = 0; i < count; i++) {
    const answered = new Promise<void>((resolve) => (next = resolve));
    sentAt = hrtime.bigint();
    requester.socket.write(request);
    await answered;
  }
  requester.close();
  responder.close();
  return samples;
}

interface Figures {
  direct: number[];
  imported: number[];
}

export async function runImportsBench(natsBinary: string, quick: boolean, log: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'leafgate-bench-imports-'));
  const conf = join(dir, 'imports.conf');
  writeFileSync(conf, CONF);
  const withConf = (launcher: ServerLauncher): ServerLauncher => (port) => {
    const command = launcher(port);
    return { ...command, args: [...command.args, '-c', conf] };
  };
  const servers = [await ServerProcess.start('leafgate', withConf(leafgateLauncher())), await ServerProcess.start('nats-server', withConf(natsServerLauncher(natsBinary)))];
  const rounds = quick ? 3 : 6;
  const msgs = quick ? 200_000 : 1_000_000;
  const trips = quick ? 1_000 : 5_000;
  const rates = new Map<string, Figures>(servers.map((s) => [s.label, { direct: [], imported: [] }]));
  const p50s = new Map<string, Figures>(servers.map((s) => [s.label, { direct: [], imported: [] }]));
  try {
    for (const s of servers) {
      await throughput(s.port, true, msgs / 10);
      await roundTrips(s.port, true, trips / 5);
    }
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      for (const s of order) {
        for (const viaImport of round % 2 === 0 ? [false, true] : [true, false]) {
          const rate = await throughput(s.port, viaImport, msgs);
          const rtt = [...(await roundTrips(s.port, viaImport, trips))].sort((x, y) => x - y);
          (rates.get(s.label) as Figures)[viaImport ? 'imported' : 'direct'].push(rate);
          (p50s.get(s.label) as Figures)[viaImport ? 'imported' : 'direct'].push(percentile(rtt, 50));
        }
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
  log(`account imports, medians of ${rounds} rounds (same server, same configuration; direct = both clients in the exporting account)`);
  log('server        1->1 16 B direct   through stream import   ratio (>= 0.8x)   req/reply p50 direct   through service import   ratio (<= 1.2x)');
  for (const s of servers) {
    const r = rates.get(s.label) as Figures;
    const p = p50s.get(s.label) as Figures;
    const [rd, ri, pd, pi] = [median(r.direct), median(r.imported), median(p.direct), median(p.imported)];
    log(
      `${s.label.padEnd(12)}  ${fmtRate(rd).padStart(16)}   ${fmtRate(ri).padStart(21)}   ${(ri / rd).toFixed(2).padStart(14)}x   ${`${pd.toFixed(1)} µs`.padStart(20)}   ${`${pi.toFixed(1)} µs`.padStart(22)}   ${(pi / pd).toFixed(2).padStart(14)}x`,
    );
  }
}

function fmtRate(perSecond: number): string {
  return `${(perSecond / 1e6).toFixed(2)}M msgs/s`;
}
