// A pull request (`$JS.API.CONSUMER.MSG.NEXT.<stream>.<consumer>` or an ack's `+NXT`) as nats-server 2.9.10
// reads it: an empty body is one message, a number is a batch, a JSON object sets batch, expires, max_bytes,
// no_wait and idle_heartbeat.

import { bool, DecodeError, duration, int64, StructFields } from './go-decode.js';
import { JsonSyntaxError, parseJson } from './json.js';
import { PULL_HEARTBEAT_TOO_LARGE } from './errors.js';

export interface PullOptions {
  batch: number;
  /** Nanoseconds; 0 = never expires. */
  expires: bigint;
  /** 0 = no byte limit. */
  maxBytes: number;
  noWait: boolean;
  /** Nanoseconds; 0 = none. */
  idleHeartbeat: bigint;
}

const FIELDS = new StructFields<PullOptions>({
  batch: (t, v) => void (t.batch = int64(v) ?? t.batch),
  expires: (t, v) => void (t.expires = duration(v) ?? t.expires),
  max_bytes: (t, v) => void (t.maxBytes = int64(v) ?? t.maxBytes),
  no_wait: (t, v) => void (t.noWait = bool(v) ?? t.noWait),
  idle_heartbeat: (t, v) => void (t.idleHeartbeat = duration(v) ?? t.idleHeartbeat),
});

const UTF8 = new TextDecoder();

/** The request's options, or the reason for a `400 Bad Request - <reason>`. */
export function parsePullRequest(body: Uint8Array): PullOptions | string {
  const text = UTF8.decode(body).trim();
  const opts: PullOptions = { batch: 1, expires: 0n, maxBytes: 0, noWait: false, idleHeartbeat: 0n };
  if (text === '') return opts;
  if (text.startsWith('{')) {
    opts.batch = 0;
    try {
      FIELDS.decode(opts, parseJson(text));
    } catch (err) {
      if (err instanceof DecodeError || err instanceof JsonSyntaxError) return (err as Error).message;
      throw err;
    }
    if (opts.idleHeartbeat > 0n && opts.idleHeartbeat * 2n > opts.expires) return PULL_HEARTBEAT_TOO_LARGE;
    return opts;
  }
  // Go's strconv.Atoi; anything else is a request for one message.
  if (/^[+-]?\d+$/.test(text)) opts.batch = Number(text);
  return opts;
}
