import { BenchError } from '../errors.js';
import type { SyncSetting } from '../servers.js';
import { percentile } from '../stats.js';
import type { MetricSpec, Scenario, ScenarioOutcome, ScenarioResult } from './scenario.js';
import { startKvClient } from './workers.js';

export interface JsKvConfig {
  id: string;
  title: string;
  leafgateSync: SyncSetting;
  valueSize: number;
  keys: number;
  /** Measured puts (and as many gets) per server. */
  count: number;
  warmup: number;
  block: number;
}

const BUCKET = 'bench';
const TIMEOUT_MS = 10_000;

export const PUTS: MetricSpec = { key: 'puts_per_s', label: 'put round trips', unit: 'ops/s', better: 'higher', targetRatio: 1 };
export const GETS: MetricSpec = { key: 'gets_per_s', label: 'get round trips', unit: 'ops/s', better: 'higher', targetRatio: 1 };

/**
 * Key-Value round trips one at a time, as the KV clients make them: a put is a publish to
 * `$KV.<bucket>.<key>` waiting for its PubAck; a get is a DIRECT.GET of the key's last message
 * (`$JS.API.DIRECT.GET.KV_<bucket>.$KV.<bucket>.<key>`). The bucket's stream is a file stream with
 * allow_direct and max_msgs_per_subject 1. Rates are round trips / summed latency.
 */
export function jsKvScenario(config: JsKvConfig): Scenario {
  return {
    id: config.id,
    title: config.title,
    metrics: [PUTS, GETS],
    reportsPeakRss: false,
    jetstream: { leafgateSync: config.leafgateSync },
    run: (ports) => runKv(ports, config),
  };
}

async function runKv(ports: ReadonlyMap<string, number>, config: JsKvConfig): Promise<Map<string, ScenarioOutcome>> {
  const client = startKvClient();
  try {
    const targets = [...ports].map(([name, port]) => ({ name, port }));
    await client.call('open', { targets, bucket: BUCKET, valueSize: config.valueSize, keys: config.keys });
    const outcomes = await client.call('run', { warmup: config.warmup, count: config.count, block: config.block, timeoutMs: TIMEOUT_MS });
    const results = new Map<string, ScenarioOutcome>();
    for (const { name } of targets) {
      const outcome = outcomes[name];
      if (outcome === undefined || outcome.putUs === null) {
        results.set(name, { result: null, error: new BenchError('BENCH_KV_FAILED', outcome?.error ?? 'no outcome') });
      } else {
        results.set(name, { result: summarize(outcome.putUs, outcome.getUs, outcome.activeMs, config), error: null });
      }
    }
    return results;
  } finally {
    await Promise.allSettled([client.call('close', undefined)]);
    await client.terminate();
  }
}

function summarize(putUs: Float64Array, getUs: Float64Array, activeMs: number, config: JsKvConfig): ScenarioResult {
  const puts = Float64Array.from(putUs).sort();
  const gets = Float64Array.from(getUs).sort();
  const perSecond = (sorted: Float64Array) => sorted.length / (sorted.reduce((sum, us) => sum + us, 0) / 1e6);
  return {
    puts_per_s: perSecond(puts),
    gets_per_s: perSecond(gets),
    put_p50_us: percentile(puts, 50),
    put_p99_us: percentile(puts, 99),
    get_p50_us: percentile(gets, 50),
    get_p99_us: percentile(gets, 99),
    round_trips: config.count,
    value_bytes: config.valueSize,
    active_ms: activeMs,
  };
}
