// The replies a stream sends a publisher: the PubAck once the message is stored, or the error that
// refused it. nats-server 2.9 writes them with a space after each comma; clients parse them as JSON.

import { writeDecimal } from '../util/index.js';
import { encodeJson } from './json.js';
import type { ApiError } from './errors.js';

const ACK_END = Buffer.from('}', 'latin1');
const DUPLICATE_END = Buffer.from(',"duplicate": true}', 'latin1');
/** Digits of the largest sequence (2^64), with room to spare. */
const SEQ_DIGITS = 24;

/**
 * A stream's PubAcks, written into one buffer: a PubAck goes out once per stored message, and its
 * bytes are only borrowed by the publish that sends them (well below KEEP_BY_REFERENCE).
 */
export class PubAckWriter {
  private readonly buf: Buffer;
  private readonly seqAt: number;

  /** `streamJson` is the JSON-quoted stream name; a JetStream domain ('' = none) is named after it. */
  constructor(streamJson: string, domain = '') {
    const named = domain === '' ? '' : ` "domain":${JSON.stringify(domain)},`;
    const prefix = Buffer.from(`{"stream":${streamJson},${named} "seq":`, 'utf8');
    this.buf = Buffer.allocUnsafe(prefix.length + SEQ_DIGITS + DUPLICATE_END.length);
    this.seqAt = prefix.copy(this.buf, 0);
  }

  /** The PubAck of `seq`; a view valid until the next call. */
  ack(seq: number, duplicate: boolean): Buffer {
    const buf = this.buf;
    let n = writeDecimal(buf, this.seqAt, seq);
    n += (duplicate ? DUPLICATE_END : ACK_END).copy(buf, n);
    return buf.subarray(0, n);
  }
}

/** A refused publish: the error, with `stream` and `seq: 0` present as nats-server sends them. */
export function pubAckError(streamJson: string, err: ApiError): string {
  return `{"error":${encodeJson(err)},"stream":${streamJson},"seq":0}`;
}
