export { openSqliteStore, SqliteStore, fileStoreMsgSize, storeFileName } from './sqlite-store.js';
export type { SqliteStoreOptions } from './sqlite-store.js';
