// Reading the stream in order, a window of rows at a time.
//
// A consumer working through a backlog asks for the first message after the one it was just given,
// one call per message. One query per call costs 7.5 µs a row here; one query for 32 rows, 4.8 µs a
// row, and 32 rows packed into one (Statements.packedMsgs) less again: 5 µs a row packed by 32, 2.4
// by 256. So each call's rows are kept as a window: a call that continues one is served from it, and
// a call that continues a window that ran out reads the next rows ahead, twice as many as that
// window held, from 32 up to what the caller allows (256 rows of small messages). A few windows are
// kept, for consumers reading the same stream at different places, the least recently used one
// replaced.

import type { StoredMsg } from '../types.js';

/** One row of a packed window's JSON: seq, sid, time (text), header length (null: none), data length. */
type PackedNumbers = [number, number, string, number | null, number];

/**
 * The messages of a packedMsgs result, in order (empty when it found none); their bytes are views of
 * the result's one buffer, which nothing writes to.
 */
export function unpackRows(numbers: string, bytes: Buffer | null, subjectOf: (sid: number) => string): StoredMsg[] {
  const packed = JSON.parse(numbers) as PackedNumbers[];
  const msgs: StoredMsg[] = new Array(packed.length);
  let at = 0;
  for (let i = 0; i < packed.length; i++) {
    const [seq, sid, time, hdrLen, dataLen] = packed[i];
    const hdr = hdrLen === null ? null : (bytes as Buffer).subarray(at, (at += hdrLen));
    msgs[i] = { seq, subject: subjectOf(sid), hdr, data: (bytes as Buffer).subarray(at, (at += dataLen)), timeNs: BigInt(time) };
  }
  return msgs;
}

/** Rows the first call that continues a window reads ahead; each further one reads twice its window's. */
export const READ_AHEAD_ROWS = 32;
/** Windows kept. */
const WINDOWS = 4;

interface Window {
  rows: StoredMsg[];
  /** Index of the row the next call in step is given. */
  next: number;
  /** Every stored row from rows[0] up to this sequence is in `rows`. */
  coveredTo: number;
}

export class ReadAhead {
  private windows: Window[] = [];

  /** The first stored row at or after `from` when a window knows it, else undefined: query. */
  next(from: number): StoredMsg | undefined {
    const ws = this.windows;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i];
      const row = w.rows[w.next];
      // A window answers for sequences after the row it served last, up to its next row.
      if (row === undefined || from > row.seq || from <= w.rows[w.next - 1].seq) continue;
      w.next++;
      if (i > 0) {
        ws.splice(i, 1);
        ws.unshift(w);
      }
      return row;
    }
    return undefined;
  }

  /**
   * How many rows a call for `from` reads ahead, at most `max`: 0 unless it goes on where a window ran
   * out (a reader in step), then twice that window's size, at least READ_AHEAD_ROWS.
   */
  aheadFor(from: number, max: number): number {
    const w = this.windows.find((x) => ranOutBefore(x, from));
    return w === undefined ? 0 : Math.min(max, Math.max(READ_AHEAD_ROWS, w.rows.length * 2));
  }

  /**
   * Rows a query for at most `limit` rows returned (the first one given to the caller) when the
   * stream's last sequence was `lastSeq`.
   */
  keep(rows: StoredMsg[], limit: number, lastSeq: number): void {
    const coveredTo = rows.length === limit ? rows[rows.length - 1].seq : lastSeq;
    const ws = this.windows;
    // The window this continues, if any, makes room; else the least recently used one.
    const from = rows[0].seq;
    let i = ws.findIndex((w) => ranOutBefore(w, from));
    if (i < 0 && ws.length === WINDOWS) i = WINDOWS - 1;
    if (i >= 0) ws.splice(i, 1);
    ws.unshift({ rows, next: 1, coveredTo });
  }

  /**
   * `seq` was removed: a window that may still serve it goes. One already served past it stays: its
   * rows are never served again (a read at or before its last served row queries), so a purge of
   * what a reader has read (an uplink's acknowledged messages) keeps the reader's window.
   */
  removed(seq: number): void {
    this.removedRange(seq, seq);
  }

  /** Sequences `lo` to `hi` were removed (removed() for each). */
  removedRange(lo: number, hi: number): void {
    const ws = this.windows;
    for (let i = ws.length - 1; i >= 0; i--) {
      const w = ws[i];
      if (Math.max(lo, w.rows[w.next - 1].seq + 1) <= Math.min(hi, w.coveredTo)) ws.splice(i, 1);
    }
  }

  /** Everything may have changed (a purge of all, a rollback). */
  clear(): void {
    if (this.windows.length > 0) this.windows = [];
  }
}

/** `w` has served all its rows, and `from` comes right after what it covers. */
function ranOutBefore(w: Window, from: number): boolean {
  return w.next === w.rows.length && from > w.rows[w.next - 1].seq && from <= w.coveredTo + 1;
}
