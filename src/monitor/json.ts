// JSON as Go's encoding/json writes it, so byte-level consumers of nats-server output see the same
// text: `<`, `>`, `&`, U+2028 and U+2029 are escaped inside strings.

import type { EndpointReply } from './context.js';

const GO_ESCAPED = /[<>&\u2028\u2029]/g;

function escapeLikeGo(ch: string): string {
  return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
}

/** json.Marshal(v). */
export function compactJson(value: unknown): string {
  return JSON.stringify(value).replace(GO_ESCAPED, escapeLikeGo);
}

/** Marks a bigint inside the JSON text until it is written out as a bare number. */
const BIGINT_MARK = '\u0000bigint:';
const MARKED_BIGINT = /"\\u0000bigint:(-?[0-9]+)"/g;

function markBigInt(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? BIGINT_MARK + value.toString() : value;
}

/**
 * An endpoint's JSON answer: indented as nats-server's HTTP monitoring writes it, compact as its
 * system account requests do (`ctx.compact`); bigints (Go's uint64) as exact numbers either way.
 */
export function jsonReply(ctx: { readonly compact: boolean }, value: unknown): EndpointReply {
  const text = JSON.stringify(value, markBigInt, ctx.compact ? undefined : 2);
  return { kind: 'json', status: 200, body: text.replace(GO_ESCAPED, escapeLikeGo).replace(MARKED_BIGINT, '$1') };
}
