import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServerStartError } from './errors.js';
import { freePort } from '../helpers/ports.js';

export { freePort };

/** dist/test/bench/servers.js -> repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** How to launch one server on a given port. */
export interface ServerCommand {
  file: string;
  args: string[];
  cwd: string;
}

export type ServerLauncher = (port: number) => ServerCommand;

/** Server memory from /proc/<pid>/status, in KiB. */
export interface ServerMemory {
  rssKb: number;
  /** VmHWM: the highest RSS since the process started. */
  peakRssKb: number;
}

/** USER_HZ, the unit of utime/stime in /proc/<pid>/stat; 100 on every mainstream Linux architecture. */
const CLOCK_TICKS_PER_SECOND = 100;
const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 3_000;
const OUTPUT_TAIL_BYTES = 4096;

/** The nats-server binary: $NATS_SERVER_BIN, else the Debian locations, else the first on PATH. */
export function findNatsServer(): string {
  const fromEnv = process.env.NATS_SERVER_BIN;
  const pathDirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  const candidates = [
    ...(fromEnv === undefined ? [] : [fromEnv]),
    '/usr/bin/nats-server',
    '/usr/sbin/nats-server',
    ...pathDirs.map((dir) => join(dir, 'nats-server')),
  ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  throw new ServerStartError('nats-server not found (set NATS_SERVER_BIN or install it in /usr/bin)');
}

export function natsServerLauncher(binary: string = findNatsServer()): ServerLauncher {
  return (port) => ({ file: binary, args: ['-a', '127.0.0.1', '-p', String(port)], cwd: REPO_ROOT });
}

export function leafgateLauncher(): ServerLauncher {
  return (port) => ({
    file: process.execPath,
    args: ['dist/bin/leafgate.js', '-a', '127.0.0.1', '-p', String(port)],
    cwd: REPO_ROOT,
  });
}

/** leafgate's `jetstream { sync_interval }`: `always` (its default) or a duration such as `2m`. */
export type SyncSetting = 'always' | '2m';

/**
 * The same server with JetStream on, storing in `storeDir`. leafgate gets `sync_interval` from a
 * config file written there (the flag does not exist); nats-server always runs at its own default.
 */
export function withJetStream(launcher: ServerLauncher, storeDir: string, leafgateSync: SyncSetting | null): ServerLauncher {
  const config = leafgateSync === null ? [] : ['-c', jetStreamConfigFile(storeDir, leafgateSync)];
  return (port) => {
    const command = launcher(port);
    return { ...command, args: [...command.args, '-js', '-sd', storeDir, ...config] };
  };
}

function jetStreamConfigFile(storeDir: string, sync: SyncSetting): string {
  const file = join(storeDir, 'leafgate-bench.conf');
  writeFileSync(file, `jetstream { sync_interval: "${sync}" }\n`);
  return file;
}

export function commandLine(command: ServerCommand): string {
  return [command.file, ...command.args].join(' ');
}

/** A port that was free a moment ago on 127.0.0.1. */
/** Resolves when something on the port greets with INFO, rejects otherwise. */
function probeForInfo(port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => finish(new Error('no INFO in time')), timeoutMs);
    let seen = '';
    const finish = (error: Error | null) => {
      clearTimeout(timer);
      socket.destroy();
      if (error === null) resolve();
      else reject(error);
    };
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (seen.length >= 5) finish(seen.startsWith('INFO ') ? null : new Error(`unexpected greeting ${JSON.stringify(seen.slice(0, 40))}`));
    });
    socket.on('error', finish);
    socket.on('close', () => finish(new Error('closed before INFO')));
  });
}

/** Every server this process started and has not yet seen exit, so an abort can still kill them. */
const running = new Set<ServerProcess>();

/** Last resort on exit or signal: SIGKILL whatever is still running (synchronous). */
export function killAllServers(): void {
  for (const server of running) server.kill();
}

/** A broker started as a child process, stopped by its PID. */
export class ServerProcess {
  readonly label: string;
  readonly port: number;
  readonly pid: number;
  readonly commandLine: string;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private exitCode: number | string | null;
  private output: string;

  private constructor(label: string, port: number, command: ServerCommand, child: ChildProcess) {
    this.label = label;
    this.port = port;
    this.pid = child.pid ?? -1;
    this.commandLine = commandLine(command);
    this.child = child;
    this.exitCode = null;
    this.output = '';
    const keepTail = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
    };
    child.stdout?.on('data', keepTail);
    child.stderr?.on('data', keepTail);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? signal ?? 'unknown';
        running.delete(this);
        resolve();
      });
      child.once('error', (error) => {
        this.output += `\n${error.message}`;
        this.exitCode = this.exitCode ?? 'spawn error';
        running.delete(this);
        resolve();
      });
    });
    running.add(this);
  }

  /** Starts the server on a free port and resolves once it greets a client with INFO. */
  static async start(label: string, launcher: ServerLauncher): Promise<ServerProcess> {
    const server = await ServerProcess.launch(label, launcher);
    const port = server.port;
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (server.exitCode !== null) {
        throw new ServerStartError(`${label} exited (${server.exitCode}) before listening: ${server.commandLine}\n${server.output.trim()}`);
      }
      try {
        await probeForInfo(port, 1000);
        return server;
      } catch {
        if (Date.now() > deadline) {
          await server.stop();
          throw new ServerStartError(`${label} did not answer on port ${port} within ${START_TIMEOUT_MS} ms: ${server.commandLine}\n${server.output.trim()}`);
        }
        await sleep(50);
      }
    }
  }

  /** Spawns the server on a free port and returns at once, before it listens. */
  static async launch(label: string, launcher: ServerLauncher): Promise<ServerProcess> {
    const port = await freePort();
    const command = launcher(port);
    const child = spawn(command.file, command.args, { cwd: command.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    return new ServerProcess(label, port, command, child);
  }

  get alive(): boolean {
    return this.exitCode === null;
  }

  /** Exit code or signal once it has exited, null while it runs. */
  get exitStatus(): number | string | null {
    return this.exitCode;
  }

  /** The last few KiB the server wrote to stdout/stderr, for error reports. */
  get recentOutput(): string {
    return this.output.trim();
  }

  memory(): ServerMemory {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return { rssKb: statusField(status, 'VmRSS'), peakRssKb: statusField(status, 'VmHWM') };
  }

  /** Bytes the server has caused to be written to storage (/proc/<pid>/io write_bytes). */
  writeBytes(): number {
    return processWriteBytes(this.pid);
  }

  /** User + system CPU time the server has used since it started. */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may contain spaces); utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  }

  /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
  async stop(): Promise<void> {
    if (this.exitCode !== null) return;
    this.child.kill('SIGTERM');
    const graceful = await Promise.race([this.exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
    if (!graceful) {
      this.kill();
      await this.exited;
    }
  }

  kill(): void {
    if (this.exitCode === null) this.child.kill('SIGKILL');
  }
}

/**
 * write_bytes of /proc/<pid>/io: bytes the process sent (or dirtied in the page cache for) the block
 * layer, its threads included. A page dirtied again before writeback counts once.
 */
export function processWriteBytes(pid: number): number {
  const match = /^write_bytes:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
  return match === null ? Number.NaN : Number(match[1]);
}

function statusField(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match === null ? Number.NaN : Number(match[1]);
}
