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
