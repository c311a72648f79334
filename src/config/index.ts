// Public face of the config subsystem: nats-server config files to typed, frozen Options.

export * from './options.js';
export type { ConfigErrorCode } from './errors.js';
export { ConfigError } from './errors.js';
export type { ConfMapping } from './from-conf.js';
export { optionsFromConf } from './from-conf.js';
export type { LoadedConfig } from './load.js';
export { loadConfigFile, parseConfigText } from './load.js';
export type { OptionsDiff } from './reload.js';
export { deepEqual, describeChanges, diffOptions } from './reload.js';
export type { PositionOf } from './validate.js';
export { validateOptions } from './validate.js';
export type { ParseOptions } from './parser.js';
export { parseConf, parseConfFile } from './parser.js';
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
