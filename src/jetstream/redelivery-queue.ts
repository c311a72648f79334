// The messages a consumer sends again, in the order they became due (ack wait passed, a NAK): served
// before new messages. A sequence is queued at most once.

export class RedeliveryQueue {
  private order: number[] = [];
  private readonly queued = new Set<number>();

  get length(): number {
    return this.order.length;
  }

  has(seq: number): boolean {
    return this.queued.has(seq);
  }

  add(seq: number): void {
    if (this.queued.has(seq)) return;
    this.queued.add(seq);
    this.order.push(seq);
  }

  /** The next sequence to send again, or -1. */
  first(): number {
    return this.order.length > 0 ? this.order[0] : -1;
  }

  /** Removes the first sequence (it was sent, or can no longer be). */
  shift(): void {
    const seq = this.order.shift();
    if (seq !== undefined) this.queued.delete(seq);
  }

  /** Removes `seq` wherever it is (it was acknowledged). */
  drop(seq: number): void {
    if (!this.queued.delete(seq)) return;
    const i = this.order.indexOf(seq);
    if (i >= 0) this.order.splice(i, 1);
  }

  /** Removes every sequence at or below `floor` (acknowledged by the ack floor, or purged). */
  dropUpTo(floor: number): void {
    if (this.order.length === 0) return;
    this.order = this.order.filter((s) => s > floor);
    for (const s of [...this.queued]) if (s <= floor) this.queued.delete(s);
  }
}
