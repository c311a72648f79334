// Encodes MSG/HMSG frames straight into a connection's outbound buffer.

import type { Connection } from './connection.js';
import type { Subscription } from './subscription.js';

export const NO_RESPONDERS_HDR = Buffer.from('NATS/1.0 503\r\n\r\n', 'latin1');

/** Payloads up to this size are copied byte by byte; a native copy costs more than it saves below it. */
const SMALL_COPY = 64;
/** Payloads from this size on go out by reference (see Outbound.append). */
const BIG_PAYLOAD = 16 * 1024;

/**
 * Writes `MSG <subject> <sid> [reply] <size>` or, with headers, `HMSG ... <hdr> <total>`, then the payload.
 * A client that did not negotiate headers gets the body alone as a plain MSG.
 * Returns the payload bytes delivered.
 */
export function writeMsg(conn: Connection, sub: Subscription, subject: string, reply: string, hdrLen: number, payload: Buffer, sizeText: string): number {
  if (hdrLen > 0 && !conn.headers) {
    payload = payload.subarray(hdrLen);
    hdrLen = 0;
    sizeText = '';
  }
  const size = payload.length;
  const sid = sub.sid;
  const out = conn.outbound;
  const line = 5 + subject.length + 1 + sid.length + 1 + reply.length + 1 + 22 + sizeText.length + 2;
  const inline = size < BIG_PAYLOAD;
  out.ensure(inline ? line + size + 2 : line);
  const b = out.buf;
  let o = out.len;
  if (hdrLen > 0) b[o++] = 0x48; // H
  b[o++] = 0x4d; // M
  b[o++] = 0x53; // S
  b[o++] = 0x47; // G
  b[o++] = 0x20;
  o += b.write(subject, o, 'latin1');
  b[o++] = 0x20;
  o = writeAscii(b, o, sid);
  b[o++] = 0x20;
  if (reply.length > 0) {
    o += b.write(reply, o, 'latin1');
    b[o++] = 0x20;
  }
  if (hdrLen > 0) {
    o = writeInt(b, o, hdrLen);
    b[o++] = 0x20;
  }
  o = sizeText.length > 0 ? writeAscii(b, o, sizeText) : writeInt(b, o, size);
  b[o++] = 0x0d;
  b[o++] = 0x0a;
  if (inline) {
    if (size <= SMALL_COPY) for (let i = 0; i < size; i++) b[o + i] = payload[i];
    else payload.copy(b, o);
    o += size;
    b[o++] = 0x0d;
    b[o++] = 0x0a;
    out.len = o;
  } else {
    out.len = o;
    out.append(payload);
    out.appendText('\r\n');
  }
  return size;
}

function writeAscii(b: Buffer, o: number, s: string): number {
  const n = s.length;
  if (n > 16) return o + b.write(s, o, 'latin1');
  for (let i = 0; i < n; i++) b[o + i] = s.charCodeAt(i);
  return o + n;
}

function writeInt(b: Buffer, o: number, v: number): number {
  if (v < 10) {
    b[o] = 0x30 + v;
    return o + 1;
  }
  let digits = 0;
  for (let t = v; t > 0; t = Math.floor(t / 10)) digits++;
  let p = o + digits - 1;
  for (let t = v; t > 0; t = Math.floor(t / 10)) b[p--] = 0x30 + (t % 10);
  return o + digits;
}
