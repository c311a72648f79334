// The server's command-line flags: nats-server 2.9.10's set, with every spelling Go's flag package accepts.
// One entry per line of the help text; `key` is the canonical name argv normalisation rewrites every spelling to.

export type FlagKind = 'bool' | 'string' | 'int';

export type FlagGroup =
  | 'Server Options:'
  | 'Logging Options:'
  | 'JetStream Options:'
  | 'Authorization Options:'
  | 'TLS Options:'
  | 'Cluster Options:'
  | 'Profiling Options:'
  | 'Common Options:';

export interface FlagSpec {
  readonly key: string;
  /** Spellings without dashes; `-x` and `--x` are the same flag. */
  readonly names: readonly string[];
  readonly kind: FlagKind;
  readonly group: FlagGroup;
  /** Left column of the help text. */
  readonly term: string;
  readonly description: string;
  /** False for a flag accepted (and validated) whose feature does not exist yet; the help text says so. */
  readonly supported: boolean;
}

const NOT_SUPPORTED_MARK = '\n(not supported yet)';

function flag(
  group: FlagGroup,
  kind: FlagKind,
  names: readonly string[],
  term: string,
  description: string,
): FlagSpec {
  // The longest spelling is the canonical one (`port` over `p`); the first wins a tie.
  const key = names.reduce((best, name) => (name.length > best.length ? name : best));
  return { key, names, kind, group, term, description, supported: true };
}

/** A flag accepted for nats-server compatibility whose feature is not implemented yet. */
function later(spec: FlagSpec): FlagSpec {
  return { ...spec, description: `${spec.description}${NOT_SUPPORTED_MARK}`, supported: false };
}

const SERVER = 'Server Options:';
const LOGGING = 'Logging Options:';
const JETSTREAM = 'JetStream Options:';
const AUTH = 'Authorization Options:';
const TLS = 'TLS Options:';
const CLUSTER = 'Cluster Options:';
const PROFILING = 'Profiling Options:';
const COMMON = 'Common Options:';

export const FLAGS: readonly FlagSpec[] = [
  flag(SERVER, 'string', ['a', 'addr', 'net'], '-a, --addr, --net <host>', 'Bind to host address (default: 0.0.0.0)'),
  flag(SERVER, 'int', ['p', 'port'], '-p, --port <port>', 'Use port for clients (default: 4222, -1 for a random port)'),
  flag(SERVER, 'string', ['n', 'name', 'server_name'], '-n, --name, --server_name <name>', 'Server name (default: the server id)'),
  flag(SERVER, 'string', ['P', 'pid'], '-P, --pid <file>', 'File to store the process id in'),
  flag(SERVER, 'int', ['m', 'http_port'], '-m, --http_port <port>', 'Use port for HTTP monitoring'),
  later(flag(SERVER, 'int', ['ms', 'https_port'], '-ms, --https_port <port>', 'Use port for HTTPS monitoring')),
  flag(SERVER, 'string', ['c', 'config'], '-c, --config <file>', 'Configuration file'),
  flag(SERVER, 'bool', ['t'], '-t', 'Test the configuration file and exit'),
  flag(
    SERVER,
    'string',
    ['sl', 'signal'],
    '-sl, --signal <signal>[=<pid>]',
    'Send a signal to a running leafgate (ldm, stop, quit, term, reopen, reload); <pid> is a process id or the path of a PID file',
  ),
  flag(SERVER, 'string', ['client_advertise'], '--client_advertise <url>', 'Client URL to advertise to other servers'),
  flag(
    SERVER,
    'string',
    ['ports_file_dir'],
    '--ports_file_dir <dir>',
    'Write <executable name>_<pid>.ports listing the listen URLs into this directory',
  ),

  flag(LOGGING, 'string', ['l', 'log'], '-l, --log <file>', 'Append log output to this file'),
  flag(LOGGING, 'bool', ['T', 'logtime'], '-T, --logtime', 'Timestamp log entries (default: true; -T=false turns it off)'),
  later(flag(LOGGING, 'bool', ['s', 'syslog'], '-s, --syslog', 'Log to syslog')),
  later(flag(LOGGING, 'string', ['r', 'remote_syslog'], '-r, --remote_syslog <addr>', 'Syslog server address (udp://localhost:514)')),
  flag(LOGGING, 'bool', ['D', 'debug'], '-D, --debug', 'Enable debug output'),
  flag(LOGGING, 'bool', ['V', 'trace'], '-V, --trace', 'Trace the raw protocol'),
  flag(LOGGING, 'bool', ['VV'], '-VV', 'Verbose trace (traces the system account as well)'),
  flag(LOGGING, 'bool', ['DV'], '-DV', 'Debug and trace'),
  flag(LOGGING, 'bool', ['DVV'], '-DVV', 'Debug and verbose trace (traces the system account as well)'),
  later(flag(LOGGING, 'int', ['log_size_limit'], '--log_size_limit <bytes>', 'Rotate the log file at this size')),
  flag(
    LOGGING,
    'int',
    ['max_traced_msg_len'],
    '--max_traced_msg_len <len>',
    'Maximum printed length of traced messages (default: 0, unlimited)',
  ),

  flag(JETSTREAM, 'bool', ['js', 'jetstream'], '-js, --jetstream', 'Enable JetStream'),
  flag(
    JETSTREAM,
    'string',
    ['sd', 'store_dir'],
    '-sd, --store_dir <dir>',
    'JetStream storage directory; the data goes in <dir>/jetstream (does not enable JetStream by itself)',
  ),

  flag(AUTH, 'string', ['user'], '--user <user>', 'User required for connections'),
  flag(AUTH, 'string', ['pass'], '--pass <password>', 'Password required for connections'),
  flag(AUTH, 'string', ['auth'], '--auth <token>', 'Authorization token required for connections'),

  flag(TLS, 'bool', ['tls'], '--tls', 'Enable TLS, do not verify clients (--tls=false disables TLS from the config file)'),
  flag(TLS, 'string', ['tlscert'], '--tlscert <file>', 'Server certificate file'),
  flag(TLS, 'string', ['tlskey'], '--tlskey <file>', 'Private key for the server certificate'),
  flag(TLS, 'bool', ['tlsverify'], '--tlsverify', 'Enable TLS, require and verify client certificates'),
  flag(TLS, 'string', ['tlscacert'], '--tlscacert <file>', 'CA certificate(s) for verifying clients'),

  later(flag(CLUSTER, 'string', ['routes'], '--routes <url1,url2>', 'Routes to solicit and connect')),
  later(flag(CLUSTER, 'string', ['cluster'], '--cluster <url>', 'Cluster URL for solicited routes')),
  later(flag(CLUSTER, 'string', ['cluster_name'], '--cluster_name <name>', 'Cluster name (generated if not set)')),
  later(flag(CLUSTER, 'bool', ['no_advertise'], '--no_advertise', 'Do not advertise known cluster members to clients')),
  later(flag(CLUSTER, 'string', ['cluster_advertise'], '--cluster_advertise <url>', 'Cluster URL to advertise to other servers')),
  later(flag(CLUSTER, 'int', ['connect_retries'], '--connect_retries <n>', 'Connect retries for implicit routes')),
  later(flag(CLUSTER, 'string', ['cluster_listen'], '--cluster_listen <url>', 'Cluster URL members can solicit routes from')),

  later(flag(PROFILING, 'int', ['profile'], '--profile <port>', 'Profiling HTTP port')),

  flag(COMMON, 'bool', ['h', 'help'], '-h, --help', 'Show this message'),
  flag(COMMON, 'bool', ['v', 'version'], '-v, --version', 'Show the version'),
  flag(COMMON, 'bool', ['help_tls'], '--help_tls', 'Show help on TLS configuration'),
];

const BY_NAME: ReadonlyMap<string, FlagSpec> = new Map(FLAGS.flatMap((spec) => spec.names.map((name) => [name, spec] as const)));

/** The flag a spelling (without dashes) names, if any. Names are case-sensitive: -p is the port, -P the PID file. */
export function findFlag(name: string): FlagSpec | undefined {
  return BY_NAME.get(name);
}

export type FlagValue = string | number | boolean;

/** The flags given on one command line, by canonical key, each with its last value. */
export class FlagValues {
  private readonly values: ReadonlyMap<string, FlagValue>;

  constructor(values: ReadonlyMap<string, FlagValue>) {
    this.values = values;
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  string(key: string): string | undefined {
    const value = this.values.get(key);
    return typeof value === 'string' ? value : undefined;
  }

  int(key: string): number | undefined {
    const value = this.values.get(key);
    return typeof value === 'number' ? value : undefined;
  }

  bool(key: string): boolean | undefined {
    const value = this.values.get(key);
    return typeof value === 'boolean' ? value : undefined;
  }
}
