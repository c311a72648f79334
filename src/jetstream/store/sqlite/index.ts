export { openSqliteStore, SqliteStore } from './sqlite-store.js';
export { fileStoreMsgSize, storeFileName } from './store-file.js';
export type { SqliteStoreOptions } from './store-file.js';
