// Where a start time falls in a stream: consumers and sources starting by time ask it.

import type { StreamStore } from './types.js';

/**
 * The first sequence stored at or after `ns` (a binary search over the stream's times). A time after the last
 * message gives 0, which the caller clamps to the first sequence: nats-server 2.9.10's file store answers so,
 * and a start time in the future then delivers the whole stream (observed).
 */
export function seqFromTime(store: StreamStore, ns: bigint, first: number, last: number): number {
  let lo = first;
  let hi = last + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const m = store.loadNext('', mid);
    if (m === null || m.seq > last) hi = mid;
    else if (m.timeNs >= ns) hi = mid;
    else lo = m.seq + 1;
  }
  return lo > last ? 0 : lo;
}
