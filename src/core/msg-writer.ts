// Encodes MSG/HMSG frames for clients and LMSG/HMSG frames for leaf links straight into a
// connection's outbound buffer.

import { KEEP_BY_REFERENCE, writeDecimal } from '../util/index.js';
import type { PubFrame } from '../protocol/nats/index.js';
import type { ClientConnection } from './client-connection.js';
import type { LinkConnection } from './link-connection.js';
import type { Outbound } from './outbound.js';
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
  return endFrame(out, o, data, start, end, inline);
}

/**
 * Writes a message for a leaf link: `LMSG <subject> [reply] <size>`, with the queue groups chosen for
 * the link as `+ <reply> <q>…` or `| <q>…`, and `HMSG` with the header size before the size. The
 * subject is the one routed on; a JetStream delivery's own subject rides after `@` in its reply, as
 * nats-server sends it, and the other side restores it. A link that did not negotiate headers gets
 * the body alone. Returns the payload bytes sent.
 */
export function writeLinkMsg(conn: LinkConnection, f: PubFrame, queues: readonly string[]): number {
  let hdrLen = f.hdrLen;
  let start = f.start;
  if (hdrLen > 0 && !conn.headers) {
    start += hdrLen;
    hdrLen = 0;
  }
  const data = f.data;
  const end = f.end;
  const size = end - start;
  const replyLen = f.replyEnd - f.replyStart;
  const deliverAs = replyLen > 0 ? f.deliverAs : '';
  let queuesLen = 0;
  for (let i = 0; i < queues.length; i++) queuesLen += queues[i].length + 1;
  const out = conn.outbound;
  const line = 5 + f.subject.length + 3 + replyLen + 1 + deliverAs.length + 1 + queuesLen + 22 + 2;
  const inline = size < KEEP_BY_REFERENCE;
  out.ensure(inline ? line + size + 2 : line);
  const b = out.buf;
  let o = out.len;
  b[o++] = hdrLen > 0 ? 0x48 : 0x4c; // H or L
  b[o++] = 0x4d; // M
  b[o++] = 0x53; // S
  b[o++] = 0x47; // G
  b[o++] = 0x20;
  o = writeAscii(b, o, f.subject);
  b[o++] = 0x20;
  if (queues.length > 0) {
    b[o++] = replyLen > 0 ? 0x2b : 0x7c; // + or |
    b[o++] = 0x20;
  }
  if (replyLen > 0) {
    o = copyBytes(f.replyBytes, f.replyStart, f.replyEnd, b, o);
    if (deliverAs !== '') {
      b[o++] = 0x40; // @
      o = writeAscii(b, o, deliverAs);
    }
    b[o++] = 0x20;
  }
  for (let i = 0; i < queues.length; i++) {
    o = writeAscii(b, o, queues[i]);
    b[o++] = 0x20;
  }
  if (hdrLen > 0) {
    o = writeDecimal(b, o, hdrLen);
    b[o++] = 0x20;
  }
  o = writeDecimal(b, o, size);
  return endFrame(out, o, data, start, end, inline);
}

/** The no-responders status a requester gets when nobody was subscribed (exact nats-server 2.9 bytes). */
export function noRespondersFrame(reply: string, sid: string): Buffer {
  return Buffer.from(`HMSG ${reply} ${sid} 16 16\r\nNATS/1.0 503\r\n\r\n\r\n`, 'latin1');
}

/**
 * Ends the control line written up to `o` and adds the payload data[start, end) with its CRLF: copied
 * into the buffer when `inline` (small), else queued by reference. Returns the payload size.
 */
function endFrame(out: Outbound, o: number, data: Buffer, start: number, end: number, inline: boolean): number {
  const b = out.buf;
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
  return end - start;
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
