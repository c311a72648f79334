// MQTT throughput, side by side on one load generator: leafgate's MQTT listener, nats-server's,
// mosquitto's and aedes'. QoS 0: one publisher -> one subscriber, 16 B, delivered msgs/s (issue figure: >= 2x
// mosquitto). QoS 1 end to end: the publisher keeps 256 PUBLISHes unacknowledged, the subscriber
// (QoS 1) acknowledges each delivery; msgs/s acknowledged to the publisher, leafgate at its default
// sync_interval (always) (figures: >= 1.0x nats-server's MQTT and aedes'). The clients are raw sockets with
// pre-encoded packets and a byte-level reader, so the generator costs every broker the same.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hrtime } from 'node:process';
import { fileURLToPath } from 'node:url';

import mqttPacket from 'mqtt-packet';

import { freePort, waitForPort } from '../helpers/ports.js';
import { REPO_ROOT } from '../helpers/processes.js';
import { leafgateLauncher, natsServerLauncher, ServerProcess } from './servers.js';
import type { ServerLauncher } from './servers.js';
import { median } from './stats.js';

const PAYLOAD = Buffer.alloc(16, 'x');
const TOPIC = 'bench/t';
const PER_BATCH = 2048;
const WINDOW = 256;
/** A run that stops receiving for this long is over (a broker may drop QoS 0 messages). */
const STALL_MS = 3000;

interface Broker {
  readonly label: string;
  readonly mqttPort: number;
  readonly server: ServerProcess;
  stop(): Promise<void>;
}

const IDLE_CONNECTIONS = 5000;

/** RSS per idle MQTT connection: the server's RSS with `n` connected clients (keepalive 0) less its RSS before. */
async function idleConnections(b: Broker, n: number): Promise<number> {
  const before = b.server.memory().rssKb;
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < n; i += 250) {
      const batch = await Promise.all(Array.from({ length: Math.min(250, n - i) }, (_, k) => rawClient(b.mqttPort, `idle-${i + k}`, () => {})));
      sockets.push(...batch);
    }
    await new Promise((r) => setTimeout(r, 500));
    return ((b.server.memory().rssKb - before) * 1024) / n;
  } finally {
    for (const s of sockets) s.destroy();
  }
}

/** A raw MQTT 3.1.1 client: CONNECT, wait for CONNACK; `onPacket` sees every later packet's type byte and body. */
export function rawClient(port: number, clientId: string, onPacket: (type: number, body: Buffer, socket: Socket) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    socket.once('error', reject);
    let pending: Buffer = Buffer.alloc(0);
    let connected = false;
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let pos = 0;
      for (;;) {
        if (pending.length - pos < 2) break;
        let len = 0;
        let mul = 1;
        let i = pos + 1;
        let complete = false;
        for (; i < pending.length && i < pos + 5; i++) {
          len += (pending[i] & 0x7f) * mul;
          mul *= 128;
          if ((pending[i] & 0x80) === 0) {
            complete = true;
            break;
          }
        }
        if (!complete || pending.length < i + 1 + len) break;
        const type = pending[pos];
        const body = pending.subarray(i + 1, i + 1 + len);
        pos = i + 1 + len;
        if (!connected && type >> 4 === 2) {
          connected = true;
          resolve(socket);
        } else onPacket(type, body, socket);
      }
      pending = pending.subarray(pos);
    });
    socket.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId, clean: true, keepalive: 0 }));
  });
}

export function write(socket: Socket, data: Buffer): Promise<void> {
  return socket.write(data) ? Promise.resolve() : new Promise((r) => socket.once('drain', () => r()));
}

/** Subscribes at `qos`; resolves at SUBACK. Deliveries go to `onPublish` (QoS 1 ones are acknowledged). */
async function subscriber(port: number, qos: 0 | 1, onPublish: () => void): Promise<Socket> {
  let subacked: () => void = () => {};
  const ready = new Promise<void>((r) => (subacked = r));
  const socket = await rawClient(port, `bench-sub-${qos}-${process.hrtime.bigint()}`, (type, body, s) => {
    const kind = type >> 4;
    if (kind === 9) return subacked();
    if (kind !== 3) return;
    if (((type >> 1) & 3) > 0) {
      const topicLen = body.readUInt16BE(0);
      s.write(Buffer.from([0x40, 2, body[2 + topicLen], body[3 + topicLen]]));
    }
    onPublish();
  });
  socket.write(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: TOPIC, qos }] }));
  await ready;
  return socket;
}

/** QoS 0: delivered msgs/s of `count` publishes (what arrives; a broker that drops is reported by its count). */
async function qos0(port: number, count: number): Promise<{ rate: number; delivered: number }> {
  let received = 0;
  let last = hrtime.bigint();
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const sub = await subscriber(port, 0, () => {
    received++;
    last = hrtime.bigint();
    if (received >= count) done();
  });
  const pub = await rawClient(port, `bench-pub-${process.hrtime.bigint()}`, () => {});
  const one = mqttPacket.generate({ cmd: 'publish', topic: TOPIC, payload: PAYLOAD, qos: 0, retain: false, dup: false });
  const batch = Buffer.concat(Array<Buffer>(PER_BATCH).fill(one));
  const start = hrtime.bigint();
  for (let sent = 0; sent < count; sent += PER_BATCH) {
    const n = Math.min(PER_BATCH, count - sent);
    await write(pub, n === PER_BATCH ? batch : batch.subarray(0, n * one.length));
  }
  const watch = setInterval(() => {
    if (Number(hrtime.bigint() - last) / 1e6 > STALL_MS) done();
  }, 250);
  await finished;
  clearInterval(watch);
  sub.destroy();
  pub.destroy();
  return { rate: received / (Number(last - start) / 1e9), delivered: received };
}

/** QoS 1 end to end with WINDOW publishes in flight: msgs/s acknowledged to the publisher. */
async function qos1(port: number, count: number): Promise<number> {
  const sub = await subscriber(port, 1, () => {});
  let acked = 0;
  let sent = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const packets = Array.from({ length: 65535 }, (_, i) => mqttPacket.generate({ cmd: 'publish', topic: TOPIC, payload: PAYLOAD, qos: 1, retain: false, dup: false, messageId: i + 1 }));
  const sendSome = (s: Socket, n: number): void => {
    const out: Buffer[] = [];
    for (let k = 0; k < n && sent < count; k++) out.push(packets[sent++ % 65535]);
    if (out.length > 0) s.write(out.length === 1 ? out[0] : Buffer.concat(out));
  };
  const pub = await rawClient(port, `bench-pub1-${process.hrtime.bigint()}`, (type, _body, s) => {
    if (type >> 4 !== 4) return;
    acked++;
    if (acked >= count) return done();
    sendSome(s, 1);
  });
  const start = hrtime.bigint();
  sendSome(pub, WINDOW);
  await finished;
  const seconds = Number(hrtime.bigint() - start) / 1e9;
  sub.destroy();
  pub.destroy();
  return count / seconds;
}

async function startNatsLike(label: string, launcher: ServerLauncher, mqttPort: number, conf: string): Promise<Broker> {
  const server = await ServerProcess.start(label, (port) => {
    const command = launcher(port);
    return { ...command, args: [...command.args, '-c', conf] };
  });
  await waitForPort(mqttPort);
  return { label, mqttPort, server, stop: () => server.stop() };
}

async function startMosquitto(dir: string): Promise<Broker> {
  const mqttPort = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${mqttPort} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n`);
  const server = await ServerProcess.launch('mosquitto', () => ({ file: '/usr/sbin/mosquitto', args: ['-c', conf], cwd: dir }));
  await waitForPort(mqttPort);
  return { label: 'mosquitto', mqttPort, server, stop: () => server.stop() };
}

async function startAedes(): Promise<Broker> {
  const mqttPort = await freePort();
  const script = fileURLToPath(new URL('./aedes-server.js', import.meta.url));
  const server = await ServerProcess.launch('aedes', () => ({ file: process.execPath, args: [script, String(mqttPort)], cwd: REPO_ROOT }));
  await waitForPort(mqttPort);
  return { label: 'aedes', mqttPort, server, stop: () => server.stop() };
}

export async function runMqttBench(natsBinary: string, quick: boolean, log: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'leafgate-bench-mqtt-'));
  const brokers: Broker[] = [];
  try {
    for (const [label, launcher] of [['leafgate', leafgateLauncher()], ['nats-server', natsServerLauncher(natsBinary)]] as const) {
      const mqttPort = await freePort();
      const conf = join(dir, `${label}.conf`);
      writeFileSync(conf, `server_name: bench_${label.replace('-', '_')}\njetstream { store_dir: "${join(dir, label)}" }\nmqtt { host: 127.0.0.1, port: ${mqttPort} }\n`);
      brokers.push(await startNatsLike(label, launcher, mqttPort, conf));
    }
    brokers.push(await startMosquitto(dir));
    brokers.push(await startAedes());
    const rounds = quick ? 3 : 5;
    const msgs0 = quick ? 200_000 : 1_000_000;
    const msgs1 = quick ? 20_000 : 100_000;
    const rates0 = new Map<string, number[]>(brokers.map((b) => [b.label, []]));
    const lost = new Map<string, number>(brokers.map((b) => [b.label, 0]));
    const rates1 = new Map<string, number[]>(brokers.map((b) => [b.label, []]));
    for (const b of brokers) {
      await qos0(b.mqttPort, msgs0 / 10);
      await qos1(b.mqttPort, msgs1 / 10);
    }
    for (let round = 0; round < rounds; round++) {
      for (const b of round % 2 === 0 ? brokers : [...brokers].reverse()) {
        const r = await qos0(b.mqttPort, msgs0);
        (rates0.get(b.label) as number[]).push(r.rate);
        lost.set(b.label, (lost.get(b.label) as number) + msgs0 - r.delivered);
        (rates1.get(b.label) as number[]).push(await qos1(b.mqttPort, msgs1));
      }
    }
    const idle = new Map<string, number>();
    for (const b of brokers) idle.set(b.label, await idleConnections(b, IDLE_CONNECTIONS));
    const m0 = new Map([...rates0].map(([k, v]) => [k, median(v)]));
    const m1 = new Map([...rates1].map(([k, v]) => [k, median(v)]));
    log(`MQTT 3.1.1, 1 publisher -> 1 subscriber, 16 B, medians of ${rounds} rounds (leafgate at sync_interval always)`);
    log(`broker        QoS 0 delivered    vs mosquitto  lost    QoS 1 end to end (256 in flight)  vs nats-server  vs aedes   RSS per idle connection (${IDLE_CONNECTIONS.toLocaleString('en-US')})`);
    for (const b of brokers) {
      const q0 = m0.get(b.label) as number;
      const q1 = m1.get(b.label) as number;
      log(
        `${b.label.padEnd(12)}  ${`${(q0 / 1e3).toFixed(0)}k msgs/s`.padStart(15)}   ${(q0 / (m0.get('mosquitto') as number)).toFixed(2).padStart(9)}x  ${String(lost.get(b.label)).padStart(5)}   ${`${(q1 / 1e3).toFixed(1)}k msgs/s`.padStart(15)}                   ${(q1 / (m1.get('nats-server') as number)).toFixed(2).padStart(9)}x  ${(q1 / (m1.get('aedes') as number)).toFixed(2).padStart(7)}x   ${`${((idle.get(b.label) as number) / 1024).toFixed(1)} KiB`.padStart(10)}`,
      );
    }
  } finally {
    await Promise.all(brokers.map((b) => b.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}
