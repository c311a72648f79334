// Consumers' configuration and state, kept in the stream's file. The table holds what the store
// last wrote (bounded by each consumer's pending acks, i.e. max_ack_pending) and what changed since
// the last commit: a commit writes only the changes (a delivery is one row in, an ack one row out;
// a delivery acked before the commit, nothing), and a failed commit keeps them to write again with
// the next one.

import { copyConsumerState, emptyConsumerState, recordAck, recordDelivery } from '../consumer-state.js';
import type { ConsumerState } from '../types.js';
import type { Statements } from './statements.js';

interface ConsumerRecord {
  configJson: string;
  createdNs: bigint;
  state: ConsumerState | null;
  configDirty: boolean;
  stateDirty: boolean;
  /** Rewrite all pending rows (a new consumer or a whole-state save). */
  replace: boolean;
  /** Pending rows at or below this stream sequence are gone (the ack floor moved). */
  dropUpTo: number;
  /** Stream sequences whose pending row changed. */
  readonly changed: Set<number>;
  /** Stream sequences with a pending row in the file (as of the last flush). */
  readonly stored: Set<number>;
}

export interface LoadedConsumer {
  name: string;
  configJson: string;
  createdNs: bigint;
  state: ConsumerState | null;
}

interface ConsumerRow {
  name: string;
  config: string;
  created_ns: bigint;
  has_state: bigint;
  delivered_stream_seq: bigint;
  delivered_consumer_seq: bigint;
  ack_floor_stream_seq: bigint;
  ack_floor_consumer_seq: bigint;
}

interface PendingRow {
  stream_seq: number;
  consumer_seq: number;
  time_ms: number;
  deliveries: number;
}

export class ConsumerTable {
  private readonly st: Statements;
  private readonly records = new Map<string, ConsumerRecord>();
  private readonly removed = new Set<string>();
  private readonly touched = new Set<string>();

  constructor(st: Statements) {
    this.st = st;
    for (const row of st.readConsumers.all() as ConsumerRow[]) {
      let state: ConsumerState | null = null;
      const stored = new Set<number>();
      if (row.has_state !== 0n) {
        state = emptyConsumerState();
        state.deliveredStreamSeq = Number(row.delivered_stream_seq);
        state.deliveredConsumerSeq = Number(row.delivered_consumer_seq);
        state.ackFloorStreamSeq = Number(row.ack_floor_stream_seq);
        state.ackFloorConsumerSeq = Number(row.ack_floor_consumer_seq);
        for (const p of st.readPending.all(row.name) as PendingRow[]) {
          stored.add(p.stream_seq);
          state.pending.set(p.stream_seq, { consumerSeq: p.consumer_seq, timeMs: p.time_ms });
          if (p.deliveries > 1) state.redelivered.set(p.stream_seq, p.deliveries);
        }
      }
      this.records.set(row.name, { ...clean(), stored, configJson: row.config, createdNs: row.created_ns, state });
    }
  }

  list(): LoadedConsumer[] {
    return [...this.records].map(([name, c]) => ({ name, configJson: c.configJson, createdNs: c.createdNs, state: c.state === null ? null : copyConsumerState(c.state) }));
  }

  save(name: string, configJson: string, createdNs: bigint): void {
    const c = this.records.get(name);
    if (c === undefined) this.records.set(name, { ...clean(), configJson, createdNs, state: null, configDirty: true, replace: true });
    else {
      c.configJson = configJson;
      c.createdNs = createdNs;
      c.configDirty = true;
    }
    this.touched.add(name);
  }

  saveState(name: string, state: ConsumerState): void {
    const c = this.records.get(name);
    if (c === undefined) return;
    c.state = copyConsumerState(state);
    c.replace = true;
    c.stateDirty = true;
    this.touched.add(name);
  }

  delivered(name: string, streamSeq: number, consumerSeq: number, timeMs: number, deliveries: number): void {
    const c = this.records.get(name);
    if (c === undefined) return;
    recordDelivery((c.state ??= emptyConsumerState()), streamSeq, consumerSeq, timeMs, deliveries);
    c.changed.add(streamSeq);
    c.stateDirty = true;
    this.touched.add(name);
  }

  acked(name: string, streamSeq: number, floorStreamSeq: number, floorConsumerSeq: number): void {
    const c = this.records.get(name);
    if (c === undefined) return;
    recordAck((c.state ??= emptyConsumerState()), streamSeq, floorStreamSeq, floorConsumerSeq);
    if (streamSeq > 0) c.changed.add(streamSeq);
    if (floorStreamSeq > c.dropUpTo) c.dropUpTo = floorStreamSeq;
    c.stateDirty = true;
    this.touched.add(name);
  }

  remove(name: string): void {
    if (!this.records.delete(name)) return;
    this.removed.add(name);
    this.touched.delete(name);
  }

  /** Writes every change since the last commit, inside the open transaction. */
  flush(): void {
    const st = this.st;
    for (const name of this.removed) {
      st.deleteConsumer.run(name);
      st.deletePendingAll.run(name);
    }
    for (const name of this.touched) {
      const c = this.records.get(name) as ConsumerRecord;
      if (c.configDirty) st.upsertConsumer.run(name, c.configJson, c.createdNs);
      const s = c.state;
      const stored = c.stored;
      if (c.replace) {
        st.deletePendingAll.run(name);
        stored.clear();
        if (s !== null) {
          for (const [seq, p] of s.pending) {
            st.upsertPending.run(name, seq, p.consumerSeq, p.timeMs, s.redelivered.get(seq) ?? 1);
            stored.add(seq);
          }
        }
      } else if (s !== null) {
        if (c.dropUpTo > 0) dropStoredUpTo(st, name, stored, c.dropUpTo);
        for (const seq of c.changed) {
          const p = s.pending.get(seq);
          if (p === undefined) {
            if (stored.delete(seq)) st.deletePending.run(name, seq);
          } else {
            st.upsertPending.run(name, seq, p.consumerSeq, p.timeMs, s.redelivered.get(seq) ?? 1);
            stored.add(seq);
          }
        }
      }
      if (s !== null && (c.stateDirty || c.replace)) st.writeConsumerState.run(s.deliveredStreamSeq, s.deliveredConsumerSeq, s.ackFloorStreamSeq, s.ackFloorConsumerSeq, name);
    }
  }

  /** The flushed changes are durable: forget them. */
  committed(): void {
    for (const name of this.touched) {
      const c = this.records.get(name);
      if (c === undefined) continue;
      c.configDirty = false;
      c.stateDirty = false;
      c.replace = false;
      c.dropUpTo = 0;
      c.changed.clear();
    }
    this.touched.clear();
    this.removed.clear();
  }

  /**
   * The flushed changes were rolled back: which pending rows the file holds is no longer known, so
   * the next commit rewrites them for every consumer it touched.
   */
  rolledBack(): void {
    for (const name of this.touched) {
      const c = this.records.get(name);
      if (c !== undefined) c.replace = true;
    }
  }
}

/** Drops the pending rows at or below the ack floor, with one statement when there are any. */
function dropStoredUpTo(st: Statements, name: string, stored: Set<number>, floor: number): void {
  let any = false;
  for (const seq of stored) {
    if (seq <= floor) {
      stored.delete(seq);
      any = true;
    }
  }
  if (any) st.deletePendingUpTo.run(name, floor);
}

function clean(): Omit<ConsumerRecord, 'configJson' | 'createdNs' | 'state'> {
  return { configDirty: false, stateDirty: false, replace: false, dropUpTo: 0, changed: new Set(), stored: new Set() };
}
