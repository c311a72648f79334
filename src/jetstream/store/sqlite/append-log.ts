// The appends a stream file has acknowledged but not yet committed to SQLite, with sync_interval a
// duration.
//
// At that setting an ack promises what nats-server's does: the message survives the process being
// killed (it is in the operating system's page cache), and reaches the disk at the sync interval.
// One write() of the turn's appends to this file keeps that promise for a few microseconds, where
// an SQLite commit of the turn costs tens (it rewrites every page it touched: a KV put measured
// 19 µs of commit in a 125 µs round trip). So a turn of appends only is written here and acked; its
// rows go into SQLite's open transaction, which commits every LOG_COMMIT_MS or so (sqlite-store.ts)
// and then empties this file. Opening a store replays the records past SQLite's last sequence.
// The file starts with the limits the appends were stored under (they evict the same messages when
// replayed; changing them commits and empties the file first).
//
// Each write is one block: its length (u32) and CRC-32 (u32), then its records. A record: the
// body's length (u32), then the body: kind (u8), sequence (f64), time in ns (i64), stored time in
// ms (f64), subject length (u16), header length (i32, -1 for none), data length (u32), and the
// subject, header and data bytes (the limits: their JSON as the data). A write cut short by a crash
// leaves a block whose length or CRC does not check: reading stops there, at the last whole block.
// None of that block's appends was acked (the ack waits for the write), so all of it may go.
//
// While the offload thread applies the log (log-offload.ts), the file is not emptied by a commit
// of the event loop's: when it grows past its bound it is rotated instead. It is renamed to
// `<log>.old`, which the thread finishes, commits, and removes, and a new file takes the appends.
// A replay reads the old file first.

import fs from 'node:fs';
import zlib from 'node:zlib';

import type { StoreLimits } from '../types.js';
import { fileStoreMsgSizeOf } from './store-file.js';

/** A block's length and CRC. */
const BLOCK_HEAD = 8;
/** A record's length. */
const RECORD_HEAD = 4;
const FIXED = 1 + 8 + 8 + 8 + 2 + 4 + 4;
const KIND_APPEND = 1;
const KIND_SKIP = 2;
const KIND_LIMITS = 3;
const INITIAL_BYTES = 64 * 1024;
const EMPTY = Buffer.alloc(0);

export interface LoggedAppend {
  kind: 'append';
  seq: number;
  timeNs: bigint;
  storedMs: number;
  subject: string;
  hdr: Buffer | null;
  data: Buffer;
}

export interface LoggedSkip {
  kind: 'skip';
  seq: number;
  timeNs: bigint;
}

export interface LoggedLimits {
  kind: 'limits';
  limits: StoreLimits;
}

export type LoggedRecord = LoggedAppend | LoggedSkip | LoggedLimits;

/** The name a rotated log has until the offload thread has committed it and removed it. */
export function rotatedLogName(file: string): string {
  return `${file}.old`;
}

export class AppendLog {
  private readonly file: string;
  private fd: number;
  /** The rotated file, until the offload thread is done with it (dropRotated()). */
  private rotatedFd: number | null = null;
  /** Where the next write goes: the file's length as far as this log has written it. */
  private offset = 0;
  /** The block of records added since the last write, its head left free until the write. */
  private buf = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = BLOCK_HEAD;
  /** The next record goes after the limits (the file was emptied, or could not be). */
  private wantsLimits: boolean;
  /** Bumped by each reset: a sync that began before it says nothing of what is written after. */
  private generation = 0;
  private syncedSinceReset = false;
  /** The last record's time, and its low and high 32 bits. */
  private timeNs = 0n;
  private timeLow = 0;
  private timeHigh = 0;

  constructor(file: string) {
    this.file = file;
    this.fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    this.offset = fs.fstatSync(this.fd).size;
    this.wantsLimits = this.offset === 0;
  }

  /** Bytes in the file, written records only. */
  get size(): number {
    return this.offset;
  }

  /** Records to replay: in this file, or in a rotated one a crash left behind. */
  get holdsRecords(): boolean {
    return this.offset > 0 || fs.existsSync(rotatedLogName(this.file));
  }

  /** A rotated file is still held open here (the offload thread has not removed it yet). */
  get rotating(): boolean {
    return this.rotatedFd !== null;
  }

  get pending(): boolean {
    return this.used > BLOCK_HEAD;
  }

  /** Records to add start with the limits they are stored under (limits()). */
  get needsLimits(): boolean {
    return this.wantsLimits;
  }

  /** Nothing written nor added since the file was emptied. */
  get empty(): boolean {
    return this.offset === 0 && this.used === BLOCK_HEAD;
  }

  /** Some of what the file holds has been synced to disk since it was last emptied. */
  get synced(): boolean {
    return this.syncedSinceReset;
  }

  append(seq: number, timeNs: bigint, storedMs: number, subject: string, hdr: Buffer | null, data: Buffer): void {
    this.add(KIND_APPEND, seq, timeNs, storedMs, subject, hdr, data);
  }

  skip(seq: number, timeNs: bigint): void {
    this.add(KIND_SKIP, seq, timeNs, 0, '', null, EMPTY);
  }

  limits(limits: StoreLimits): void {
    this.add(KIND_LIMITS, 0, 0n, 0, '', null, Buffer.from(JSON.stringify(limits)));
    this.wantsLimits = false;
  }

  /**
   * Writes the records added since the last write. On an error nothing of them counts: the file is
   * cut back to where they began (so a restart cannot replay a part of them) and they are dropped.
   */
  write(): void {
    if (this.used === BLOCK_HEAD) return;
    const n = this.used;
    this.used = BLOCK_HEAD;
    this.buf.writeUInt32LE(n - BLOCK_HEAD, 0);
    this.buf.writeUInt32LE(zlib.crc32(this.buf.subarray(BLOCK_HEAD, n)), 4);
    try {
      let done = 0;
      while (done < n) done += fs.writeSync(this.fd, this.buf, done, n - done, this.offset + done);
    } catch (err) {
      try {
        fs.ftruncateSync(this.fd, this.offset);
      } catch {
        // Past a failed cut a restart may replay records whose publishers were told they failed: a
        // duplicate, never a loss (their Nats-Msg-Id still finds them).
      }
      throw err;
    }
    this.offset += n;
  }

  /** Drops records added since the last write. */
  discard(): void {
    this.used = BLOCK_HEAD;
  }

  /**
   * Renames the file to rotatedLogName() and goes on in a new one, empty; its written records stay
   * there for the offload thread (called between writes). Throws if the rename or the new file fails,
   * with this file kept.
   */
  rotate(): void {
    if (this.rotatedFd !== null) throw new Error(`append log ${this.file}: the last rotated file is still there`);
    const rotated = rotatedLogName(this.file);
    fs.renameSync(this.file, rotated);
    let fd: number;
    try {
      fd = fs.openSync(this.file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC, 0o644);
    } catch (err) {
      fs.renameSync(rotated, this.file);
      throw err;
    }
    this.rotatedFd = this.fd;
    this.fd = fd;
    this.offset = 0;
    this.used = BLOCK_HEAD;
    this.wantsLimits = true;
    this.generation++;
    this.syncedSinceReset = false;
  }

  /** The offload thread has committed and removed the rotated file. */
  dropRotated(): void {
    if (this.rotatedFd === null) return;
    fs.closeSync(this.rotatedFd);
    this.rotatedFd = null;
  }

  /**
   * Empties the file, and removes a rotated one: everything in them is committed to SQLite. If the
   * file cannot be cut, its records stay, and a replay skips them (their sequences are stored).
   */
  reset(): void {
    this.used = BLOCK_HEAD;
    this.wantsLimits = true;
    this.generation++;
    this.syncedSinceReset = false;
    this.dropRotated();
    fs.rmSync(rotatedLogName(this.file), { force: true });
    if (this.offset === 0) return;
    try {
      fs.ftruncateSync(this.fd, 0);
      this.offset = 0;
    } catch {
      // Kept, as said above; what follows starts with the limits again.
    }
  }

  /** Syncs the file, and a rotated one still open, to disk (at the sync interval). */
  sync(done: (err: Error | null) => void): void {
    const generation = this.generation;
    const holds = this.offset > 0;
    const rotated = this.rotatedFd;
    fs.fdatasync(this.fd, (err) => {
      if (err === null && holds && generation === this.generation) this.syncedSinceReset = true;
      // A rotated file the thread removes meanwhile is still open here: the sync is harmless.
      if (err !== null || rotated === null) done(err);
      else fs.fdatasync(rotated, done);
    });
  }

  /** Every whole record in a rotated file a crash left behind, then in this file, in order. */
  read(): LoggedRecord[] {
    const out: LoggedRecord[] = [];
    const rotated = rotatedLogName(this.file);
    if (fs.existsSync(rotated)) {
      const whole = fs.readFileSync(rotated);
      decodeBlocks(whole, out);
    }
    const size = fs.fstatSync(this.fd).size;
    const file = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = fs.readSync(this.fd, file, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    const p = decodeBlocks(file.subarray(0, got), out);
    // A torn tail is cut off, so that nothing of it is left behind the next write.
    if (p < size) fs.ftruncateSync(this.fd, p);
    this.offset = p;
    this.wantsLimits = p === 0;
    return out;
  }

  close(): void {
    this.dropRotated();
    fs.closeSync(this.fd);
  }

  private add(kind: number, seq: number, timeNs: bigint, storedMs: number, subject: string, hdr: Buffer | null, data: Buffer): void {
    const hdrLen = hdr === null ? 0 : hdr.length;
    const at = this.reserve(FIXED + subject.length + hdrLen + data.length);
    const buf = this.buf;
    let p = buf.writeUInt8(kind, at);
    p = buf.writeDoubleLE(seq, p);
    if (timeNs !== this.timeNs) this.setTime(timeNs);
    p = buf.writeUInt32LE(this.timeLow, p);
    p = buf.writeInt32LE(this.timeHigh, p);
    p = buf.writeDoubleLE(storedMs, p);
    p = buf.writeUInt16LE(subject.length, p);
    p = buf.writeInt32LE(hdr === null ? -1 : hdrLen, p);
    p = buf.writeUInt32LE(data.length, p);
    p += buf.write(subject, p, 'latin1');
    if (hdr !== null) p += hdr.copy(buf, p);
    p += data.copy(buf, p);
    buf.writeUInt32LE(p - at, at - RECORD_HEAD);
  }

  /** The time's two halves, made when it changes (once a millisecond: see clock.ts), not a record. */
  private setTime(timeNs: bigint): void {
    this.timeNs = timeNs;
    this.timeLow = Number(BigInt.asUintN(32, timeNs));
    this.timeHigh = Number(BigInt.asIntN(32, timeNs >> 32n));
  }

  /** Room for a record's body in the block; returns where the body starts. */
  private reserve(body: number): number {
    const need = this.used + RECORD_HEAD + body;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    const at = this.used + RECORD_HEAD;
    this.used = need;
    return at;
  }
}

/**
 * A record of the log as it lies in a read buffer (LogRangeReader): numbers decoded, the subject,
 * header and data left in `buf` where they are. Valid only during the call that gets it.
 */
export class LogRecordView {
  kind = 0;
  seq = 0;
  timeNs = 0n;
  storedMs = 0;
  buf: Buffer = EMPTY;
  subjectAt = 0;
  subjectLen = 0;
  /** -1 for none. */
  hdrLen = -1;
  hdrAt = 0;
  dataAt = 0;
  dataLen = 0;

  get isAppend(): boolean {
    return this.kind === KIND_APPEND;
  }

  get isSkip(): boolean {
    return this.kind === KIND_SKIP;
  }

  get storedSize(): number {
    return fileStoreMsgSizeOf(this.subjectLen, this.hdrLen, this.dataLen);
  }

  subject(): string {
    return this.buf.toString('latin1', this.subjectAt, this.subjectAt + this.subjectLen);
  }
}

/**
 * Reads ranges of a log file the offload thread follows, in place: one buffer and one view for
 * every record, where a replay's decode makes an object and two buffers a record (at a hundred
 * thousand records a second, that garbage cost the thread a tenth of its time).
 */
export class LogRangeReader {
  private buf = Buffer.allocUnsafe(INITIAL_BYTES);
  private readonly view = new LogRecordView();

  /**
   * Reads the log file open as `fd` from `from` to `to` (both at block boundaries, as written) and
   * calls `each` with its records in order.
   */
  read(fd: number, from: number, to: number, each: (r: LogRecordView) => void): void {
    const len = to - from;
    if (this.buf.length < len) this.buf = Buffer.allocUnsafe(Math.max(len, this.buf.length * 2));
    const buf = this.buf;
    let got = 0;
    while (got < len) {
      const n = fs.readSync(fd, buf, got, len - got, from + got);
      if (n === 0) break;
      got += n;
    }
    const p = scanBlocks(buf, got, this.view, each);
    if (p !== len) throw new Error(`append log: ${len - p} bytes past offset ${from + p} do not check`);
  }
}

/**
 * Calls `each` with the records of the whole blocks in the first `len` bytes of `buf`, through
 * `view`; returns where those blocks end.
 */
function scanBlocks(buf: Buffer, len: number, view: LogRecordView, each: (r: LogRecordView) => void): number {
  view.buf = buf;
  let p = 0;
  while (p + BLOCK_HEAD <= len) {
    const end = p + BLOCK_HEAD + buf.readUInt32LE(p);
    if (end > len || zlib.crc32(buf.subarray(p + BLOCK_HEAD, end)) !== buf.readUInt32LE(p + 4)) break;
    for (let r = p + BLOCK_HEAD; r < end; ) {
      const at = r + RECORD_HEAD;
      r = at + buf.readUInt32LE(r);
      view.kind = buf[at];
      view.seq = buf.readDoubleLE(at + 1);
      view.timeNs = buf.readBigInt64LE(at + 9);
      view.storedMs = buf.readDoubleLE(at + 17);
      view.subjectLen = buf.readUInt16LE(at + 25);
      view.hdrLen = buf.readInt32LE(at + 27);
      view.dataLen = buf.readUInt32LE(at + 31);
      view.subjectAt = at + FIXED;
      view.hdrAt = view.subjectAt + view.subjectLen;
      view.dataAt = view.hdrAt + Math.max(view.hdrLen, 0);
      each(view);
    }
    p = end;
  }
  return p;
}

/** Decodes the whole blocks at the start of `file` into `out` (records of their own); returns where they end. */
function decodeBlocks(file: Buffer, out: LoggedRecord[]): number {
  return scanBlocks(file, file.length, new LogRecordView(), (v) => out.push(recordOf(v)));
}

function recordOf(v: LogRecordView): LoggedRecord {
  if (v.kind === KIND_SKIP) return { kind: 'skip', seq: v.seq, timeNs: v.timeNs };
  const data = v.buf.subarray(v.dataAt, v.dataAt + v.dataLen);
  if (v.kind === KIND_LIMITS) return { kind: 'limits', limits: JSON.parse(data.toString()) as StoreLimits };
  const hdr = v.hdrLen < 0 ? null : v.buf.subarray(v.hdrAt, v.hdrAt + v.hdrLen);
  return { kind: 'append', seq: v.seq, timeNs: v.timeNs, storedMs: v.storedMs, subject: v.subject(), hdr, data };
}
