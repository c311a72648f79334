// Per-connection outbound bytes: appended during a turn, written to the socket once per turn.

import { KEEP_BY_REFERENCE } from '../util/index.js';

/** The writing half of a transport, as core needs it (a node socket fits). */
export interface ByteSink {
  write(data: Buffer): boolean;
  cork(): void;
  uncork(): void;
  readonly writableLength: number;
}

const MIN_CAP = 4096;
const EMPTY = Buffer.alloc(0);
const MAX_CAP = 256 * 1024;

export class Outbound {
  /** Current buffer being filled; writers may write into buf[len..] after ensure(). */
  buf: Buffer;
  len = 0;
  private cap = MIN_CAP;
  private readonly chunks: Buffer[] = [];
  private chunkBytes = 0;
  /** Set while this outbound sits in the flush queue. */
  queued = false;

  constructor() {
    // The first write allocates: an idle connection holds no buffer.
    this.buf = EMPTY;
  }

  /** Bytes not yet handed to the socket. */
  get pendingBytes(): number {
    return this.len + this.chunkBytes;
  }

  /** Makes room for n more bytes in buf. */
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    if (this.len > 0) {
      this.chunks.push(this.buf.subarray(0, this.len));
      this.chunkBytes += this.len;
      if (this.cap < MAX_CAP) this.cap *= 2;
    }
    this.buf = Buffer.allocUnsafe(Math.max(this.cap, n));
    this.len = 0;
  }

  append(data: Buffer): void {
    const n = data.length;
    if (n >= KEEP_BY_REFERENCE) {
      if (this.len > 0) {
        this.chunks.push(this.buf.subarray(0, this.len));
        this.chunkBytes += this.len;
        this.buf = this.buf.subarray(this.len);
        this.len = 0;
      }
      this.chunks.push(data);
      this.chunkBytes += n;
      return;
    }
    this.ensure(n);
    data.copy(this.buf, this.len);
    this.len += n;
  }

  /** Appends a latin1 string (protocol text). */
  appendText(text: string): void {
    this.ensure(text.length);
    this.len += this.buf.write(text, this.len, 'latin1');
  }

  /** Hands everything to the sink; returns false when the sink is past its high-water mark. */
  flushTo(sink: ByteSink): boolean {
    let ok = true;
    const chunks = this.chunks;
    const corked = chunks.length > 0;
    if (corked) {
      // One writev for the whole turn instead of a syscall per chunk.
      sink.cork();
      for (let i = 0; i < chunks.length; i++) ok = sink.write(chunks[i]);
      chunks.length = 0;
      this.chunkBytes = 0;
    }
    if (this.len > 0) {
      ok = sink.write(this.buf.subarray(0, this.len));
      const used = this.len;
      this.len = 0;
      if (used < this.cap >> 2 && this.cap > MIN_CAP) this.cap >>= 1;
      const rest = this.buf.length - used;
      // Keep writing into the unused tail while it is worth it; the written head now belongs to the
      // socket. Otherwise the next write allocates, so a connection gone quiet holds no buffer.
      this.buf = rest >= 1024 ? this.buf.subarray(used) : EMPTY;
    }
    if (corked) sink.uncork();
    return ok;
  }

  /** Drops everything not yet written and the buffer itself (the connection is closed). */
  discard(): void {
    this.chunks.length = 0;
    this.chunkBytes = 0;
    this.len = 0;
    this.buf = EMPTY;
  }
}

/** Something with outbound bytes to write at the end of the turn. */
export interface Flushable {
  readonly outbound: Outbound;
  flushOutbound(): void;
}

let dirty: Flushable[] = [];
let spare: Flushable[] = [];
let scheduled = false;

/** Queues a flush for the end of this turn (one setImmediate for every connection written to). */
export function scheduleFlush(f: Flushable): void {
  if (f.outbound.queued) return;
  f.outbound.queued = true;
  dirty.push(f);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flushAll);
  }
}

/**
 * Writes everything queued so far at once. For output made after this turn's flush already ran (a
 * group commit's acks, made in the same check phase), which would otherwise wait a loop iteration.
 */
export function flushQueued(): void {
  if (dirty.length > 0) flushAll();
}

function flushAll(): void {
  scheduled = false;
  const list = dirty;
  dirty = spare;
  spare = list;
  for (let i = 0; i < list.length; i++) {
    const f = list[i];
    f.outbound.queued = false;
    f.flushOutbound();
  }
  list.length = 0;
}
