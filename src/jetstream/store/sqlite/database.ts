// Opening a store file: the damage checks, WAL, and the sync setting.

import fs from 'node:fs';

import Sqlite from 'better-sqlite3';
import type { Database } from 'better-sqlite3';

import { StoreDamagedError } from '../errors.js';

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Checks what SQLite itself would find only when it reads a missing page: the file is a database
 * and is not shorter than its header says. Corruption inside pages surfaces when they are read.
 *
 * With a WAL beside it, a short file is no damage: a checkpoint writes page 1 (which holds the page
 * count) first, and one cut short by a crash leaves the file shorter than its header until SQLite
 * replays the WAL, which still holds every page the checkpoint was writing.
 */
function checkFile(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return;
    const head = Buffer.alloc(100);
    const n = fs.readSync(fd, head, 0, 100, 0);
    if (n < 100 || !head.subarray(0, 16).equals(HEADER)) throw new StoreDamagedError(file, 'not an SQLite database');
    const raw = head.readUInt16BE(16);
    const pageSize = raw === 1 ? 65536 : raw;
    const pages = head.readUInt32BE(28);
    // The page count is valid only when its change counter matches the file's (SQLite file format 1.3.4).
    const countValid = head.readUInt32BE(24) === head.readUInt32BE(92);
    if (countValid && pages * pageSize > size && !hasWal(file)) throw new StoreDamagedError(file, `truncated: ${size} bytes of ${pages * pageSize}`);
  } finally {
    fs.closeSync(fd);
  }
}

function hasWal(file: string): boolean {
  try {
    return fs.statSync(`${file}-wal`).size > 0;
  } catch {
    return false;
  }
}

export function isDamage(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'));
}

/**
 * WAL with synchronous=NORMAL: a commit only writes the WAL; SQLite fsyncs the WAL before each
 * checkpoint and the database after it, so a crash never costs the file its consistency. What a
 * commit wrote is made durable by the store (wal-sync.ts): after each commit with sync_interval
 * `always`, at the interval otherwise.
 *
 * `exclusive` (sync_interval `always`): the connection takes the file's lock once and keeps the WAL
 * index in its own memory instead of the shared-memory file, which halves the cost of a small
 * transaction (a KV put, a consumer's acks: 38 µs to 17 µs for a one-row commit here). It also keeps
 * a second server, or any other program, from writing a stream file this one has open. With
 * sync_interval a duration the file is shared with the thread that applies the append log
 * (log-offload.ts); commits there are per 100 ms or per turn after the acks, where the difference
 * did not show (KV puts at "2m": 0.98x and 0.95x exclusive, 0.97x and 0.95x shared).
 */
export function openDatabase(file: string, exclusive = true, pageSize: 1024 | 4096 = 1024): Database {
  checkFile(file);
  let db: Database | null = null;
  try {
    // No busy wait: the two connections of a shared file never write at the same time (log-offload.ts).
    db = new Sqlite(file, { timeout: 0 });
    if (exclusive) db.pragma('locking_mode = EXCLUSIVE');
    // 1 KiB pages for new files by default (SQLite's is 4 KiB): a commit rewrites every page it
    // touches (a stream's last leaf, its index leaf, the counters row, a subject's row), so smaller
    // pages cut the bytes a KV put writes from 20.7 KB to 5.7 KB and those of a small message by an
    // eighth, which is what wears an SD card; 128 KiB messages are stored about a sixth slower. Where
    // commits are large (SqliteStoreOptions.pageSize) 4 KiB pages take a quarter of the write calls.
    // An existing file keeps the page size it was made with.
    db.pragma(`page_size = ${pageSize}`);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`journal_mode is ${String(mode)}, not wal`);
    db.pragma('synchronous = NORMAL');
    // Checkpoint every 32 MiB of WAL (in pages of the file's size) rather than SQLite's 1000 pages:
    // a page rewritten by many commits (a subject's index leaf, the counters row) reaches the
    // database file once per checkpoint, which cut the bytes written per stored message by a quarter
    // with 1000 subjects (README figures).
    const filePageSize = db.pragma('page_size', { simple: true }) as number;
    db.pragma(`wal_autocheckpoint = ${Math.ceil((32 * 1024 * 1024) / filePageSize)}`);
    // The WAL is truncated back to this after a checkpoint rather than keeping its largest size.
    db.pragma('journal_size_limit = 67108864');
    // Room for the index leaves of many subjects written at once (the default is 2 MiB); an upper bound, not an allocation.
    db.pragma('cache_size = -8192');
    db.pragma('schema_version', { simple: true });
    return db;
  } catch (e) {
    db?.close();
    if (isDamage(e)) throw new StoreDamagedError(file, (e as Error).message, { cause: e });
    throw e;
  }
}
