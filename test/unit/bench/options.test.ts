import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BenchError, parseBenchArgs } from '../../bench/index.js';

test('bench arguments: defaults and each option', () => {
  const cases: Array<{ argv: string[]; expect: Partial<ReturnType<typeof parseBenchArgs>> }> = [
    { argv: [], expect: { only: 'both', quick: false, calibrate: false, reps: 3, output: '.bench/last.json' } },
    { argv: ['--quick'], expect: { quick: true, reps: 1 } },
    { argv: ['--quick', '--reps', '2'], expect: { quick: true, reps: 2 } },
    { argv: ['--only', 'nats'], expect: { only: 'nats' } },
    { argv: ['--only', 'leafgate', '--calibrate'], expect: { only: 'leafgate', calibrate: true } },
    { argv: ['--output', '/tmp/x.json'], expect: { output: '/tmp/x.json' } },
    { argv: [], expect: { jsOnly: false, jsMessages: 1_000_000 } },
    { argv: ['--quick', '--js-only'], expect: { jsOnly: true, jsMessages: 200_000 } },
    { argv: [], expect: { scenario: null } },
    { argv: ['--scenario', 'js-kv'], expect: { scenario: 'js-kv' } },
    { argv: ['--js-msgs', '10000000', '--store-dir', '/var/tmp'], expect: { jsMessages: 10_000_000, storeRoot: '/var/tmp' } },
  ];
  for (const { argv, expect } of cases) {
    const options = parseBenchArgs(argv);
    for (const [key, value] of Object.entries(expect)) {
      assert.equal(options[key as keyof typeof options], value, `${argv.join(' ')}: ${key}`);
    }
  }
});

test('bad bench arguments are usage errors', () => {
  for (const argv of [['--only', 'mosquitto'], ['--reps', '0'], ['--reps'], ['--fast'], ['--js-msgs', '1e2'], ['--js-only', '--startup-only'], ['--scenario'], ['--scenario', 'js-kv', '--startup-only']]) {
    assert.throws(
      () => parseBenchArgs(argv),
      (error: unknown) => error instanceof BenchError && error.code === 'BENCH_USAGE',
      argv.join(' '),
    );
  }
});
