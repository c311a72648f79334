// The stream stores: the StreamStore seam, the SQLite file store and the memory store.
export { AppendRefusal } from './types.js';
export type { ConsumerState, PurgeRequest, StoreClock, StoredHeaders, StoredMsg, StoreLimits, StreamStore, StreamStoreState } from './types.js';
export { StorageBudget } from './budget.js';
export { systemClock } from './clock.js';
export { COMMIT_POINT_APPENDS } from './commit-point.js';
export { NO_LIMITS } from './limits.js';
export { StoreDamagedError, StoreLockedError, StoreVersionError, StoreWriteError } from './errors.js';
export { MemoryStore, memStoreMsgSize } from './memory/index.js';
export type { MemoryStoreOptions } from './memory/index.js';
export { lockStoreFolder, openSqliteStore, SqliteStore, fileStoreMsgSize } from './sqlite/index.js';
export type { FolderLock, SqliteStoreOptions } from './sqlite/index.js';
export { seqFromTime } from './seq-from-time.js';
