import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTable, summarize, type RunRecord, type Scenario, type Side } from '../../bench/index.js';

const sides: Side[] = [
  { key: 'nats', label: 'nats-server', command: 'nats-server -p <port>' },
  { key: 'leafgate', label: 'leafgate', command: 'node dist/bin/leafgate.js -p <port>' },
];

const scenario: Scenario = {
  id: 'pubsub',
  title: '1 pub -> 1 sub',
  metrics: [{ key: 'delivered_msgs_per_s', label: 'delivered', unit: 'msgs/s', better: 'higher', targetRatio: 0.5 }],
  reportsPeakRss: true,
  run: () => Promise.reject(new Error('not run in this test')),
};

function record(side: RunRecord['side'], rep: number, delivered: number | null): RunRecord {
  return {
    scenario: 'pubsub',
    side,
    rep,
    pid: 1,
    port: 1,
    wallMs: 1000,
    idleRssKb: side === 'nats' ? 10 * 1024 : 40 * 1024,
    peakRssKb: delivered === null ? null : 20 * 1024,
    serverCores: 1,
    generatorCores: 0.2,
    result: delivered === null ? null : { delivered_msgs_per_s: delivered, active_ms: 1000 },
    error: delivered === null ? { code: 'BENCH_STALLED', message: 'stalled' } : null,
  };
}

test('summary rows take medians per server and the median of per-run ratios', () => {
  const runs = [
    record('nats', 0, 4_000_000),
    record('leafgate', 0, 2_000_000),
    record('nats', 1, 2_000_000),
    record('leafgate', 1, 1_600_000),
    record('nats', 2, 3_000_000),
    record('leafgate', 2, null),
  ];
  const [delivered, idle, peak] = summarize([scenario], runs, sides);
  assert.ok(delivered !== undefined && idle !== undefined && peak !== undefined);
  assert.equal(delivered.nats?.median, 3_000_000);
  assert.equal(delivered.leafgate?.median, 1_800_000);
  assert.equal(delivered.leafgate?.failures, 1);
  // Per-run ratios 0.5 and 0.8 (run 2 failed for leafgate): median 0.65, not 1.8M/3M = 0.6.
  assert.ok(Math.abs((delivered.ratio ?? 0) - 0.65) < 1e-9);
  assert.equal(idle.metric, 'idle after start');
  assert.equal(idle.ratio, 4);
  assert.equal(peak.leafgate?.runs, 2);
});

test('the table marks failed cells, the ratio and whether the target is met', () => {
  const runs = [record('nats', 0, 4_000_000), record('leafgate', 0, 1_000_000)];
  const table = formatTable(summarize([scenario], runs, sides), sides);
  const line = table.split('\n').find((row) => row.startsWith('1 pub -> 1 sub'));
  assert.ok(line !== undefined);
  assert.match(line, /4,000,000/);
  assert.match(line, /0\.25x/);
  assert.match(line, /target >= 0\.50x NOT met/);

  const failed = formatTable(summarize([scenario], [record('nats', 0, 1), record('leafgate', 0, null)], sides), sides);
  assert.match(failed, /FAILED/);
});

test('with one server the table has no ratio column', () => {
  const onlyNats = sides.slice(0, 1);
  const table = formatTable(summarize([scenario], [record('nats', 0, 4_000_000)], onlyNats), onlyNats);
  assert.doesNotMatch(table, /leafgate/);
  assert.match(table.split('\n')[0] ?? '', /nats-server$/);
});
