export { parseCommandLine } from './command-line.js';
export type { CommandLine, HelpTopic } from './command-line.js';
export { programName } from './program-name.js';
export { runCliCommand } from './run-command.js';
export type { CliDeps, CliOutput, NonRunCommand } from './run-command.js';
export { CliError } from './errors.js';
export type { CliErrorCode } from './errors.js';
export { findLeafgateProcesses, sendSignal, signalFor } from './signal.js';
export type { SignalCommand, SignalRequest } from './signal.js';
