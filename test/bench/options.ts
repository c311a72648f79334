import { tmpdir } from 'node:os';
import { BenchError } from './errors.js';

export type ServerChoice = 'nats' | 'leafgate' | 'both';

export interface BenchOptions {
  only: ServerChoice;
  quick: boolean;
  /** Put a second nats-server in leafgate's place: the ratios then show the harness's own noise. */
  calibrate: boolean;
  /** Runs per scenario and server; the table shows the median. */
  reps: number;
  /** Measure start-up time and idle RSS only, without the load scenarios. */
  startupOnly: boolean;
  /** Only the JetStream scenarios and the restart measurement (no start-up, no core scenarios). */
  jsOnly: boolean;
  /** Only the load scenarios whose id starts with this (`restart`: only the restart measurement); null: all. */
  scenario: string | null;
  /** Messages in the stream the restart measurement builds (and RSS after storing them). */
  jsMessages: number;
  /** Where JetStream servers keep their store directories (on the disk under test, not a tmpfs). */
  storeRoot: string;
  /** Where the JSON results go, relative to the repository root unless absolute. */
  output: string;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [options]   (or: node dist/test/bench/run.js [options])
  --only nats|leafgate|both   which server(s) to measure (default both)
  --quick                     one fifth of the messages, 1 run unless --reps is given
  --reps <n>                  runs per scenario, each loading the servers in turns; medians shown (default 3)
  --calibrate                 run nats-server in leafgate's column too: ratios show the harness noise (~1.0)
  --startup-only              only the start-up measurement (time to INFO, idle RSS; 10 rounds, 3 with --quick)
  --js-only                   only the JetStream scenarios and the restart measurement
  --scenario <prefix>         only the scenarios whose id starts with it (js-kv, js-pub-16, imports, jwt-connect, websocket, ...; restart: only the
                              restart measurement; imports: only the account-import figures), without the
                              start-up measurement
  --js-msgs <n>               messages in the restart measurement's stream (default 1000000, 200000 with --quick)
  --store-dir <dir>           parent of the JetStream store directories (default the OS temp dir; not a tmpfs)
  --output <file>             JSON results (default .bench/last.json)
  --help                      this text`;

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    only: 'both',
    quick: false,
    calibrate: false,
    startupOnly: false,
    jsOnly: false,
    scenario: null,
    jsMessages: 0,
    storeRoot: tmpdir(),
    reps: 0,
    output: '.bench/last.json',
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new BenchError('BENCH_USAGE', `${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === '--quick') options.quick = true;
    else if (arg === '--calibrate') options.calibrate = true;
    else if (arg === '--startup-only') options.startupOnly = true;
    else if (arg === '--js-only') options.jsOnly = true;
    else if (arg === '--scenario') options.scenario = value();
    else if (arg === '--js-msgs') options.jsMessages = parseMessages(value());
    else if (arg === '--store-dir') options.storeRoot = value();
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--only') options.only = parseChoice(value());
    else if (arg === '--reps') options.reps = parseReps(value());
    else if (arg === '--output') options.output = value();
    else throw new BenchError('BENCH_USAGE', `unknown argument ${arg}\n${USAGE}`);
  }
  if (options.reps === 0) options.reps = options.quick ? 1 : 3;
  if (options.jsMessages === 0) options.jsMessages = options.quick ? 200_000 : 1_000_000;
  if (options.startupOnly && options.scenario !== null) throw new BenchError('BENCH_USAGE', '--startup-only and --scenario exclude each other');
  if (options.startupOnly && options.jsOnly) throw new BenchError('BENCH_USAGE', '--startup-only and --js-only exclude each other');
  return options;
}

function parseMessages(text: string): number {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1000) throw new BenchError('BENCH_USAGE', `--js-msgs must be an integer >= 1000, not ${text}`);
  return count;
}

function parseChoice(text: string): ServerChoice {
  if (text === 'nats' || text === 'leafgate' || text === 'both') return text;
  throw new BenchError('BENCH_USAGE', `--only must be nats, leafgate or both, not ${text}`);
}

function parseReps(text: string): number {
  const reps = Number(text);
  if (!Number.isInteger(reps) || reps < 1 || reps > 20) throw new BenchError('BENCH_USAGE', `--reps must be an integer 1..20, not ${text}`);
  return reps;
}
