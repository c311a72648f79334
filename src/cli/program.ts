// The server's usage text, laid out by commander. The command line itself is parsed in command-line.ts; this
// module (and commander with it) is loaded only when the help is printed.
import { Command, Option } from 'commander';
import { FLAGS } from './flags.js';
import { PROGRAM_NAME } from './program-name.js';
import { NATS_SERVER_COMPAT_VERSION } from './version.js';

const DESCRIPTION =
  `A NATS-compatible message broker, a drop-in for nats-server ${NATS_SERVER_COMPAT_VERSION}. Flags take one or two dashes ` +
  '(-js, --jetstream); a value follows the flag or an "=" (-p 4222, --port=4222); switches are turned off ' +
  'with "=false" (-T=false). "leafgate version" and "leafgate help" work too.';

/** Said after the flags: configuration the file may hold but that does nothing yet. */
const NOT_SUPPORTED_BLOCKS = [
  '',
  'Not supported yet: the flags marked so above, the configuration file blocks',
  'cluster and gateway, and these jetstream settings:',
  'key, cipher, unique_tag, extension_hint, max_outstanding_catchup, limits.',
  'They are accepted so that a nats-server configuration loads, and each one is',
  'logged as ignored.',
  '',
].join('\n');

/** The help text, grouped like nats-server's usage. */
export function helpText(): string {
  return usage(buildProgram());
}

function usage(program: Command): string {
  return `${program.helpInformation()}${NOT_SUPPORTED_BLOCKS}`;
}

function buildProgram(): Command {
  const terms = new Map<string, string>();
  const program = new Command(PROGRAM_NAME)
    .usage('[options]')
    .description(DESCRIPTION)
    .helpOption(false)
    .configureHelp({ optionTerm: (option) => terms.get(option.long ?? '') ?? option.flags });
  for (const spec of FLAGS) {
    const option = new Option(`--${spec.key} <value>`, spec.description).helpGroup(spec.group);
    // Long-only flags line up under the long names, as in nats-server's usage text.
    terms.set(`--${spec.key}`, spec.term.startsWith('--') ? `    ${spec.term}` : spec.term);
    program.addOption(option);
  }
  return program;
}
