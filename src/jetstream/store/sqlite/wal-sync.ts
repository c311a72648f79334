// Making committed WAL frames durable off the event loop.
//
// The store commits with synchronous=NORMAL (database.ts): a commit writes its frames to the WAL in
// the OS's page cache and returns. An fdatasync of the WAL file afterwards makes every commit that
// returned before it started durable. Running it on libuv's thread pool lets the event loop parse
// and commit the next batch while the disk works, which synchronous=FULL (an fsync inside COMMIT)
// would not. A checkpoint never reuses WAL space before it has synced the database file, so frames
// an fdatasync has not covered yet are never overwritten.

import fs from 'node:fs';

export class WalSync {
  private readonly file: string;
  private fd: number | null = null;
  private running = false;
  private closed = false;
  private waiting: Array<(err: Error | null) => void> = [];

  constructor(dbFile: string) {
    this.file = `${dbFile}-wal`;
  }

  /**
   * Calls `done` once everything committed before this call is on disk. Calls made while a sync
   * runs share the next one: one fdatasync covers all their commits.
   */
  sync(done: (err: Error | null) => void): void {
    this.waiting.push(done);
    if (!this.running) this.start();
  }

  /** Syncs now, on this thread (before closing with commits that wait for a sync). */
  syncNow(): void {
    fs.fdatasyncSync(this.walFd());
  }

  /**
   * Closes the file at once, so that its file system can be unmounted. A sync still running on the
   * thread pool then fails or syncs nothing; the store settled its waiters with syncNow() before.
   */
  close(): void {
    this.closed = true;
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private start(): void {
    const callers = this.waiting;
    this.waiting = [];
    let fd: number;
    try {
      fd = this.walFd();
    } catch (e) {
      for (const done of callers) done(e as Error);
      return;
    }
    this.running = true;
    fs.fdatasync(fd, (err) => {
      this.running = false;
      for (const done of callers) done(err);
      if (this.waiting.length > 0) this.start();
    });
  }

  private walFd(): number {
    if (this.closed) throw new Error(`${this.file} is closed`);
    this.fd ??= fs.openSync(this.file, 'r');
    return this.fd;
  }
}
