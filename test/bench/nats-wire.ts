/**
 * Hand-written NATS client frames for the load generator. Everything here is built once per
 * scenario and then written (or compared against) many times, so nothing is encoded per message.
 */

export const PING = Buffer.from('PING\r\n', 'latin1');
export const PONG = Buffer.from('PONG\r\n', 'latin1');
export const CRLF = Buffer.from('\r\n', 'latin1');

/** Largest batch the publisher hands to the socket in one write. */
export const DEFAULT_BATCH_BYTES = 256 * 1024;

/** CONNECT with verbose/pedantic off so the server sends no +OK per PUB. */
export function connectFrame(name: string): Buffer {
  const options = {
    verbose: false,
    pedantic: false,
    tls_required: false,
    name,
    lang: 'leafgate-bench',
    version: '1',
    protocol: 1,
    echo: true,
    headers: false,
    no_responders: false,
  };
  return Buffer.from(`CONNECT ${JSON.stringify(options)}\r\n`, 'latin1');
}

export function subFrame(subject: string, sid: number, queue?: string): Buffer {
  const queuePart = queue === undefined ? '' : ` ${queue}`;
  return Buffer.from(`SUB ${subject}${queuePart} ${sid}\r\n`, 'latin1');
}

/** A deterministic printable payload, so a misaligned count shows up as visible garbage in errors. */
export function benchPayload(size: number): Buffer {
  const payload = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) payload[i] = 0x61 + (i % 26);
  return payload;
}

export function pubFrame(subject: string, payload: Buffer, replyTo?: string): Buffer {
  const replyPart = replyTo === undefined ? '' : ` ${replyTo}`;
  const head = Buffer.from(`PUB ${subject}${replyPart} ${payload.length}\r\n`, 'latin1');
  return Buffer.concat([head, payload, CRLF]);
}

/** The exact MSG frame the server sends for one delivery on a connection with a single subscription. */
export function msgFrame(subject: string, sid: number, payload: Buffer, replyTo?: string): Buffer {
  const replyPart = replyTo === undefined ? '' : ` ${replyTo}`;
  const head = Buffer.from(`MSG ${subject} ${sid}${replyPart} ${payload.length}\r\n`, 'latin1');
  return Buffer.concat([head, payload, CRLF]);
}

/** `n` as `width` decimal digits (n below 10^width). */
export function fixedWidth(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `<prefix>.0000` ... `<prefix>.<count-1>`: one width, so every frame naming one has the same length. */
export function numberedSubjects(prefix: string, count: number): string[] {
  const width = String(count - 1).length;
  return Array.from({ length: count }, (_, i) => `${prefix}.${fixedWidth(i, width)}`);
}

/** Digits of a numbered reply subject (`<inbox>.00000042`); the count wraps past 10^8. */
export const NUMBER_WIDTH = 8;
const NUMBER_WRAP = 10 ** NUMBER_WIDTH;

/**
 * A frame that carries a number in a fixed-width field (a unique reply subject per request). `make`
 * returns the frame for `n` as a new buffer: one small allocation per round trip, on latency paths only.
 */
export class NumberedFrame {
  private readonly template: Buffer;
  private readonly at: number;

  /** `build` gets the placeholder to put where the number goes. */
  constructor(build: (placeholder: string) => Buffer) {
    const placeholder = '#'.repeat(NUMBER_WIDTH);
    this.template = build(placeholder);
    this.at = this.template.indexOf(placeholder, 0, 'latin1');
    if (this.at < 0) throw new Error('numbered frame without its placeholder');
  }

  make(n: number): Buffer {
    const frame = Buffer.from(this.template);
    frame.write(fixedWidth(n % NUMBER_WRAP, NUMBER_WIDTH), this.at, 'latin1');
    return frame;
  }
}

/**
 * One frame repeated as many times as fits in `maxBytes` (at least once). The publisher writes this
 * buffer, or a whole-frame prefix of it, over and over.
 */
export class FrameBatch {
  readonly buffer: Buffer;
  readonly frameLength: number;
  readonly frameCount: number;

  constructor(frame: Buffer, maxBytes: number = DEFAULT_BATCH_BYTES) {
    this.frameLength = frame.length;
    this.frameCount = Math.max(1, Math.floor(maxBytes / frame.length));
    this.buffer = Buffer.allocUnsafe(this.frameLength * this.frameCount);
    for (let i = 0; i < this.frameCount; i++) frame.copy(this.buffer, i * this.frameLength);
  }

  /** A view holding exactly `frames` frames (frames <= frameCount); no copy. */
  slice(frames: number): Buffer {
    return frames === this.frameCount ? this.buffer : this.buffer.subarray(0, frames * this.frameLength);
  }
}
