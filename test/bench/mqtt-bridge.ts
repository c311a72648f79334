// The MQTT bridge's drain: leafgate holds 100k QoS 1 messages (16 B) in a bridge's outbox while the
// remote mosquitto is down, then mosquitto comes up; msgs/s is the outbox emptied (every message
// PUBACKed by mosquitto) from the moment the bridge is connected, as /varz shows it. A subscriber on
// mosquitto counts what it was given, so a drain that loses messages says so; the bridge waits at least
// half a second before it reconnects, so that subscriber is in place before the first message. mosquitto runs with its
// default receive maximum (20 in flight), then with 256.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import mqttPacket from 'mqtt-packet';

import { freePort, waitForPort } from '../helpers/ports.js';
import { rawClient, write } from './mqtt.js';
import { leafgateLauncher, ServerProcess } from './servers.js';
import { median } from './stats.js';

const PAYLOAD = Buffer.alloc(16, 'x');

interface BridgeVarz {
  connected: boolean;
  backlog_msgs: number;
  out_msgs: number;
}

async function bridgeVarz(httpPort: number): Promise<BridgeVarz> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/varz`);
  return ((await res.json()) as { mqtt: { bridges: BridgeVarz[] } }).mqtt.bridges[0];
}

async function until(httpPort: number, ok: (b: BridgeVarz) => boolean, timeoutMs: number): Promise<BridgeVarz> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const b = await bridgeVarz(httpPort);
    if (ok(b)) return b;
    if (Date.now() > deadline) throw new Error(`bridge state not reached: ${JSON.stringify(b)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Publishes `count` NATS messages on drain.<n % 8> over one raw connection, then waits for the PONG. */
async function publish(natsPort: number, count: number): Promise<void> {
  const socket = connect({ host: '127.0.0.1', port: natsPort });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const pong = new Promise<void>((resolve) => {
    let seen = '';
    socket.on('data', (d: Buffer) => {
      seen += d.toString('latin1');
      if (seen.includes('PONG')) resolve();
    });
  });
  await write(socket, Buffer.from('CONNECT {"verbose":false}\r\n'));
  const frames = Array.from({ length: 8 }, (_, i) => Buffer.concat([Buffer.from(`PUB drain.${i} 16\r\n`), PAYLOAD, Buffer.from('\r\n')]));
  for (let i = 0; i < count; i += 1000) {
    const batch: Buffer[] = [];
    for (let k = i; k < Math.min(count, i + 1000); k++) batch.push(frames[k % 8]);
    await write(socket, Buffer.concat(batch));
  }
  await write(socket, Buffer.from('PING\r\n'));
  await pong;
  socket.destroy();
}

/** `remoteInflight`: mosquitto's max_inflight_messages, the receive maximum it tells the bridge (its default is 20). */
async function drainOnce(dir: string, round: number, count: number, remoteInflight: number): Promise<{ rate: number; received: number }> {
  const remotePort = await freePort();
  const httpPort = await freePort();
  const conf = join(dir, `leafgate-${round}.conf`);
  writeFileSync(
    conf,
    `jetstream { store_dir: "${join(dir, `store-${round}`)}" }\n` +
      `mqtt { host: 127.0.0.1, port: -1, bridges: [ { name: drain, url: "mqtt://127.0.0.1:${remotePort}", out: [ { local: "drain.>", qos: 1 } ], reconnect_delay: "1s", max_reconnect_delay: "1s" } ] }\n`,
  );
  const base = leafgateLauncher();
  const leafgate = await ServerProcess.start('leafgate', (port) => {
    const command = base(port);
    return { ...command, args: [...command.args, '-c', conf, '-m', String(httpPort)] };
  });
  let mosquitto: ServerProcess | null = null;
  try {
    await waitForPort(httpPort);
    await publish(leafgate.port, count);
    await until(httpPort, (b) => b.backlog_msgs === count, 120_000);
    const mconf = join(dir, `mosquitto-${round}.conf`);
    writeFileSync(mconf, `listener ${remotePort} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages ${remoteInflight}\n`);
    mosquitto = await ServerProcess.launch('mosquitto', () => ({ file: '/usr/sbin/mosquitto', args: ['-c', mconf], cwd: dir }));
    await waitForPort(remotePort);
    let received = 0;
    let subacked: () => void = () => {};
    const ready = new Promise<void>((r) => (subacked = r));
    const sub = await rawClient(remotePort, 'drain-sub', (type, body, s) => {
      const kind = type >> 4;
      if (kind === 9) return subacked();
      if (kind !== 3) return;
      const topicLen = body.readUInt16BE(0);
      s.write(Buffer.from([0x40, 2, body[2 + topicLen], body[3 + topicLen]]));
      received++;
    });
    sub.write(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'drain/#', qos: 1 }] }));
    await ready;
    await until(httpPort, (b) => b.connected || b.backlog_msgs < count, 10_000);
    const start = process.hrtime.bigint();
    await until(httpPort, (b) => b.backlog_msgs === 0, 300_000);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const deadline = Date.now() + 5000;
    while (received < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    sub.destroy();
    return { rate: count / seconds, received };
  } finally {
    await leafgate.stop();
    await mosquitto?.stop();
  }
}

export async function runBridgeDrainBench(quick: boolean, log: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'leafgate-bench-bridge-'));
  const count = 100_000;
  const rounds = quick ? 1 : 3;
  try {
    log(`MQTT bridge: ${count.toLocaleString('en-US')}-message outbox (QoS 1, 16 B) drained into mosquitto, median of ${rounds}`);
    for (const remoteInflight of [20, 256]) {
      const rates: number[] = [];
      let fewest = count;
      for (let round = 0; round < rounds; round++) {
        const r = await drainOnce(dir, rates.length + remoteInflight, count, remoteInflight);
        rates.push(r.rate);
        fewest = Math.min(fewest, r.received);
      }
      const setting = remoteInflight === 20 ? 'mosquitto defaults (receive maximum 20)' : `max_inflight_messages ${remoteInflight}`;
      log(`  ${setting.padEnd(40)} ${(median(rates) / 1e3).toFixed(1)}k msgs/s; its subscriber got at least ${fewest.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} in every round`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
