export { parseCommandLine, helpText } from './program.js';
export type { CommandLine } from './program.js';
export { runCliCommand } from './run-command.js';
export type { CliDeps, CliOutput, NonRunCommand } from './run-command.js';
export { CliError } from './errors.js';
export type { CliErrorCode } from './errors.js';
export { findLeafgateProcesses, sendSignal, signalFor } from './signal.js';
export type { SignalCommand, SignalRequest } from './signal.js';
export { LEAFGATE_VERSION, NATS_SERVER_COMPAT_VERSION, versionLine } from './version.js';
