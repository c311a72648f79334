// A ClientOpHandler that records every operation as plain data, plus helpers to feed a parser.

import { NatsParser, ParseErrorKind } from '../../../../src/protocol/nats/index.js';
import type { ClientOpHandler, PubFrame } from '../../../../src/protocol/nats/index.js';

export type ErrorName = keyof typeof ParseErrorKind;

export type Op =
  | { readonly op: 'connect'; readonly json: string }
  | {
      readonly op: 'pub';
      readonly subject: string;
      readonly reply: string;
      readonly hdrLen: number;
      readonly payload: Buffer;
      readonly sizeText: string;
      readonly hpub: boolean;
    }
  | { readonly op: 'sub'; readonly subject: string; readonly queue: string | null; readonly sid: string }
  | { readonly op: 'unsub'; readonly sid: string; readonly max: number }
  | { readonly op: 'ping' }
  | { readonly op: 'pong' }
  | { readonly op: 'error'; readonly kind: ErrorName };

export const DEFAULT_MAX_CONTROL_LINE = 4096;
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

export interface Limits {
  readonly maxControlLine?: number;
  readonly maxPayload?: number;
}

function errorName(kind: ParseErrorKind): ErrorName {
  for (const [name, value] of Object.entries(ParseErrorKind)) if (value === kind) return name as ErrorName;
  throw new Error(`unknown parse error kind ${kind}`);
}

export class RecordingHandler implements ClientOpHandler {
  readonly ops: Op[] = [];
  /** Set to stop the parser after every operation this predicate accepts. */
  stopAfter: ((op: Op) => boolean) | null = null;
  parser: NatsParser | null = null;

  onConnect(json: string): void {
    this.record({ op: 'connect', json });
  }

  onPub(frame: PubFrame): void {
    // The payload is a view valid only during the callback: keep a copy.
    this.record({
      op: 'pub',
      subject: frame.subject,
      reply: frame.reply,
      hdrLen: frame.hdrLen,
      payload: Buffer.from(frame.payload),
      sizeText: frame.sizeText,
      hpub: frame.isHpub,
    });
  }

  onSub(subject: string, queue: string | null, sid: string): void {
    this.record({ op: 'sub', subject, queue, sid });
  }

  onUnsub(sid: string, max: number): void {
    this.record({ op: 'unsub', sid, max });
  }

  onPing(): void {
    this.record({ op: 'ping' });
  }

  onPong(): void {
    this.record({ op: 'pong' });
  }

  onParseError(kind: ParseErrorKind): void {
    this.ops.push({ op: 'error', kind: errorName(kind) });
  }

  get failed(): boolean {
    return this.ops.length > 0 && this.ops[this.ops.length - 1].op === 'error';
  }

  private record(op: Op): void {
    this.ops.push(op);
    if (this.stopAfter !== null && this.stopAfter(op)) (this.parser as NatsParser).stop();
  }
}

export function newParser(limits: Limits = {}): { parser: NatsParser; rec: RecordingHandler } {
  const rec = new RecordingHandler();
  const parser = new NatsParser(rec, limits.maxControlLine ?? DEFAULT_MAX_CONTROL_LINE, limits.maxPayload ?? DEFAULT_MAX_PAYLOAD);
  rec.parser = parser;
  return { parser, rec };
}

/** Feeds the chunks one read at a time and returns what was recorded. */
export function parseChunks(chunks: readonly Buffer[], limits: Limits = {}): Op[] {
  const { parser, rec } = newParser(limits);
  for (const chunk of chunks) parser.parse(chunk);
  return rec.ops;
}

/**
 * Feeds the chunks with the parser stopped after every operation; each time it stops, resumes it
 * and re-feeds what parse() left unconsumed, as Connection does after an asynchronous CONNECT.
 */
export function parseChunksStoppingEachOp(chunks: readonly Buffer[], limits: Limits = {}): Op[] {
  const { parser, rec } = newParser(limits);
  rec.stopAfter = () => true;
  for (const chunk of chunks) {
    let off = 0;
    while (off < chunk.length && !rec.failed) {
      const used = parser.parse(chunk.subarray(off));
      off += used;
      if (!parser.stopped) break;
      parser.resume();
    }
  }
  return rec.ops;
}

export function bytes(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** Every split of buf into two reads, including the empty first and last reads. */
export function* twoWaySplits(buf: Buffer): Generator<[number, Buffer[]]> {
  for (let i = 0; i <= buf.length; i++) yield [i, [buf.subarray(0, i), buf.subarray(i)]];
}

export function byteByByte(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i++) out.push(buf.subarray(i, i + 1));
  return out;
}

// Builders for expected operations.

export function pub(subject: string, payload: string | Buffer, extra: { reply?: string; sizeText?: string } = {}): Op {
  return {
    op: 'pub',
    subject,
    reply: extra.reply ?? '',
    hdrLen: 0,
    payload: typeof payload === 'string' ? bytes(payload) : payload,
    sizeText: extra.sizeText ?? '',
    hpub: false,
  };
}

export function hpub(subject: string, hdrLen: number, payload: string, extra: { reply?: string; sizeText?: string } = {}): Op {
  return { op: 'pub', subject, reply: extra.reply ?? '', hdrLen, payload: bytes(payload), sizeText: extra.sizeText ?? '', hpub: true };
}

export function sub(subject: string, sid: string, queue: string | null = null): Op {
  return { op: 'sub', subject, queue, sid };
}

export function unsub(sid: string, max: number): Op {
  return { op: 'unsub', sid, max };
}

export function connect(json: string): Op {
  return { op: 'connect', json };
}

export const PING: Op = { op: 'ping' };
export const PONG: Op = { op: 'pong' };

export function err(kind: ErrorName): Op {
  return { op: 'error', kind };
}
