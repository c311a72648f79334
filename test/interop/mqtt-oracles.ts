// The MQTT brokers an interop test compares: leafgate (the real bin), mosquitto and nats-server 2.9.10,
// each with an MQTT listener on a loopback port of its own, stopped by PID.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLeafgate, startNatsServer } from '../helpers/processes.js';
import { freePort, listensOn } from '../helpers/ports.js';

export type BrokerName = 'leafgate' | 'mosquitto' | 'natsServer';

export interface MqttBroker {
  readonly name: BrokerName;
  readonly mqttPort: number;
  /** `mqtt://127.0.0.1:<mqttPort>` */
  readonly url: string;
  /** The NATS client port; 0 for mosquitto. */
  readonly natsPort: number;
  output(): string;
  stop(): Promise<void>;
}

export const MOSQUITTO = '/usr/sbin/mosquitto';

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Both NATS servers pick the MQTT port themselves (`port: -1`) and log it; the line may trail the client listener. */
async function loggedMqttPort(output: () => string, name: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const m = /Listening for MQTT clients on \w+:\/\/[^\s]*:(\d+)/.exec(output());
    if (m !== null) return Number(m[1]);
    if (Date.now() > deadline) throw new Error(`${name} logged no MQTT listener:\n${output()}`);
    await sleep(25);
  }
}

/**
 * leafgate or nats-server with `extra` (.conf text) plus JetStream in a private folder and an MQTT
 * listener on a free loopback port. nats-server 2.9.10 always needs `server_name` for MQTT.
 */
async function startNatsFamily(name: 'leafgate' | 'natsServer', extra: string): Promise<MqttBroker> {
  const dir = tempDir(`leafgate-mqtt-${name}-`);
  const conf = path.join(dir, 'server.conf');
  const serverName = name === 'natsServer' ? 'server_name: mqtt_oracle\n' : '';
  fs.writeFileSync(conf, `${serverName}jetstream { store_dir: ${JSON.stringify(path.join(dir, 'store'))} }\nmqtt { host: 127.0.0.1, port: -1 }\n${extra}\n`);
  const start = name === 'leafgate' ? startLeafgate : startNatsServer;
  let proc;
  try {
    proc = await start({ args: ['-c', conf] });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const p = proc;
  const stop = async (): Promise<void> => {
    await p.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const mqttPort = await loggedMqttPort(p.output, name);
    return { name, mqttPort, url: `mqtt://127.0.0.1:${mqttPort}`, natsPort: p.port, output: p.output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export function startLeafgateMqtt(extra = ''): Promise<MqttBroker> {
  return startNatsFamily('leafgate', extra);
}

export function startNatsServerMqtt(extra = ''): Promise<MqttBroker> {
  return startNatsFamily('natsServer', extra);
}

/** Whether mosquitto_passwd exists to make a password file. */
export function hasMosquittoPasswd(): boolean {
  return spawnSync('mosquitto_passwd', ['-h'], { stdio: 'ignore' }).error === undefined;
}

export interface MosquittoOptions {
  readonly users?: Record<string, string>;
  /** A port of its own (a broker brought back where it was); default a free one. */
  readonly port?: number;
  /** Its folder, kept when it stops (a broker brought back with its persistence file); default a fresh one, removed. */
  readonly dir?: string;
  /** More mosquitto.conf lines, after the listener's. */
  readonly extra?: readonly string[];
}

export interface MosquittoBroker extends MqttBroker {
  /** Stops it with `signal` (SIGKILL: no goodbye to anyone, nothing saved). */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * mosquitto on a loopback port, anonymous clients allowed unless `users` is given (then a password
 * file made with mosquitto_passwd), nothing persisted to disk unless `extra` says so.
 */
export async function startMosquitto(opts: MosquittoOptions = {}): Promise<MosquittoBroker> {
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? tempDir('leafgate-mqtt-mosquitto-');
  // Started as root, mosquitto would switch to the `mosquitto` user, who cannot read this private folder.
  const user = process.getuid?.() === 0 ? ['user root'] : [];
  const lines: string[] = [...user, ...(opts.extra ?? ['persistence false']), 'log_dest stderr', 'log_type error', 'log_type warning', 'log_type notice', 'log_type information'];
  if (opts.users !== undefined) {
    const file = path.join(dir, 'passwd');
    for (const [i, [user, pass]] of Object.entries(opts.users).entries()) {
      const r = spawnSync('mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', file, user, pass], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr}`);
    }
    lines.push(`password_file ${file}`, 'allow_anonymous false');
  } else {
    lines.push('allow_anonymous true');
  }
  // mosquitto has no "any port": a free one is chosen, and again when another process took it meanwhile.
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    const conf = path.join(dir, 'mosquitto.conf');
    fs.writeFileSync(conf, [`listener ${port} 127.0.0.1`, ...lines, ''].join('\n'));
    const proc = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exit = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
    const stopProc = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill(signal);
        const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exit;
        clearTimeout(t);
      }
    };
    const deadline = Date.now() + 10_000;
    let ready = false;
    while (Date.now() < deadline && proc.exitCode === null && proc.signalCode === null) {
      if (listensOn(proc.pid ?? 0, port) && (await accepts(port))) {
        ready = true;
        break;
      }
      await sleep(25);
    }
    if (ready) {
      return {
        name: 'mosquitto',
        mqttPort: port,
        url: `mqtt://127.0.0.1:${port}`,
        natsPort: 0,
        output: () => out,
        stop: async () => {
          await stopProc();
          if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
        },
        kill: stopProc,
      };
    }
    await stopProc();
    if (!/Address already in use/i.test(out) || attempt === 5 || opts.port !== undefined) {
      if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`mosquitto did not listen on ${port}:\n${out}`);
    }
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Runs `observe` against each broker at once; the result is keyed by broker. */
export async function across<T>(brokers: readonly MqttBroker[], observe: (b: MqttBroker) => Promise<T>): Promise<Partial<Record<BrokerName, T>>> {
  const results = await Promise.all(brokers.map((b) => observe(b)));
  return Object.fromEntries(brokers.map((b, i) => [b.name, results[i]])) as Partial<Record<BrokerName, T>>;
}

/** What `across` should return when every broker observes `want`. */
export function alike<T>(brokers: readonly MqttBroker[], want: T): Partial<Record<BrokerName, T>> {
  return Object.fromEntries(brokers.map((b) => [b.name, want])) as Partial<Record<BrokerName, T>>;
}

/** A raw TCP exchange: writes `bytes`, collects what comes back until the peer closes or `ms` pass. */
export async function rawExchange(port: number, bytes: Buffer, ms = 1500): Promise<{ reply: string; closed: boolean }> {
  const socket = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  let closed = false;
  socket.on('data', (d: Buffer) => chunks.push(d));
  socket.on('error', () => undefined);
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  socket.write(bytes);
  await Promise.race([ended.then(() => (closed = true)), sleep(ms)]);
  socket.destroy();
  return { reply: Buffer.concat(chunks).toString('hex'), closed };
}
