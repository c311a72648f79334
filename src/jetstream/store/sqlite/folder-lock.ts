// The store directory's lock: one server at a time. A stream file opened at sync_interval `always`
// is locked by its own connection (database.ts), but at a duration it is shared with its offload
// thread, and a second server on the same directory would write it too. So JetStream holds a lock
// of its own on the folder: an SQLite file in exclusive locking mode, whose lock the system drops
// when the process ends, however it ends (kill -9 included), which a lock file by name would not.

import fs from 'node:fs';
import path from 'node:path';

import Sqlite from 'better-sqlite3';

import { StoreLockedError } from '../errors.js';

export const LOCK_FILE = 'leafgate.lock';

export interface FolderLock {
  release(): void;
}

/** Takes the folder's lock, creating the folder; throws StoreLockedError if another process has it. */
export function lockStoreFolder(dir: string): FolderLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const db = new Sqlite(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock, which the connection then keeps.
    db.exec('CREATE TABLE IF NOT EXISTS held (pid INTEGER); DELETE FROM held');
    db.prepare('INSERT INTO held (pid) VALUES (?)').run(process.pid);
  } catch (err) {
    db.close();
    if ((err as { code?: unknown }).code === 'SQLITE_BUSY') throw new StoreLockedError(dir, { cause: err });
    throw err;
  }
  return { release: () => db.close() };
}
