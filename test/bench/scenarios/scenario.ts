import type { SyncSetting } from '../servers.js';

/** One figure a scenario produces, as shown in the table. */
export interface MetricSpec {
  key: string;
  label: string;
  unit: 'msgs/s' | 'ops/s' | 'µs' | 'ms' | 'MiB' | 'B/msg';
  better: 'higher' | 'lower';
  /** leafgate/nats-server ratio the issue asks for, if any. */
  targetRatio?: number;
}

/**
 * Everything a run measured for one server; keys beyond the shown metrics go to the JSON only.
 * Every scenario sets `active_ms`: the wall time during which it was loading that server.
 */
export type ScenarioResult = Record<string, number>;

/** The outcome for one server. */
export type ScenarioOutcome = { result: ScenarioResult; error: null } | { result: null; error: Error };

/**
 * A measurement run against every server under test at once. The scenario takes turns between the
 * servers in short blocks (reversing the order each round), so that both see the same mix of
 * machine states: on a small shared VM, throughput and latency levels shift over seconds with other
 * load, thread placement and idle wake-ups. Only the server whose turn it is gets traffic.
 */
export interface Scenario {
  id: string;
  title: string;
  /** Shown in the table, in this order. */
  metrics: MetricSpec[];
  /** The server's VmHWM after this scenario is reported as its peak RSS under load. */
  reportsPeakRss: boolean;
  /**
   * Start every server with JetStream over a fresh store directory; leafgate at this sync_interval
   * (nats-server at its default).
   */
  jetstream?: { leafgateSync: SyncSetting };
  /**
   * `ports` maps a server key to its port, `pids` (when the servers are local processes) to its
   * process id; the answer has one outcome per key.
   */
  run(ports: ReadonlyMap<string, number>, pids?: ReadonlyMap<string, number>): Promise<Map<string, ScenarioOutcome>>;
}
