// Opening a stream file by its path, or by the store folder and the stream's name.

import fs from 'node:fs';

import { SqliteStore } from './sqlite-store.js';
import { storeFileName } from './store-file.js';
import type { SqliteStoreOptions } from './store-file.js';

export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  let file = options.file;
  if (file === undefined) {
    if (options.dir === undefined || options.name === undefined) throw new TypeError('openSqliteStore needs a file, or a dir and a name');
    fs.mkdirSync(options.dir, { recursive: true });
    file = storeFileName(options.dir, options.name);
  }
  return new SqliteStore(file, options);
}
