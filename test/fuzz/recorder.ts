// A parser handler that writes every operation down as text, so two runs can be compared.

import { NatsParser } from '../../src/protocol/nats/index.js';
import type { ClientOpHandler, ParseErrorKind, PubFrame } from '../../src/protocol/nats/index.js';

export class OpRecorder implements ClientOpHandler {
  readonly ops: string[] = [];

  onConnect(json: string): void {
    this.ops.push(`CONNECT ${json}`);
  }

  onPub(f: PubFrame): void {
    // The payload is a view valid only during this call: copy it out as text.
    this.ops.push(`${f.isHpub ? 'HPUB' : 'PUB'} ${f.subject} [${f.reply}] hdr=${f.hdrLen} size=${f.sizeText} ${f.payload.toString('latin1')}`);
  }

  onSub(subject: string, queue: string | null, sid: string): void {
    this.ops.push(`SUB ${subject} [${queue ?? ''}] ${sid}`);
  }

  onUnsub(sid: string, max: number): void {
    this.ops.push(`UNSUB ${sid} ${max}`);
  }

  onPing(): void {
    this.ops.push('PING');
  }

  onPong(): void {
    this.ops.push('PONG');
  }

  onParseError(kind: ParseErrorKind): void {
    this.ops.push(`ERROR ${kind}`);
  }
}

export interface ParserLimits {
  readonly maxControlLine: number;
  readonly maxPayload: number;
}

/** Feeds the chunks in order to a fresh parser; returns the operations it reported. */
export function parseChunks(chunks: readonly Buffer[], limits: ParserLimits): string[] {
  const rec = new OpRecorder();
  const parser = new NatsParser(rec, limits.maxControlLine, limits.maxPayload);
  for (const chunk of chunks) parser.parse(chunk);
  return rec.ops;
}
