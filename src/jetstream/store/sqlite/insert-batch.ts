// Appended messages inserted many rows per statement.
//
// A one-row INSERT costs about 2.9 µs a message here, most of it the statement's own round trip
// through better-sqlite3; 32 rows per statement, about 1.9 µs. So appends queue their rows, and the
// store inserts them before it runs any other statement (so every read still sees every append) and
// before each commit. The bytes of a message are borrowed from the connection that published it,
// valid only during the append: they are copied into one arena, and bound from there.

import type { Database, Statement } from 'better-sqlite3';

/** Rows per multi-row INSERT. */
export const BATCH_ROWS = 32;
/** Messages larger than this are inserted at once rather than copied into the arena. */
export const BATCH_MAX_BYTES = 16 * 1024;
const ARENA_BYTES = BATCH_ROWS * BATCH_MAX_BYTES;
const COLUMNS = 7;
/** What a queued row keeps: five values, then the header's and the data's arena offset and length. */
const ROW_FIELDS = 9;
const INSERT = 'INSERT INTO msgs (seq, sid, size, time_ns, stored_ms, hdr, data) VALUES ';

export class InsertBatch {
  private readonly single: Statement;
  private readonly many: Statement;
  private readonly arena = Buffer.allocUnsafe(ARENA_BYTES);
  private used = 0;
  private readonly rows: Array<number | bigint> = [];
  private readonly manyParams: unknown[] = new Array(BATCH_ROWS * COLUMNS);
  private readonly oneParams: unknown[] = new Array(COLUMNS);

  constructor(db: Database) {
    this.single = db.prepare(`${INSERT}(?, ?, ?, ?, ?, ?, ?)`);
    this.many = db.prepare(INSERT + new Array(BATCH_ROWS).fill('(?, ?, ?, ?, ?, ?, ?)').join(', '));
  }

  get pending(): boolean {
    return this.rows.length > 0;
  }

  /**
   * Queues the row, or inserts it at once (after the queued ones) when it does not fit. The bytes
   * are copied: they need not outlive the call.
   */
  insert(seq: number, sid: number, size: number, timeNs: bigint, storedMs: number, hdr: Buffer | null, data: Buffer): void {
    this.insertFrom(seq, sid, size, timeNs, storedMs, hdr ?? data, 0, hdr === null ? -1 : hdr.length, data, 0, data.length);
  }

  /** insert() with the header (`hdrLen` -1: none) and the data given as ranges of buffers. */
  insertFrom(seq: number, sid: number, size: number, timeNs: bigint, storedMs: number, hdrSrc: Buffer, hdrAt: number, hdrLen: number, dataSrc: Buffer, dataAt: number, dataLen: number): void {
    const bytes = Math.max(hdrLen, 0) + dataLen;
    if (bytes <= BATCH_MAX_BYTES && this.used + bytes <= ARENA_BYTES) {
      const arenaHdrAt = hdrLen < 0 ? -1 : this.used;
      if (hdrLen > 0) this.used += hdrSrc.copy(this.arena, this.used, hdrAt, hdrAt + hdrLen);
      const arenaDataAt = this.used;
      this.used += dataSrc.copy(this.arena, this.used, dataAt, dataAt + dataLen);
      this.rows.push(seq, sid, size, timeNs, storedMs, arenaHdrAt, Math.max(hdrLen, 0), arenaDataAt, dataLen);
      return;
    }
    if (this.pending) this.flush();
    const hdr = hdrLen < 0 ? null : hdrSrc.subarray(hdrAt, hdrAt + hdrLen);
    this.single.run(seq, sid, size, timeNs, storedMs, hdr, dataSrc.subarray(dataAt, dataAt + dataLen));
  }

  /** Inserts every queued row. On an error the rows are dropped: the caller rolls the transaction back. */
  flush(): void {
    const rows = this.rows;
    const n = rows.length / ROW_FIELDS;
    try {
      let r = 0;
      for (; r + BATCH_ROWS <= n; r += BATCH_ROWS) {
        for (let k = 0; k < BATCH_ROWS; k++) this.bind(this.manyParams, k * COLUMNS, (r + k) * ROW_FIELDS);
        this.many.run(this.manyParams);
      }
      for (; r < n; r++) {
        this.bind(this.oneParams, 0, r * ROW_FIELDS);
        this.single.run(this.oneParams);
      }
    } finally {
      this.discard();
    }
  }

  discard(): void {
    this.rows.length = 0;
    this.used = 0;
  }

  private bind(params: unknown[], at: number, from: number): void {
    const rows = this.rows;
    for (let i = 0; i < 5; i++) params[at + i] = rows[from + i];
    const hdrAt = rows[from + 5] as number;
    params[at + 5] = hdrAt < 0 ? null : this.arena.subarray(hdrAt, hdrAt + (rows[from + 6] as number));
    const dataAt = rows[from + 7] as number;
    params[at + 6] = this.arena.subarray(dataAt, dataAt + (rows[from + 8] as number));
  }
}
