// Typed, frozen server options. Produced by config (file) and cli (flags); read by everything else.

/** Subjects (and `"subject queue"` entries) in the internal byte-string form, as they arrive on the wire. */
export interface SubjectPermission {
  readonly allow?: readonly string[];
  readonly deny?: readonly string[];
}

export interface ResponsePermission {
  /** Responses allowed per received request; negative = unlimited. */
  readonly max: number;
  readonly expiresMs: number;
}

export interface PermissionsConfig {
  readonly publish?: SubjectPermission;
  readonly subscribe?: SubjectPermission;
  readonly allowResponses?: ResponsePermission;
}

export interface UserConfig {
  readonly user: string;
  /** Plain text or a bcrypt hash ($2a$, $2b$, $2x$, $2y$). */
  readonly password: string;
  /** Account the user is bound to; "$G" for users of the top-level authorization block. */
  readonly account: string;
  readonly permissions?: PermissionsConfig;
  /** Upper-cased connection types (STANDARD, WEBSOCKET, ...); absent = all. */
  readonly allowedConnectionTypes?: readonly string[];
}

export interface AccountConfig {
  readonly name: string;
  readonly users: readonly UserConfig[];
  readonly defaultPermissions?: PermissionsConfig;
}

export interface TlsConfig {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile?: string;
  /** Require and verify a client certificate. */
  readonly verify: boolean;
  /** Handshake deadline. */
  readonly timeoutMs: number;
}

export interface AuthConfig {
  readonly token?: string;
  readonly user?: string;
  readonly password?: string;
  /** Users of the top-level authorization block (account "$G"). */
  readonly users: readonly UserConfig[];
  /** Deadline for CONNECT when auth is required; undefined = 2s, or TLS timeout + 1s with TLS. */
  readonly timeoutMs?: number;
  readonly defaultPermissions?: PermissionsConfig;
  readonly noAuthUser?: string;
}

export interface Options {
  readonly serverName: string;
  readonly host: string;
  /** -1 = random free port. */
  readonly port: number;
  readonly clientAdvertise?: string;

  readonly httpHost: string;
  /** 0 = monitoring off, -1 = random free port. */
  readonly httpPort: number;
  readonly httpBasePath: string;

  readonly configFile?: string;
  readonly pidFile?: string;
  readonly portsFileDir?: string;

  readonly logFile?: string;
  /** Rotate the log file once it reaches this many bytes; absent or 0 = never. */
  readonly logSizeLimit?: number;
  readonly logtime: boolean;
  readonly debug: boolean;
  readonly trace: boolean;
  readonly traceVerbose: boolean;
  readonly maxTracedMsgLen: number;

  readonly maxControlLine: number;
  readonly maxPayload: number;
  readonly maxPending: number;
  readonly maxConnections: number;
  /** 0 = unlimited. */
  readonly maxSubscriptions: number;
  /** 0 = unlimited. */
  readonly maxSubTokens: number;
  readonly pingIntervalMs: number;
  readonly pingMax: number;
  readonly writeDeadlineMs: number;
  readonly lameDuckDurationMs: number;
  readonly lameDuckGracePeriodMs: number;

  readonly tls?: TlsConfig;
  readonly allowNonTls: boolean;

  readonly auth: AuthConfig;
  readonly accounts: readonly AccountConfig[];
  readonly systemAccount: string;
  readonly noSystemAccount: boolean;

  readonly jetstream: boolean;
  readonly storeDir: string;

  readonly noHeaderSupport: boolean;
  readonly disableSublistCache: boolean;
}

/** Option keys whose change a reload may apply while connections stay up; the others need a restart. */
export const RELOADABLE: ReadonlySet<keyof Options> = new Set<keyof Options>([
  'serverName',
  'logFile',
  'logtime',
  'debug',
  'trace',
  'traceVerbose',
  'maxTracedMsgLen',
  'maxControlLine',
  'maxPayload',
  'maxPending',
  'maxConnections',
  'maxSubscriptions',
  'maxSubTokens',
  'pingIntervalMs',
  'pingMax',
  'writeDeadlineMs',
  'lameDuckDurationMs',
  'lameDuckGracePeriodMs',
  'tls',
  'allowNonTls',
  'auth',
  'accounts',
  'systemAccount',
  'noSystemAccount',
  'clientAdvertise',
  'pidFile',
  'portsFileDir',
  'disableSublistCache',
  'configFile',
]);

export const DEFAULTS: Options = Object.freeze({
  serverName: '',
  host: '0.0.0.0',
  port: 4222,
  httpHost: '',
  httpPort: 0,
  httpBasePath: '',
  logtime: true,
  debug: false,
  trace: false,
  traceVerbose: false,
  maxTracedMsgLen: 0,
  maxControlLine: 4096,
  maxPayload: 1024 * 1024,
  maxPending: 64 * 1024 * 1024,
  maxConnections: 64 * 1024,
  maxSubscriptions: 0,
  maxSubTokens: 0,
  pingIntervalMs: 2 * 60 * 1000,
  pingMax: 2,
  writeDeadlineMs: 10 * 1000,
  lameDuckDurationMs: 2 * 60 * 1000,
  lameDuckGracePeriodMs: 10 * 1000,
  allowNonTls: false,
  auth: Object.freeze({ users: Object.freeze([]) }),
  accounts: Object.freeze([]),
  systemAccount: '$SYS',
  noSystemAccount: false,
  jetstream: false,
  storeDir: '',
  noHeaderSupport: false,
  disableSublistCache: false,
});

/** The option set a layer (config file or command line) contributes; unset keys leave the layer below alone. */
export type OptionLayer = { -readonly [K in keyof Options]?: Options[K] };

/** Applies layers in order over the defaults and freezes the result. */
export function mergeOptions(...layers: OptionLayer[]): Options {
  const out: OptionLayer = { ...DEFAULTS };
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      if (v !== undefined) (out as Record<string, unknown>)[k] = v;
    }
  }
  return Object.freeze(out as Options);
}
