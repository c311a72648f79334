import { FrameShapeError } from './errors.js';

/** What the reader hands back besides the message count. */
export interface FrameReaderEvents {
  onPing(): void;
  onPong(): void;
  onInfo(json: string): void;
  onServerError(text: string): void;
}

const AT_BOUNDARY = 0;
const IN_MSG = 1;
const IN_LINE = 2;

const BYTE_M = 0x4d;
const BYTE_CR = 0x0d;
const BYTE_LF = 0x0a;

/** Control lines (INFO included) are small; anything longer means we lost frame alignment. */
const MAX_LINE_BYTES = 64 * 1024;

/** How many MSG frames are compared byte for byte before the reader switches to the cheap check. */
export const DEFAULT_VERIFIED_FRAMES = 1000;

/**
 * Counts deliveries on a connection that holds exactly one subscription, so every MSG frame has the
 * same bytes (subject, sid, reply, size, payload) and the same length. Counting is a skip of that
 * length. The first frames are compared in full against the expected frame; after that each frame
 * still has to start with `M` and end with CRLF, which catches any loss of alignment quickly.
 * Control lines between frames (PING, PONG, +OK, -ERR, INFO) are parsed properly, so a server PING
 * arriving mid-stream does not get counted and is answered.
 */
export class FrameReader {
  messages: number;
  private readonly expected: Buffer | null;
  private readonly frameLength: number;
  private readonly events: FrameReaderEvents;
  private verifyLeft: number;
  private state: number;
  private offset: number;
  private lineParts: Buffer[];
  private lineBytes: number;

  constructor(expectedMsg: Buffer | null, events: FrameReaderEvents, verifiedFrames: number = DEFAULT_VERIFIED_FRAMES) {
    this.messages = 0;
    this.expected = expectedMsg;
    this.frameLength = expectedMsg === null ? 0 : expectedMsg.length;
    this.events = events;
    this.verifyLeft = verifiedFrames;
    this.state = AT_BOUNDARY;
    this.offset = 0;
    this.lineParts = [];
    this.lineBytes = 0;
  }

  push(chunk: Buffer): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.state === IN_MSG) {
        i = this.continueMsg(chunk, i);
      } else if (this.state === IN_LINE) {
        i = this.continueLine(chunk, i);
      } else if (chunk[i] === BYTE_M) {
        if (this.expected === null) throw this.shapeError('a MSG on a connection without subscriptions', chunk, i);
        if (this.verifyLeft > 0) {
          this.state = IN_MSG;
          this.offset = 0;
        } else {
          i = this.skipWholeFrames(chunk, i);
        }
      } else {
        this.state = IN_LINE;
      }
    }
  }

  /** The hot path: whole frames inside this chunk, checked only at their first and last two bytes. */
  private skipWholeFrames(chunk: Buffer, start: number): number {
    const len = this.frameLength;
    const n = chunk.length;
    let i = start;
    let count = 0;
    while (n - i >= len && chunk[i] === BYTE_M) {
      if (chunk[i + len - 2] !== BYTE_CR || chunk[i + len - 1] !== BYTE_LF) {
        this.messages += count;
        throw this.shapeError('MSG frame not ending in CRLF where expected', chunk, i);
      }
      i += len;
      count++;
    }
    this.messages += count;
    if (i < n && chunk[i] === BYTE_M && n - i < len) {
      this.state = IN_MSG;
      this.offset = 0;
    }
    return i;
  }

  /** A frame split across reads (or one still being verified byte for byte). */
  private continueMsg(chunk: Buffer, i: number): number {
    const expected = this.expected as Buffer;
    const take = Math.min(this.frameLength - this.offset, chunk.length - i);
    if (this.verifyLeft > 0) {
      if (chunk.compare(expected, this.offset, this.offset + take, i, i + take) !== 0) {
        throw this.shapeError('MSG frame differs from the expected bytes', chunk, i);
      }
    } else if (this.offset + take === this.frameLength && take >= 2) {
      if (chunk[i + take - 2] !== BYTE_CR || chunk[i + take - 1] !== BYTE_LF) {
        throw this.shapeError('MSG frame not ending in CRLF where expected', chunk, i);
      }
    }
    this.offset += take;
    if (this.offset === this.frameLength) {
      this.messages++;
      this.state = AT_BOUNDARY;
      this.offset = 0;
      if (this.verifyLeft > 0) this.verifyLeft--;
    }
    return i + take;
  }

  private continueLine(chunk: Buffer, i: number): number {
    const newline = chunk.indexOf(BYTE_LF, i);
    const end = newline === -1 ? chunk.length : newline;
    this.lineBytes += end - i;
    if (this.lineBytes > MAX_LINE_BYTES) throw this.shapeError('control line longer than 64 KiB', chunk, i);
    this.lineParts.push(Buffer.from(chunk.subarray(i, end)));
    if (newline === -1) return chunk.length;
    const raw = Buffer.concat(this.lineParts).toString('latin1');
    this.lineParts = [];
    this.lineBytes = 0;
    this.state = AT_BOUNDARY;
    this.handleLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    return newline + 1;
  }

  private handleLine(line: string): void {
    const op = line.slice(0, 4).toUpperCase();
    if (op === 'PING') this.events.onPing();
    else if (op === 'PONG') this.events.onPong();
    else if (op.startsWith('+OK')) return;
    else if (op === '-ERR') this.events.onServerError(line);
    else if (op === 'INFO') this.events.onInfo(line.slice(4).trim());
    else throw new FrameShapeError(`unexpected line from server: ${JSON.stringify(line.slice(0, 120))}`);
  }

  private shapeError(what: string, chunk: Buffer, at: number): FrameShapeError {
    const seen = chunk.subarray(at, at + Math.min(Math.max(this.frameLength, 40), 120)).toString('latin1');
    const expected = this.expected === null ? '(no MSG expected)' : this.expected.toString('latin1');
    return new FrameShapeError(
      `${what} after ${this.messages} messages: saw ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`,
    );
  }
}
