// JSON as Go's encoding/json reads and writes it, for the $JS.API bodies. JSON.parse is not enough: it turns
// 1e9 and 1.0 into integers (Go refuses both for an integer field) and rounds int64 nanoseconds past 2^53.
// So numbers are kept as their literal text until a field says what it wants. JSON.stringify is not enough
// either: it cannot write bigint, and Go escapes <, > and & inside strings.

/** A JSON number as its literal text. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A JSON object with its members in the order they were written (Go applies duplicates in order, last wins). */
export class JsonObject {
  constructor(readonly entries: readonly (readonly [string, JsonValue])[]) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/** Why a body is not JSON: the text Go's decoder gives for the two common cases (400 Bad Request statuses carry it). */
export class JsonSyntaxError extends Error {}

export function parseJson(text: string): JsonValue {
  const p = new Parser(text);
  p.skipSpace();
  const v = p.value();
  p.skipSpace();
  if (p.pos < text.length) throw p.unexpected('after top-level value');
  return v;
}

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  skipSpace(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.pos++;
    }
  }

  unexpected(context: string): JsonSyntaxError {
    if (this.pos >= this.s.length) return new JsonSyntaxError('unexpected end of JSON input');
    return new JsonSyntaxError(`invalid character ${quoteChar(this.s[this.pos])} ${context}`);
  }

  value(): JsonValue {
    const s = this.s;
    const c = s[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of WORDS) {
      if (c !== word[0]) continue;
      for (let i = 1; i < word.length; i++) {
        this.pos++;
        if (s[this.pos] !== word[i]) throw this.unexpected(`in literal ${word} (expecting '${word[i]}')`);
      }
      this.pos++;
      return v;
    }
    throw this.unexpected('looking for beginning of value');
  }

  private object(): JsonObject {
    this.pos++;
    const entries: [string, JsonValue][] = [];
    this.skipSpace();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return new JsonObject(entries);
    }
    for (;;) {
      this.skipSpace();
      if (this.s[this.pos] !== '"') throw this.unexpected('looking for beginning of object key string');
      const key = this.string();
      this.skipSpace();
      if (this.s[this.pos] !== ':') throw this.unexpected('after object key');
      this.pos++;
      this.skipSpace();
      entries.push([key, this.value()]);
      this.skipSpace();
      const c = this.s[this.pos];
      this.pos++;
      if (c === '}') return new JsonObject(entries);
      if (c !== ',') {
        this.pos--;
        throw this.unexpected('after object key:value pair');
      }
    }
  }

  private array(): JsonValue[] {
    this.pos++;
    const items: JsonValue[] = [];
    this.skipSpace();
    if (this.s[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      this.skipSpace();
      items.push(this.value());
      this.skipSpace();
      const c = this.s[this.pos];
      this.pos++;
      if (c === ']') return items;
      if (c !== ',') {
        this.pos--;
        throw this.unexpected('after array element');
      }
    }
  }

  private string(): string {
    const s = this.s;
    let out = '';
    let start = ++this.pos;
    for (;;) {
      if (this.pos >= s.length) throw new JsonSyntaxError('unexpected end of JSON input');
      const c = s.charCodeAt(this.pos);
      if (c === 0x22) {
        out += s.slice(start, this.pos++);
        return out;
      }
      if (c < 0x20) throw this.unexpected('in string literal');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += s.slice(start, this.pos);
      const e = s[this.pos + 1];
      if (e === 'u') {
        const hex = s.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          this.pos += 2;
          throw this.unexpected('in \\u hexadecimal character escape');
        }
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 6;
      } else {
        const m = ESCAPES[e];
        if (m === undefined) {
          this.pos++;
          throw this.unexpected('in string escape code');
        }
        out += m;
        this.pos += 2;
      }
      start = this.pos;
    }
  }

  private number(): JsonNumber {
    const m = NUMBER.exec(this.s.slice(this.pos, this.pos + 400));
    if (m === null || m[0] === '-') {
      this.pos++;
      throw this.unexpected('in numeric literal');
    }
    this.pos += m[0].length;
    return new JsonNumber(m[0]);
  }
}

const WORDS: readonly [string, JsonValue][] = [
  ['true', true],
  ['false', false],
  ['null', null],
];
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;

function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const code = c.charCodeAt(0);
  if (code < 0x20) return `'\\x${code.toString(16).padStart(2, '0')}'`;
  return `'${c}'`;
}

/**
 * A value written out as Go's json.Marshal writes it: members in insertion order, bigint as an integer,
 * `<` `>` `&` U+2028 U+2029 escaped. Members whose value is undefined are left out (Go's omitempty is
 * decided by the builders).
 */
export function encodeJson(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return quote(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(v)) return `[${v.map(encodeJson).join(',')}]`;
      const parts: string[] = [];
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) parts.push(`${quote(k)}:${encodeJson(x)}`);
      return `{${parts.join(',')}}`;
    }
    default:
      return 'null';
  }
}

const ESCAPE_IN_GO = /[\u0000-\u001f"\\<>&\u2028\u2029]/g;
const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function quote(s: string): string {
  return `"${s.replace(ESCAPE_IN_GO, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}
