// The duplicate window of a stream: Nats-Msg-Id -> the sequence that stored it, forgotten once the
// window has passed. Ids arrive in time order, so expiry walks a queue from its head.

export const MSG_ID = 'Nats-Msg-Id';

interface Entry {
  seq: number;
  atMs: number;
}

export class Dedupe {
  private readonly ids = new Map<string, Entry>();
  private readonly order: string[] = [];
  private head = 0;
  private windowMs: number;

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  setWindow(windowMs: number): void {
    this.windowMs = windowMs;
  }

  /** The sequence that stored `id` within the window, or 0. */
  seqOf(id: string, nowMs: number): number {
    this.expire(nowMs);
    return this.ids.get(id)?.seq ?? 0;
  }

  remember(id: string, seq: number, atMs: number): void {
    if (this.windowMs <= 0) return;
    if (!this.ids.has(id)) this.order.push(id);
    this.ids.set(id, { seq, atMs });
  }

  /** Forgets an id whose message was not stored after all (a failed commit). */
  forget(id: string): void {
    this.ids.delete(id);
  }

  clear(): void {
    this.ids.clear();
    this.order.length = 0;
    this.head = 0;
  }

  private expire(nowMs: number): void {
    const order = this.order;
    while (this.head < order.length) {
      const id = order[this.head];
      const e = this.ids.get(id);
      if (e !== undefined && nowMs - e.atMs < this.windowMs) break;
      this.ids.delete(id);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > order.length) {
      order.splice(0, this.head);
      this.head = 0;
    }
  }
}
