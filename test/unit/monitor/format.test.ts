import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339Nano, rtt, tlsVersion, uptime } from '../../../src/monitor/format.js';
import { goDuration } from '../../../src/util/index.js';

test('goDuration prints like Go time.Duration.String', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1, '1ns'],
    [999, '999ns'],
    [1_000, '1µs'],
    [1_500, '1.5µs'],
    [281_000, '281µs'],
    [1_000_000, '1ms'],
    [1_895_619, '1.895619ms'],
    [1_000_000_000, '1s'],
    [2_500_000_000, '2.5s'],
    [61_000_000_000, '1m1s'],
    [3_600_000_000_000, '1h0m0s'],
    [3_723_500_000_000, '1h2m3.5s'],
    [-1_500, '-1.5µs'],
  ];
  for (const [ns, text] of cases) assert.equal(goDuration(ns), text, String(ns));
});

test('rtt keeps whole microseconds below a millisecond', () => {
  assert.equal(rtt(0), '0s');
  assert.equal(rtt(0.281456), '281µs');
  assert.equal(rtt(1.895619), '1.895619ms');
  assert.equal(rtt(12), '12ms');
});

test('uptime uses nats-server layout with whole seconds', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [999, '0s'],
    [45_000, '45s'],
    [62_000, '1m2s'],
    [3 * 3600_000 + 4_000, '3h0m4s'],
    [(3 * 86400 + 4 * 3600 + 5 * 60 + 6) * 1000, '3d4h5m6s'],
    [(400 * 86400 + 1) * 1000, '1y35d0h0m1s'],
    [-5, '0s'],
  ];
  for (const [ms, text] of cases) assert.equal(uptime(ms), text, String(ms));
});

test('rfc3339Nano trims trailing zeros of the fraction like Go', () => {
  const base = Date.UTC(2026, 10, 25, 9, 10, 29);
  assert.equal(rfc3339Nano(base), '2026-11-25T09:10:29Z');
  assert.equal(rfc3339Nano(base + 570), '2026-11-25T09:10:29.57Z');
  assert.equal(rfc3339Nano(base + 570.581317), '2026-11-25T09:10:29.570581Z');
  assert.equal(rfc3339Nano(base + 999.9999), '2026-11-25T09:10:30Z');
});

test('tlsVersion drops node\'s TLSv prefix', () => {
  assert.equal(tlsVersion('TLSv1.3'), '1.3');
  assert.equal(tlsVersion('TLSv1.2'), '1.2');
});
