import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseCommandLine } from '../../../src/cli/command-line.js';
import { runCliCommand, type CliDeps, type NonRunCommand } from '../../../src/cli/run-command.js';
import type { SignalDeps } from '../../../src/cli/signal.js';

interface Captured {
  readonly out: string[];
  readonly err: string[];
}

function harness(
  loadConfig: CliDeps['loadConfig'] = async () => ({ warnings: [] }),
  signal?: SignalDeps,
): { deps: CliDeps; captured: Captured } {
  const captured: Captured = { out: [], err: [] };
  const deps: CliDeps = {
    output: { out: (text) => void captured.out.push(text), err: (text) => void captured.err.push(text) },
    loadConfig,
    ...(signal !== undefined && { signal }),
  };
  return { deps, captured };
}

function nonRun(argv: readonly string[]): NonRunCommand {
  const command = parseCommandLine(argv);
  assert.notEqual(command.kind, 'run');
  return command as NonRunCommand;
}

test('version prints the package version and the nats-server it follows, on stdout', async () => {
  const packageVersion = (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }).version;
  const { deps, captured } = harness();
  assert.equal(await runCliCommand(nonRun(['-v']), deps), 0);
  assert.deepEqual(captured.out, [`leafgate: v${packageVersion} (nats-server 2.9.10 compatible)`]);
  assert.deepEqual(captured.err, []);
});

test('help goes to stdout with exit 0', async () => {
  const { deps, captured } = harness();
  assert.equal(await runCliCommand(nonRun(['--help']), deps), 0);
  assert.equal(captured.out.length, 1);
  assert.match(captured.out[0]!, /^Usage: leafgate/);
});

test('--help_tls prints the TLS configuration help on stdout with exit 0', async () => {
  const { deps, captured } = harness();
  assert.equal(await runCliCommand(nonRun(['--help_tls']), deps), 0);
  assert.equal(captured.out.length, 1);
  assert.match(captured.out[0]!, /cert_file/);
});

test('a flag error prints one line with the hint on stderr, exit 1', async () => {
  const { deps, captured } = harness();
  assert.equal(await runCliCommand(nonRun(['-bogus']), deps), 1);
  assert.deepEqual(captured.err, ["flag provided but not defined: -bogus (run 'leafgate --help' to list the flags)"]);
  assert.deepEqual(captured.out, []);
});

test('-t reports a valid config file on stderr, exit 0', async () => {
  const loaded: string[] = [];
  const { deps, captured } = harness(async (path) => {
    loaded.push(path);
    return { warnings: [] };
  });
  assert.equal(await runCliCommand(nonRun(['-t', '-c', 'edge.conf']), deps), 0);
  assert.deepEqual(loaded, ['edge.conf']);
  assert.deepEqual(captured.err, ['leafgate: configuration file edge.conf is valid']);
});

test('-t fails on warnings and on errors', async () => {
  const warned = harness(async () => ({ warnings: ['edge.conf:1:0: ping_interval should be converted to a duration'] }));
  assert.equal(await runCliCommand(nonRun(['-t', '-c', 'edge.conf']), warned.deps), 1);
  assert.deepEqual(warned.captured.err, ['leafgate: edge.conf:1:0: ping_interval should be converted to a duration']);

  const failed = harness(async () => {
    throw new Error('edge.conf:2:1: unknown field "bar"');
  });
  assert.equal(await runCliCommand(nonRun(['-t', '-c', 'edge.conf']), failed.deps), 1);
  assert.deepEqual(failed.captured.err, ['leafgate: edge.conf:2:1: unknown field "bar"']);
});

test('--signal sends the signal and exits 0, or prints why not and exits 1', async () => {
  const sent: Array<[number, NodeJS.Signals]> = [];
  const one = harness(undefined, { kill: (pid, signal) => void sent.push([pid, signal]), findProcesses: () => [77] });
  assert.equal(await runCliCommand(nonRun(['-sl', 'quit']), one.deps), 0);
  assert.deepEqual(sent, [[77, 'SIGINT']]);
  assert.deepEqual(one.captured.err, []);

  const none = harness(undefined, { kill: () => assert.fail('nothing to signal'), findProcesses: () => [] });
  assert.equal(await runCliCommand(nonRun(['--signal', 'reload']), none.deps), 1);
  assert.deepEqual(none.captured.err, ['leafgate: no leafgate processes running']);
});
