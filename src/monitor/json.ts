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

/** Marks a bigint inside the JSON text until it is written out as a bare number. */
const BIGINT_MARK = '\u0000bigint:';
const MARKED_BIGINT = /"\\u0000bigint:(-?[0-9]+)"/g;

function markBigInt(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? BIGINT_MARK + value.toString() : value;
}

/** indentedJson for values holding bigints (Go's uint64 beyond 2^53), written as exact numbers. */
export function indentedJsonWithBigInts(value: unknown): string {
  return JSON.stringify(value, markBigInt, 2).replace(GO_ESCAPED, escapeLikeGo).replace(MARKED_BIGINT, '$1');
}

/** compactJson for values holding bigints. */
export function compactJsonWithBigInts(value: unknown): string {
  return JSON.stringify(value, markBigInt).replace(GO_ESCAPED, escapeLikeGo).replace(MARKED_BIGINT, '$1');
}

/** The text of indentedJson (or any JSON.stringify indentation) without the indentation: json.Marshal's form. */
export function compactIndented(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '\n' || c === ' ') continue;
    out += c;
  }
  return out;
}
