import { performance } from 'node:perf_hooks';
import { processWriteBytes, type SyncSetting } from '../servers.js';
import { ratePerSecond } from '../stats.js';
import type { WorkerClient } from '../worker-rpc.js';
import type { JsPublisherApi } from '../worker-js-publisher.js';
import { splitIntoBlocks, turnOrder } from './blocks.js';
import type { MetricSpec, Scenario, ScenarioOutcome } from './scenario.js';
import { startJsPublisher } from './workers.js';

export interface JsPublishConfig {
  id: string;
  title: string;
  payloadSize: number;
  /** Publishes in flight. */
  window: number;
  leafgateSync: SyncSetting;
  /** Acked messages per server in the measured phase (fewer if it reaches maxMs). */
  count: number;
  blocks: number;
  warmup: number;
  maxMs: number;
  targetRatio: number;
}

const STREAM = 'BENCH';
const SUBJECT = 'bench.js';

export const ACKED: MetricSpec = { key: 'acked_msgs_per_s', label: 'acked', unit: 'msgs/s', better: 'higher' };
export const WRITTEN: MetricSpec = { key: 'write_bytes_per_msg', label: 'written to disk', unit: 'B/msg', better: 'lower' };

/**
 * A windowed async publisher into a file stream: `window` publishes with reply inboxes in flight,
 * each PubAck letting the next one go. Acked rate: PubAcks / summed (first write .. last PubAck)
 * over the turns. Written bytes: the server's /proc/<pid>/io write_bytes over the measured turns,
 * per acked message (what reached the page cache or disk by then; a server that defers its writes
 * shows less).
 */
export function jsPublishScenario(config: JsPublishConfig): Scenario {
  return {
    id: config.id,
    title: config.title,
    metrics: [{ ...ACKED, targetRatio: config.targetRatio }, WRITTEN],
    reportsPeakRss: false,
    jetstream: { leafgateSync: config.leafgateSync },
    run: (ports, pids) => runJsPublish(ports, pids, config),
  };
}

class ServerTally {
  readonly name: string;
  /** null when the server is not a local process: no write_bytes then. */
  readonly pid: number | null;
  acked: number;
  ackNs: bigint;
  writtenBytes: number;
  activeMs: number;
  error: Error | null;

  constructor(name: string, pid: number | null) {
    this.name = name;
    this.pid = pid;
    this.acked = 0;
    this.ackNs = 0n;
    this.writtenBytes = 0;
    this.activeMs = 0;
    this.error = null;
  }
}

function writeBytesOf(pid: number | null): number {
  return pid === null ? Number.NaN : processWriteBytes(pid);
}

async function takeTurn(publisher: WorkerClient<JsPublisherApi>, tally: ServerTally, count: number, maxMs: number, measured: boolean): Promise<void> {
  if (tally.error !== null) return;
  const began = performance.now();
  try {
    const writtenBefore = writeBytesOf(tally.pid);
    const timing = await publisher.call('publish', { target: tally.name, count, maxMs });
    if (measured) {
      tally.writtenBytes += writeBytesOf(tally.pid) - writtenBefore;
      tally.acked += timing.acked;
      tally.ackNs += timing.endNs - timing.startNs;
    }
  } catch (error) {
    tally.error = error as Error;
  }
  tally.activeMs += performance.now() - began;
}

async function runJsPublish(
  ports: ReadonlyMap<string, number>,
  pids: ReadonlyMap<string, number> | undefined,
  config: JsPublishConfig,
): Promise<Map<string, ScenarioOutcome>> {
  const publisher = startJsPublisher();
  try {
    await publisher.call('open', {
      targets: [...ports].map(([name, port]) => ({ name, port })),
      stream: { name: STREAM, subjects: [SUBJECT], storage: 'file' },
      subject: SUBJECT,
      payloadSize: config.payloadSize,
      window: config.window,
    });
    const tallies = [...ports.keys()].map((name) => new ServerTally(name, pids?.get(name) ?? null));
    for (const tally of tallies) await takeTurn(publisher, tally, config.warmup, config.maxMs, false);
    const blocks = splitIntoBlocks(config.count, config.blocks);
    for (const [round, size] of blocks.entries()) {
      for (const tally of turnOrder(tallies, round)) await takeTurn(publisher, tally, size, config.maxMs / blocks.length, true);
    }
    return new Map(tallies.map((tally) => [tally.name, outcomeOf(tally, config)]));
  } finally {
    await Promise.allSettled([publisher.call('close', undefined)]);
    await publisher.terminate();
  }
}

function outcomeOf(tally: ServerTally, config: JsPublishConfig): ScenarioOutcome {
  if (tally.error !== null) return { result: null, error: tally.error };
  return {
    result: {
      acked_msgs_per_s: ratePerSecond(tally.acked, tally.ackNs),
      write_bytes_per_msg: tally.writtenBytes / tally.acked,
      messages: tally.acked,
      payload_bytes: config.payloadSize,
      window: config.window,
      active_ms: tally.activeMs,
    },
    error: null,
  };
}
