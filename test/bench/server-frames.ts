import { FrameShapeError } from './errors.js';

/** What a JetStream load generator needs from each server frame. */
export interface ServerFrameEvents {
  /**
   * One MSG or HMSG. The views point into the read buffer and are valid only during the call.
   * `headers` is empty for MSG.
   */
  onMsg(subject: Buffer, reply: Buffer, headers: Buffer, payload: Buffer): void;
  onPing(): void;
  onPong(): void;
  onInfo(json: string): void;
  onServerError(text: string): void;
}

const BYTE_SPACE = 0x20;
const BYTE_CR = 0x0d;
const BYTE_LF = 0x0a;
const EMPTY = Buffer.alloc(0);
/** Control lines are small; anything longer means we lost frame alignment. */
const MAX_LINE_BYTES = 64 * 1024;

/**
 * Parses what a server sends to a client whose frames differ from one another (PubAcks, API
 * replies, direct gets), unlike `FrameReader`, which only counts identical MSG frames. A frame split
 * across reads waits in `rest` until the next read completes it.
 */
export class ServerFrameParser {
  private readonly events: ServerFrameEvents;
  private rest: Buffer;

  constructor(events: ServerFrameEvents) {
    this.events = events;
    this.rest = EMPTY;
  }

  push(chunk: Buffer): void {
    const data = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]);
    let i = 0;
    for (;;) {
      const used = this.frameAt(data, i);
      if (used === 0) break;
      i += used;
    }
    if (i < data.length && data.length - i > MAX_LINE_BYTES && data.indexOf(BYTE_LF, i) === -1) {
      throw new FrameShapeError(`control line longer than 64 KiB: ${JSON.stringify(data.subarray(i, i + 80).toString('latin1'))}`);
    }
    this.rest = i === data.length ? EMPTY : Buffer.from(data.subarray(i));
  }

  /** Handles the whole frame starting at `at` and returns its length, or 0 when it is not all here yet. */
  private frameAt(data: Buffer, at: number): number {
    const lf = data.indexOf(BYTE_LF, at);
    if (lf === -1) return 0;
    const lineEnd = lf > at && data[lf - 1] === BYTE_CR ? lf - 1 : lf;
    const first = data[at] ?? 0;
    if (first === 0x4d /* M */ || first === 0x48 /* H */) return this.message(data, at, lineEnd, lf + 1, first === 0x48);
    const line = data.toString('latin1', at, lineEnd);
    const op = line.slice(0, 4).toUpperCase();
    if (op === 'PING') this.events.onPing();
    else if (op === 'PONG') this.events.onPong();
    else if (op === 'INFO') this.events.onInfo(line.slice(4).trim());
    else if (op === '-ERR') this.events.onServerError(line);
    else if (!op.startsWith('+OK')) throw new FrameShapeError(`unexpected line from server: ${JSON.stringify(line.slice(0, 120))}`);
    return lf + 1 - at;
  }

  /** `MSG <subject> <sid> [reply] <size>` or `HMSG <subject> <sid> [reply] <hdr size> <total size>`. */
  private message(data: Buffer, at: number, lineEnd: number, bodyStart: number, withHeaders: boolean): number {
    const fields: number[] = [];
    let start = -1;
    for (let i = at; i <= lineEnd; i++) {
      const space = i === lineEnd || data[i] === BYTE_SPACE;
      if (space && start >= 0) {
        fields.push(start, i);
        start = -1;
      } else if (!space && start < 0) {
        start = i;
      }
    }
    const count = fields.length / 2;
    const sizes = withHeaders ? 2 : 1;
    if (count < 3 + sizes || count > 4 + sizes) {
      throw new FrameShapeError(`malformed message line ${JSON.stringify(data.toString('latin1', at, lineEnd))}`);
    }
    const number = (field: number) => Number(data.toString('latin1', fields[2 * field], fields[2 * field + 1]));
    const total = number(count - 1);
    const headerSize = withHeaders ? number(count - 2) : 0;
    const end = bodyStart + total;
    if (data.length < end + 2) return 0;
    const view = (field: number) => data.subarray(fields[2 * field], fields[2 * field + 1]);
    const reply = count === 3 + sizes + 1 ? view(3) : EMPTY;
    this.events.onMsg(view(1), reply, data.subarray(bodyStart, bodyStart + headerSize), data.subarray(bodyStart + headerSize, end));
    return end + 2 - at;
  }
}
