import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { CliError } from '../../../src/cli/errors.js';
import {
  findLeafgateProcesses,
  parseSignalArgument,
  sendSignal,
  signalFor,
  type SignalDeps,
} from '../../../src/cli/signal.js';

test('signal commands map to nats-server signals', () => {
  assert.equal(signalFor('stop'), 'SIGKILL');
  assert.equal(signalFor('quit'), 'SIGINT');
  assert.equal(signalFor('term'), 'SIGTERM');
  assert.equal(signalFor('reload'), 'SIGHUP');
  assert.equal(signalFor('reopen'), 'SIGUSR1');
  assert.equal(signalFor('ldm'), 'SIGUSR2');
});

test('parseSignalArgument splits command and target', () => {
  assert.deepEqual(parseSignalArgument('reload'), { command: 'reload' });
  assert.deepEqual(parseSignalArgument('reload='), { command: 'reload' });
  assert.deepEqual(parseSignalArgument('term=42'), { command: 'term', target: '42' });
  assert.throws(() => parseSignalArgument('kill'), { code: 'SIGNAL_UNKNOWN', message: 'unknown signal "kill"' });
  assert.throws(() => parseSignalArgument('toString'), { code: 'SIGNAL_UNKNOWN' });
  assert.throws(() => parseSignalArgument('stop=1=2=3'), {
    code: 'SIGNAL_PARAMETERS',
    message: 'invalid signal parameters: [2 3]',
  });
});

function recordingDeps(pids: number[] = []): SignalDeps & { sent: Array<[number, string]> } {
  const sent: Array<[number, string]> = [];
  return { sent, kill: (pid, signal) => void sent.push([pid, signal]), findProcesses: () => pids };
}

test('without a target the single running leafgate is signalled', () => {
  const deps = recordingDeps([4321]);
  assert.equal(sendSignal({ command: 'reopen' }, deps), 4321);
  assert.deepEqual(deps.sent, [[4321, 'SIGUSR1']]);
});

test('no or several running leafgates are errors worded like nats-server', () => {
  assert.throws(() => sendSignal({ command: 'reload' }, recordingDeps([])), {
    code: 'SIGNAL_NO_PROCESS',
    message: 'no leafgate processes running',
  });
  assert.throws(() => sendSignal({ command: 'reload' }, recordingDeps([10, 20])), {
    code: 'SIGNAL_MANY_PROCESSES',
    message: 'multiple leafgate processes running:\n10\n20',
  });
});

test('invalid pids are refused before anything is signalled', () => {
  const deps = recordingDeps();
  for (const target of ['abc', '0', '-1', '12x']) {
    assert.throws(() => sendSignal({ command: 'stop', target }, deps), (err: unknown) => {
      return err instanceof CliError && err.code === 'SIGNAL_PID' && err.message === `invalid pid: ${target}`;
    });
  }
  assert.deepEqual(deps.sent, []);
});

test('a vanished process is reported as "no such process"', () => {
  const deps: SignalDeps = {
    kill: () => {
      throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
    },
    findProcesses: () => [],
  };
  assert.throws(() => sendSignal({ command: 'reload', target: '999999' }, deps), {
    code: 'SIGNAL_FAILED',
    message: 'no such process',
  });
});

/** A child that reports the signals it gets on stdout, one name per line. */
async function startSignalCatcher(): Promise<{ child: ChildProcess; lines: string[] }> {
  const code = `
    for (const s of ['SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGTERM']) process.on(s, () => console.log(s));
    setInterval(() => {}, 1000);
    console.log('ready');`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let buffered = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      child.emit('line', line);
    }
  });
  while (!lines.includes('ready')) await once(child, 'line');
  return { child, lines };
}

async function waitForLine(child: ChildProcess, lines: string[], wanted: string): Promise<void> {
  while (!lines.includes(wanted)) await once(child, 'line');
}

test('signals a real process through a pid file and through a pid', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'leafgate-signal-'));
  const { child, lines } = await startSignalCatcher();
  t.after(() => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const pidFile = join(dir, 'leafgate.pid');
  writeFileSync(pidFile, String(child.pid));

  assert.equal(sendSignal(parseSignalArgument(`reload=${pidFile}`)), child.pid);
  await waitForLine(child, lines, 'SIGHUP');

  assert.equal(sendSignal(parseSignalArgument(`reopen=${child.pid}`)), child.pid);
  await waitForLine(child, lines, 'SIGUSR1');

  // A pid file with a trailing newline, as many tools write them.
  writeFileSync(pidFile, `${child.pid}\n`);
  sendSignal(parseSignalArgument(`ldm=${pidFile}`));
  await waitForLine(child, lines, 'SIGUSR2');
  assert.deepEqual(lines, ['ready', 'SIGHUP', 'SIGUSR1', 'SIGUSR2']);

  sendSignal({ command: 'stop', target: String(child.pid) });
  const [, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  assert.equal(signal, 'SIGKILL');
});

test('finds leafgate processes in /proc by their command line', (t) => {
  const proc = mkdtempSync(join(tmpdir(), 'leafgate-proc-'));
  t.after(() => rmSync(proc, { recursive: true, force: true }));
  const mainScript = '/opt/lg/dist/src/main.js';
  const processes: Record<string, string[]> = {
    '100': ['node', '/usr/lib/node_modules/leafgate/dist/src/main.js', '-js'],
    '101': ['node', '-e', 'require("/x/leafgate/dist/src/main.js")'],
    '102': ['leafgate', '-c', '/etc/leafgate.conf'],
    '103': ['/usr/bin/node', '--enable-source-maps', '/usr/local/bin/leafgate'],
    '104': ['nats-server', '-js'],
    '105': ['node', mainScript],
    '106': ['node', 'dist/src/main.js'],
    '107': ['bash'],
    '108': ['node', 'dist/src/main.js', '-js'],
    '200': ['node', mainScript, '--signal', 'reload'],
  };
  for (const [pid, argv] of Object.entries(processes)) {
    mkdirSync(join(proc, pid));
    writeFileSync(join(proc, pid, 'cmdline'), `${argv.join('\0')}\0`);
  }
  // 108 runs a relative script from a leafgate checkout; 106 has no readable cwd.
  symlinkSync('/srv/leafgate', join(proc, '108', 'cwd'));
  mkdirSync(join(proc, 'self'));
  mkdirSync(join(proc, '300'));

  assert.deepEqual(findLeafgateProcesses({ procDir: proc, selfPid: 200, mainScript }), [100, 102, 103, 105, 108]);
});

test('the real /proc scan does not report the test runner itself', () => {
  assert.ok(!findLeafgateProcesses().includes(process.pid));
});
