/**
 * `npm run bench`: the figures for leafgate and nats-server, measured in the same run with
 * the same load generator, a fresh server process per run and the server order alternated.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { BenchError, ServerStartError } from './errors.js';
import { describeMachine, type MachineInfo } from './machine.js';
import { USAGE, parseBenchArgs, type BenchOptions } from './options.js';
import { runScenario, type RunContext } from './execute.js';
import { measureRestart, type RestartRecord } from './js-restart.js';
import { formatRestartTable } from './js-restart-report.js';
import { formatCpuUse, formatTable, formatValue, summarize, type RunRecord, type Side } from './report.js';
import { benchScenarios, jetStreamScenarios, type Scenario } from './scenarios/index.js';
import { runImportsBench } from './imports.js';
import { runJwtConnectBench } from './jwt-connect.js';
import { runWebsocketBench } from './websocket.js';
import { runMqttBench } from './mqtt.js';
import { runLeafBench } from './leaf.js';
import { runLeafDrainBench } from './leaf-drain.js';
import { runLeafSourceBench } from './leaf-source.js';
import { runBridgeDrainBench } from './mqtt-bridge.js';
import { REPO_ROOT, killAllServers } from './servers.js';
import { benchSides, type SideSetup } from './sides.js';
import { measureStartup, startupSubjects, type StartupSample, type StartupSubject } from './startup.js';
import { formatStartupTable, summarizeStartup, type StartupRow } from './startup-report.js';

const EXIT_OK = 0;
const EXIT_SETUP_FAILED = 1;
const EXIT_RUN_FAILED = 2;
const STARTUP_ROUNDS = 10;
const STARTUP_ROUNDS_QUICK = 3;
const RESTART_ROUNDS = 3;
const RESTART_ROUNDS_QUICK = 1;

interface StartupResults {
  rounds: number;
  subjects: StartupSubject[];
  summary: StartupRow[];
  samples: StartupSample[];
}

function progressLine(scenario: Scenario, record: RunRecord, sides: Side[], reps: number): string {
  const label = sides.find((side) => side.key === record.side)?.label ?? record.side;
  const head = `  ${scenario.id.padEnd(14)} ${label.padEnd(13)} run ${record.rep + 1}/${reps}`;
  if (record.result === null) return `${head}  FAILED ${record.error?.code}: ${record.error?.message.split('\n')[0]}`;
  const result = record.result;
  const figures = scenario.metrics.map((metric) => {
    const value = result[metric.key] ?? Number.NaN;
    return `${metric.label} ${formatValue(value, metric.unit)} ${metric.unit}`;
  });
  return `${head}  ${figures.join(', ')}  (server ${record.serverCores.toFixed(2)} cores busy)`;
}

function printHeader(options: BenchOptions, machine: MachineInfo, sides: SideSetup[], command: string): void {
  console.log(`leafgate bench: ${command}`);
  console.log(
    `machine: ${machine.cpuModel}, ${machine.cpus} CPUs, ${machine.memoryMiB} MiB, Linux ${machine.kernel}, node ${machine.node}; ${machine.natsServerVersion}`,
  );
  console.log(
    `note: publisher, subscribers and requester run as worker threads of this process and share the ${machine.cpus} CPUs\n` +
      '      with the server under test, so absolute figures are capped by the machine; the ratios compare both servers\n' +
      '      under the same load generator. Every run starts both servers fresh and gives them the load in turns\n' +
      '      (blocks of messages or round trips, order reversed each round), so that both see the same machine\n' +
      '      states: on a small shared VM the levels shift over seconds with other load and thread placement.',
  );
  console.log(
    `mode: ${options.quick ? 'quick' : 'full'}, ${options.reps} run(s) per scenario; values are medians over runs (± half the min..max\n` +
      '      spread), ratios the median of the per-run ratios',
  );
  for (const side of sides) console.log(`server ${side.label}: ${side.command}   (cwd ${REPO_ROOT})`);
  if (!options.startupOnly) {
    console.log(
      `JetStream runs add -js -sd <fresh dir under ${options.storeRoot}>; leafgate also -c <file> holding jetstream { sync_interval: "always" | "2m" }\n` +
        '      as the scenario says; nats-server runs at its default (2.9.10: fsync every 2 minutes)',
    );
  }
  if (options.calibrate) console.log('calibration: both columns are nats-server, so every ratio should be close to 1.00x');
  console.log('');
}

/** Starts floor, nats-server and leafgate in turns; prints one line per round. */
async function runStartup(options: BenchOptions, natsBinary: string | null): Promise<StartupResults> {
  const subjects = startupSubjects(options.only === 'leafgate' ? null : natsBinary, options.only !== 'nats');
  const rounds = options.quick ? STARTUP_ROUNDS_QUICK : STARTUP_ROUNDS;
  console.log(`start-up: time from spawn to the first INFO a connecting client receives, and VmRSS when idle just after`);
  for (const subject of subjects) console.log(`  ${subject.key.padEnd(18)} ${[subject.file, ...subject.args].join(' ')}`);
  const samples = await measureStartup(subjects, rounds, (started) => {
    const parts = started.map((sample) =>
      sample.error === null
        ? `${sample.subject} ${sample.readyMs?.toFixed(0)} ms ${((sample.idleRssKb ?? 0) / 1024).toFixed(1)} MiB`
        : `${sample.subject} FAILED`,
    );
    console.log(`  round ${(started[0]?.round ?? 0) + 1}/${rounds}: ${parts.join(', ')}`);
  });
  console.log('');
  return { rounds, subjects, summary: summarizeStartup(subjects, samples), samples };
}

/** Builds the big stream on each server, then restarts them in turns; prints progress lines. */
async function runRestart(options: BenchOptions, sides: SideSetup[]): Promise<{ rounds: number; records: RestartRecord[] }> {
  const rounds = options.quick ? RESTART_ROUNDS_QUICK : RESTART_ROUNDS;
  console.log(
    `JetStream restart: store ${options.jsMessages.toLocaleString('en-US')} messages of 128 B (window 256; leafgate at sync_interval 2m,\n` +
      '  nats-server at its default), read them back through a durable pull consumer (fetches of 500, each message acked),\n' +
      '  stop, then start again over the same store and time spawn -> first answers',
  );
  const records = await measureRestart(sides, { messages: options.jsMessages, rounds, storeRoot: options.storeRoot }, (line) => console.log(line));
  console.log('');
  return { rounds, records };
}

function writeJson(path: string, content: unknown): string {
  const file = isAbsolute(path) ? path : join(REPO_ROOT, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
  return file;
}

function selectScenarios(options: BenchOptions): Scenario[] {
  if (options.startupOnly) return [];
  const all = [...(options.jsOnly ? [] : benchScenarios(options.quick)), ...jetStreamScenarios(options.quick)];
  const prefix = options.scenario;
  return prefix === null ? all : all.filter((scenario) => scenario.id.startsWith(prefix));
}

async function main(argv: string[]): Promise<number> {
  const options = parseBenchArgs(argv);
  if (options.help) {
    console.log(USAGE);
    return EXIT_OK;
  }
  const command = ['node', relative(REPO_ROOT, process.argv[1] ?? 'dist/test/bench/run.js'), ...argv].join(' ');
  const { sides, natsBinary } = benchSides(options);
  const machine = describeMachine(natsBinary);
  const scenarios = selectScenarios(options);
  const context: RunContext = { storeRoot: options.storeRoot };
  printHeader(options, machine, sides, command);

  const startedAt = new Date();
  const startup = options.calibrate || options.jsOnly || options.scenario !== null ? null : await runStartup(options, natsBinary);
  const runs: RunRecord[] = [];
  let setupError: Error | null = null;
  try {
    for (const [index, scenario] of scenarios.entries()) {
      console.log(`${scenario.title}`);
      for (let rep = 0; rep < options.reps; rep++) {
        const order = (index + rep) % 2 === 0 ? sides : [...sides].reverse();
        const records = await runScenario(scenario, order, rep, context);
        for (const record of records) {
          runs.push(record);
          console.log(progressLine(scenario, record, sides, options.reps));
        }
        const first = records[0];
        if (first !== undefined) {
          console.log(`    (run took ${(first.wallMs / 1000).toFixed(1)} s; load generator ${first.generatorCores.toFixed(2)} cores busy)`);
        }
      }
    }
  } catch (error) {
    if (!(error instanceof ServerStartError)) throw error;
    setupError = error;
  }
  const restartWanted = !options.startupOnly && (options.scenario === null || 'restart'.startsWith(options.scenario));
  const restart = !restartWanted || setupError !== null ? null : await runRestart(options, sides);
  const importsWanted = !options.startupOnly && !options.jsOnly && natsBinary !== null && setupError === null && (options.scenario === null || 'imports'.startsWith(options.scenario));
  const extraLines: string[] = [];
  if (importsWanted) {
    console.log('account imports (direct and through an import, alternating)');
    await runImportsBench(natsBinary, options.quick, (line) => extraLines.push(line));
  }
  const jwtWanted = !options.startupOnly && !options.jsOnly && natsBinary !== null && setupError === null && (options.scenario === null || 'jwt-connect'.startsWith(options.scenario));
  if (jwtWanted) {
    console.log('JWT logins (operator mode, alternating)');
    await runJwtConnectBench(natsBinary, options.quick, (line) => extraLines.push(line));
  }
  const websocketWanted = !options.startupOnly && !options.jsOnly && natsBinary !== null && setupError === null && (options.scenario === null || 'websocket'.startsWith(options.scenario));
  if (websocketWanted) {
    console.log('NATS over WebSocket (TCP and WebSocket, alternating)');
    await runWebsocketBench(natsBinary, options.quick, (line) => extraLines.push(line));
  }
  const leafWanted = !options.startupOnly && !options.jsOnly && natsBinary !== null && setupError === null && (options.scenario === null || 'leaf'.startsWith(options.scenario));
  if (leafWanted) {
    console.log('Leaf link (a leafgate edge and a nats-server edge on one nats-server hub, alternating)');
    await runLeafBench(natsBinary, options.quick, (line) => extraLines.push(line));
  }
  const drainWanted = !options.startupOnly && !options.jsOnly && natsBinary !== null && setupError === null && (options.scenario === null || 'leaf-drain'.startsWith(options.scenario));
  if (drainWanted) {
    console.log('Uplink backlog drain (leafgate uplink and nats-server stream sourcing into one nats-server hub)');
    await runLeafDrainBench(options.quick, (line) => extraLines.push(line));
  }
  const sourceWanted = !options.startupOnly && !options.jsOnly && natsBinary !== null && setupError === null && (options.scenario === null || 'leaf-source'.startsWith(options.scenario));
  if (sourceWanted) {
    console.log('Stream sourcing across a leaf link (a leafgate edge and a nats-server edge reading one nats-server hub stream, in turns)');
    await runLeafSourceBench(options.quick, (line) => extraLines.push(line));
  }
  const mqttWanted = !options.startupOnly && !options.jsOnly && natsBinary !== null && setupError === null && (options.scenario === null || 'mqtt'.startsWith(options.scenario));
  if (mqttWanted) {
    console.log('MQTT (leafgate, nats-server and mosquitto, alternating)');
    await runMqttBench(natsBinary, options.quick, (line) => extraLines.push(line));
  }
  const bridgeWanted = !options.startupOnly && !options.jsOnly && setupError === null && (options.scenario === null || 'mqtt-bridge'.startsWith(options.scenario));
  if (bridgeWanted) {
    console.log('MQTT bridge outbox drain (leafgate into mosquitto)');
    await runBridgeDrainBench(options.quick, (line) => extraLines.push(line));
  }

  const rows = summarize(scenarios, runs, sides);
  const failedRuns = runs.filter((run) => run.error !== null);
  const failedStarts = startup?.samples.filter((sample) => sample.error !== null) ?? [];
  if (startup !== null) {
    console.log(`start-up, medians of ${startup.rounds} rounds (± half the min..max spread); vs floor: median of the per-round ratio / difference`);
    console.log(formatStartupTable(startup.summary));
  }
  if (scenarios.length > 0) {
    console.log('');
    console.log(formatTable(rows, sides));
    console.log('');
    console.log(formatCpuUse(scenarios, runs, sides));
  }
  if (restart !== null) {
    console.log('');
    console.log(`JetStream restart with ${options.jsMessages.toLocaleString('en-US')} stored messages of 128 B (restarts: medians of ${restart.rounds})`);
    console.log(formatRestartTable(restart.records, options.jsMessages));
  }
  if (extraLines.length > 0) console.log(['', ...extraLines].join('\n'));
  const failedRestarts = restart?.records.flatMap((record) => [
    ...(record.error === null ? [] : [`build on ${record.label}: ${record.error}`]),
    ...record.restarts.filter((sample) => sample.error !== null).map((sample) => `restart ${sample.round + 1} of ${record.label}: ${sample.error}`),
  ]) ?? [];
  for (const failure of failedRestarts) console.log(`\nFAILED JetStream ${failure}`);
  for (const sample of failedStarts) console.log(`\nFAILED start-up of ${sample.subject} (round ${sample.round + 1}): ${sample.error}`);
  for (const run of failedRuns) console.log(`\nFAILED ${run.scenario} on ${run.side} (run ${run.rep + 1}): ${run.error?.code}: ${run.error?.message}`);
  if (setupError !== null) console.log(`\nABORTED: ${setupError.message}`);

  const finishedAt = new Date();
  const file = writeJson(options.output, {
    command,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationS: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    options,
    machine,
    servers: sides.map(({ key, label, command: launch }) => ({ key, label, command: launch, cwd: REPO_ROOT })),
    startup,
    restart,
    summary: rows,
    runs,
    aborted: setupError === null ? null : setupError.message,
  });
  const shownFile = file.startsWith(`${process.cwd()}/`) ? relative(process.cwd(), file) : file;
  console.log(`\nresults: ${shownFile}  (${((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(0)} s)`);

  if (setupError !== null) return EXIT_SETUP_FAILED;
  return failedRuns.length > 0 || failedStarts.length > 0 || failedRestarts.length > 0 ? EXIT_RUN_FAILED : EXIT_OK;
}

/**
 * Node 20's test runner, given a directory (`node --test dist/test/`), runs every .js file under a
 * `test` folder, this one included; it marks its children with NODE_TEST_CONTEXT. The bench takes
 * minutes and is not a test, so it stays inert there.
 */
function startedByTestRunner(): boolean {
  return process.env.NODE_TEST_CONTEXT !== undefined;
}

function start(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllServers();
      process.exit(130);
    });
  }
  process.on('exit', killAllServers);
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error & { code?: string }) => {
      killAllServers();
      console.error(error instanceof BenchError ? `${error.code}: ${error.message}` : error);
      process.exitCode = EXIT_SETUP_FAILED;
    },
  );
}

if (!startedByTestRunner()) start();
