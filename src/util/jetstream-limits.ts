// An account's JetStream limits: the configuration's `jetstream {}` of an account and an account
// JWT's limits both give them, JetStream enforces them. A shape only, here because config, auth and
// jetstream may each import util and none of them another.

export interface JetStreamLimits {
  /** `max_mem` (aliases max_memory, mem, memory; a JWT's `mem_storage`): bytes of memory storage. */
  readonly maxMemory: number;
  /** `max_file` (aliases max_store, max_disk, store, disk; a JWT's `disk_storage`): bytes of file storage. */
  readonly maxStore: number;
  readonly maxStreams: number;
  readonly maxConsumers: number;
  /** Streams of this account must set max_bytes. */
  readonly maxBytesRequired: boolean;
  /** Largest max_bytes a memory stream may set (`mem_max_stream_bytes`); <= 0 = no limit. */
  readonly memoryMaxStreamBytes: number;
  /** Largest max_bytes a file stream may set (`disk_max_stream_bytes`); <= 0 = no limit. */
  readonly storeMaxStreamBytes: number;
  readonly maxAckPending: number;
}
