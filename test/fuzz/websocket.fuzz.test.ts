// Bounded fuzzing of the WebSocket framing into a real leafgate: after a valid upgrade each
// connection sends frames made from valid ones (masked binary frames of NATS protocol) with random
// mutations (flipped bits, wrong lengths, unmasked, reserved bits and opcodes, truncation, junk). The
// server may close any of these connections, but must answer a fresh client at every step and after
// the run. Replay one run with FUZZ_SEED=<n>.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { connect } from '@nats-io/transport-node';

import { writeTempConf } from '../helpers/conf-file.js';
import type { TempConf } from '../helpers/conf-file.js';
import { freePort } from '../helpers/ports.js';
import { startLeafgate } from '../helpers/processes.js';
import type { ServerProcess } from '../helpers/processes.js';
import { fuzzSeed, Prng } from './prng.js';

const CONNECTIONS = 40;
const FRAMES_PER_CONNECTION = 12;

let server: ServerProcess;
let conf: TempConf;
let wsPort = 0;

before(async () => {
  wsPort = await freePort();
  conf = writeTempConf(`websocket { host: 127.0.0.1, port: ${wsPort}, no_tls: true, compression: true }\n`);
  server = await startLeafgate({ args: ['-c', conf.path] });
});

after(async () => {
  await server.stop();
  conf.remove();
});

const OPS = ['CONNECT {"verbose":false}\r\n', 'PING\r\n', 'SUB foo 1\r\n', 'PUB foo 5\r\nhello\r\n', 'UNSUB 1\r\n', 'PUB foo.bar 0\r\n\r\n'];

/** A client frame: FIN, opcode, masked with a random key (as clients must), payload length in its 7-, 16- or 64-bit form. */
function frame(payload: Buffer, opcode = 0x2, masked = true, fin = true): Buffer {
  const len = payload.length;
  const head = [((fin ? 0x80 : 0) | opcode) & 0xff];
  const maskBit = masked ? 0x80 : 0;
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 0xff);
  else head.push(maskBit | 127, 0, 0, 0, 0, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff);
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const key = crypto.randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ (key[i % 4] as number)));
  return Buffer.concat([Buffer.from(head), key, body]);
}

function mutated(p: Prng, valid: Buffer, payload: Buffer): Buffer {
  switch (p.int(8)) {
    case 0: {
      const b = Buffer.from(valid);
      const i = p.int(b.length);
      b[i] = (b[i] as number) ^ (1 << p.int(8));
      return b;
    }
    case 1:
      return valid.subarray(0, p.int(valid.length));
    case 2:
      return frame(payload, 0x2, false);
    case 3:
      return frame(payload, p.pick([0x3, 0x4, 0x5, 0xb, 0xf]));
    case 4: {
      const b = Buffer.from(valid);
      b[0] = (b[0] as number) | (0x10 << p.int(3));
      return b;
    }
    case 5:
      return frame(payload, 0x2, true, false);
    case 6:
      return p.bytes(1 + p.int(64));
    default:
      return frame(p.bytes(130 + p.int(200)), p.pick([0x8, 0x9, 0xa]));
  }
}

async function upgraded(): Promise<net.Socket> {
  const socket = net.connect(wsPort, '127.0.0.1');
  socket.on('error', () => {});
  const key = crypto.randomBytes(16).toString('base64');
  socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  await new Promise<void>((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('latin1');
      if (seen.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
    socket.once('close', () => resolve());
  });
  return socket;
}

async function stillServes(): Promise<boolean> {
  const nc = await connect({ servers: `127.0.0.1:${server.port}`, reconnect: false, timeout: 3000 });
  await nc.flush();
  await nc.close();
  return true;
}

test('mutated WebSocket frames never stop the server from serving other clients', async () => {
  const seed = fuzzSeed(4242);
  const p = new Prng(seed);
  for (let c = 0; c < CONNECTIONS; c++) {
    const socket = await upgraded();
    for (let f = 0; f < FRAMES_PER_CONNECTION && !socket.destroyed; f++) {
      const payload = Buffer.from(Array.from({ length: 1 + p.int(4) }, () => p.pick(OPS)).join(''), 'latin1');
      const valid = frame(payload);
      socket.write(p.chance(0.6) ? valid : mutated(p, valid, payload));
    }
    await sleep(5);
    socket.destroy();
    if (c % 10 === 9) assert.equal(await stillServes(), true, `seed ${seed}, after connection ${c}`);
  }
  assert.equal(await stillServes(), true, `seed ${seed}`);
  assert.equal(server.proc.exitCode, null, `seed ${seed}: the server is still running`);
});
