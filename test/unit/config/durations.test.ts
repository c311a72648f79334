import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DurationError, formatGoDuration, parseGoDurationMs } from '../../../src/config/index.js';

const parses: [string, number][] = [
  ['0', 0],
  ['2m', 120_000],
  ['1h30m', 5_400_000],
  ['500ms', 500],
  ['1.5s', 1500],
  ['.5s', 500],
  ['1.s', 1000],
  ['250us', 0.25],
  ['250µs', 0.25],
  ['1000000ns', 1],
  ['-1s', -1000],
  ['+2s', 2000],
  ['1h1m1s1ms', 3_661_001],
];

for (const [text, ms] of parses) {
  test(`parseGoDurationMs: ${text}`, () => {
    assert.equal(parseGoDurationMs(text), ms);
  });
}

const failures: [string, string][] = [
  ['', 'time: invalid duration ""'],
  ['abc', 'time: invalid duration "abc"'],
  ['10', 'time: missing unit in duration "10"'],
  ['1d', 'time: unknown unit "d" in duration "1d"'],
  ['.s', 'time: invalid duration ".s"'],
  ['1s2', 'time: missing unit in duration "1s2"'],
];

for (const [text, message] of failures) {
  test(`parseGoDurationMs error: ${JSON.stringify(text)}`, () => {
    assert.throws(() => parseGoDurationMs(text), (err: unknown) => err instanceof DurationError && err.message === message);
  });
}

const formats: [number, string][] = [
  [0, '0s'],
  [500, '500ms'],
  [1500, '1.5s'],
  [30_000, '30s'],
  [120_000, '2m0s'],
  [90_000, '1m30s'],
  [3_600_000, '1h0m0s'],
  [5_400_500, '1h30m0.5s'],
  [0.25, '250µs'],
  [-10_000, '-10s'],
];

for (const [ms, text] of formats) {
  test(`formatGoDuration: ${ms}`, () => {
    assert.equal(formatGoDuration(ms), text);
  });
}
