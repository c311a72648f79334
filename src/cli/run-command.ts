// Carries out the command lines that do not start a server, and says which exit code to use. What each needs
// (commander for the help, the config file reader for -t, package.json for the version) is loaded when asked
// for, so that a server's start, which loads this module too, never pays for them.
import { loadConfigReader } from '../config/index.js';
import type { CommandLine } from './command-line.js';
import { sendSignal, type SignalDeps } from './signal.js';
import { TLS_HELP } from './tls-help.js';

export type NonRunCommand = Exclude<CommandLine, { kind: 'run' }>;

/** Where the CLI writes; each call is one or more whole lines. */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export interface CliDeps {
  readonly output: CliOutput;
  readonly loadConfig: (path: string) => Promise<{ readonly warnings: readonly string[] }>;
  readonly signal?: SignalDeps;
}

const PROCESS_OUTPUT: CliOutput = {
  out: (text) => process.stdout.write(withNewline(text)),
  err: (text) => process.stderr.write(withNewline(text)),
};

const SYSTEM_DEPS: CliDeps = {
  output: PROCESS_OUTPUT,
  loadConfig: async (path) => (await loadConfigReader()).loadConfigFile(path),
};

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Prints what the command calls for and resolves with the process exit code. */
export async function runCliCommand(command: NonRunCommand, deps: CliDeps = SYSTEM_DEPS): Promise<number> {
  const { out, err } = deps.output;
  switch (command.kind) {
    case 'version':
      out((await import('./version.js')).versionLine());
      return 0;
    case 'help':
      out(command.topic === 'tls' ? TLS_HELP : (await import('./program.js')).helpText());
      return 0;
    case 'error':
      // One line, so a unit's journal shows the whole reason.
      err(command.hint !== undefined ? `${command.message} (${command.hint})` : command.message);
      return 1;
    case 'check':
      return checkConfig(command.configFile, deps);
    case 'signal':
      try {
        sendSignal(command, deps.signal);
        return 0;
      } catch (e) {
        err(`leafgate: ${messageOf(e)}`);
        return 1;
      }
  }
}

/** `-t`: like nats-server, warnings fail the check too, so a file that would start with warnings is not "valid". */
async function checkConfig(configFile: string, deps: CliDeps): Promise<number> {
  const { err } = deps.output;
  let warnings: readonly string[];
  try {
    warnings = (await deps.loadConfig(configFile)).warnings;
  } catch (e) {
    err(`leafgate: ${messageOf(e)}`);
    return 1;
  }
  if (warnings.length > 0) {
    for (const warning of warnings) err(`leafgate: ${warning}`);
    return 1;
  }
  err(`leafgate: configuration file ${configFile} is valid`);
  return 0;
}
