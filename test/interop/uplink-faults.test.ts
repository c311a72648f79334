// The uplink through our fault proxy (cut, stalled, slowed, half-closed at random): every message in
// the hub stream exactly once, each subject in order. `npm run fault` runs the same with 100k messages.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { runUplinkChaos } from '../fault/uplink-chaos.js';

for (const hubKind of ['nats-server', 'leafgate'] as const) {
  test(`uplink into a ${hubKind} hub through a link broken at random: exactly once, in order`, { timeout: 120_000 }, async (t) => {
    const report = await runUplinkChaos(t, { messages: 3000, hubKind, faultEveryMs: 600, publishOverMs: 5000, drainTimeoutMs: 60_000 });
    const faults = Object.values(report.faults).reduce((a, b) => a + b, 0);
    assert.ok(faults > 0, 'the link was broken at least once');
    assert.deepEqual({ held: report.held, missing: report.missing, duplicates: report.duplicates, outOfOrder: report.outOfOrder }, { held: 3000, missing: 0, duplicates: 0, outOfOrder: 0 }, `seed ${report.seed}`);
  });
}
