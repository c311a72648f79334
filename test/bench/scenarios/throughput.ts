import { performance } from 'node:perf_hooks';
import { ratePerSecond } from '../stats.js';
import type { WorkerClient } from '../worker-rpc.js';
import type { PublisherApi } from '../worker-publisher.js';
import type { SubscriberApi, SubscriptionSpec } from '../worker-subscriber.js';
import { splitIntoBlocks, turnOrder } from './blocks.js';
import { waitForDelivery } from './delivery.js';
import type { MetricSpec, Scenario, ScenarioOutcome, ScenarioResult } from './scenario.js';
import { startPublisher, startSubscribers } from './workers.js';

export interface ThroughputConfig {
  id: string;
  title: string;
  payloadSize: number;
  /** Subscriber connections per server; 0 measures publishing into no interest. */
  subscribers: number;
  /** When set the subscribers form this queue group and each message reaches one of them. */
  queue?: string;
  /** Messages published per server in the measured phase (fewer if it reaches maxMs). */
  count: number;
  /** Turns per server the measured messages are split into. */
  blocks: number;
  /** Messages published (and fully delivered) per server before measuring, to warm both ends up. */
  warmup: number;
  /** Cap on the measured publishing per server, so a slow server bounds the bench's duration. */
  maxMs: number;
  metrics: MetricSpec[];
  reportsPeakRss: boolean;
}

const SUBJECT = 'bench.x';
const STALL_MS = 10_000;
/** The warm-up may take at most 1/this of maxMs (the messages are a tenth of the measured ones). */
const WARMUP_SHARE_OF_MAX = 4;

export const DELIVERED: MetricSpec = { key: 'delivered_msgs_per_s', label: 'delivered', unit: 'msgs/s', better: 'higher' };
export const PUBLISHED: MetricSpec = { key: 'published_msgs_per_s', label: 'published', unit: 'msgs/s', better: 'higher' };

/**
 * One publisher writing pre-encoded PUB batches as fast as the socket takes them; subscribers
 * count MSG frames. Each turn publishes a block to one server and waits until it is all delivered.
 * Delivered rate: deliveries / summed (first write .. last delivery) over the turns. Published
 * rate: messages / summed (first write .. PONG after the last PUB).
 */
export function throughputScenario(config: ThroughputConfig): Scenario {
  return {
    id: config.id,
    title: config.title,
    metrics: config.metrics,
    reportsPeakRss: config.reportsPeakRss,
    run: (ports) => runThroughput(ports, config),
  };
}

/** One server's tally over its turns. */
class ServerTally {
  readonly name: string;
  expectedTotal: number;
  published: number;
  publishNs: bigint;
  writeNs: bigint;
  deliveryNs: bigint;
  activeMs: number;
  error: Error | null;

  constructor(name: string) {
    this.name = name;
    this.expectedTotal = 0;
    this.published = 0;
    this.publishNs = 0n;
    this.writeNs = 0n;
    this.deliveryNs = 0n;
    this.activeMs = 0;
    this.error = null;
  }
}

interface TurnRunner {
  publisher: WorkerClient<PublisherApi>;
  subscribers: WorkerClient<SubscriberApi> | null;
  copiesPerMessage: number;
}

/** Publishes `count` to one server and waits for full delivery; measured turns add to its tally. */
async function takeTurn(runner: TurnRunner, tally: ServerTally, count: number, maxMs: number, measured: boolean): Promise<void> {
  if (tally.error !== null) return;
  const began = performance.now();
  try {
    const timing = await runner.publisher.call('publish', { target: tally.name, count, maxMs, stallMs: STALL_MS });
    tally.expectedTotal += timing.published * runner.copiesPerMessage;
    const lastDeliveryNs =
      runner.subscribers === null ? timing.flushedNs : await waitForDelivery(runner.subscribers, tally.name, tally.expectedTotal, STALL_MS);
    if (measured) {
      tally.published += timing.published;
      tally.publishNs += timing.flushedNs - timing.startNs;
      tally.writeNs += timing.writtenNs - timing.startNs;
      tally.deliveryNs += lastDeliveryNs - timing.startNs;
    }
  } catch (error) {
    tally.error = error as Error;
  }
  tally.activeMs += performance.now() - began;
}

async function runThroughput(ports: ReadonlyMap<string, number>, config: ThroughputConfig): Promise<Map<string, ScenarioOutcome>> {
  const names = [...ports.keys()];
  const publisher = startPublisher();
  const subscribers = config.subscribers > 0 ? startSubscribers() : null;
  try {
    if (subscribers !== null) {
      const subscriptions: SubscriptionSpec[] = [];
      for (const [group, port] of ports) {
        for (let i = 0; i < config.subscribers; i++) {
          const spec: SubscriptionSpec = { group, port, subject: SUBJECT, payloadSize: config.payloadSize };
          if (config.queue !== undefined) spec.queue = config.queue;
          subscriptions.push(spec);
        }
      }
      await subscribers.call('open', { subscriptions });
    }
    const targets = [...ports].map(([name, port]) => ({ name, port }));
    await publisher.call('open', { targets, subject: SUBJECT, payloadSize: config.payloadSize });

    const runner: TurnRunner = { publisher, subscribers, copiesPerMessage: config.queue === undefined ? config.subscribers : 1 };
    const tallies = names.map((name) => new ServerTally(name));
    for (const tally of tallies) await takeTurn(runner, tally, config.warmup, config.maxMs / WARMUP_SHARE_OF_MAX, false);
    const blocks = splitIntoBlocks(config.count, config.blocks);
    const maxMsPerBlock = config.maxMs / blocks.length;
    for (const [round, size] of blocks.entries()) {
      for (const tally of turnOrder(tallies, round)) await takeTurn(runner, tally, size, maxMsPerBlock, true);
    }
    return new Map(tallies.map((tally) => [tally.name, outcomeOf(tally, config, runner.copiesPerMessage)]));
  } finally {
    await Promise.allSettled([publisher.call('close', undefined), subscribers?.call('close', undefined)]);
    await Promise.allSettled([publisher.terminate(), subscribers?.terminate()]);
  }
}

function outcomeOf(tally: ServerTally, config: ThroughputConfig, copiesPerMessage: number): ScenarioOutcome {
  if (tally.error !== null) return { result: null, error: tally.error };
  const result: ScenarioResult = {
    published_msgs_per_s: ratePerSecond(tally.published, tally.publishNs),
    publish_write_msgs_per_s: ratePerSecond(tally.published, tally.writeNs),
    messages: tally.published,
    payload_bytes: config.payloadSize,
    active_ms: tally.activeMs,
  };
  if (config.subscribers > 0) {
    result.delivered_msgs_per_s = ratePerSecond(tally.published * copiesPerMessage, tally.deliveryNs);
    result.delivered_messages = tally.published * copiesPerMessage;
  }
  return { result, error: null };
}
