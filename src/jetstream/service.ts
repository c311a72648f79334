// The JetStream service: one JsAccount per account that has JetStream, each over its own folder of
// the store directory (<store_dir>/jetstream/<account>), attached to the router as internal clients.

import path from 'node:path';

import type { Router } from '../core/index.js';
import type { AccountLimits } from './account-limits.js';
import type { AdvisoryOrigin } from './advisories.js';
import { AccountBudget } from './account-limits.js';
import { JsAccount } from './js-account.js';
import type { JsAccountLog } from './js-account.js';
import { jetStreamSnapshot } from './monitor-snapshot.js';
import type { JetStreamSnapshot, SnapshotDetail } from './monitor-snapshot.js';
import { lockStoreFolder, StorageBudget } from './store/index.js';
import type { FolderLock, StoreClock } from './store/index.js';
import { StreamStores } from './stream-stores.js';
import { NotEnabledResponder } from './not-enabled.js';

export interface JetStreamOptions {
  /** The folder JetStream owns: <store_dir>/jetstream. */
  readonly dir: string;
  /** 'always' fsyncs every group commit; a number syncs at that interval in ms. */
  readonly syncInterval: 'always' | number;
  readonly maxMemoryStore: number;
  readonly maxFileStore: number;
  /** Accounts with JetStream enabled, with their limits; every other account is told it has none. */
  readonly accounts: ReadonlyMap<string, AccountLimits>;
  /** JetStream domain ('' = none); shown by monitoring and in advisories. */
  readonly domain?: string;
  /** The server's name (its id when none is configured), which advisories carry. */
  readonly serverName?: string;
  readonly clock?: StoreClock;
}

export class JetStream {
  private readonly router: Router;
  private readonly opts: JetStreamOptions;
  private readonly log: JsAccountLog;
  private readonly accounts = new Map<string, JsAccount>();
  /** Accounts without JetStream, each told so by a responder. */
  private readonly disabled = new Map<string, NotEnabledResponder>();
  /** max_file_store and max_memory_store, shared by every account's streams. */
  private readonly fileBudget: StorageBudget;
  private readonly memoryBudget: StorageBudget;
  /** Set once every account's streams are recovered and the API answers (healthz). */
  ready = false;
  /** The store directory, held while JetStream runs: one server at a time (folder-lock.ts). */
  private lock: FolderLock | null = null;

  constructor(router: Router, opts: JetStreamOptions, log: JsAccountLog) {
    this.router = router;
    this.opts = opts;
    this.log = log;
    this.fileBudget = new StorageBudget(opts.maxFileStore);
    this.memoryBudget = new StorageBudget(opts.maxMemoryStore);
  }

  start(): void {
    this.lock = lockStoreFolder(this.opts.dir);
    this.configureAccounts(this.opts.accounts);
    this.ready = true;
  }

  /**
   * Gives JetStream to exactly these accounts (an account JWT pushed to the full resolver can turn it
   * on or off): a newly enabled account recovers its streams, a disabled one stops serving them (its
   * data stays on disk), and every other account is told it has none. An account that keeps
   * JetStream keeps the limits it started with.
   */
  configureAccounts(limitsByAccount: ReadonlyMap<string, AccountLimits>): void {
    for (const [name, acc] of this.accounts) {
      if (limitsByAccount.has(name)) continue;
      acc.stop();
      this.accounts.delete(name);
    }
    for (const [name, limits] of limitsByAccount) {
      if (this.accounts.has(name)) continue;
      const account = this.router.findAccount(name);
      if (account === null) continue;
      this.disabled.get(name)?.stop();
      this.disabled.delete(name);
      const budgets = { file: new AccountBudget(limits.maxStore, this.fileBudget), memory: new AccountBudget(limits.maxMemory, this.memoryBudget) };
      const stores = new StreamStores(path.join(this.opts.dir, name), this.opts, this.log, budgets);
      const acc = new JsAccount(this.router, account, stores, limits, this.log, this.origin());
      acc.start();
      this.accounts.set(name, acc);
    }
    for (const account of this.router.accounts.values()) {
      if (!this.accounts.has(account.name) && !account.isSystem && !this.disabled.has(account.name)) {
        this.disabled.set(account.name, new NotEnabledResponder(this.router, account, this.origin()));
      }
    }
  }

  private origin(): AdvisoryOrigin {
    return { server: this.opts.serverName ?? '', domain: this.opts.domain ?? '' };
  }

  stop(): void {
    this.ready = false;
    for (const acc of this.accounts.values()) acc.stop();
    this.accounts.clear();
    for (const responder of this.disabled.values()) responder.stop();
    this.disabled.clear();
    this.lock?.release();
    this.lock = null;
  }

  /** Totals for /varz and /jsz. */
  usage(): { memory: number; storage: number; streams: number; consumers: number; accounts: number; apiTotal: number; apiErrors: number } {
    const total = { memory: 0, storage: 0, streams: 0, consumers: 0, accounts: this.accounts.size, apiTotal: 0, apiErrors: 0 };
    for (const acc of this.accounts.values()) {
      const u = acc.usage();
      total.memory += u.memory;
      total.storage += u.storage;
      total.streams += u.streams;
      total.consumers += u.consumers;
      total.apiTotal += acc.apiTotal;
      total.apiErrors += acc.apiErrors;
    }
    return total;
  }

  /** Configuration, usage and (on request) streams and consumers, for monitoring. */
  snapshot(detail: SnapshotDetail): JetStreamSnapshot {
    const o = this.opts;
    return jetStreamSnapshot({ maxMemory: o.maxMemoryStore, maxStorage: o.maxFileStore, storeDir: o.dir, domain: o.domain ?? '' }, this.accounts.values(), detail);
  }

  isEnabledFor(account: string): boolean {
    return this.accounts.has(account);
  }
}
