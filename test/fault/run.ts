/**
 * `npm run fault`: kill -9 cycles against leafgate -js (default 100), then the count of acked
 * messages lost or duplicated over all of them; then, through a link broken at random (default 100k
 * messages each), the uplink into a nats-server hub and a leafgate hub, and a leafgate edge stream
 * sourcing a nats-server hub stream and mirroring a leafgate one. Exit status 1 when any acked
 * message was lost, duplicated or stored out of order.
 *   node dist/test/fault/run.js [--cycles N] [--sync always|2m] [--window N] [--store-dir DIR] [--uplink-messages N] [--only kill|uplink|source]
 */
import { tmpdir } from 'node:os';
import { killAllServers, type SyncSetting } from '../bench/servers.js';
import { runKillCycle, type CycleReport, type KillCycleOptions } from './kill-cycle.js';
import type { ChaosOptions, ChaosReport } from './chaos-flow.js';
import type { Cleanups } from '../interop/leaf-pair.js';
import { runSourceChaos } from './source-chaos.js';
import { runUplinkChaos } from './uplink-chaos.js';

const USAGE =
  'usage: npm run fault -- [--cycles N (100)] [--sync always|2m (leafgate default)] [--window N (256)] [--store-dir DIR (OS temp dir)] [--uplink-messages N (100000)] [--only kill|uplink|source]';
const KILL_AFTER_MS = [20, 1000] as const;

interface FaultOptions {
  cycles: number;
  cycle: KillCycleOptions;
  uplinkMessages: number;
  only: 'kill' | 'uplink' | 'source' | null;
}

function parseArgs(argv: readonly string[]): FaultOptions {
  const options: FaultOptions = { cycles: 100, cycle: { storeRoot: tmpdir(), window: 256, payloadSize: 64, killAfterMs: KILL_AFTER_MS, sync: null }, uplinkMessages: 100_000, only: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
    if (arg === '--cycles') options.cycles = positive(arg, value);
    else if (arg === '--window') options.cycle.window = positive(arg, value);
    else if (arg === '--store-dir') options.cycle.storeRoot = value;
    else if (arg === '--uplink-messages') options.uplinkMessages = positive(arg, value);
    else if (arg === '--only' && (value === 'kill' || value === 'uplink' || value === 'source')) options.only = value;
    else if (arg === '--sync' && (value === 'always' || value === '2m')) options.cycle.sync = value satisfies SyncSetting;
    else throw new Error(`bad argument ${arg} ${value}\n${USAGE}`);
  }
  return options;
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not ${text}`);
  return n;
}

function cycleLine(index: number, cycles: number, report: CycleReport): string {
  const failures = report.lostAcked + report.duplicatedAcked + report.outOfOrder;
  return (
    `cycle ${String(index + 1).padStart(String(cycles).length)}/${cycles}: killed ${report.killAfterMs} ms after the first PubAck; ` +
    `sent ${report.sent}, acked ${report.acked}, stored ${report.stored} (${report.storedUnacked} unacked)` +
    (failures === 0 ? '' : `; LOST ${report.lostAcked}, DUPLICATED ${report.duplicatedAcked}, OUT OF ORDER ${report.outOfOrder}: ${report.problems.join('; ')}`)
  );
}

async function main(argv: string[]): Promise<number> {
  const options = parseArgs(argv);
  const killed = options.only === null || options.only === 'kill' ? await killCycles(options) : 0;
  const messages = options.uplinkMessages;
  let broken = 0;
  if (options.only === null || options.only === 'uplink') {
    for (const hubKind of ['nats-server', 'leafgate'] as const) {
      broken += await chaos(`uplink: ${messages} messages from a leafgate edge into a ${hubKind} hub stream`, (t, o) => runUplinkChaos(t, o), { ...CHAOS, messages, hubKind });
    }
  }
  if (options.only === null || options.only === 'source') {
    broken += await chaos(`source: a leafgate edge stream sourcing ${messages} messages of a nats-server hub stream`, (t, o) => runSourceChaos(t, { ...o, mirror: false }), { ...CHAOS, messages, hubKind: 'nats-server' });
    broken += await chaos(`mirror: a leafgate edge stream mirroring ${messages} messages of a leafgate hub stream`, (t, o) => runSourceChaos(t, { ...o, mirror: true }), { ...CHAOS, messages, hubKind: 'leafgate' });
  }
  return killed + broken === 0 ? 0 : 1;
}

const CHAOS = { faultEveryMs: 1000, publishOverMs: 30_000, drainTimeoutMs: 300_000 } as const;

/** One run through a link broken at random; the count of problems. */
async function chaos(title: string, run: (t: Cleanups, o: ChaosOptions) => Promise<ChaosReport>, o: ChaosOptions): Promise<number> {
  const cleanups: (() => unknown)[] = [];
  console.log(`\n${title}, through a link cut, stalled, slowed and half-closed at random`);
  try {
    const r = await run({ after: (fn) => cleanups.push(fn) }, o);
    const faults = Object.entries(r.faults).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`  ${r.seconds.toFixed(0)} s, seed ${r.seed}; faults: ${faults}; held ${r.held} of ${r.messages}: missing ${r.missing}, duplicated ${r.duplicates}, out of order ${r.outOfOrder}`);
    return r.missing + r.duplicates + r.outOfOrder + (r.held === r.messages ? 0 : 1);
  } finally {
    for (const fn of cleanups.reverse()) await fn();
  }
}

async function killCycles(options: FaultOptions): Promise<number> {
  const { cycle } = options;
  console.log(
    `leafgate fault: ${options.cycles} kill -9 cycles; windowed publish (${cycle.window} in flight, ${cycle.payloadSize} B, Nats-Msg-Id) to a file stream, ` +
      `SIGKILL ${KILL_AFTER_MS[0]}..${KILL_AFTER_MS[1]} ms after the first PubAck, restart on the same store, read back by DIRECT.GET; ` +
      `sync_interval ${cycle.sync ?? 'default (always)'}`,
  );
  const totals = { sent: 0, acked: 0, stored: 0, storedUnacked: 0, lostAcked: 0, duplicatedAcked: 0, outOfOrder: 0 };
  const began = Date.now();
  for (let i = 0; i < options.cycles; i++) {
    const report = await runKillCycle(cycle);
    console.log(cycleLine(i, options.cycles, report));
    for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += report[key];
  }
  console.log(
    `\n${options.cycles} cycles in ${((Date.now() - began) / 1000).toFixed(0)} s: sent ${totals.sent}, acked ${totals.acked}, stored ${totals.stored} ` +
      `(${totals.storedUnacked} stored without a PubAck), out of order ${totals.outOfOrder}`,
  );
  console.log(`lost acked: ${totals.lostAcked}, duplicated acked: ${totals.duplicatedAcked}`);
  return totals.lostAcked + totals.duplicatedAcked + totals.outOfOrder;
}

/** Node's test runner loads every .js under a test folder; this script is not a test and stays inert there. */
if (process.env.NODE_TEST_CONTEXT === undefined) {
  process.once('SIGINT', () => {
    killAllServers();
    process.exit(130);
  });
  process.on('exit', killAllServers);
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      killAllServers();
      console.error(error);
      process.exitCode = 2;
    },
  );
}
