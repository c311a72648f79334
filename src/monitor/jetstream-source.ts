// What the monitor reads from JetStream: plain data, produced on request by the service (server.ts hands
// it over). The monitor never imports jetstream; stream configs, states and consumer infos arrive as the
// JSON members the $JS.API writes, so /jsz shows them exactly as a client sees them.

/** How much of each account a snapshot must carry; totals are always there. */
export interface JetStreamDetail {
  /** Each stream's name, creation time, config and state. */
  readonly streams: boolean;
  /** Each stream's consumers (implies streams). */
  readonly consumers: boolean;
}

export interface JetStreamConfigSnapshot {
  readonly maxMemory: number;
  readonly maxStorage: number;
  /** The folder JetStream owns (<store_dir>/jetstream). */
  readonly storeDir: string;
  /** '' = none. */
  readonly domain: string;
}

export interface JetStreamStreamSnapshot {
  readonly name: string;
  /** RFC 3339, as the API writes it. */
  readonly created: string;
  /** The StreamConfig members as STREAM.INFO writes them. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The StreamState members as STREAM.INFO writes them. */
  readonly state: Readonly<Record<string, unknown>>;
  /** Each consumer's ConsumerInfo members (config included) as CONSUMER.INFO writes them; empty unless asked for. */
  readonly consumers: readonly Readonly<Record<string, unknown>>[];
  /** A mirror's or a sourcing stream's StreamSourceInfo members, as STREAM.INFO writes them. */
  readonly mirror?: Readonly<Record<string, unknown>>;
  readonly sources?: readonly Readonly<Record<string, unknown>>[];
}

export interface JetStreamAccountSnapshot {
  readonly name: string;
  /** Bytes stored in the account's memory and file streams. */
  readonly memory: number;
  readonly storage: number;
  /** The account's JetStream byte limits; negative = unlimited. */
  readonly maxMemory: number;
  readonly maxStorage: number;
  readonly apiTotal: number;
  readonly apiErrors: number;
  readonly streamCount: number;
  readonly consumerCount: number;
  readonly messages: number;
  readonly bytes: number;
  /** Empty unless asked for. */
  readonly streams: readonly JetStreamStreamSnapshot[];
}

export interface JetStreamSnapshot {
  readonly config: JetStreamConfigSnapshot;
  /** Bytes promised to streams by their max_bytes, per storage type. */
  readonly reservedMemory: number;
  readonly reservedStorage: number;
  readonly accounts: readonly JetStreamAccountSnapshot[];
}

export interface JetStreamMonitorSource {
  /** False until every account's streams are recovered and the API answers. */
  readonly ready: boolean;
  snapshot(detail: JetStreamDetail): JetStreamSnapshot;
  /** Whether this account has JetStream. */
  isEnabledFor(account: string): boolean;
}
