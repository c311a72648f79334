// An account's JetStream limits and the byte budgets that enforce them. Byte limits below 0 are
// unlimited and 0 allows no storage of that kind; counts of 0 or less are unlimited (nats-server's
// reading). Each account's budget sits on the server's (max_file_store / max_memory_store), so a
// refused append says which of the two was full.

import type { JetStreamLimits } from '../util/index.js';
import { apiError } from './errors.js';
import type { ApiError } from './errors.js';
import { StorageBudget } from './store/index.js';
import type { StorageType } from './stream-config.js';

export type AccountLimits = JetStreamLimits;

/** An account's share of a server budget. */
export class AccountBudget extends StorageBudget {
  private readonly server: StorageBudget;
  /** Whether the last refused reservation was the account's limit (else the server's). */
  refusedByAccount = false;

  constructor(limit: number, server: StorageBudget) {
    super(limit);
    this.server = server;
  }

  override reserve(n: number): boolean {
    if (this.limit >= 0 && this.used + n > this.limit) {
      this.refusedByAccount = true;
      return false;
    }
    if (!this.server.reserve(n)) {
      this.refusedByAccount = false;
      return false;
    }
    super.charge(n);
    this.refusedByAccount = false;
    return true;
  }

  override charge(n: number): void {
    super.charge(n);
    this.server.charge(n);
  }

  override release(n: number): void {
    super.release(n);
    this.server.release(n);
  }
}

/** The error for an append its budget refused: the account's limit (10002) or the server's storage (10023). */
export function storageFullError(budget: AccountBudget): ApiError {
  return budget.refusedByAccount ? apiError('AccountResourcesExceeded') : apiError('InsufficientResources');
}

/** Whether a new stream of this storage and max_bytes fits the account (10047 / 10028 otherwise). */
export function checkStreamStorage(limits: AccountLimits, storage: StorageType, maxBytes: number): ApiError | null {
  const limit = storage === 'memory' ? limits.maxMemory : limits.maxStore;
  if (limit === 0 || (limit > 0 && maxBytes > limit)) return storage === 'memory' ? apiError('MemoryResourcesExceeded') : apiError('StorageResourcesExceeded');
  return null;
}

export function limitsJson(l: AccountLimits): Record<string, unknown> {
  return {
    max_memory: l.maxMemory,
    max_storage: l.maxStore,
    max_streams: l.maxStreams,
    max_consumers: l.maxConsumers,
    max_ack_pending: l.maxAckPending,
    memory_max_stream_bytes: l.memoryMaxStreamBytes,
    storage_max_stream_bytes: l.storeMaxStreamBytes,
    max_bytes_required: l.maxBytesRequired,
  };
}
