// Public face of the config subsystem: nats-server config files to typed, frozen Options.

export * from './options.js';
export type { ConfigErrorCode } from './errors.js';
export { ConfigError } from './errors.js';
export type { ConfMapping, LoadedConfig, ParseOptions } from './reader.js';
export type { OptionsDiff } from './reload.js';
export { deepEqual, describeChanges, diffOptions } from './reload.js';
export type { HostFacts, JetStreamStorage } from './jetstream-storage.js';
export {
  FALLBACK_MAX_FILE_STORE,
  FALLBACK_MAX_MEMORY_STORE,
  JETSTREAM_DATA_FOLDER,
  resolveJetStreamStorage,
} from './jetstream-storage.js';
export type { JetStreamAccounts } from './jetstream-accounts.js';
export { jetStreamAccounts } from './jetstream-accounts.js';
export type { PositionOf } from './validate.js';
export { validateOptions } from './validate.js';
export type {
  ConfArray,
  ConfBoolean,
  ConfDatetime,
  ConfEntry,
  ConfFloat,
  ConfInteger,
  ConfKind,
  ConfMap,
  ConfNode,
  ConfString,
  SourcePos,
} from './conf-tree.js';
export { formatPos, toPlain } from './conf-tree.js';
export { DurationError, parseGoDurationMs } from './durations.js';
export { formatGoDuration } from '../util/index.js';

/** The config file reader (see reader.ts). */
export type ConfigReader = typeof import('./reader.js');

/** Loads the config file reader; only a command line with -c needs it, so a plain start never loads it. */
export function loadConfigReader(): Promise<ConfigReader> {
  return import('./reader.js');
}
