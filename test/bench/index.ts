/**
 * The load generator's reusable parts, for its tests and for anyone driving a server by hand.
 * `run.ts` is the `npm run bench` entry point and is not exported.
 */
export { BenchError, ConnectionLostError, FrameShapeError, ServerStartError, StalledError } from './errors.js';
export { DEFAULT_VERIFIED_FRAMES, FrameReader, type FrameReaderEvents } from './frame-reader.js';
export {
  CRLF,
  DEFAULT_BATCH_BYTES,
  FrameBatch,
  NUMBER_WIDTH,
  NumberedFrame,
  PING,
  PONG,
  benchPayload,
  connectFrame,
  fixedWidth,
  msgFrame,
  numberedSubjects,
  pubFrame,
  subFrame,
} from './nats-wire.js';
export { createDurablePull, createStream, directGet, directMessage, nextSubject, streamState, type StoredMessage, type StreamSetup, type StreamState } from './js-api.js';
export { JsConnection, type NumberedReplyHandler, type Reply } from './js-connection.js';
export { PullReader, type PullResult } from './js-pull.js';
export { NumberedTemplate, WindowedPublisher, numberedPub, publishNumberOf, selfNumberedPub, type WindowResult } from './js-window.js';
export { measureRestart, type RestartRecord, type RestartSample, type RestartSetup } from './js-restart.js';
export { ServerFrameParser, type ServerFrameEvents } from './server-frames.js';
export { USAGE, parseBenchArgs, type BenchOptions, type ServerChoice } from './options.js';
export { RawConnection, type RawConnectionOptions } from './raw-connection.js';
export { formatCpuUse, formatTable, summarize, type Cell, type RunRecord, type Side, type SideKey, type SummaryRow } from './report.js';
export {
  REPO_ROOT,
  ServerProcess,
  findNatsServer,
  freePort,
  killAllServers,
  leafgateLauncher,
  natsServerLauncher,
  processWriteBytes,
  withJetStream,
  type ServerCommand,
  type ServerLauncher,
  type ServerMemory,
  type SyncSetting,
} from './servers.js';
export { benchScenarios, jetStreamScenarios, type MetricSpec, type Scenario, type ScenarioOutcome, type ScenarioResult } from './scenarios/index.js';
export { requestReplyScenario, type RequestReplyConfig } from './scenarios/request-reply.js';
export { throughputScenario, type ThroughputConfig } from './scenarios/throughput.js';
export { mean, median, percentile, ratePerSecond } from './stats.js';
export {
  FLOOR_KEY,
  LEAFGATE_TARGET,
  measureStartup,
  startupCommand,
  startupSubjects,
  type StartupPorts,
  type StartupSample,
  type StartupSubject,
  type StartupTarget,
} from './startup.js';
export { formatStartupTable, summarizeStartup, type StartupCell, type StartupRow } from './startup-report.js';
