// leafgate as an npm package: the manifest ships what runs, and `npm start` stops with the npm process.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort, waitForPort } from '../../helpers/ports.js';
import { REPO_ROOT } from '../../helpers/processes.js';

interface Manifest {
  license: string;
  bin: Record<string, string>;
  files: string[];
  engines: { node: string };
  scripts: Record<string, string>;
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
const HAS_NPM = spawnSync('npm', ['--version'], { stdio: 'ignore' }).status === 0;

test('the manifest ships the built bin (with its shebang), states the Node versions, and LICENSE is the Apache-2.0 text', () => {
  assert.deepEqual(Object.keys(manifest.bin), ['leafgate']);
  const bin = manifest.bin.leafgate!;
  assert.equal(bin, 'dist/bin/leafgate.js', 'the bin is the bundled server');
  assert.deepEqual(manifest.files, ['dist/bin/*.js'], 'only the bundled server, not tests or sources');
  assert.match(fs.readFileSync(path.join(REPO_ROOT, bin), 'utf8'), /^#!\/usr\/bin\/env node\n/);
  assert.match(manifest.engines.node, /^>=\d+/);
  assert.ok(Number(manifest.engines.node.slice(2)) <= Number(process.versions.node.split('.')[0]), 'the Node running the tests is supported');
  assert.equal(manifest.license, 'Apache-2.0');
  const license = fs.readFileSync(path.join(REPO_ROOT, 'LICENSE'), 'utf8');
  assert.match(license, /Apache License\s+Version 2\.0, January 2004/);
  assert.match(license, /END OF TERMS AND CONDITIONS/);
});

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

test('npm start: SIGTERM to the npm process stops the server too', { skip: !HAS_NPM && 'npm is not on PATH' }, async (t) => {
  const port = await freePort();
  const http = await freePort();
  // Flags after `--` follow the script's own; Go-style flags take the last value given.
  const npm = spawn('npm', ['start', '--', '-a', '127.0.0.1', '-p', String(port), '-m', String(http)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout.on('data', (d: Buffer) => (output += d.toString()));
  npm.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  t.after(() => {
    if (npm.exitCode === null) npm.kill('SIGKILL');
    // A server left behind by a failing run is stopped by the pid its log lines carry.
    const serverPid = /^\[(\d+)\] /m.exec(output)?.[1];
    if (serverPid !== undefined) {
      try {
        process.kill(Number(serverPid), 'SIGKILL');
      } catch {
        // Already gone: the expected case.
      }
    }
  });
  await waitForPort(port);
  npm.kill('SIGTERM');
  await exited;
  for (let i = 0; i < 100 && !(await isFree(port)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(await isFree(port), true, `the client port is released:\n${output}`);
  assert.equal(await isFree(http), true, 'the monitoring port is released');
  assert.match(output, /\[INF\] Server Exiting\.\./);
});
