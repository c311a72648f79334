export { openSqliteStore } from './open-store.js';
export { SqliteStore } from './sqlite-store.js';
export { lockStoreFolder } from './folder-lock.js';
export type { FolderLock } from './folder-lock.js';
export { fileStoreMsgSize, storeFileName } from './store-file.js';
export type { SqliteStoreOptions } from './store-file.js';
