import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FLOOR_KEY,
  LEAFGATE_TARGET,
  formatStartupTable,
  measureStartup,
  startupCommand,
  startupSubjects,
  summarizeStartup,
  type StartupSample,
} from '../../bench/index.js';

const MIB = 1024;

function sample(subject: string, round: number, readyMs: number | null, idleRssMiB: number | null): StartupSample {
  return {
    subject,
    round,
    readyMs,
    idleRssKb: idleRssMiB === null ? null : idleRssMiB * MIB,
    error: readyMs === null ? 'exited (1) before it was ready' : null,
  };
}

test('start-up subjects: floor first, nats-server and the leafgate forms only when asked for', () => {
  assert.deepEqual(
    startupSubjects('/usr/bin/nats-server', true).map((s) => s.key),
    [FLOOR_KEY, 'nats', 'leafgate', 'leafgate-m', 'leafgate-npm-start'],
  );
  assert.deepEqual(startupSubjects(null, true).map((s) => s.key), [FLOOR_KEY, 'leafgate', 'leafgate-m', 'leafgate-npm-start']);
  assert.deepEqual(startupSubjects('/usr/bin/nats-server', false).map((s) => s.key), [FLOOR_KEY, 'nats']);
});

test('start-up commands get their ports and store directory in place of the placeholders', () => {
  const npmStart = startupSubjects(null, true).find((s) => s.key === 'leafgate-npm-start');
  assert.ok(npmStart !== undefined);
  const command = startupCommand(npmStart, { client: 4300, http: 8300, storeDir: '/tmp/js' });
  assert.deepEqual(command.args, ['dist/bin/leafgate.js', '-p', '4300', '-js', '-sd', '/tmp/js', '-m', '8300']);
  assert.equal(command.file, process.execPath);
});

test('start-up summary: medians, and ratio and difference to the floor taken within each round', () => {
  const subjects = startupSubjects('/usr/bin/nats-server', true).filter((s) => s.key === FLOOR_KEY || s.key === 'leafgate');
  const samples = [
    sample(FLOOR_KEY, 0, 100, 40),
    sample('leafgate', 0, 150, 46),
    sample(FLOOR_KEY, 1, 200, 42),
    sample('leafgate', 1, 220, 52),
    sample(FLOOR_KEY, 2, 120, 41),
    sample('leafgate', 2, null, null),
  ];
  const [floor, leafgate] = summarizeStartup(subjects, samples);
  assert.ok(floor !== undefined && leafgate !== undefined);
  assert.equal(floor.readyMs?.median, 120);
  assert.equal(floor.timeVsFloor, 1);
  assert.equal(leafgate.failures, 1);
  assert.equal(leafgate.readyMs?.median, 185);
  // Per-round ratios 1.5 and 1.1 (round 2 failed): median 1.3, not 185 / 120.
  assert.ok(Math.abs((leafgate.timeVsFloor ?? 0) - 1.3) < 1e-9);
  assert.equal(leafgate.rssOverFloorMiB, 8);
  assert.deepEqual(leafgate.target, LEAFGATE_TARGET);

  const table = formatStartupTable([floor, leafgate]);
  const line = table.split('\n').find((row) => row.startsWith('leafgate -p'));
  assert.ok(line !== undefined);
  assert.match(line, /1\.30x/);
  assert.match(line, /\+8\.0/);
  assert.match(line, /\(1 failed\)/);
  assert.match(line, /time <= 1\.50x met, RSS <= \+8 MiB met/);
});

test('the floor server starts and greets a client with INFO, measured like any subject', async () => {
  const floor = startupSubjects(null, false);
  const rounds: StartupSample[][] = [];
  const samples = await measureStartup(floor, 1, (round) => rounds.push([...round]));
  assert.equal(samples.length, 1);
  const [only] = samples;
  assert.equal(only?.error, null);
  assert.ok((only?.readyMs ?? 0) > 0);
  assert.ok((only?.idleRssKb ?? 0) > 0);
  assert.deepEqual(rounds, [samples]);
});
