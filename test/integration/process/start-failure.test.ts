// A listener that cannot bind ends the process at once with exit code 1 and nats-server's [FTL] line, after
// closing whatever it had opened, so a supervisor (systemd, Docker) sees the failure and restarts it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import type { TestContext } from 'node:test';
import { freePort } from '../../helpers/ports.js';
import { findNatsServer, runLeafgate } from '../../helpers/processes.js';
import { tempDir } from '../../helpers/temp-dir.js';

/** Holds a loopback port for the rest of the test. */
async function takePort(t: TestContext): Promise<number> {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => holder.close(() => resolve())));
  return (holder.address() as net.AddressInfo).port;
}

/** True when nothing accepts connections on the loopback port. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** The [FTL] line's text, without the pid and time prefix. */
function fatalLine(output: string): string {
  const line = output.split('\n').find((l) => l.includes('[FTL] '));
  assert.ok(line !== undefined, `a [FTL] line in:\n${output}`);
  return line.slice(line.indexOf('[FTL] '));
}

/** Runs nats-server with the same arguments to completion; its stderr. */
function runNatsServer(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(findNatsServer(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const t = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`nats-server ${args.join(' ')} did not exit:\n${output}`));
    }, 10000);
    proc.once('exit', (code) => {
      clearTimeout(t);
      resolve({ code, output });
    });
  });
}

test('client port taken, monitoring on: exit 1 with nats-server FTL line, monitoring port and pid file released', async (t) => {
  const tmp = tempDir(t);
  const taken = await takePort(t);
  const http = await freePort();
  const pidFile = tmp.path('leafgate.pid');
  const r = await runLeafgate(['-a', '127.0.0.1', '-p', String(taken), '-m', String(http), '-P', pidFile]);
  const output = r.stdout + r.stderr;
  assert.equal(r.code, 1, output);
  assert.equal(fatalLine(output), `[FTL] Error listening on port: 127.0.0.1:${taken}, "listen tcp 127.0.0.1:${taken}: bind: address already in use"`);
  assert.match(output, /\[INF\] Starting http monitor on 127\.0\.0\.1:/, 'monitoring had been opened first');
  assert.equal(await isFree(http), true, 'the monitoring port is released');
  assert.equal(fs.existsSync(pidFile), false, 'the pid file is removed');

  const ns = await runNatsServer(['-a', '127.0.0.1', '-p', String(taken), '-m', String(await freePort())]);
  assert.equal(ns.code, 1);
  assert.equal(fatalLine(output), fatalLine(ns.output), 'worded as nats-server words it');
});

test('monitoring port taken: exit 1 with nats-server FTL line, client port never opened', async (t) => {
  const taken = await takePort(t);
  const port = await freePort();
  const r = await runLeafgate(['-a', '127.0.0.1', '-p', String(port), '-m', String(taken)]);
  const output = r.stdout + r.stderr;
  assert.equal(r.code, 1, output);
  assert.equal(fatalLine(output), `[FTL] Can't start monitoring: can't listen to the monitor port: listen tcp 127.0.0.1:${taken}: bind: address already in use`);
  assert.doesNotMatch(output, /Server is ready/);
  assert.equal(await isFree(port), true, 'the client port is free');

  const ns = await runNatsServer(['-a', '127.0.0.1', '-p', String(port), '-m', String(taken)]);
  assert.equal(ns.code, 1);
  assert.equal(fatalLine(output), fatalLine(ns.output), 'worded as nats-server words it');
});

test('a pid file that cannot be written is fatal: exit 1, nothing left listening', async (t) => {
  const tmp = tempDir(t);
  const port = await freePort();
  const r = await runLeafgate(['-a', '127.0.0.1', '-p', String(port), '-P', tmp.path('missing/dir/leafgate.pid')]);
  const output = r.stdout + r.stderr;
  assert.equal(r.code, 1, output);
  assert.match(fatalLine(output), /^\[FTL\] Could not write pidfile: /);
  assert.equal(await isFree(port), true);
});
