// A leafgate edge stream reading a hub stream of another domain through our fault proxy (cut,
// stalled, slowed, half-closed at random): every message once, in the origin's order. `npm run
// fault` runs the same with 100k messages.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { runSourceChaos } from '../fault/source-chaos.js';

const CASES = [
  { hubKind: 'nats-server', mirror: false },
  { hubKind: 'leafgate', mirror: true },
] as const;

for (const { hubKind, mirror } of CASES) {
  test(`a leafgate edge stream ${mirror ? 'mirroring' : 'sourcing'} a ${hubKind} hub stream through a link broken at random: every message once, in order`, { timeout: 120_000 }, async (t) => {
    const report = await runSourceChaos(t, { messages: 3000, hubKind, mirror, faultEveryMs: 600, publishOverMs: 5000, drainTimeoutMs: 60_000 });
    const faults = Object.values(report.faults).reduce((a, b) => a + b, 0);
    assert.ok(faults > 0, 'the link was broken at least once');
    assert.deepEqual({ held: report.held, missing: report.missing, duplicates: report.duplicates, outOfOrder: report.outOfOrder }, { held: 3000, missing: 0, duplicates: 0, outOfOrder: 0 }, `seed ${report.seed}`);
  });
}
