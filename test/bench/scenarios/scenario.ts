/** One figure a scenario produces, as shown in the table. */
export interface MetricSpec {
  key: string;
  label: string;
  unit: 'msgs/s' | 'µs' | 'MiB';
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
  /** `ports` maps a server key to its port; the answer has one outcome per key. */
  run(ports: ReadonlyMap<string, number>): Promise<Map<string, ScenarioOutcome>>;
}
