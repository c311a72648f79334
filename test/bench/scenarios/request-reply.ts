import { BenchError } from '../errors.js';
import { mean, percentile } from '../stats.js';
import type { MetricSpec, Scenario, ScenarioOutcome, ScenarioResult } from './scenario.js';
import { startRequester, startSubscribers } from './workers.js';

export interface RequestReplyConfig {
  id: string;
  title: string;
  payloadSize: number;
  /** Measured round trips per server. */
  count: number;
  warmup: number;
  /** Round trips on one server before it is the other's turn. */
  block: number;
  /** A reply subject of its own per request (`_INBOX.bench.rr.<n>`), as clients make them. */
  uniqueInboxes?: boolean;
  /** Subjects subscribed on another connection, `hotPerRequest` of them published before each request. */
  hotSubjects?: number;
  hotPerRequest?: number;
}

const SUBJECT = 'bench.rr';
const INBOX = '_INBOX.bench.rr';
const STALL_MS = 10_000;

export const P50: MetricSpec = { key: 'p50_us', label: 'round trip p50', unit: 'µs', better: 'lower' };
export const P99: MetricSpec = { key: 'p99_us', label: 'round trip p99', unit: 'µs', better: 'lower' };

/**
 * One requester and one responder (each its own worker, one connection per server): a request goes
 * out only after the previous reply arrived, so each sample is one round trip through the server.
 */
export function requestReplyScenario(config: RequestReplyConfig): Scenario {
  return {
    id: config.id,
    title: config.title,
    metrics: [P50, P99],
    reportsPeakRss: false,
    run: (ports) => runRequestReply(ports, config),
  };
}

async function runRequestReply(ports: ReadonlyMap<string, number>, config: RequestReplyConfig): Promise<Map<string, ScenarioOutcome>> {
  const responder = startSubscribers();
  const requester = startRequester();
  try {
    const targets = [...ports].map(([name, port]) => ({ name, port }));
    await responder.call('open', {
      subscriptions: targets.map(({ name, port }) => ({
        group: name,
        port,
        subject: SUBJECT,
        payloadSize: config.payloadSize,
        replyTo: INBOX,
        numberedReplies: config.uniqueInboxes === true,
      })),
    });
    await requester.call('open', {
      targets,
      subject: SUBJECT,
      inbox: INBOX,
      payloadSize: config.payloadSize,
      uniqueInboxes: config.uniqueInboxes === true,
      hotSubjects: config.hotSubjects ?? 0,
      hotPerRequest: config.hotPerRequest ?? 0,
    });
    const outcomes = await requester.call('run', { warmup: config.warmup, count: config.count, block: config.block, stallMs: STALL_MS });
    const responderCounts = await responder.call('counts', undefined);
    const results = new Map<string, ScenarioOutcome>();
    for (const { name } of targets) {
      const outcome = outcomes[name];
      if (outcome === undefined || outcome.latenciesUs === null) {
        const responderError = responderCounts[name]?.error ?? null;
        const why = `${outcome?.error ?? 'no outcome'}${responderError === null ? '' : ` (responder: ${responderError})`}`;
        results.set(name, { result: null, error: new BenchError('BENCH_REQUEST_FAILED', why) });
      } else {
        results.set(name, { result: summarizeLatencies(outcome.latenciesUs, outcome.activeMs, config), error: null });
      }
    }
    return results;
  } finally {
    await Promise.allSettled([requester.call('close', undefined), responder.call('close', undefined)]);
    await Promise.allSettled([requester.terminate(), responder.terminate()]);
  }
}

function summarizeLatencies(latenciesUs: Float64Array, activeMs: number, config: RequestReplyConfig): ScenarioResult {
  const sorted = Float64Array.from(latenciesUs).sort();
  const seconds = sorted.reduce((sum, us) => sum + us, 0) / 1e6;
  return {
    p50_us: percentile(sorted, 50),
    p90_us: percentile(sorted, 90),
    p99_us: percentile(sorted, 99),
    max_us: percentile(sorted, 100),
    mean_us: mean(sorted),
    round_trips_per_s: config.count / seconds,
    requests: config.count,
    payload_bytes: config.payloadSize,
    active_ms: activeMs,
  };
}
