import { jsKvScenario } from './js-kv.js';
import { jsPublishScenario } from './js-publish.js';
import { requestReplyScenario } from './request-reply.js';
import type { Scenario } from './scenario.js';
import { DELIVERED, PUBLISHED, throughputScenario } from './throughput.js';

export type { MetricSpec, Scenario, ScenarioOutcome, ScenarioResult } from './scenario.js';

/**
 * The figures, in the order they run. Counts are per server, sized so that a full run
 * (3 repetitions, both servers) stays under about two minutes on a 2-core machine when both servers
 * are as fast as nats-server; maxMs bounds the time a slower server can take. --quick divides the
 * counts by 5.
 */
export function benchScenarios(quick: boolean): Scenario[] {
  const scale = (n: number) => (quick ? Math.round(n / 5) : n);
  const maxMs = quick ? 3_000 : 8_000;
  return [
    throughputScenario({
      id: 'pubsub-16',
      title: '1 pub -> 1 sub, 16 B',
      payloadSize: 16,
      subscribers: 1,
      count: scale(10_000_000),
      warmup: scale(1_000_000),
      blocks: 10,
      maxMs,
      metrics: [{ ...DELIVERED, targetRatio: 0.5 }],
      reportsPeakRss: true,
    }),
    throughputScenario({
      id: 'pubsub-128',
      title: '1 pub -> 1 sub, 128 B',
      payloadSize: 128,
      subscribers: 1,
      count: scale(5_000_000),
      warmup: scale(500_000),
      blocks: 10,
      maxMs,
      metrics: [{ ...DELIVERED, targetRatio: 0.5 }],
      reportsPeakRss: true,
    }),
    throughputScenario({
      id: 'fanout-4',
      title: 'fan-out 1 pub -> 4 subs, 16 B',
      payloadSize: 16,
      subscribers: 4,
      count: scale(4_000_000),
      warmup: scale(400_000),
      blocks: 10,
      maxMs,
      metrics: [DELIVERED, PUBLISHED],
      reportsPeakRss: false,
    }),
    throughputScenario({
      id: 'queue-4',
      title: 'queue group of 4, 16 B',
      payloadSize: 16,
      subscribers: 4,
      queue: 'bench.q',
      count: scale(8_000_000),
      warmup: scale(800_000),
      blocks: 10,
      maxMs,
      metrics: [DELIVERED],
      reportsPeakRss: false,
    }),
    throughputScenario({
      id: 'pub-only-16',
      title: 'publish, no subscriber, 16 B',
      payloadSize: 16,
      subscribers: 0,
      count: scale(20_000_000),
      warmup: scale(2_000_000),
      blocks: 10,
      maxMs,
      metrics: [PUBLISHED],
      reportsPeakRss: false,
    }),
    requestReplyScenario({
      id: 'request-reply',
      title: 'request/reply, 16 B',
      payloadSize: 16,
      count: scale(20_000),
      warmup: scale(2_000),
      block: 500,
    }),
    // Unique reply subjects, as clients make them, beside 1000 subscribed subjects kept in use: the
    // match cache has to keep the hot subjects while one-off inbox replies pass through it.
    requestReplyScenario({
      id: 'request-reply-warm',
      title: 'request/reply, unique inboxes, 1000 hot subjects',
      payloadSize: 16,
      count: scale(20_000),
      warmup: scale(2_000),
      block: 500,
      uniqueInboxes: true,
      hotSubjects: 1000,
      hotPerRequest: 10,
    }),
  ];
}

/**
 * JetStream: every server over a fresh file store, nats-server at its default (fsync every 2
 * minutes), leafgate at its default (`sync_interval: always`) and at nats-server's setting. Sized
 * so that the scenarios (3 repetitions, both servers) take about two minutes here.
 */
export function jetStreamScenarios(quick: boolean): Scenario[] {
  const scale = (n: number) => (quick ? Math.round(n / 5) : n);
  const maxMs = quick ? 4_000 : 10_000;
  const publish = (payloadSize: number, leafgateSync: 'always' | '2m') =>
    jsPublishScenario({
      id: `js-pub-${payloadSize}-${leafgateSync}`,
      title: `JetStream publish, 256 in flight, ${payloadSize} B, leafgate sync ${leafgateSync}`,
      payloadSize,
      window: 256,
      leafgateSync,
      count: scale(200_000),
      warmup: scale(20_000),
      blocks: 10,
      maxMs,
      targetRatio: leafgateSync === 'always' ? 0.6 : 1.0,
    });
  const kv = (leafgateSync: 'always' | '2m') =>
    jsKvScenario({
      id: `js-kv-${leafgateSync}`,
      title: `KV put/get round trips, 16 B, leafgate sync ${leafgateSync}`,
      leafgateSync,
      valueSize: 16,
      keys: 100,
      count: scale(2_000),
      // One round trip at a time runs through the interpreter for the first few thousand: with 200
      // warm-up round trips leafgate's gets measured 0.59x, with 5,000 0.94x (nats-server is compiled).
      warmup: scale(5_000),
      block: scale(200),
    });
  return [publish(16, 'always'), publish(16, '2m'), publish(128, 'always'), publish(128, '2m'), kv('always'), kv('2m')];
}
