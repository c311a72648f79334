// Changes to a ConsumerState, shared by the memory store and the SQLite store's copy of what it wrote.

import type { ConsumerState } from './types.js';

export function emptyConsumerState(): ConsumerState {
  return { deliveredStreamSeq: 0, deliveredConsumerSeq: 0, ackFloorStreamSeq: 0, ackFloorConsumerSeq: 0, pending: new Map(), redelivered: new Map() };
}

export function copyConsumerState(s: ConsumerState): ConsumerState {
  return { ...s, pending: new Map([...s.pending].map(([seq, p]) => [seq, { ...p }])), redelivered: new Map(s.redelivered) };
}

export function recordDelivery(s: ConsumerState, streamSeq: number, consumerSeq: number, timeMs: number, deliveries: number): void {
  if (streamSeq > s.deliveredStreamSeq) s.deliveredStreamSeq = streamSeq;
  if (consumerSeq > s.deliveredConsumerSeq) s.deliveredConsumerSeq = consumerSeq;
  s.pending.set(streamSeq, { consumerSeq, timeMs });
  if (deliveries > 1) s.redelivered.set(streamSeq, deliveries);
}

export function recordAck(s: ConsumerState, streamSeq: number, floorStreamSeq: number, floorConsumerSeq: number): void {
  if (streamSeq > 0) {
    s.pending.delete(streamSeq);
    s.redelivered.delete(streamSeq);
  }
  s.ackFloorStreamSeq = floorStreamSeq;
  s.ackFloorConsumerSeq = floorConsumerSeq;
  dropAtOrBelow(s.pending, floorStreamSeq);
  dropAtOrBelow(s.redelivered, floorStreamSeq);
}

/** Maps keyed by stream sequence hold their keys in delivery order, which is stream order: stop at the first above. */
function dropAtOrBelow(m: Map<number, unknown>, floor: number): void {
  for (const seq of m.keys()) {
    if (seq > floor) return;
    m.delete(seq);
  }
}
