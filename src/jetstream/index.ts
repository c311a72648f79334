export { JetStream } from './service.js';
export type { JetStreamOptions } from './service.js';
// The SQLite pieces the MQTT store shares: opening a file (damage checks, WAL), when commits are durable, store errors.
export { CommitReporter } from './store/sqlite/commit-reporter.js';
export { isDamage, openDatabase } from './store/sqlite/database.js';
export { StoreDamagedError, StoreVersionError, StoreWriteError } from './store/errors.js';
