// A byte budget shared by the stores of one kind (max_file_store, max_memory_store or an account's
// limit): an append that would pass it is refused with AppendRefusal.StorageFull.

export class StorageBudget {
  /** Bytes allowed; <= 0 means unlimited. */
  limit: number;
  private usedBytes = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  get used(): number {
    return this.usedBytes;
  }

  /** Takes `n` bytes when they fit; false (nothing taken) when they do not. */
  reserve(n: number): boolean {
    if (this.limit > 0 && this.usedBytes + n > this.limit) return false;
    this.usedBytes += n;
    return true;
  }

  /** Takes `n` bytes whatever the limit (a store restoring what it already holds). */
  charge(n: number): void {
    this.usedBytes += n;
  }

  release(n: number): void {
    this.usedBytes = Math.max(0, this.usedBytes - n);
  }
}
