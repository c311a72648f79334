// The server's command line: Go-style flags (see argv.ts), decided in nats-server's order: version, help, TLS
// help, positional word, signal, config check, run. Starting a server loads nothing more than this; the help
// text (commander) is built only when it is asked for (run-command.ts).
import type { Options, OptionLayer } from '../config/index.js';
import { parseArgv, quote } from './argv.js';
import { PROGRAM_NAME } from './program-name.js';
import { CliError } from './errors.js';
import { FlagValues } from './flags.js';
import { buildRunLayer } from './run-layer.js';
import { parseSignalArgument, type SignalCommand } from './signal.js';

/** `flags` is the usage text (the flag list), `tls` the TLS configuration help of --help_tls. */
export type HelpTopic = 'flags' | 'tls';

/**
 * What the command line asks for. `run` carries the flags' option layer; `error.message` is the line to print,
 * and `error.hint` (pointing at --help) follows it for flag-grammar mistakes.
 */
export type CommandLine =
  | {
      readonly kind: 'run';
      readonly flags: OptionLayer;
      readonly configFile?: string;
      /** Keys to drop from the config file's layer before applying `flags` (`--tls=false`). */
      readonly clearedKeys: ReadonlyArray<keyof Options>;
      readonly notYetSupported: readonly string[];
    }
  | { readonly kind: 'check'; readonly configFile: string }
  | { readonly kind: 'signal'; readonly command: SignalCommand; readonly target?: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'help'; readonly topic: HelpTopic }
  | { readonly kind: 'error'; readonly message: string; readonly hint?: string };

const USAGE_HINT = `run '${PROGRAM_NAME} --help' to list the flags`;

/** Parses the server's arguments (without node and script). Pure: prints nothing, never exits. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  try {
    return decide(argv);
  } catch (err) {
    if (err instanceof CliError) {
      return err.isUsageError
        ? { kind: 'error', message: err.message, hint: USAGE_HINT }
        : { kind: 'error', message: `${PROGRAM_NAME}: ${err.message}` };
    }
    throw err;
  }
}

function decide(argv: readonly string[]): CommandLine {
  const parsed = parseArgv(argv);
  const values = new FlagValues(parsed.flags);

  if (values.bool('version') === true) return { kind: 'version' };
  if (values.bool('help') === true) return { kind: 'help', topic: 'flags' };
  if (values.bool('help_tls') === true) return { kind: 'help', topic: 'tls' };

  const word = parsed.positional[0];
  if (word !== undefined) {
    switch (word.toLowerCase()) {
      case 'version':
        return { kind: 'version' };
      case 'help':
        return { kind: 'help', topic: 'flags' };
      default:
        throw new CliError('UNRECOGNIZED_COMMAND', `unrecognized command: ${quote(word)}`);
    }
  }

  const signal = values.string('signal');
  if (signal !== undefined && signal !== '') return { kind: 'signal', ...parseSignalArgument(signal) };

  const configFile = values.string('config');
  const hasConfig = configFile !== undefined && configFile !== '';
  if (values.bool('t') === true) {
    if (!hasConfig) {
      throw new CliError('CONFIG_REQUIRED', 'must specify [-c, --config] option to check configuration file syntax');
    }
    return { kind: 'check', configFile };
  }

  const layer = buildRunLayer(values);
  return {
    kind: 'run',
    flags: layer.flags,
    ...(hasConfig && { configFile }),
    clearedKeys: layer.clearedKeys,
    notYetSupported: layer.notYetSupported,
  };
}
