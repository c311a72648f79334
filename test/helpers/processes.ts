// Starts leafgate (as the real bin) and the real nats-server as child processes on loopback ports,
// and stops them by PID.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { REPO_ROOT, findNatsServer } from '../bench/servers.js';
import { freePort, listensOn, waitForPort } from './ports.js';

export { REPO_ROOT, findNatsServer };

export const LEAFGATE_MAIN = path.join(REPO_ROOT, 'dist/bin/leafgate.js');

export interface ServerProcess {
  readonly name: 'leafgate' | 'nats-server';
  readonly port: number;
  /** The monitoring port when started with `monitor`; 0 otherwise. */
  readonly httpPort: number;
  readonly pid: number;
  readonly proc: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited(): Promise<number | string>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra arguments after `-a 127.0.0.1 -p <port>`. */
  readonly args?: readonly string[];
  /** Skip adding -p (when the args or a config file set the port). */
  readonly port?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** leafgate only: run this executable (a link to the bin) instead of `node dist/bin/leafgate.js`. */
  readonly executable?: string;
  /** Also monitoring (`-m`) on a free port of its own, chosen again with the client port when taken. */
  readonly monitor?: boolean;
}

function startProcess(name: ServerProcess['name'], cmd: string, baseArgs: string[], opts: StartOptions, port: number, httpPort: number): ServerProcess {
  const proc = spawn(cmd, [...baseArgs, ...(opts.args ?? [])], { cwd: opts.cwd ?? REPO_ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    name,
    port,
    httpPort,
    pid: proc.pid ?? 0,
    proc,
    output: () => out,
    exited: () => exit,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(t);
    },
  };
}

/** Thrown when another process listens on the port the server was given: the caller tries another. */
class PortTakenError extends Error {}

async function started(p: ServerProcess): Promise<ServerProcess> {
  const exitedEarly = p.exited().then((code) => {
    const taken = /address already in use|EADDRINUSE/i.test(p.output());
    throw taken ? new PortTakenError(`port ${p.port} taken`) : new Error(`${p.name} exited (${code}) before listening:\n${p.output()}`);
  });
  const listening = async (): Promise<void> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      await waitForPort(p.port);
      // Exited meanwhile: exitedEarly tells why.
      if (p.proc.exitCode !== null || p.proc.signalCode !== null || listensOn(p.pid, p.port)) return;
      if (Date.now() > deadline) throw new Error(`${p.name} never listened on ${p.port}, which another process holds:\n${p.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const listened = listening();
  // Whichever loses the race is settled later, and handled.
  listened.catch(() => undefined);
  try {
    await Promise.race([listened, exitedEarly]);
  } catch (err) {
    await p.stop();
    throw err;
  }
  exitedEarly.catch(() => undefined);
  return p;
}

/** Starts on free ports of its own; ports another test's server took meanwhile are chosen again. */
async function startOnFreePort(opts: StartOptions, start: (port: number, address: string[], httpPort: number) => ServerProcess): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    const httpPort = opts.monitor === true ? await freePort() : 0;
    const monitor = httpPort === 0 ? [] : ['-m', String(httpPort)];
    const port = opts.port ?? (await freePort());
    const address = opts.port === undefined ? ['-a', '127.0.0.1', '-p', String(port)] : [];
    try {
      return await started(start(port, [...address, ...monitor], httpPort));
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt === 5) throw err;
    }
  }
}

export function startLeafgate(opts: StartOptions = {}): Promise<ServerProcess> {
  const [cmd, main] = opts.executable !== undefined ? [opts.executable, []] : [process.execPath, [LEAFGATE_MAIN]];
  return startOnFreePort(opts, (port, address, httpPort) => startProcess('leafgate', cmd, [...main, ...address], opts, port, httpPort));
}

export function startNatsServer(opts: StartOptions = {}): Promise<ServerProcess> {
  return startOnFreePort(opts, (port, address, httpPort) => startProcess('nats-server', findNatsServer(), address, opts, port, httpPort));
}

/** Runs the leafgate bin to completion (for flag errors, --help, -t, --signal). */
export function runLeafgate(args: readonly string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [LEAFGATE_MAIN, ...args], { cwd: opts.cwd ?? REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`leafgate ${args.join(' ')} did not exit:\n${stdout}${stderr}`));
    }, opts.timeoutMs ?? 10000);
    proc.once('exit', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * kill -9 `first`, a leafgate started with `args`, then a leafgate with the same arguments over the
 * same store, stopped when `t` ends. `first` should be stopped when `t` ends too (a test failing
 * before the kill would leave it running): stop() of a killed server returns at once.
 */
export async function restartAfterKill(t: TestContext, first: ServerProcess, args: readonly string[]): Promise<ServerProcess> {
  first.proc.kill('SIGKILL');
  await first.exited();
  const second = await startLeafgate({ args });
  t.after(() => second.stop());
  return second;
}
