// Typed, frozen server options. Produced by config (file) and cli (flags); read by everything else.
import type { AccountLinksSpec, JetStreamLimits, MappingSpec } from '../util/index.js';

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

/** A subject mapping (`mappings {}`): the shape the router builds from. */
export type MappingConfig = MappingSpec;

/** A user known by its NKEY public key (`users: [{ nkey: U... }]`). */
export interface NkeyUserConfig {
  readonly nkey: string;
  /** Account the user is bound to; "$G" for users of the top-level authorization block. */
  readonly account: string;
  readonly permissions?: PermissionsConfig;
  /** Upper-cased connection types (STANDARD, WEBSOCKET, ...); absent = all. */
  readonly allowedConnectionTypes?: readonly string[];
}

/**
 * An account's JetStream limits (nats-server's JetStreamAccountLimits). Byte and count limits below 0 mean
 * unlimited (bounded only by the server's stores); a byte limit of 0 allows no storage of that kind, while
 * counts of 0 (streams, consumers, ack pending) are unlimited too, as in nats-server.
 */
export type JetStreamAccountLimits = JetStreamLimits;

/** `jetstream: enabled` in an account (nats-server's dynamic account limits): nothing limited. */
export const UNLIMITED_ACCOUNT_JETSTREAM: JetStreamAccountLimits = Object.freeze({
  maxMemory: -1,
  maxStore: -1,
  maxStreams: -1,
  maxConsumers: -1,
  maxBytesRequired: false,
  memoryMaxStreamBytes: -1,
  storeMaxStreamBytes: -1,
  maxAckPending: -1,
});

/** An account: its users and settings, and (AccountLinksSpec) its exports and imports. */
export interface AccountConfig extends AccountLinksSpec {
  readonly name: string;
  readonly users: readonly UserConfig[];
  readonly nkeys?: readonly NkeyUserConfig[];
  readonly defaultPermissions?: PermissionsConfig;
  /** The account's subject mappings, in the order they apply. */
  readonly mappings?: readonly MappingConfig[];
  /** The account's `jetstream` setting; absent when it says nothing (or `disabled`). */
  readonly jetstream?: JetStreamAccountLimits;
}

export interface TlsConfig {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile?: string;
  /** Require and verify a client certificate. */
  readonly verify: boolean;
  /** Handshake deadline. */
  readonly timeoutMs: number;
  /** `pinned_certs`: SHA-256 of the accepted client certificates' public keys (SPKI), lower-case hex. */
  readonly pinnedCerts?: readonly string[];
  /** `verify_and_map`: verify, and take the user from the client certificate. */
  readonly verifyAndMap?: boolean;
}

export interface AuthConfig {
  readonly token?: string;
  readonly user?: string;
  readonly password?: string;
  /** Users of the top-level authorization block (account "$G"). */
  readonly users: readonly UserConfig[];
  readonly nkeys?: readonly NkeyUserConfig[];
  /** Deadline for CONNECT when auth is required; undefined = 2s, or TLS timeout + 1s with TLS. */
  readonly timeoutMs?: number;
  readonly defaultPermissions?: PermissionsConfig;
  readonly noAuthUser?: string;
}

/** `sync_interval`: fsync every commit, or in the background at this many milliseconds. */
export type SyncInterval = 'always' | number;

/** JetStream as configured; present in Options only when JetStream is enabled. */
export interface JetStreamConfig {
  /** As given ('' = none); the data lives below it in `jetstream/` (see resolveJetStreamStorage). */
  readonly storeDir: string;
  /** Bytes; negative = derived at start (75% of system memory); 0 = no memory storage. */
  readonly maxMemoryStore: number;
  /** Bytes; negative = derived at start (75% of the disk space available); 0 = no file storage. */
  readonly maxFileStore: number;
  /** Default 'always' (nats-server's is 2 minutes): an edge gateway must not lose acknowledged data. */
  readonly syncInterval: SyncInterval;
  /** '' = none. */
  readonly domain: string;
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
  /** The top-level `mappings`: the global account's. */
  readonly mappings: readonly MappingConfig[];
  readonly systemAccount: string;
  readonly noSystemAccount: boolean;
  /** Operator (JWT) mode; absent otherwise. */
  readonly operatorMode?: OperatorModeConfig;
  /** The WebSocket listener; absent when off. */
  readonly websocket?: WebsocketConfig;
  /** The MQTT listener; absent when off. */
  readonly mqtt?: MqttConfig;
  /** Leaf node links: the accepting listener and the remotes dialed; absent when neither is set. */
  readonly leafnodes?: LeafnodesConfig;
  /** The store-and-forward uplink into a hub stream (leafgate's own); absent when off. */
  readonly uplink?: UplinkConfig;

  /** Absent when JetStream is off. */
  readonly jetstream?: JetStreamConfig;

  readonly noHeaderSupport: boolean;
  readonly disableSublistCache: boolean;
}

/** The `websocket {}` listener for NATS clients. */
export interface WebsocketConfig {
  /** '' for the server's own host. */
  readonly host: string;
  /** -1 for a free port. */
  readonly port: number;
  readonly advertise: string;
  /** wss; absent with `no_tls: true`. */
  readonly tls?: TlsConfig;
  /** The Origin header must name this server's host and port. */
  readonly sameOrigin: boolean;
  /** When not empty, the Origin header (if any) must be one of these (scheme, host and port). */
  readonly allowedOrigins: readonly string[];
  /** 0 for none (wss: the TLS timeout). */
  readonly handshakeTimeoutMs: number;
  /** permessage-deflate when the client offers it. */
  readonly compression: boolean;
  /** The block's own `authorization { user, password, token, timeout }`, which replaces the top-level one for WebSocket clients. */
  readonly auth?: { readonly user?: string; readonly password?: string; readonly token?: string; readonly timeoutMs?: number };
  /** The user a WebSocket client without credentials is (in place of the top-level no_auth_user). */
  readonly noAuthUser?: string;
  /** The cookie whose value is the user JWT of a client whose CONNECT carries none (operator mode). */
  readonly jwtCookie?: string;
}

/** The `leafnodes {}` block. */
export interface LeafnodesConfig {
  /** '' for the server's own host. */
  readonly host: string;
  /** The accepting listener's port: 0 for none, -1 for a free one. */
  readonly port: number;
  /** `host:port` told to leafs instead of the listener's address. */
  readonly advertise: string;
  readonly noAdvertise: boolean;
  /** The listener's own login; absent: leafs log in as clients do. */
  readonly auth?: LeafAuthConfig;
  /** TLS on the listener, started right after INFO (nats-server 2.9.10's order). */
  readonly tls?: TlsConfig;
  /** Leafs whose CONNECT names an older version are refused. */
  readonly minVersion?: string;
  /** The wait between attempts to reach a remote, and after losing one. */
  readonly reconnectDelayMs: number;
  readonly remotes: readonly LeafRemoteConfig[];
}

/** The `uplink {}` block: local subjects kept in a local stream and forwarded into a hub stream. */
export interface UplinkConfig {
  /** This edge's name in message ids and the default prefix; '' for the server name. */
  readonly name: string;
  /** The local account; absent for the global account. */
  readonly account?: string;
  /** The local subjects captured. */
  readonly subjects: readonly string[];
  /** The hub's stream, and its JetStream domain. */
  readonly stream: string;
  readonly domain: string;
  /** Put before each subject on the hub; absent: `<name>.`. */
  readonly prefix?: string;
  /** The local backlog's bounds (-1: none; max_age 0: none); the oldest messages go first. */
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  readonly maxMsgs: number;
  /** Messages sent to the hub and not yet acknowledged, at most. */
  readonly maxInflight: number;
}

/** `leafnodes { authorization {} }`: one user/password, or a list of users, each bound to an account. */
export interface LeafAuthConfig {
  readonly user?: string;
  readonly password?: string;
  /** The account the single user binds to (default the global account). */
  readonly account?: string;
  readonly timeoutMs?: number;
  readonly users: readonly { readonly user: string; readonly password: string; readonly account?: string }[];
}

/** One remote this server dials as a leaf node. */
export interface LeafRemoteConfig {
  /** `nats-leaf://[user:pass@]host[:port]` URLs, tried in turn. */
  readonly urls: readonly string[];
  /** The local account the link binds; absent for the global account. */
  readonly account?: string;
  /** This side is the hub of the link (it sends `is_hub`). */
  readonly hub: boolean;
  /** Try the URLs in the order written rather than shuffled. */
  readonly noRandomize: boolean;
  /** Messages on these subjects are never taken from the hub (no interest announced) or sent to it. */
  readonly denyImports: readonly string[];
  readonly denyExports: readonly string[];
  /** TLS toward the hub; a hub whose INFO asks for TLS gets it even without this block. */
  readonly tls?: ClientTlsConfig;
  /** A `.creds` file: the user JWT sent in CONNECT, the seed that signs the hub's nonce. */
  readonly credentials?: string;
  /** Reach the hub through this HTTP proxy's CONNECT tunnel (leafgate's own). */
  readonly proxy?: LeafProxyConfig;
  /** A user NKEY seed (`SU…`): its public key in CONNECT, the hub's nonce signed (nats-server 2.10.8+). */
  readonly nkey?: string;
}

/** An HTTP proxy that opens tunnels with CONNECT. */
export interface LeafProxyConfig {
  /** `http://host:port`. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
}

/** The `mqtt {}` listener for MQTT 3.1.1 and 5 clients. */
export interface MqttConfig {
  /** '' for the server's own host. */
  readonly host: string;
  /** -1 for a free port. */
  readonly port: number;
  /** MQTT over TLS (mqtts); absent for plain TCP. */
  readonly tls?: TlsConfig;
  /** The block's own `authorization { user, password, token, timeout }`, which replaces the top-level one for MQTT clients. */
  readonly auth?: { readonly user?: string; readonly password?: string; readonly token?: string; readonly timeoutMs?: number };
  /** The user an MQTT client without credentials is (in place of the top-level no_auth_user). */
  readonly noAuthUser?: string;
  /** How long a QoS 1/2 message sent to a client waits for its acknowledgement before it is sent again. */
  readonly ackWaitMs: number;
  /** QoS 1/2 messages in flight per session at most (1..65535). */
  readonly maxAckPending: number;
  /** Close a client that publishes with QoS 2 (nats-server 2.10.4+ `reject_qos2_publish`). */
  readonly rejectQos2Publish: boolean;
  /** Grant QoS 1 to a QoS 2 subscription (nats-server 2.10.4+ `downgrade_qos2_subscribe`). */
  readonly downgradeQos2Subscribe: boolean;
  /** The longest keepalive an MQTT 5 client gets, told as Server Keep Alive (mosquitto's `max_keepalive`); 0 for no maximum. */
  readonly maxKeepaliveSeconds: number;
  /** Links to other MQTT brokers (leafgate's own `bridges` list); empty for none. */
  readonly bridges: readonly MqttBridgeConfig[];
}

/** TLS toward a remote broker: the server is verified against `caFile` (or the system's CAs) unless `insecure`. */
export interface ClientTlsConfig {
  /** Our certificate and key, for a remote that asks for one; both or neither. */
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly caFile?: string;
  /** Skip verifying the remote's certificate (tests, self-signed devices). */
  readonly insecure: boolean;
  /** The name the remote's certificate must carry; the URL's host when absent. */
  readonly serverName?: string;
  /** Handshake deadline. */
  readonly timeoutMs: number;
}

/** Messages from the remote broker into local subjects: `remote` is subscribed there. */
export interface MqttBridgeInRule {
  /** An MQTT topic filter on the remote broker. */
  readonly remote: string;
  /** The local subject, with the remote filter's wildcards in the same order (`+` as `*`, `#` as `>`), or none; absent: the filter's own subject. */
  readonly local?: string;
  /** The QoS subscribed with on the remote: 0 or 1. */
  readonly qos: 0 | 1;
}

/** Local messages to the remote broker, through the outbox. */
export interface MqttBridgeOutRule {
  /** A local subject, wildcards allowed. */
  readonly local: string;
  /** The remote topic, with the local subject's wildcards in the same order (`*` as `+`, `>` as `#`), or none; absent: the subject's own topic. */
  readonly remote?: string;
  /** The QoS published with on the remote: 0, or 1 (a message leaves the outbox at PUBACK). */
  readonly qos: 0 | 1;
  readonly retain: boolean;
}

/** One link to another MQTT broker, leafgate connecting as an MQTT client. */
export interface MqttBridgeConfig {
  readonly name: string;
  /** mqtt://, mqtts://, ws:// or wss:// with host and port (defaults 1883, 8883, 80, 443; ws path defaults to /mqtt). */
  readonly url: string;
  /** The local account the rules' subjects belong to; absent for the global account. */
  readonly account?: string;
  /** Absent: `<hostname>.<name>`, as mosquitto names its bridges. */
  readonly clientId?: string;
  readonly username?: string;
  readonly password?: string;
  /** TLS settings for mqtts:// and wss://. */
  readonly tls?: ClientTlsConfig;
  /** Start a clean session on the remote at each connect (mosquitto's `cleansession`); default false. */
  readonly clean: boolean;
  readonly keepaliveSeconds: number;
  /** 5 (default) or 4 (MQTT 3.1.1). */
  readonly protocolVersion: 4 | 5;
  readonly in: readonly MqttBridgeInRule[];
  readonly out: readonly MqttBridgeOutRule[];
  /** Outbox bound in bytes (topic + payload); the oldest messages are dropped beyond it. */
  readonly maxBytes: number;
  /** Outbox messages older than this are dropped; 0 for no limit. */
  readonly maxAgeMs: number;
  /** QoS 1 messages in flight to the remote at most (lowered by its receive maximum). */
  readonly maxInflight: number;
  /** The first wait after a failed or lost connection, doubled up to `maxReconnectDelayMs`, with jitter. */
  readonly reconnectDelayMs: number;
  readonly maxReconnectDelayMs: number;
}

/** Where operator mode finds account JWTs: in memory (the preloads only), or a directory kept up to date by pushed updates. */
export type ResolverConfig =
  | { readonly type: 'memory' }
  | {
      readonly type: 'full';
      readonly dir: string;
      /** `$SYS.REQ.CLAIMS.DELETE` may remove accounts (their files are renamed to `.jwt.deleted`). */
      readonly allowDelete: boolean;
      /** Most account JWTs the directory may hold. */
      readonly limit: number;
    };

/** Operator (JWT) mode as configured: the operators' tokens and the account resolver. */
export interface OperatorModeConfig {
  /** Each operator's JWT as the configuration gives it: a file's contents (possibly decorated) or the inline token. */
  readonly operators: readonly string[];
  readonly resolver?: ResolverConfig;
  /** Account public key -> account JWT (`resolver_preload`). */
  readonly preload: Readonly<Record<string, string>>;
  /** `system_account` as the configuration gives it; '' when it does not (then the operator's). */
  readonly systemAccount: string;
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
  'mappings',
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
  mappings: Object.freeze([]),
  systemAccount: '$SYS',
  noSystemAccount: false,
  noHeaderSupport: false,
  disableSublistCache: false,
});

export const JETSTREAM_DEFAULTS: JetStreamConfig = Object.freeze({
  storeDir: '',
  maxMemoryStore: -1,
  maxFileStore: -1,
  syncInterval: 'always',
  domain: '',
});

/**
 * What a layer says about JetStream, setting by setting: `-sd DIR` sets the store directory of the file's
 * `jetstream` block without enabling it, and `-js` enables it with the file's limits.
 */
export type JetStreamLayer = { -readonly [K in keyof JetStreamConfig]?: JetStreamConfig[K] } & { enabled?: boolean };

/** The option set a layer (config file or command line) contributes; unset keys leave the layer below alone. */
export type OptionLayer = { -readonly [K in Exclude<keyof Options, 'jetstream'>]?: Options[K] } & { jetstream?: JetStreamLayer };

/** Applies layers in order over the defaults and freezes the result. */
export function mergeOptions(...layers: OptionLayer[]): Options {
  const out: Record<string, unknown> = { ...DEFAULTS };
  let jetstream: JetStreamLayer = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      if (k === 'jetstream') jetstream = { ...jetstream, ...definedOnly(v as JetStreamLayer) };
      else if (v !== undefined) out[k] = v;
    }
  }
  const { enabled, ...settings } = jetstream;
  if (enabled === true) out.jetstream = Object.freeze({ ...JETSTREAM_DEFAULTS, ...settings });
  return Object.freeze(out) as unknown as Options;
}

function definedOnly<T extends object>(layer: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(layer ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
