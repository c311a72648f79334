import { setTimeout as sleep } from 'node:timers/promises';
import { BenchError, ConnectionLostError, StalledError } from '../errors.js';
import type { WorkerClient } from '../worker-rpc.js';
import type { SubscriberApi } from '../worker-subscriber.js';

const POLL_MS = 5;

/**
 * Polls the subscriber worker until `group`'s connections together hold `expectedTotal` messages
 * and returns when the last of them arrived (stamped by the subscriber, so polling adds no error).
 */
export async function waitForDelivery(
  subscribers: WorkerClient<SubscriberApi>,
  group: string,
  expectedTotal: number,
  stallMs: number,
): Promise<bigint> {
  let lastTotal = -1;
  let lastProgress = Date.now();
  for (;;) {
    const counts = (await subscribers.call('counts', undefined))[group];
    if (counts === undefined) throw new BenchError('BENCH_NO_GROUP', `no subscriber group ${group}`);
    if (counts.error !== null) throw new ConnectionLostError(counts.error);
    if (counts.messages > expectedTotal) {
      throw new BenchError('BENCH_OVERDELIVERY', `received ${counts.messages} messages, expected ${expectedTotal}`);
    }
    if (counts.messages === expectedTotal) return counts.lastMessageNs;
    if (counts.messages !== lastTotal) {
      lastTotal = counts.messages;
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress > stallMs) {
      throw new StalledError(`delivery stalled at ${counts.messages} of ${expectedTotal} messages`);
    }
    await sleep(POLL_MS);
  }
}
