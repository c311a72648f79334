// Where JetStream keeps its data and how much it may store, from the configured values and facts about the
// host, decided as nats-server 2.9.10 does (EnableJetStream, dynJetStreamConfig, diskAvailable). Pure: the
// caller measures the host, so loading a config never touches the disk and a reload compares what was written.

import path from 'node:path';
import type { JetStreamConfig } from './options.js';

/** Used when the system memory is unknown: 256 MiB. */
export const FALLBACK_MAX_MEMORY_STORE = 256 * 1024 * 1024;
/** Used when the free disk space cannot be read: 1 TiB. */
export const FALLBACK_MAX_FILE_STORE = 1024 * 1024 * 1024 * 1024;
/** The folder under the store directory that holds the data. */
export const JETSTREAM_DATA_FOLDER = 'jetstream';

export interface HostFacts {
  /** os.tmpdir(). */
  readonly tmpDir: string;
  /** os.totalmem(); 0 when unknown. */
  readonly totalMemory: number;
  /** Bytes available to us on the file system holding `dir` (statfs bavail * bsize); undefined when unknown. */
  diskAvailable(dir: string): number | undefined;
}

export interface JetStreamStorage {
  /** The folder holding the data: `<store_dir>/jetstream`. */
  readonly dataDir: string;
  readonly maxMemory: number;
  readonly maxStore: number;
}

/** Go's integer `n / 4 * 3`. */
function threeQuarters(n: number): number {
  return Math.floor(n / 4) * 3;
}

export function resolveJetStreamStorage(config: JetStreamConfig, host: HostFacts): JetStreamStorage {
  const { storeDir, maxMemoryStore, maxFileStore } = config;
  // Both limits given: nats-server skips its dynamic configuration, whose default folder has a `nats/` level.
  if (maxMemoryStore > 0 && maxFileStore > 0) {
    const base = storeDir !== '' ? storeDir : host.tmpDir;
    return { dataDir: path.join(base, JETSTREAM_DATA_FOLDER), maxMemory: maxMemoryStore, maxStore: maxFileStore };
  }
  const dataDir = path.join(storeDir !== '' ? storeDir : path.join(host.tmpDir, 'nats'), JETSTREAM_DATA_FOLDER);
  const disk = maxFileStore >= 0 ? undefined : host.diskAvailable(dataDir);
  return {
    dataDir,
    maxMemory: maxMemoryStore >= 0 ? maxMemoryStore : host.totalMemory > 0 ? threeQuarters(host.totalMemory) : FALLBACK_MAX_MEMORY_STORE,
    maxStore: maxFileStore >= 0 ? maxFileStore : disk !== undefined ? threeQuarters(disk) : FALLBACK_MAX_FILE_STORE,
  };
}
