// When a stream file's commits are durable, and who hears of them.
//
// sync_interval 'always': a commit's listeners hear it once an fdatasync of the WAL that started
// after the commit has finished (wal-sync.ts); a failure after it waits its turn, so the listeners
// hear every outcome in commit order. An interval: listeners hear each commit (or append log write)
// at once, and the WAL and the append log are fdatasynced at that interval when something was
// committed since the last sync.

import { StoreWriteError } from '../errors.js';
import { WalSync } from './wal-sync.js';

export type CommitListener = (lastSeq: number, err: Error | null) => void;

/** An outcome the listeners have not heard yet. */
interface Notice {
  lastSeq: number;
  err: Error | null;
  durable: boolean;
}

export class CommitReporter {
  /** Whether each commit is synced before its listeners hear of it. */
  readonly syncEachCommit: boolean;
  private readonly file: string;
  private readonly walSync: WalSync;
  private readonly listeners: CommitListener[] = [];
  /** Commits (and failures after them) whose listeners wait for a sync, oldest first. */
  private readonly notices: Notice[] = [];
  private readonly timer: NodeJS.Timeout | null = null;
  private unsynced = false;
  /** Other files that hold acknowledged writes (the append log), synced with the WAL at the interval. */
  private readonly alsoSynced: Array<{ sync(done: (err: Error | null) => void): void }> = [];

  constructor(file: string, sync: 'always' | number) {
    this.file = file;
    this.walSync = new WalSync(file);
    this.syncEachCommit = sync === 'always';
    if (sync !== 'always') {
      this.timer = setInterval(() => this.syncInterval(), Math.max(1, sync));
      this.timer.unref();
    }
  }

  listen(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  syncAlso(file: { sync(done: (err: Error | null) => void): void }): void {
    this.alsoSynced.push(file);
  }

  committed(lastSeq: number): void {
    this.unsynced = true;
    this.report(lastSeq, null, this.syncEachCommit);
  }

  /** A commit whose writes the listeners heard of before (through the append log): synced at the interval. */
  committedUnheard(): void {
    this.unsynced = true;
  }

  /** Syncs the WAL now, on this thread. */
  syncNow(): void {
    this.walSync.syncNow();
  }

  failed(lastSeq: number, err: Error): void {
    this.report(lastSeq, err, false);
  }

  /** Closing: commits that wait for their sync get one here, and their listeners hear them. */
  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    if (this.notices.length > 0) {
      let err: Error | null = null;
      try {
        this.walSync.syncNow();
      } catch (e) {
        err = new StoreWriteError(this.file, false, { cause: e });
      }
      for (const n of this.notices) {
        if (!n.durable && err !== null) n.err = err;
        n.durable = true;
      }
      this.release();
    }
    this.walSync.close();
  }

  private report(lastSeq: number, err: Error | null, needsSync: boolean): void {
    if (!needsSync && this.notices.length === 0) {
      for (const l of this.listeners) l(lastSeq, err);
      return;
    }
    const notice: Notice = { lastSeq, err, durable: !needsSync };
    this.notices.push(notice);
    if (!needsSync) return;
    this.walSync.sync((syncErr) => {
      if (notice.durable) return;
      notice.durable = true;
      if (syncErr !== null) notice.err = new StoreWriteError(this.file, false, { cause: syncErr });
      this.release();
    });
  }

  private release(): void {
    const notices = this.notices;
    let i = 0;
    for (; i < notices.length && notices[i].durable; i++) for (const l of this.listeners) l(notices[i].lastSeq, notices[i].err);
    notices.splice(0, i);
  }

  private syncInterval(): void {
    if (!this.unsynced) return;
    this.unsynced = false;
    // Retried at the next interval; a checkpoint syncs the same data meanwhile.
    const retry = (err: Error | null): void => {
      if (err !== null) this.unsynced = true;
    };
    this.walSync.sync(retry);
    for (const file of this.alsoSynced) file.sync(retry);
  }
}
