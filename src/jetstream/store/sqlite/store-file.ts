// Where a stream's database file lives, the options a store is opened with, and what the file store
// counts for a message (nats-server's accounting, which limits and account budgets use).

import path from 'node:path';

import type { StorageBudget } from '../budget.js';
import type { StoreClock, StoreLimits } from '../types.js';

export interface SqliteStoreOptions {
  /** The database file; or give `dir` and `name` for `<dir>/<name>.db` (the name escaped for a file name). */
  file?: string;
  dir?: string;
  name?: string;
  /**
   * nats-server's sync_interval. 'always' (the default): every commit fsyncs before its appends are
   * acknowledged. A number of milliseconds: commits do not fsync; the WAL is fsynced at that interval.
   */
  sync?: 'always' | number;
  clock?: StoreClock;
  limits?: StoreLimits;
  /** max_file_store (or the account's limit), shared with the other file streams. */
  budget?: StorageBudget;
  /**
   * The page size of a new file (an existing one keeps its own): 1024 (the default) where commits
   * are small, as a KV bucket's are; 4096 for a stream taking appends in bulk through the offload
   * thread, whose commits write many pages each (database.ts).
   */
  pageSize?: 1024 | 4096;
}

/** nats-server's file store accounting. */
export function fileStoreMsgSize(subject: string, hdr: Buffer | null, data: Buffer): number {
  return fileStoreMsgSizeOf(subject.length, hdr === null ? -1 : hdr.length, data.length);
}

/** fileStoreMsgSize() from the lengths (`hdrLen` -1: no header). */
export function fileStoreMsgSizeOf(subjectLen: number, hdrLen: number, dataLen: number): number {
  return 30 + subjectLen + dataLen + (hdrLen < 0 ? 0 : 4 + hdrLen);
}

export function storeFileName(dir: string, name: string): string {
  const safe = encodeURIComponent(name).replace(/^\./, '%2E');
  return path.join(dir, `${safe}.db`);
}
