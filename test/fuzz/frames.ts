// Client->server NATS streams for fuzzing: well-formed frames in every accepted spelling
// (op case, blank runs, bare LF, leading-zero sizes), and mutations of them.

import type { Prng } from './prng.js';

const SUBJECTS = ['foo', 'foo.bar', 'a.*.c', 'a.>', '>', '_INBOX.x.1', '$JS.API.INFO', 'f\xc3\xb6\xc3\xb6', 'x'.repeat(40)];

function casing(p: Prng, op: string): string {
  return [...op].map((ch) => (p.chance(0.3) ? ch.toLowerCase() : ch)).join('');
}

function blank(p: Prng): string {
  return p.pick([' ', ' ', ' ', '\t', '  ', ' \t ']);
}

function eol(p: Prng): string {
  return p.chance(0.85) ? '\r\n' : '\n';
}

function size(p: Prng, n: number): string {
  return p.chance(0.15) ? '0'.repeat(1 + p.int(3)) + String(n) : String(n);
}

function payload(p: Prng, max: number): Buffer {
  const n = p.int(max + 1);
  if (p.chance(0.2)) return Buffer.from('PING\r\nPUB x 1\r\n'.slice(0, n), 'latin1');
  return p.bytes(n);
}

/** One well-formed client frame (control line plus payload for PUB/HPUB). */
export function validFrame(p: Prng, maxPayload: number): Buffer {
  const b = (): string => blank(p);
  switch (p.int(9)) {
    case 0:
      return Buffer.from(`${casing(p, 'CONNECT')}${b()}{"verbose":false,"pedantic":${p.chance(0.5)},"headers":true,"name":"n${p.int(100)}"}${eol(p)}`, 'latin1');
    case 1:
    case 2: {
      const body = payload(p, maxPayload);
      const reply = p.chance(0.4) ? `${b()}${p.pick(SUBJECTS)}` : '';
      return Buffer.concat([Buffer.from(`${casing(p, 'PUB')}${b()}${p.pick(SUBJECTS)}${reply}${b()}${size(p, body.length)}${eol(p)}`, 'latin1'), body, Buffer.from('\r\n')]);
    }
    case 3: {
      const hdr = Buffer.from(p.chance(0.5) ? 'NATS/1.0\r\n\r\n' : 'NATS/1.0\r\nKey: value\r\n\r\n', 'latin1');
      const body = payload(p, Math.max(0, maxPayload - hdr.length));
      const reply = p.chance(0.4) ? `${b()}${p.pick(SUBJECTS)}` : '';
      const total = hdr.length + body.length;
      return Buffer.concat([Buffer.from(`${casing(p, 'HPUB')}${b()}${p.pick(SUBJECTS)}${reply}${b()}${size(p, hdr.length)}${b()}${size(p, total)}${eol(p)}`, 'latin1'), hdr, body, Buffer.from('\r\n')]);
    }
    case 4:
      return Buffer.from(`${casing(p, 'SUB')}${b()}${p.pick(SUBJECTS)}${p.chance(0.3) ? b() + 'q' + p.int(3) : ''}${b()}${p.int(50)}${p.chance(0.2) ? b() : ''}${eol(p)}`, 'latin1');
    case 5:
      return Buffer.from(`${casing(p, 'UNSUB')}${b()}${p.int(50)}${p.chance(0.4) ? b() + p.int(5) : ''}${eol(p)}`, 'latin1');
    case 6:
      return Buffer.from(`${casing(p, 'PING')}${eol(p)}`, 'latin1');
    case 7:
      return Buffer.from(`${casing(p, 'PONG')}${eol(p)}`, 'latin1');
    default:
      return Buffer.from(p.chance(0.5) ? `+OK${eol(p)}` : `INFO {}${eol(p)}`, 'latin1');
  }
}

/** A stream of `n` well-formed frames. */
export function validStream(p: Prng, n: number, maxPayload: number): Buffer {
  return Buffer.concat(Array.from({ length: n }, () => validFrame(p, maxPayload)));
}

/** Damages a stream: bit flips, truncation, inserted/deleted bytes, a duplicated slice, or CRLF noise. */
export function mutate(p: Prng, input: Buffer): Buffer {
  let b = Buffer.from(input);
  const rounds = 1 + p.int(4);
  for (let r = 0; r < rounds && b.length > 0; r++) {
    const at = p.int(b.length);
    switch (p.int(6)) {
      case 0:
        b[at] ^= 1 << p.int(8);
        break;
      case 1:
        b = b.subarray(0, at);
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), p.bytes(1 + p.int(8)), b.subarray(at)]);
        break;
      case 3:
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + p.int(8)))]);
        break;
      case 4: {
        const end = Math.min(b.length, at + 1 + p.int(32));
        b = Buffer.concat([b.subarray(0, end), b.subarray(at, end), b.subarray(end)]);
        break;
      }
      default:
        b = Buffer.concat([b.subarray(0, at), Buffer.from(p.pick(['\r\n', '\n', '\r', ' ', '\t', '-ERR', '999999999'])), b.subarray(at)]);
    }
  }
  return b;
}

/** Cuts `input` into chunks at `cuts` random points (duplicates and empty chunks allowed). */
export function randomChunks(p: Prng, input: Buffer, cuts: number): Buffer[] {
  const points = Array.from({ length: cuts }, () => p.int(input.length + 1)).sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let prev = 0;
  for (const at of points) {
    chunks.push(input.subarray(prev, at));
    prev = at;
  }
  chunks.push(input.subarray(prev));
  return chunks;
}
