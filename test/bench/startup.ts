/**
 * Start-up cost: how long a server takes from spawn() until a client that keeps trying to connect
 * receives its INFO line ("ready"), and its RSS once it has settled idle. leafgate is measured
 * beside the floor (floor-server.js: node listening and writing INFO, nothing else) and
 * nats-server, in rounds that start every subject once, in an order reversed each round.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT, freePort, type ServerCommand } from './servers.js';

/** What a start-up subject's arguments may name; the placeholders below stand for them. */
export interface StartupPorts {
  client: number;
  http: number;
  storeDir: string;
}

const CLIENT_PORT = '<port>';
const HTTP_PORT = '<http-port>';
const STORE_DIR = '<dir>';

/** One way of starting a server, one row of the start-up table. */
export interface StartupSubject {
  key: string;
  label: string;
  file: string;
  /** With CLIENT_PORT, HTTP_PORT and STORE_DIR where the values go. */
  args: string[];
  /** The targets against the floor, for the rows they apply to. */
  target: StartupTarget | null;
}

export interface StartupTarget {
  /** Highest time-to-ready ratio subject/floor. */
  maxTimeRatio: number;
  /** Highest idle RSS above the floor's, MiB. */
  maxExtraRssMiB: number;
}

/** One start of one subject. */
export interface StartupSample {
  subject: string;
  round: number;
  readyMs: number | null;
  idleRssKb: number | null;
  error: string | null;
}

export const FLOOR_KEY = 'floor';

/** Idle RSS is read this long after ready, as the load scenarios read theirs. */
const SETTLE_MS = 300;
const START_TIMEOUT_MS = 15_000;
/** Pause between connection attempts: the resolution of the ready time, and the prober's CPU use. */
const RETRY_MS = 2;
const OUTPUT_TAIL_BYTES = 2048;

/** The aim for leafgate against the floor (item 10). */
export const LEAFGATE_TARGET: StartupTarget = { maxTimeRatio: 1.5, maxExtraRssMiB: 8 };

const LEAFGATE_MAIN = 'dist/bin/leafgate.js';
const FLOOR_SERVER = 'dist/test/bench/floor-server.js';

/** Floor, nats-server (when `natsBinary` is given) and leafgate as embedders and `npm start` start it. */
export function startupSubjects(natsBinary: string | null, withLeafgate: boolean): StartupSubject[] {
  const node = process.execPath;
  const subjects: StartupSubject[] = [
    { key: FLOOR_KEY, label: 'floor: node, listen + INFO', file: node, args: [FLOOR_SERVER, '-p', CLIENT_PORT], target: null },
  ];
  if (natsBinary !== null) {
    subjects.push({ key: 'nats', label: 'nats-server -p', file: natsBinary, args: ['-p', CLIENT_PORT], target: null });
  }
  if (withLeafgate) {
    subjects.push(
      { key: 'leafgate', label: 'leafgate -p', file: node, args: [LEAFGATE_MAIN, '-p', CLIENT_PORT], target: LEAFGATE_TARGET },
      {
        key: 'leafgate-m',
        label: 'leafgate -p -m',
        file: node,
        args: [LEAFGATE_MAIN, '-p', CLIENT_PORT, '-m', HTTP_PORT],
        target: null,
      },
      {
        key: 'leafgate-npm-start',
        label: 'leafgate -p -js -sd -m (npm start)',
        file: node,
        args: [LEAFGATE_MAIN, '-p', CLIENT_PORT, '-js', '-sd', STORE_DIR, '-m', HTTP_PORT],
        target: null,
      },
    );
  }
  return subjects;
}

/** The command that starts `subject` with these ports and directory. */
export function startupCommand(subject: StartupSubject, ports: StartupPorts): ServerCommand {
  const values: Record<string, string> = { [CLIENT_PORT]: String(ports.client), [HTTP_PORT]: String(ports.http), [STORE_DIR]: ports.storeDir };
  return { file: subject.file, args: subject.args.map((arg) => values[arg] ?? arg), cwd: REPO_ROOT };
}

/** Runs `rounds` rounds over the subjects; a subject that fails a start is recorded and the rest go on. */
export async function measureStartup(
  subjects: readonly StartupSubject[],
  rounds: number,
  progress: (round: readonly StartupSample[]) => void,
): Promise<StartupSample[]> {
  const storeDir = mkdtempSync(join(tmpdir(), 'leafgate-bench-startup-'));
  const samples: StartupSample[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? subjects : [...subjects].reverse();
      const started: StartupSample[] = [];
      for (const subject of order) started.push(await startOnce(subject, round, storeDir));
      samples.push(...started);
      progress(started);
    }
  } finally {
    rmSync(storeDir, { recursive: true, force: true });
  }
  return samples;
}

async function startOnce(subject: StartupSubject, round: number, storeDir: string): Promise<StartupSample> {
  const ports: StartupPorts = { client: await freePort(), http: await freePort(), storeDir };
  const command = startupCommand(subject, ports);
  let output = '';
  let exit: string | null = null;
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
  };
  const began = process.hrtime.bigint();
  const child = spawn(command.file, command.args, { cwd: command.cwd, env: serverEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = String(code ?? signal);
      resolve();
    });
    child.once('error', (error) => {
      exit = error.message;
      resolve();
    });
  });
  const sample: StartupSample = { subject: subject.key, round, readyMs: null, idleRssKb: null, error: null };
  try {
    const ready = await firstInfo(ports.client, () => exit);
    sample.readyMs = Number(ready - began) / 1e6;
    await sleep(SETTLE_MS);
    if (exit !== null) throw new Error(`exited (${exit}) after it was ready`);
    sample.idleRssKb = vmRssKb(child.pid ?? -1);
  } catch (error) {
    sample.error = `${(error as Error).message}: ${[command.file, ...command.args].join(' ')}\n${output.trim()}`;
  } finally {
    if (exit === null) child.kill('SIGKILL');
    await exited;
  }
  return sample;
}

/** This process's environment, less the test runner's mark (the floor server stays inert under it). */
function serverEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/** Keeps connecting until a connection greets with INFO; resolves with the hrtime it arrived. */
async function firstInfo(port: number, exitStatus: () => string | null): Promise<bigint> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const arrived = await tryForInfo(port, deadline);
    if (arrived !== null) return arrived;
    const exit = exitStatus();
    if (exit !== null) throw new Error(`exited (${exit}) before it was ready`);
    if (Date.now() > deadline) throw new Error(`no INFO on port ${port} within ${START_TIMEOUT_MS} ms`);
    await sleep(RETRY_MS);
  }
}

/** One connection attempt: the hrtime INFO arrived, or null when refused or closed without INFO. */
function tryForInfo(port: number, deadline: number): Promise<bigint | null> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => finish(null), Math.max(0, deadline - Date.now()));
    let seen = '';
    const finish = (arrived: bigint | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(arrived);
    };
    socket.on('data', (chunk: Buffer) => {
      const at = process.hrtime.bigint();
      seen += chunk.toString('latin1');
      if (seen.length >= 5) finish(seen.startsWith('INFO ') ? at : null);
    });
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
  });
}

function vmRssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}
