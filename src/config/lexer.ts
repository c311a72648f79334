// Tokenizer for the nats-server configuration format (semantics of conf/lex.go in nats-server 2.9.10).
//
// The format is context sensitive (what ends a value differs at the top level, in maps and in
// arrays; a bare word may be a key, a keyword, a boolean, a variable or a string), so the lexer
// is a recursive-descent scanner written as generators: tokens are produced lazily, and the parser
// sees an unresolved variable on line 2 before a syntax error on line 40, as nats-server reports.
//
// Deliberate differences from nats-server, where it accepts nonsense or rejects the obvious:
//  - `]` ends a number, so `[1, 2]` is two integers (nats-server lexes `2]` as a string and fails).
//  - a block string closed by `)` at the very end of the file does not include the `)`.
//  - a key without a value inside a map is an error (nats-server silently corrupts the tree).

export type TokenKind =
  | 'key'
  | 'string'
  | 'boolean'
  | 'integer'
  | 'float'
  | 'datetime'
  | 'arrayStart'
  | 'arrayEnd'
  | 'mapStart'
  | 'mapEnd'
  | 'variable'
  | 'include'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /**
   * key: the key; string: the decoded text; integer: digits plus size suffix (`64MB`);
   * variable: the name without `$`; include: the path; boolean/float/datetime: the source text.
   */
  readonly text: string;
  readonly line: number;
  /** 1-based; for a quoted key, the column of its first character inside the quotes. */
  readonly column: number;
}

export class LexError extends Error {
  override readonly name = 'LexError';
  readonly line: number;
  readonly column: number;
  readonly detail: string;

  constructor(line: number, column: number, detail: string) {
    // nats-server's wording for lexer errors, which tooling may match on.
    super(`Parse error on line ${line}: '${detail}'`);
    this.line = line;
    this.column = column;
    this.detail = detail;
  }
}

const EOF = '';

interface Mark {
  readonly line: number;
  readonly column: number;
}

/** What followed a top-level key: its value, or the end of the file (a dangling key is ignored). */
type EntryEnd = 'value' | 'eof';

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t';
}

function isNewline(c: string): boolean {
  return c === '\n' || c === '\r';
}

/** Go's unicode.IsSpace: ASCII whitespace, NEL, NBSP and the Unicode space separators. */
function isSpace(c: string): boolean {
  if (c === EOF) return false;
  switch (c) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case '\u0085':
    case '\u00a0':
    case '\u1680':
    case '\u2028':
    case '\u2029':
    case '\u202f':
    case '\u205f':
    case '\u3000':
      return true;
    default:
      return c >= '\u2000' && c <= '\u200a';
  }
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isKeySeparator(c: string): boolean {
  return c === ':' || c === '=';
}

function isSizeSuffix(c: string): boolean {
  return c !== EOF && 'kKmMgGtTpPeE'.includes(c);
}

function isSizeSuffixTail(c: string): boolean {
  return c === 'b' || c === 'B' || c === 'i' || c === 'I';
}

/** Characters that end an unquoted value (number or string). */
function endsUnquoted(c: string): boolean {
  return c === EOF || isNewline(c) || isBlank(c) || c === '}' || c === ']' || c === ';' || c === ',';
}

const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off']);

function describe(c: string): string {
  if (c === EOF) return 'end of file';
  if (c === '\n') return "'\\n'";
  if (c === '\r') return "'\\r'";
  if (c === '\t') return "'\\t'";
  return `'${c}'`;
}

/** Decoded text of a string with escapes: `\xHH` adds raw bytes, so assemble bytes and decode once. */
class EscapedText {
  private readonly chunks: Buffer[] = [];

  addText(text: string): void {
    if (text.length > 0) this.chunks.push(Buffer.from(text, 'utf8'));
  }

  addByte(byte: number): void {
    this.chunks.push(Buffer.from([byte]));
  }

  toString(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export class Lexer {
  private readonly src: string;
  private i = 0;
  private line = 1;
  /** Index of the first character of the current line. */
  private lineStart = 0;

  constructor(src: string) {
    this.src = src;
  }

  /** The token stream; throws LexError from the point where the input stops making sense. */
  tokens(): Generator<Token, void, undefined> {
    return this.lexTopLevel();
  }

  // ---- cursor -------------------------------------------------------------------------------

  private peek(offset = 0): string {
    return this.src.charAt(this.i + offset);
  }

  private advance(): string {
    const c = this.src.charAt(this.i);
    if (c === EOF) return c;
    this.i++;
    if (c === '\n') {
      this.line++;
      this.lineStart = this.i;
    }
    return c;
  }

  private mark(): Mark {
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  private token(kind: TokenKind, text: string, at: Mark): Token {
    return { kind, text, line: at.line, column: at.column };
  }

  private fail(detail: string, at: Mark = this.mark()): never {
    throw new LexError(at.line, at.column, detail);
  }

  /** Skips a `#` or `//` comment up to (not including) the end of the line. */
  private skipComment(): boolean {
    const c = this.peek();
    if (c !== '#' && !(c === '/' && this.peek(1) === '/')) return false;
    while (this.peek() !== EOF && !isNewline(this.peek())) this.advance();
    return true;
  }

  // ---- structure ----------------------------------------------------------------------------

  private *lexTopLevel(): Generator<Token, void, undefined> {
    for (;;) {
      const c = this.peek();
      if (c === EOF) {
        yield this.token('eof', '', this.mark());
        return;
      }
      // A `{` where a key could start is skipped, so a JSON document parses as a config.
      if (isSpace(c) || c === '{') {
        this.advance();
        continue;
      }
      if (this.skipComment()) continue;
      if (c === '/') this.fail("unexpected '/' (comments start with '#' or '//')");
      const end = yield* this.lexEntry('top');
      if (end === 'eof') {
        yield this.token('eof', '', this.mark());
        return;
      }
      this.skipTopValueEnd();
    }
  }

  private skipTopValueEnd(): void {
    for (;;) {
      const c = this.peek();
      if (isBlank(c)) {
        this.advance();
      } else if (this.skipComment()) {
        return;
      } else if (c === '/') {
        // nats-server ignores a stray slash after a top-level value.
        this.advance();
      } else if (c === EOF || isNewline(c) || c === ';' || c === ',' || c === '}') {
        this.advance();
        return;
      } else {
        this.fail(`expected a newline, ';', ',' or a comment after a top-level value, got ${describe(c)}`);
      }
    }
  }

  /** A key followed by its value (or an include directive). */
  private *lexEntry(context: 'top' | 'map'): Generator<Token, EntryEnd, undefined> {
    const c = this.peek();
    if (isKeySeparator(c)) this.fail(`unexpected key separator '${c}'`);
    let key: string;
    let keyAt: Mark;
    if (c === '"' || c === "'") {
      this.advance();
      keyAt = this.mark();
      const start = this.i;
      while (this.peek() !== c) {
        if (this.peek() === EOF) this.fail('unexpected end of file in a quoted key');
        this.advance();
      }
      key = this.src.slice(start, this.i);
      this.advance();
    } else {
      keyAt = this.mark();
      const start = this.i;
      this.advance();
      for (;;) {
        const d = this.peek();
        if (isSpace(d)) {
          // Only an unquoted key followed by whitespace can be the include keyword.
          if (this.src.slice(start, this.i).toLowerCase() === 'include') {
            yield this.lexInclude();
            return 'value';
          }
          break;
        }
        if (isKeySeparator(d)) break;
        if (d === EOF) {
          if (context === 'map') this.fail('unexpected end of file in a map key');
          break;
        }
        this.advance();
      }
      key = this.src.slice(start, this.i);
    }
    yield this.token('key', key, keyAt);

    // Between a key and its separator (or value, the separator being optional) newlines are fine.
    while (isSpace(this.peek())) this.advance();
    if (isKeySeparator(this.peek())) this.advance();
    else if (context === 'top' && this.peek() === EOF) return 'eof';

    if (context === 'map') {
      // Inside a map the value may even start on a later line than `key:`.
      while (isSpace(this.peek())) this.advance();
      const d = this.peek();
      if (d === ',' || d === '}') this.fail(`missing value for key '${key}'`);
    }
    yield* this.lexValue();
    return 'value';
  }

  private *lexMap(): Generator<Token, void, undefined> {
    for (;;) {
      const c = this.peek();
      if (isSpace(c)) {
        this.advance();
        continue;
      }
      if (c === '}') {
        yield this.token('mapEnd', '', this.mark());
        this.advance();
        return;
      }
      if (this.skipComment()) continue;
      if (c === ']') this.fail("unexpected ']' in a map");
      if (c === EOF) this.fail('unexpected end of file in a map');
      yield* this.lexEntry('map');
      if (this.skipMapValueEnd()) {
        yield this.token('mapEnd', '', this.mark());
        this.advance();
        return;
      }
    }
  }

  /** Consumes what separates map entries; true when it stopped at the closing `}` (not consumed). */
  private skipMapValueEnd(): boolean {
    for (;;) {
      const c = this.peek();
      if (isBlank(c)) {
        this.advance();
      } else if (this.skipComment()) {
        continue;
      } else if (c === '/' || c === ';' || c === ',' || isNewline(c)) {
        // A stray slash separates like a comma (nats-server behaviour).
        this.advance();
        return false;
      } else if (c === '}') {
        return true;
      } else {
        this.fail(`expected ',', ';', a newline or '}' after a map value, got ${describe(c)}`);
      }
    }
  }

  private *lexArray(): Generator<Token, void, undefined> {
    for (;;) {
      const c = this.peek();
      if (isSpace(c)) {
        this.advance();
        continue;
      }
      if (this.skipComment()) continue;
      if (c === ']') {
        yield this.token('arrayEnd', '', this.mark());
        this.advance();
        return;
      }
      if (c === ',' || c === '/') this.fail(`unexpected '${c}' in an array, expected a value`);
      if (c === EOF) this.fail('unexpected end of file in an array');
      yield* this.lexValue();
      if (this.skipArrayValueEnd()) {
        yield this.token('arrayEnd', '', this.mark());
        this.advance();
        return;
      }
    }
  }

  /** Consumes what separates array values; true when it stopped at the closing `]` (not consumed). */
  private skipArrayValueEnd(): boolean {
    for (;;) {
      const c = this.peek();
      if (isBlank(c)) {
        this.advance();
      } else if (this.skipComment()) {
        continue;
      } else if (c === '/' || c === ',' || isNewline(c)) {
        this.advance();
        return false;
      } else if (c === ']') {
        return true;
      } else {
        this.fail(`expected ',', a newline or ']' after an array value, got ${describe(c)}`);
      }
    }
  }

  // ---- values -------------------------------------------------------------------------------

  private *lexValue(): Generator<Token, void, undefined> {
    while (isBlank(this.peek())) this.advance();
    const at = this.mark();
    const c = this.peek();
    switch (c) {
      case '[':
        yield this.token('arrayStart', '', at);
        this.advance();
        yield* this.lexArray();
        return;
      case '{':
        yield this.token('mapStart', '', at);
        this.advance();
        yield* this.lexMap();
        return;
      case "'":
        this.advance();
        yield this.lexRawString(at);
        return;
      case '"':
        this.advance();
        yield this.lexQuotedString(at);
        return;
      case '(':
        this.advance();
        yield this.lexBlockString(at);
        return;
      case '-':
        this.advance();
        yield this.lexNegativeNumber(at);
        return;
      default:
        if (c === '.') this.fail('a float must start with a digit');
        if (isNewline(c)) this.fail('expected a value but found a newline');
        if (isDigit(c)) {
          yield this.lexNumberOrString(at);
          return;
        }
        yield this.lexBareString(at, this.i);
    }
  }

  /** Single-quoted: everything up to the next `'`, no escapes. */
  private lexRawString(at: Mark): Token {
    const start = this.i;
    while (this.peek() !== "'") {
      if (this.peek() === EOF) this.fail('unexpected end of file in a quoted string');
      this.advance();
    }
    const text = this.src.slice(start, this.i);
    this.advance();
    return this.token('string', text, at);
  }

  /** Double-quoted, with escapes. */
  private lexQuotedString(at: Mark): Token {
    const text = new EscapedText();
    let segment = this.i;
    for (;;) {
      const c = this.peek();
      if (c === '"') break;
      if (c === EOF) this.fail('unexpected end of file in a quoted string');
      if (c === '\\') {
        text.addText(this.src.slice(segment, this.i));
        this.advance();
        this.lexEscape(text);
        segment = this.i;
      } else {
        this.advance();
      }
    }
    text.addText(this.src.slice(segment, this.i));
    this.advance();
    return this.token('string', text.toString(), at);
  }

  private lexEscape(text: EscapedText): void {
    const at = this.mark();
    const c = this.advance();
    switch (c) {
      case 't':
        text.addText('\t');
        return;
      case 'n':
        text.addText('\n');
        return;
      case 'r':
        text.addText('\r');
        return;
      case '"':
        text.addText('"');
        return;
      case '\\':
        text.addText('\\');
        return;
      case 'x': {
        const hex = this.peek() + this.peek(1);
        if (hex.length < 2 || isNewline(hex[0] ?? EOF) || isNewline(hex[1] ?? EOF)) {
          this.fail("expected two hexadecimal digits after '\\x', but the line ended");
        }
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) this.fail(`expected two hexadecimal digits after '\\x', got '${hex}'`);
        this.advance();
        this.advance();
        text.addByte(parseInt(hex, 16));
        return;
      }
      default:
        this.fail(`invalid escape character ${describe(c)}; only \\xXX, \\t, \\n, \\r, \\" and \\\\ are allowed`, at);
    }
  }

  /** `(` ... `)`: raw text up to a `)` alone on its own line; the newlines around the text are kept. */
  private lexBlockString(at: Mark): Token {
    const start = this.i;
    for (;;) {
      const c = this.peek();
      if (c === EOF) this.fail("unexpected end of file in a block string (close it with ')' alone on a line)");
      if (c === ')' && this.src.charAt(this.i - 1) === '\n') {
        const after = this.peek(1);
        if (after === '\n' || after === EOF) {
          const text = this.src.slice(start, this.i);
          this.advance();
          return this.token('string', text, at);
        }
      }
      this.advance();
    }
  }

  /**
   * Unquoted text from `start` (the caller may already have consumed part of it) to the next
   * terminator. Backslash escapes apply; a `'` ends the string and is dropped (nats-server
   * behaviour). Without escapes the word may turn out to be a boolean or a `$variable`.
   */
  private lexBareString(at: Mark, start: number): Token {
    let escaped: EscapedText | undefined;
    let segment = start;
    for (;;) {
      const c = this.peek();
      if (c === '\\') {
        escaped ??= new EscapedText();
        escaped.addText(this.src.slice(segment, this.i));
        this.advance();
        this.lexEscape(escaped);
        segment = this.i;
        continue;
      }
      if (c === "'") {
        const text = this.finishEscaped(escaped, segment) ?? this.src.slice(start, this.i);
        this.advance();
        return this.token('string', text, at);
      }
      if (endsUnquoted(c)) break;
      this.advance();
    }
    const decoded = this.finishEscaped(escaped, segment);
    if (decoded !== undefined) return this.token('string', decoded, at);
    const word = this.src.slice(start, this.i);
    if (BOOLEAN_WORDS.has(word.toLowerCase())) return this.token('boolean', word, at);
    if (word.startsWith('$')) return this.token('variable', word.slice(1), at);
    return this.token('string', word, at);
  }

  private finishEscaped(escaped: EscapedText | undefined, segment: number): string | undefined {
    if (escaped === undefined) return undefined;
    escaped.addText(this.src.slice(segment, this.i));
    return escaped.toString();
  }

  /**
   * Starts with a digit: an integer (optionally with a size suffix), a float, a Zulu datetime,
   * a dotted address such as `127.0.0.1:4222` (a string), or any other word starting with digits
   * (`10s` is the string "10s").
   */
  private lexNumberOrString(at: Mark): Token {
    const start = this.i;
    let digits = 0;
    while (isDigit(this.peek())) {
      this.advance();
      digits++;
    }
    const c = this.peek();
    if (c === '-') {
      if (digits !== 4) this.fail('a date must be in full ISO 8601 Zulu form (YYYY-MM-DDTHH:MM:SSZ)');
      this.advance();
      return this.lexDatetimeRest(at, start);
    }
    if (c === '.') {
      this.advance();
      return this.lexFloatOrAddress(at, start);
    }
    if (isSizeSuffix(c)) {
      this.advance();
      return this.lexSizedInteger(at, start);
    }
    if (endsUnquoted(c)) return this.token('integer', this.src.slice(start, this.i), at);
    // The first non-digit is taken literally, then the word continues as an unquoted string.
    this.advance();
    return this.lexBareString(at, start);
  }

  private lexNegativeNumber(at: Mark): Token {
    const start = this.i - 1;
    if (!isDigit(this.peek())) {
      if (this.peek() === '.') this.fail('a float must start with a digit');
      this.fail(`expected a digit after '-', got ${describe(this.peek())}`);
    }
    while (isDigit(this.peek())) this.advance();
    const c = this.peek();
    if (c === '.') {
      this.advance();
      return this.lexFloatOrAddress(at, start);
    }
    if (isSizeSuffix(c)) {
      this.advance();
      return this.lexSizedInteger(at, start);
    }
    return this.token('integer', this.src.slice(start, this.i), at);
  }

  /** After `<digits>.`: a float, or with a second `.` an address-like string (digits . : -). */
  private lexFloatOrAddress(at: Mark, start: number): Token {
    if (!isDigit(this.peek())) this.fail(`expected a digit after '.' in a number, got ${describe(this.peek())}`);
    while (isDigit(this.peek())) this.advance();
    if (this.peek() !== '.') return this.token('float', this.src.slice(start, this.i), at);
    this.advance();
    for (;;) {
      const c = this.peek();
      if (!(isDigit(c) || c === '.' || c === ':' || c === '-')) break;
      this.advance();
    }
    return this.token('string', this.src.slice(start, this.i), at);
  }

  /** After `<digits><k|m|g|t|p|e>`: more b/i letters, then the number must end, else it is a word. */
  private lexSizedInteger(at: Mark, start: number): Token {
    while (isSizeSuffixTail(this.peek())) this.advance();
    const c = this.peek();
    if (endsUnquoted(c) || isDigit(c)) return this.token('integer', this.src.slice(start, this.i), at);
    return this.lexBareString(at, start);
  }

  /** After `YYYY-`: exactly `MM-DDTHH:MM:SSZ`. */
  private lexDatetimeRest(at: Mark, start: number): Token {
    for (const expected of '00-00T00:00:00Z') {
      const c = this.peek();
      const ok = expected === '0' ? isDigit(c) : c === expected;
      if (!ok) {
        const want = expected === '0' ? 'a digit' : `'${expected}'`;
        this.fail(`expected ${want} in an ISO 8601 Zulu datetime, got ${describe(c)}`);
      }
      this.advance();
    }
    return this.token('datetime', this.src.slice(start, this.i), at);
  }

  /** `include <path>`: quoted (no escapes) or bare up to whitespace, newline, `;` or `}`. */
  private lexInclude(): Token {
    while (isBlank(this.peek())) this.advance();
    const at = this.mark();
    const c = this.peek();
    if (c === '"' || c === "'") {
      this.advance();
      const start = this.i;
      while (this.peek() !== c) {
        if (this.peek() === EOF) this.fail('unexpected end of file in a quoted include path');
        this.advance();
      }
      const path = this.src.slice(start, this.i);
      this.advance();
      return this.token('include', path, at);
    }
    if (c === '[' || c === '{' || c === '(') this.fail(`expected an include path, found '${c}'`);
    if (isDigit(c) || c === '-') this.fail('expected an include path, found a number');
    if (c === '\\') this.fail('expected an include path, found an escape sequence');
    if (c === EOF || isNewline(c)) this.fail(`expected an include path, found ${c === EOF ? 'end of file' : 'a newline'}`);
    const start = this.i;
    for (;;) {
      const d = this.peek();
      if (d === EOF || isNewline(d) || isBlank(d) || d === ';' || d === '}') break;
      if (d === "'") {
        const path = this.src.slice(start, this.i);
        this.advance();
        return this.token('include', path, at);
      }
      this.advance();
    }
    return this.token('include', this.src.slice(start, this.i), at);
  }
}
