/** Runs a scenario against freshly started servers and records what it measured, with RSS and CPU use. */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchError } from './errors.js';
import type { RunRecord } from './report.js';
import type { Scenario, ScenarioOutcome, ScenarioResult } from './scenarios/index.js';
import { ServerProcess, withJetStream } from './servers.js';
import type { SideSetup } from './sides.js';

/** Where JetStream scenarios put their servers' store directories (each removed after its run). */
export interface RunContext {
  storeRoot: string;
}

/** Let a freshly started server settle before its idle RSS is read. */
const SETTLE_MS = 300;
const RUN_TIMEOUT_MS = 180_000;

interface StartedServer {
  side: SideSetup;
  server: ServerProcess;
  idleRssKb: number;
  cpuAtStartS: number;
  storeDir: string | null;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchError('BENCH_TIMEOUT', `${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function startServer(side: SideSetup, scenario: Scenario, context: RunContext): Promise<StartedServer> {
  const storeDir = scenario.jetstream === undefined ? null : mkdtempSync(join(context.storeRoot, `leafgate-bench-${side.key}-`));
  try {
    const launcher =
      storeDir === null ? side.launcher : withJetStream(side.launcher, storeDir, side.program === 'leafgate' ? (scenario.jetstream?.leafgateSync ?? null) : null);
    const server = await ServerProcess.start(side.label, launcher);
    try {
      await sleep(SETTLE_MS);
      return { side, server, idleRssKb: server.memory().rssKb, cpuAtStartS: 0, storeDir };
    } catch (error) {
      await server.stop();
      throw error;
    }
  } catch (error) {
    removeStore(storeDir);
    throw error;
  }
}

function removeStore(storeDir: string | null): void {
  if (storeDir !== null) rmSync(storeDir, { recursive: true, force: true });
}

function asRunError(error: unknown): RunRecord['error'] {
  const failure = error as Error & { code?: string };
  return { code: failure.code ?? 'BENCH_RUN', message: failure.message };
}

/**
 * The record of one server's part in a run. Server CPU is divided by the time the scenario spent
 * on that server (its `active_ms`), since the servers take turns; a server that died takes
 * precedence over any result.
 */
function recordFor(
  scenario: Scenario,
  started: StartedServer,
  rep: number,
  wall: { ms: number; generatorCores: number },
  outcome: ScenarioOutcome,
): RunRecord {
  const { server, side } = started;
  const result: ScenarioResult | null = outcome.result;
  const activeMs = result?.active_ms ?? wall.ms;
  const record: RunRecord = {
    scenario: scenario.id,
    side: side.key,
    rep,
    pid: server.pid,
    port: server.port,
    wallMs: wall.ms,
    idleRssKb: started.idleRssKb,
    peakRssKb: null,
    serverCores: server.alive ? ((server.cpuSeconds() - started.cpuAtStartS) * 1000) / activeMs : Number.NaN,
    generatorCores: wall.generatorCores,
    result,
    error: outcome.error === null ? null : asRunError(outcome.error),
  };
  if (!server.alive) {
    const why = record.error === null ? '' : ` (${record.error.message})`;
    record.result = null;
    record.error = { code: 'BENCH_SERVER_DIED', message: `${side.label} exited (${server.exitStatus}) during the run${why}\n${server.recentOutput}` };
  } else if (scenario.reportsPeakRss && result !== null) {
    record.peakRssKb = server.memory().peakRssKb;
  }
  return record;
}

/** One run: a fresh server per side, the scenario driving all of them in turns, then stop them all. */
export async function runScenario(scenario: Scenario, sides: readonly SideSetup[], rep: number, context: RunContext): Promise<RunRecord[]> {
  const started: StartedServer[] = [];
  try {
    for (const side of sides) started.push(await startServer(side, scenario, context));
    for (const one of started) one.cpuAtStartS = one.server.cpuSeconds();
    const ports = new Map(started.map(({ side, server }) => [side.key as string, server.port]));
    const pids = new Map(started.map(({ side, server }) => [side.key as string, server.pid]));
    const beganMs = Date.now();
    const generatorBefore = process.cpuUsage();
    let outcomes: Map<string, ScenarioOutcome> | null = null;
    let failure: Error | null = null;
    try {
      outcomes = await withTimeout(scenario.run(ports, pids), RUN_TIMEOUT_MS, scenario.id);
    } catch (error) {
      failure = error as Error;
    }
    const wallMs = Math.max(1, Date.now() - beganMs);
    const generator = process.cpuUsage(generatorBefore);
    const wall = { ms: wallMs, generatorCores: (generator.user + generator.system) / 1000 / wallMs };
    return started.map((one) => {
      const outcome = outcomes?.get(one.side.key) ?? {
        result: null,
        error: failure ?? new BenchError('BENCH_RUN', 'the scenario gave no outcome for this server'),
      };
      return recordFor(scenario, one, rep, wall, outcome);
    });
  } finally {
    await Promise.all(started.map(({ server }) => server.stop()));
    for (const { storeDir } of started) removeStore(storeDir);
  }
}
