// Maps the parsed config tree onto an OptionLayer (the top-level keys of nats-server 2.9.10's
// processConfigFileLine), then checks what needs more than one key. Every problem is collected,
// so one run reports them all; keys that later subsystems will implement load with a warning.

import type { Field } from './conf-reader.js';
import { Issues, fieldOf, readBoolean, readHostPort, readInteger, readString, typeError } from './conf-reader.js';
import type { ConfEntry, ConfMap, SourcePos } from './conf-tree.js';
import { formatGoDuration } from '../util/index.js';
import { DurationError, parseGoDurationMs } from './durations.js';
import { ConfigError } from './errors.js';
import type { AccountsBlock } from './from-conf-accounts.js';
import { readAccounts } from './from-conf-accounts.js';
import { readMappings } from './from-conf-mappings.js';
import type { AuthorizationBlock } from './from-conf-auth.js';
import { readAuthorization, splitUsers } from './from-conf-auth.js';
import { readJetStream } from './from-conf-jetstream.js';
import { readLeafnodes } from './from-conf-leafnodes.js';
import { readUplink } from './from-conf-uplink.js';
import { readTls } from './from-conf-tls.js';
import type { AuthConfig, OptionLayer, ResolverConfig } from './options.js';
import { DEFAULTS, mergeOptions } from './options.js';
import { validateOptions } from './validate.js';
import { readOperator, readPreload, readResolver } from './from-conf-operator.js';
import { readWebsocket } from './from-conf-websocket.js';
import { readMqtt } from './from-conf-mqtt.js';

export interface ConfMapping {
  readonly layer: OptionLayer;
  /** Settings accepted but not applied, and deprecated forms; each `<file>:<line>:<col>: <text>`. */
  readonly warnings: string[];
}

/** Operator (JWT) mode keys; with them the system account is a public key, not a declared account. */
const OPERATOR_KEYS: ReadonlySet<string> = new Set([
  'operator',
  'operators',
  'root',
  'roots',
  'root_operator',
  'root_operators',
  'trusted',
  'trusted_keys',
]);

/** The operator's own keys (a token each). */
const OPERATOR_JWT_KEYS: ReadonlySet<string> = new Set(['operator', 'operators', 'root', 'roots', 'root_operator', 'root_operators']);
const RESOLVER_KEYS: ReadonlySet<string> = new Set(['resolver', 'account_resolver', 'accounts_resolver']);

/**
 * Keys of operator (JWT) mode that decide who may connect and are not implemented yet: refused, so
 * such a configuration never runs open.
 */
const ACCESS_CONTROL_KEYS: ReadonlySet<string> = new Set(['trusted', 'trusted_keys', 'resolver_tls', 'resolver_pinned_accounts']);

/** Valid nats-server 2.9.10 keys whose subsystems do not exist yet and open no access: accepted, reported as ignored. */
const LATER_KEYS: ReadonlySet<string> = new Set([
  'cluster',
  'gateway',
  'server_tags',
  'default_js_domain',
  'ocsp',
  'syslog',
  'remote_syslog',
  'prof_port',
  'connect_error_reports',
  'reconnect_error_reports',
  'https',
  'https_port',
]);

const INT32_MAX = 2 ** 31 - 1;
const MAX_SUB_TOKENS = 255;
const MIN_LAME_DUCK_DURATION_MS = 30_000;
/** Payloads above this work but nats-server discourages them. */
const LARGE_PAYLOAD = 8 * 1024 * 1024;

class TopLevelMapping {
  readonly issues = new Issues();
  readonly layer: OptionLayer = {};
  /** Position of each top-level key as written (lower-cased), for validation messages. */
  private readonly positions = new Map<string, SourcePos>();
  private authorization: AuthorizationBlock | undefined;
  private accounts: AccountsBlock | undefined;
  private noAuthUser: string | undefined;
  private systemAccountFromPrimaryKey = false;
  private storeDirPos: SourcePos | undefined;
  private operatorMode = false;
  private readonly operators: string[] = [];
  private resolver: ResolverConfig | undefined;
  private preload: Record<string, string> | undefined;

  apply(entry: ConfEntry): void {
    const key = entry.key.toLowerCase();
    this.positions.set(key, entry.pos);
    const field = fieldOf(entry);
    const issues = this.issues;
    const layer = this.layer;
    switch (key) {
      case 'listen': {
        const hp = readHostPort(issues, field);
        if (hp !== undefined) {
          if (hp.host !== '') layer.host = hp.host;
          layer.port = this.clientPort(hp.port);
        }
        return;
      }
      case 'host':
      case 'net': {
        const host = readString(issues, field);
        if (host !== undefined) layer.host = host === '' ? DEFAULTS.host : host;
        return;
      }
      case 'port': {
        const port = readInteger(issues, field);
        if (port !== undefined) layer.port = this.clientPort(port);
        return;
      }
      case 'server_name':
        layer.serverName = readString(issues, field);
        return;
      case 'client_advertise':
        layer.clientAdvertise = readString(issues, field);
        return;
      case 'debug':
        layer.debug = readBoolean(issues, field);
        return;
      case 'trace':
        layer.trace = readBoolean(issues, field);
        return;
      case 'trace_verbose':
        // Verbose tracing is tracing too; `trace_verbose: false` turns both off, as in nats-server.
        layer.traceVerbose = readBoolean(issues, field);
        layer.trace = layer.traceVerbose;
        return;
      case 'logtime':
        layer.logtime = readBoolean(issues, field);
        return;
      case 'logfile':
      case 'log_file':
        layer.logFile = readString(issues, field);
        return;
      case 'logfile_size_limit':
      case 'log_size_limit':
        layer.logSizeLimit = readInteger(issues, field);
        return;
      case 'pidfile':
      case 'pid_file':
        layer.pidFile = readString(issues, field);
        return;
      case 'ports_file_dir':
        layer.portsFileDir = readString(issues, field);
        return;
      case 'http': {
        const hp = readHostPort(issues, field);
        if (hp !== undefined) {
          if (hp.host !== '') layer.httpHost = hp.host;
          layer.httpPort = hp.port;
        }
        return;
      }
      case 'http_port':
      case 'monitor_port':
        layer.httpPort = readInteger(issues, field);
        return;
      case 'http_base_path':
        layer.httpBasePath = readString(issues, field);
        return;
      case 'max_control_line':
        layer.maxControlLine = this.int32(field);
        return;
      case 'max_payload':
        layer.maxPayload = this.int32(field);
        if (layer.maxPayload !== undefined && layer.maxPayload > LARGE_PAYLOAD) {
          issues.warn(entry.pos, 'maximum payloads over 8.00 MB are generally discouraged and could lead to poor performance');
        }
        return;
      case 'max_pending':
        layer.maxPending = readInteger(issues, field);
        return;
      case 'max_connections':
      case 'max_conn':
        layer.maxConnections = readInteger(issues, field);
        return;
      case 'max_traced_msg_len':
        layer.maxTracedMsgLen = readInteger(issues, field);
        return;
      case 'max_subscriptions':
      case 'max_subs':
        layer.maxSubscriptions = readInteger(issues, field);
        return;
      case 'max_sub_tokens':
      case 'max_subscription_tokens':
        layer.maxSubTokens = this.subTokens(field);
        return;
      case 'ping_interval':
        layer.pingIntervalMs = this.legacyDurationMs(field);
        return;
      case 'ping_max':
        layer.pingMax = readInteger(issues, field);
        return;
      case 'write_deadline':
        layer.writeDeadlineMs = this.legacyDurationMs(field);
        return;
      case 'lame_duck_duration': {
        const ms = this.durationMs(field);
        if (ms !== undefined && ms < MIN_LAME_DUCK_DURATION_MS) {
          issues.error(entry.pos, `invalid lame_duck_duration of ${formatGoDuration(ms)}, minimum is 30 seconds`);
        } else {
          layer.lameDuckDurationMs = ms;
        }
        return;
      }
      case 'lame_duck_grace_period': {
        const ms = this.durationMs(field);
        if (ms !== undefined && ms < 0) {
          issues.error(entry.pos, 'invalid lame_duck_grace_period, needs to be positive');
        } else {
          layer.lameDuckGracePeriodMs = ms;
        }
        return;
      }
      case 'tls':
        layer.tls = readTls(issues, entry, 'tls');
        return;
      case 'allow_non_tls':
        layer.allowNonTls = readBoolean(issues, field);
        return;
      case 'authorization':
        this.authorization = readAuthorization(issues, entry);
        return;
      case 'mappings':
      case 'maps': {
        const mappings = readMappings(issues, entry);
        if (mappings !== undefined) this.layer.mappings = mappings;
        return;
      }
      case 'accounts':
        this.accounts = readAccounts(issues, entry);
        return;
      case 'no_auth_user':
        this.noAuthUser = readString(issues, field);
        return;
      case 'system_account':
      case 'system':
        this.systemAccount(key, field);
        return;
      case 'no_system_account':
      case 'no_system':
      case 'no_sys_acc':
        layer.noSystemAccount = readBoolean(issues, field);
        return;
      case 'no_header_support':
        layer.noHeaderSupport = readBoolean(issues, field);
        return;
      case 'disable_sublist_cache':
      case 'no_sublist_cache':
        layer.disableSublistCache = readBoolean(issues, field);
        return;
      case 'jetstream': {
        const js = readJetStream(issues, entry);
        if (js !== undefined) {
          // A top-level store_dir read before the block stays; one inside it goes through the duplicate check.
          const earlierStoreDir = layer.jetstream?.storeDir;
          layer.jetstream = earlierStoreDir === undefined ? js.layer : { ...js.layer, storeDir: earlierStoreDir };
          if (js.storeDir !== undefined) this.storeDir(js.storeDir.value, js.storeDir.pos);
        }
        return;
      }
      case 'store_dir':
      case 'storedir': {
        const dir = readString(issues, field);
        if (dir !== undefined) this.storeDir(dir, entry.pos);
        return;
      }
      default:
        if (key === 'websocket' || key === 'ws') {
          const websocket = readWebsocket(issues, entry);
          if (websocket !== undefined) layer.websocket = websocket;
        } else if (key === 'uplink') {
          const uplink = readUplink(issues, entry);
          if (uplink !== undefined) layer.uplink = uplink;
        } else if (key === 'leafnodes' || key === 'leaf') {
          const leafnodes = readLeafnodes(issues, entry);
          if (leafnodes !== undefined && (leafnodes.port !== 0 || leafnodes.remotes.length > 0)) layer.leafnodes = leafnodes;
        } else if (key === 'mqtt') {
          const mqtt = readMqtt(issues, entry);
          if (mqtt !== undefined) layer.mqtt = mqtt;
        } else if (OPERATOR_JWT_KEYS.has(key)) {
          this.operatorMode = true;
          const jwt = readOperator(issues, entry);
          if (jwt !== undefined) this.operators.push(jwt);
        } else if (RESOLVER_KEYS.has(key)) {
          this.resolver = readResolver(issues, entry);
        } else if (key === 'resolver_preload') {
          this.preload = readPreload(issues, entry);
        } else if (ACCESS_CONTROL_KEYS.has(key)) {
          if (OPERATOR_KEYS.has(key)) this.operatorMode = true;
          issues.unsupportedAccessControl(entry.pos, `${entry.key} is`);
        } else if (LATER_KEYS.has(key)) {
          issues.unsupported(entry, entry.key);
        } else {
          issues.unknownField(entry);
        }
    }
  }

  /** The mapped layer; throws ConfigError listing every problem found. */
  finish(): ConfMapping {
    this.finishAuth();
    this.checkSystemAccount();
    if (this.operators.length > 0) {
      this.layer.operatorMode = {
        operators: this.operators,
        ...(this.resolver !== undefined && { resolver: this.resolver }),
        preload: this.preload ?? {},
        systemAccount: this.layer.systemAccount ?? '',
      };
    }
    if (this.issues.errors.length === 0) {
      const merged = mergeOptions(this.layer);
      this.issues.errors.push(...validateOptions(merged, (key) => this.positions.get(key)));
    }
    if (this.issues.errors.length > 0) throw new ConfigError('CONFIG_INVALID', this.issues.errors);
    return { layer: this.layer, warnings: this.issues.warnings };
  }

  /** Port 0 in a config file means the default port (nats-server); -1 means a random one. */
  private clientPort(port: number): number {
    return port === 0 ? DEFAULTS.port : port;
  }

  private int32(field: Field): number | undefined {
    const value = readInteger(this.issues, field);
    if (value !== undefined && value > INT32_MAX) {
      this.issues.error(field.pos, `${field.name} value is too big`);
      return undefined;
    }
    return value;
  }

  private subTokens(field: Field): number | undefined {
    const value = readInteger(this.issues, field);
    if (value === undefined) return undefined;
    if (value > MAX_SUB_TOKENS) this.issues.error(field.pos, `${field.name} value is too big`);
    else if (value <= 0) this.issues.error(field.pos, `${field.name} value can not be negative`);
    else return value;
    return undefined;
  }

  /** A duration string such as "2m" or "1h30m". */
  private durationMs(field: Field): number | undefined {
    if (field.node.kind !== 'string') return typeError(this.issues, field, 'a duration string such as "2m"');
    try {
      return parseGoDurationMs(field.node.value);
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      this.issues.error(field.pos, `error parsing ${field.name.toLowerCase()}: ${err.message}`);
      return undefined;
    }
  }

  /** A duration string, or (older form, with a warning) an integer number of seconds. */
  private legacyDurationMs(field: Field): number | undefined {
    if (field.node.kind !== 'integer') return this.durationMs(field);
    const name = field.name.toLowerCase();
    this.issues.warn(field.pos, `invalid use of field ${JSON.stringify(name)}: ${name} should be converted to a duration`);
    const seconds = readInteger(this.issues, field);
    return seconds === undefined ? undefined : seconds * 1000;
  }

  /** `system_account` wins over its alias `system` whatever their order. */
  private systemAccount(key: string, field: Field): void {
    const name = readString(this.issues, field);
    if (name === undefined || name === '') return;
    if (key === 'system' && this.systemAccountFromPrimaryKey) return;
    this.systemAccountFromPrimaryKey = key === 'system_account';
    this.layer.systemAccount = name;
  }

  /** The store directory may be set at the top level or in the jetstream block, not both. */
  private storeDir(dir: string, pos: SourcePos): void {
    if (this.storeDirPos !== undefined) {
      this.issues.error(pos, "Duplicate 'store_dir' configuration");
      return;
    }
    this.storeDirPos = pos;
    this.layer.jetstream = { ...this.layer.jetstream, storeDir: dir };
  }

  private finishAuth(): void {
    const auth = this.authorization;
    const accountUsers = this.accounts?.users ?? [];
    if (auth !== undefined) {
      if (auth.users !== undefined) {
        if (auth.user) this.issues.error(auth.pos, 'Can not have a single user/pass and a users array');
        if (auth.token) this.issues.error(auth.pos, 'Can not have a token and a users array');
      } else if (accountUsers.length > 0) {
        const pos = this.accounts?.firstUsersPos ?? auth.pos;
        if (auth.user) this.issues.error(pos, 'Can not have a single user/pass and accounts');
        if (auth.token) this.issues.error(pos, 'Can not have a token and accounts');
      }
    }
    const seen = new Set<string>();
    for (const u of [...accountUsers, ...(auth?.users ?? [])]) {
      const [kind, id] = 'nkey' in u.config ? ['nkey', u.config.nkey] : ['user', u.config.user];
      if (seen.has(`${kind} ${id}`)) this.issues.error(u.pos, `Duplicate ${kind} ${JSON.stringify(id)} detected`);
      seen.add(`${kind} ${id}`);
    }

    if (auth !== undefined || this.noAuthUser !== undefined) {
      const { users: byName, nkeys } = splitUsers(auth?.users ?? []);
      const config: AuthConfig = {
        users: byName,
        ...(nkeys.length > 0 && { nkeys }),
        ...(auth?.token !== undefined && { token: auth.token }),
        ...(auth?.user !== undefined && { user: auth.user }),
        ...(auth?.password !== undefined && { password: auth.password }),
        ...(auth?.timeoutMs !== undefined && { timeoutMs: auth.timeoutMs }),
        ...(auth?.defaultPermissions !== undefined && { defaultPermissions: auth.defaultPermissions }),
        ...(this.noAuthUser !== undefined && { noAuthUser: this.noAuthUser }),
      };
      this.layer.auth = config;
    }
    if (this.accounts !== undefined) this.layer.accounts = this.accounts.accounts;
  }

  /** A system account other than the built-in `$SYS` must be declared in `accounts`. */
  private checkSystemAccount(): void {
    const name = this.layer.systemAccount;
    if (name === undefined || name === DEFAULTS.systemAccount || this.operatorMode || this.layer.noSystemAccount === true) {
      return;
    }
    if (this.layer.accounts?.some((account) => account.name === name) === true) return;
    const pos = this.positions.get('system_account') ?? this.positions.get('system');
    if (pos !== undefined) this.issues.error(pos, 'error resolving system account: account missing');
  }
}

/** Turns a parsed config file into an option layer; throws ConfigError (CONFIG_INVALID) on any problem. */
export function optionsFromConf(root: ConfMap): ConfMapping {
  const mapping = new TopLevelMapping();
  for (const entry of root.entries.values()) mapping.apply(entry);
  return mapping.finish();
}
