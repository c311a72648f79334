// Encodes MSG/HMSG frames straight into a connection's outbound buffer.

import { KEEP_BY_REFERENCE, writeDecimal } from '../util/index.js';
import type { PubFrame } from '../protocol/nats/index.js';
import type { ClientConnection } from './client-connection.js';
import type { Subscription } from './subscription.js';

/** Byte runs up to this long are copied in a loop; a native copy costs more than it saves below it. */
const SMALL_COPY = 64;

/**
 * Writes `MSG <subject> <sid> [reply] <size>` or, with headers, `HMSG ... <hdr> <total>`, then the payload.
 * A client that did not negotiate headers gets the body alone as a plain MSG.
 * Returns the payload bytes delivered.
 */
export function writeMsg(conn: ClientConnection, sub: Subscription, f: PubFrame): number {
  let hdrLen = f.hdrLen;
  let start = f.start;
  let sizeText = f.sizeText;
  if (hdrLen > 0 && !conn.headers) {
    start += hdrLen;
    hdrLen = 0;
    sizeText = '';
  }
  const data = f.data;
  const end = f.end;
  const size = end - start;
  const sid = sub.sid;
  const subjectLen = f.subjectLen;
  const replyLen = f.replyEnd - f.replyStart;
  const out = conn.outbound;
  const line = 5 + subjectLen + 1 + sid.length + 1 + replyLen + 1 + 22 + f.hdrText.length + sizeText.length + 2;
  const inline = size < KEEP_BY_REFERENCE;
  out.ensure(inline ? line + size + 2 : line);
  const b = out.buf;
  let o = out.len;
  if (hdrLen > 0) b[o++] = 0x48; // H
  b[o++] = 0x4d; // M
  b[o++] = 0x53; // S
  b[o++] = 0x47; // G
  b[o++] = 0x20;
  o = copyBytes(f.subjectBytes, 0, subjectLen, b, o);
  b[o++] = 0x20;
  o = writeAscii(b, o, sid);
  b[o++] = 0x20;
  if (replyLen > 0) {
    o = copyBytes(f.replyBytes, f.replyStart, f.replyEnd, b, o);
    b[o++] = 0x20;
  }
  if (hdrLen > 0) {
    o = f.hdrText.length > 0 ? writeAscii(b, o, f.hdrText) : writeDecimal(b, o, hdrLen);
    b[o++] = 0x20;
  }
  o = sizeText.length > 0 ? writeAscii(b, o, sizeText) : writeDecimal(b, o, size);
  b[o++] = 0x0d;
  b[o++] = 0x0a;
  if (inline) {
    o = copyBytes(data, start, end, b, o);
    b[o++] = 0x0d;
    b[o++] = 0x0a;
    out.len = o;
  } else {
    out.len = o;
    out.append(data.subarray(start, end));
    out.appendText('\r\n');
  }
  return size;
}

/** The no-responders status a requester gets when nobody was subscribed (exact nats-server 2.9 bytes). */
export function noRespondersFrame(reply: string, sid: string): Buffer {
  return Buffer.from(`HMSG ${reply} ${sid} 16 16\r\nNATS/1.0 503\r\n\r\n\r\n`, 'latin1');
}

function copyBytes(src: Buffer, start: number, end: number, b: Buffer, o: number): number {
  const n = end - start;
  if (n > SMALL_COPY) return o + src.copy(b, o, start, end);
  for (let i = 0; i < n; i++) b[o + i] = src[start + i];
  return o + n;
}

function writeAscii(b: Buffer, o: number, s: string): number {
  const n = s.length;
  if (n > 16) return o + b.write(s, o, 'latin1');
  for (let i = 0; i < n; i++) b[o + i] = s.charCodeAt(i);
  return o + n;
}
