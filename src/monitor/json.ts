// JSON as Go's encoding/json writes it, so byte-level consumers of nats-server output see the same
// text: `<`, `>`, `&`, U+2028 and U+2029 are escaped inside strings.

const GO_ESCAPED = /[<>&\u2028\u2029]/g;

function escapeLikeGo(ch: string): string {
  return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
}

/** json.MarshalIndent(v, "", "  "). */
export function indentedJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(GO_ESCAPED, escapeLikeGo);
}

/** json.Marshal(v). */
export function compactJson(value: unknown): string {
  return JSON.stringify(value).replace(GO_ESCAPED, escapeLikeGo);
}
