import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseCommandLine } from '../../../src/cli/program.js';
import { runCliCommand, type CliDeps, type NonRunCommand } from '../../../src/cli/run-command.js';
import type { SignalDeps } from '../../../src/cli/signal.js';

interface Captured {
  readonly out: string[];
  readonly err: string[];
}

function harness(
  loadConfig: CliDeps['loadConfig'] = () => ({ warnings: [] }),
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

test('version prints the package version and the nats-server it follows, on stdout', () => {
  const packageVersion = (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }).version;
  const { deps, captured } = harness();
  assert.equal(runCliCommand(nonRun(['-v']), deps), 0);
  assert.deepEqual(captured.out, [`leafgate: v${packageVersion} (nats-server 2.9.10 compatible)`]);
  assert.deepEqual(captured.err, []);
});

test('help goes to stdout with exit 0', () => {
  const { deps, captured } = harness();
  assert.equal(runCliCommand(nonRun(['--help']), deps), 0);
  assert.equal(captured.out.length, 1);
  assert.match(captured.out[0]!, /^Usage: leafgate/);
});

test('a flag error prints one line with the hint on stderr, exit 1', () => {
  const { deps, captured } = harness();
  assert.equal(runCliCommand(nonRun(['-bogus']), deps), 1);
  assert.deepEqual(captured.err, ["flag provided but not defined: -bogus (run 'leafgate --help' to list the flags)"]);
  assert.deepEqual(captured.out, []);
});

test('-t reports a valid config file on stderr, exit 0', () => {
  const loaded: string[] = [];
  const { deps, captured } = harness((path) => {
    loaded.push(path);
    return { warnings: [] };
  });
  assert.equal(runCliCommand(nonRun(['-t', '-c', 'edge.conf']), deps), 0);
  assert.deepEqual(loaded, ['edge.conf']);
  assert.deepEqual(captured.err, ['leafgate: configuration file edge.conf is valid']);
});

test('-t fails on warnings and on errors', () => {
  const warned = harness(() => ({ warnings: ['edge.conf:1:0: ping_interval should be converted to a duration'] }));
  assert.equal(runCliCommand(nonRun(['-t', '-c', 'edge.conf']), warned.deps), 1);
  assert.deepEqual(warned.captured.err, ['leafgate: edge.conf:1:0: ping_interval should be converted to a duration']);

  const failed = harness(() => {
    throw new Error('edge.conf:2:1: unknown field "bar"');
  });
  assert.equal(runCliCommand(nonRun(['-t', '-c', 'edge.conf']), failed.deps), 1);
  assert.deepEqual(failed.captured.err, ['leafgate: edge.conf:2:1: unknown field "bar"']);
});

test('--signal sends the signal and exits 0, or prints why not and exits 1', () => {
  const sent: Array<[number, NodeJS.Signals]> = [];
  const one = harness(undefined, { kill: (pid, signal) => void sent.push([pid, signal]), findProcesses: () => [77] });
  assert.equal(runCliCommand(nonRun(['-sl', 'quit']), one.deps), 0);
  assert.deepEqual(sent, [[77, 'SIGINT']]);
  assert.deepEqual(one.captured.err, []);

  const none = harness(undefined, { kill: () => assert.fail('nothing to signal'), findProcesses: () => [] });
  assert.equal(runCliCommand(nonRun(['--signal', 'reload']), none.deps), 1);
  assert.deepEqual(none.captured.err, ['leafgate: no leafgate processes running']);
});
