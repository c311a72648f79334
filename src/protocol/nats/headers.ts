// NATS message headers: the `NATS/1.0[ status]\r\nName: value\r\n...\r\n\r\n` block at the start of
// an HMSG payload. Servers read a few named headers (JetStream's Nats-Msg-Id, Nats-Expected-*) and
// write status replies (404, 408, 409, 100), so both directions are here, on bytes, case-sensitive
// like nats-server.

const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;
const SPACE = 0x20;
const HEADER_VERSION = 'NATS/1.0';

/**
 * The value of header `name` in block[start, end), or null when absent. Names match exactly (as
 * nats-server's getHeader); the first line carrying the name wins; blanks before the value are skipped.
 * The value is a byte string (latin1), like every subject inside the server.
 */
export function headerValue(block: Buffer, start: number, end: number, name: string): string | null {
  const n = name.length;
  // The first line is the version line: a header starts after a CRLF.
  for (let i = start; i + n + 2 < end; i++) {
    if (block[i] !== LF || block[i - 1] !== CR) continue;
    const at = i + 1;
    let k = 0;
    while (k < n && block[at + k] === name.charCodeAt(k)) k++;
    if (k !== n || block[at + n] !== COLON) continue;
    let v = at + n + 1;
    while (v < end && block[v] === SPACE) v++;
    let e = v;
    while (e < end && !(block[e] === CR && block[e + 1] === LF)) e++;
    return block.toString('latin1', v, e);
  }
  return null;
}

/** A header block: the version line (with a status such as `404 Message Not Found` when given), then the fields. */
export function encodeHeaders(status: string, fields: ReadonlyArray<readonly [string, string]>): Buffer {
  let text = status === '' ? HEADER_VERSION : `${HEADER_VERSION} ${status}`;
  text += '\r\n';
  for (const [name, value] of fields) text += `${name}: ${value}\r\n`;
  return Buffer.from(text + '\r\n', 'latin1');
}

/**
 * Appends fields to an existing header block (the stored headers of a message served by DIRECT.GET),
 * keeping what it has; a null block starts a new one.
 */
export function appendHeaders(block: Buffer | null, fields: ReadonlyArray<readonly [string, string]>): Buffer {
  if (block === null || block.length < 4) return encodeHeaders('', fields);
  let text = '';
  for (const [name, value] of fields) text += `${name}: ${value}\r\n`;
  // The block ends with the empty line: insert before it.
  const head = block.subarray(0, block.length - 2);
  return Buffer.concat([head, Buffer.from(text + '\r\n', 'latin1')]);
}

/**
 * The block without the first line carrying header `name` (as nats-server's removeHeaderIfPresent: the
 * line must start after a CRLF); null when only the version line would be left.
 */
export function removeHeader(block: Buffer, name: string): Buffer | null {
  const n = name.length;
  for (let i = 1; i + n < block.length; i++) {
    if (block[i - 1] !== LF) continue;
    let k = 0;
    while (k < n && block[i + k] === name.charCodeAt(k)) k++;
    if (k !== n || block[i + n] !== COLON) continue;
    let e = i + n;
    while (e + 1 < block.length && !(block[e] === CR && block[e + 1] === LF)) e++;
    if (e + 1 >= block.length) return block;
    const rest = Buffer.concat([block.subarray(0, i), block.subarray(e + 2)]);
    return rest.length <= HEADER_VERSION.length + 4 ? null : rest;
  }
  return block;
}
