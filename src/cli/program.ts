// The server's command line: Go-style flags (see argv.ts) parsed by commander, then decided in nats-server's
// order: version, help, TLS help, positional word, signal, config check, run.
import { Command, CommanderError, Option } from 'commander';
import type { Options, OptionLayer } from '../config/index.js';
import { normalizeArgv, parseGoBool, quote } from './argv.js';
import { CliError } from './errors.js';
import { FLAGS, FlagValues, type FlagKind, type FlagValue } from './flags.js';
import { buildRunLayer } from './run-layer.js';
import { parseSignalArgument, type SignalCommand } from './signal.js';
import { TLS_HELP } from './tls-help.js';
import { NATS_SERVER_COMPAT_VERSION } from './version.js';

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
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'error'; readonly message: string; readonly hint?: string };

const PROGRAM_NAME = 'leafgate';

const USAGE_HINT = `run '${PROGRAM_NAME} --help' to list the flags`;

const DESCRIPTION =
  `A NATS-compatible message broker, a drop-in for nats-server ${NATS_SERVER_COMPAT_VERSION}. Flags take one or two dashes ` +
  '(-js, --jetstream); a value follows the flag or an "=" (-p 4222, --port=4222); switches are turned off ' +
  'with "=false" (-T=false). "leafgate version" and "leafgate help" work too.';

/** Said after the flags: configuration the file may hold but that does nothing yet. */
const NOT_SUPPORTED_BLOCKS = [
  '',
  'Not supported yet: the flags marked so above, and the configuration file blocks',
  'cluster, gateway, leafnodes, websocket, mqtt and jetstream. They are accepted so',
  'that a nats-server configuration loads, and each one is logged as ignored.',
  '',
].join('\n');

/** The help text, grouped like nats-server's usage. */
export function helpText(): string {
  return usage(buildProgram());
}

function usage(program: Command): string {
  return `${program.helpInformation()}${NOT_SUPPORTED_BLOCKS}`;
}

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
    if (err instanceof CommanderError) return { kind: 'error', message: err.message, hint: USAGE_HINT };
    throw err;
  }
}

function decide(argv: readonly string[]): CommandLine {
  const { args, positional } = normalizeArgv(argv);
  const program = buildProgram();
  program.parse(args, { from: 'user' });
  const values = collectValues(program);

  if (values.bool('version') === true) return { kind: 'version' };
  if (values.bool('help') === true) return { kind: 'help', text: usage(program) };
  if (values.bool('help_tls') === true) return { kind: 'help', text: TLS_HELP };

  const word = positional[0];
  if (word !== undefined) {
    switch (word.toLowerCase()) {
      case 'version':
        return { kind: 'version' };
      case 'help':
        return { kind: 'help', text: usage(program) };
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

/** Values arrive canonical and validated from normalizeArgv; these only restore their types. */
const VALUE_PARSERS: Readonly<Record<FlagKind, (text: string) => FlagValue>> = {
  bool: (text) => parseGoBool(text) === true,
  int: (text) => Number(text),
  string: (text) => text,
};

function buildProgram(): Command {
  const terms = new Map<string, string>();
  const program = new Command(PROGRAM_NAME)
    .usage('[options]')
    .description(DESCRIPTION)
    .helpOption(false)
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} })
    .configureHelp({ optionTerm: (option) => terms.get(option.long ?? '') ?? option.flags });
  for (const spec of FLAGS) {
    const option = new Option(`--${spec.key} <value>`, spec.description)
      .helpGroup(spec.group)
      .argParser(VALUE_PARSERS[spec.kind]);
    // Long-only flags line up under the long names, as in nats-server's usage text.
    terms.set(`--${spec.key}`, spec.term.startsWith('--') ? `    ${spec.term}` : spec.term);
    program.addOption(option);
  }
  return program;
}

function collectValues(program: Command): FlagValues {
  const values = new Map<string, FlagValue>();
  for (const spec of FLAGS) {
    const option = program.options.find((o) => o.long === `--${spec.key}`);
    const value: unknown = option === undefined ? undefined : program.getOptionValue(option.attributeName());
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values.set(spec.key, value);
  }
  return new FlagValues(values);
}
