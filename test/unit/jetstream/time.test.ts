import assert from 'node:assert/strict';
import { test } from 'node:test';

import { GO_ZERO_TIME, formatTime, parseTime, wallClockNs } from '../../../src/jetstream/time.js';

const formats: readonly [ns: bigint, offsetMinutes: number, want: string][] = [
  [0n, 0, GO_ZERO_TIME],
  [1_700_000_000_000_000_000n, 0, '2023-11-14T22:13:20Z'],
  [1_700_000_000_716_646_390n, 0, '2023-11-14T22:13:20.71664639Z'],
  [1_700_000_000_000_000_001n, 0, '2023-11-14T22:13:20.000000001Z'],
  [1_700_000_000_120_000_000n, 0, '2023-11-14T22:13:20.12Z'],
  [1_704_067_200_500_000_000n, 60, '2024-01-01T01:00:00.5+01:00'],
  [1_704_067_200_000_000_000n, -90, '2023-12-31T22:30:00-01:30'],
  [-1_000_000n, 0, '1969-12-31T23:59:59.999Z'],
];

for (const [ns, offset, want] of formats) {
  test(`formatTime(${ns}, ${offset}) is ${want}`, () => {
    assert.equal(formatTime(ns, offset), want);
  });
}

const parses: readonly [text: string, want: { ns: bigint; offsetMinutes: number } | null][] = [
  ['2024-01-01T00:00:00Z', { ns: 1_704_067_200_000_000_000n, offsetMinutes: 0 }],
  ['2024-01-01T00:00:00.120Z', { ns: 1_704_067_200_120_000_000n, offsetMinutes: 0 }],
  ['2024-01-01T01:00:00.5+01:00', { ns: 1_704_067_200_500_000_000n, offsetMinutes: 60 }],
  ['2024-02-29T00:00:00Z', { ns: 1_709_164_800_000_000_000n, offsetMinutes: 0 }],
  ['0001-01-01T00:00:00Z', { ns: -62_135_596_800_000_000_000n, offsetMinutes: 0 }],
  ['2023-02-29T00:00:00Z', null],
  ['2024-01-01 00:00:00Z', null],
  ['2024-01-01T00:00:00', null],
  ['2024-13-01T00:00:00Z', null],
  ['2024-01-01T24:00:00Z', null],
];

for (const [text, want] of parses) {
  test(`parseTime(${JSON.stringify(text)})`, () => {
    assert.deepEqual(parseTime(text), want);
  });
}

test('wallClockNs is the wall clock, finer than a millisecond', () => {
  const ms = 1_000_000n;
  for (let i = 0; i < 1000; i++) {
    const before = BigInt(Date.now()) * ms;
    const ns = wallClockNs();
    const after = BigInt(Date.now()) * ms;
    // Within Date.now()'s own millisecond and the 2 ms wallClockNs allows before it follows the wall clock again.
    assert.ok(ns >= before - 3n * ms && ns <= after + 3n * ms, `${ns} between ${before} and ${after}`);
  }
  const fine = Array.from({ length: 50 }, () => wallClockNs() % ms);
  assert.ok(fine.some((sub) => sub !== 0n), 'some readings carry sub-millisecond digits');
});
