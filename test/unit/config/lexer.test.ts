import assert from 'node:assert/strict';
import { test } from 'node:test';

import { LexError, Lexer } from '../../../src/config/lexer.js';
import type { TokenKind } from '../../../src/config/lexer.js';

/** Token stream as `kind:text` strings (text omitted when empty), without the final eof. */
function lex(src: string): string[] {
  const out: string[] = [];
  for (const t of new Lexer(src).tokens()) {
    if (t.kind === 'eof') break;
    out.push(t.text === '' ? t.kind : `${t.kind}:${t.text}`);
  }
  return out;
}

function lexError(src: string): LexError {
  try {
    lex(src);
  } catch (err) {
    if (err instanceof LexError) return err;
    throw err;
  }
  assert.fail(`expected a lex error for ${JSON.stringify(src)}`);
}

const streams: { name: string; src: string; tokens: string[] }[] = [
  { name: 'colon separator', src: 'port: 4222', tokens: ['key:port', 'integer:4222'] },
  { name: 'equals separator', src: 'port = 4222', tokens: ['key:port', 'integer:4222'] },
  { name: 'whitespace separator', src: 'port 4222', tokens: ['key:port', 'integer:4222'] },
  { name: 'double-quoted key', src: '"my key": 1', tokens: ['key:my key', 'integer:1'] },
  { name: 'single-quoted key', src: "'k': 1", tokens: ['key:k', 'integer:1'] },
  { name: 'hash comment', src: '# c\nport: 1 # trailing', tokens: ['key:port', 'integer:1'] },
  { name: 'slash comment', src: '// c\nport: 1 // trailing', tokens: ['key:port', 'integer:1'] },
  { name: 'semicolon and comma terminators', src: 'a: 1; b: 2, c: 3', tokens: ['key:a', 'integer:1', 'key:b', 'integer:2', 'key:c', 'integer:3'] },
  { name: 'leading brace (JSON)', src: '{"a": 1, "b": true}', tokens: ['key:a', 'integer:1', 'key:b', 'boolean:true'] },
  { name: 'map without separator', src: 'm { a: 1 }', tokens: ['key:m', 'mapStart', 'key:a', 'integer:1', 'mapEnd'] },
  { name: 'map with colon', src: 'm: {a: 1; b: 2}', tokens: ['key:m', 'mapStart', 'key:a', 'integer:1', 'key:b', 'integer:2', 'mapEnd'] },
  { name: 'map entries on lines', src: 'm {\n a 1\n b 2\n}', tokens: ['key:m', 'mapStart', 'key:a', 'integer:1', 'key:b', 'integer:2', 'mapEnd'] },
  { name: 'map value on the next line', src: 'm {\n a:\n 1\n}', tokens: ['key:m', 'mapStart', 'key:a', 'integer:1', 'mapEnd'] },
  { name: 'array with commas', src: 'a: [1, 2, 3]', tokens: ['key:a', 'arrayStart', 'integer:1', 'integer:2', 'integer:3', 'arrayEnd'] },
  { name: 'array with newlines and comments', src: 'a: [\n x # c\n y\n]', tokens: ['key:a', 'arrayStart', 'string:x', 'string:y', 'arrayEnd'] },
  { name: 'array of maps', src: 'a: [{u: 1}, {u: 2}]', tokens: ['key:a', 'arrayStart', 'mapStart', 'key:u', 'integer:1', 'mapEnd', 'mapStart', 'key:u', 'integer:2', 'mapEnd', 'arrayEnd'] },
  { name: 'booleans in any case', src: 'a: TRUE\nb: off\nc: Yes', tokens: ['key:a', 'boolean:TRUE', 'key:b', 'boolean:off', 'key:c', 'boolean:Yes'] },
  { name: 'variable', src: 'a: $FOO', tokens: ['key:a', 'variable:FOO'] },
  { name: 'quoted text is never a variable', src: 'a: "$FOO"', tokens: ['key:a', 'string:$FOO'] },
  { name: 'float', src: 'a: 1.5', tokens: ['key:a', 'float:1.5'] },
  { name: 'negative numbers', src: 'a: -1\nb: -2.5\nc: -3k', tokens: ['key:a', 'integer:-1', 'key:b', 'float:-2.5', 'key:c', 'integer:-3k'] },
  { name: 'size suffixes', src: 'a: 1k\nb: 2MB\nc: 3GiB', tokens: ['key:a', 'integer:1k', 'key:b', 'integer:2MB', 'key:c', 'integer:3GiB'] },
  { name: 'address string', src: 'a: 127.0.0.1:4222', tokens: ['key:a', 'string:127.0.0.1:4222'] },
  { name: 'digits then letters is a string', src: 'a: 10s\nb: 1kbx', tokens: ['key:a', 'string:10s', 'key:b', 'string:1kbx'] },
  { name: 'datetime', src: 'a: 2024-01-31T12:30:00Z', tokens: ['key:a', 'datetime:2024-01-31T12:30:00Z'] },
  { name: 'bare string with escapes', src: 'a: x\\ty', tokens: ['key:a', 'string:x\ty'] },
  { name: 'escaped bare word is not a boolean', src: 'a: tru\\x65', tokens: ['key:a', 'string:true'] },
  { name: 'raw single-quoted string', src: "a: 'x\\ty'", tokens: ['key:a', 'string:x\\ty'] },
  { name: 'double-quoted escapes', src: 'a: "\\t\\n\\r\\"\\\\\\x41"', tokens: ['key:a', 'string:\t\n\r"\\A'] },
  { name: 'hex escapes form UTF-8', src: 'a: "\\xc3\\xa9"', tokens: ['key:a', 'string:é'] },
  { name: 'block string', src: 'a (\n line 1\n)\nb: 1', tokens: ['key:a', 'string:\n line 1\n', 'key:b', 'integer:1'] },
  { name: 'block string at end of file', src: 'a (\nx\n)', tokens: ['key:a', 'string:\nx\n'] },
  { name: 'block string keeps inner parentheses', src: 'a (\nf(x)\n )\n)\n', tokens: ['key:a', 'string:\nf(x)\n )\n'] },
  { name: 'include bare', src: 'include ./a.conf\nb: 1', tokens: ['include:./a.conf', 'key:b', 'integer:1'] },
  { name: 'include quoted', src: 'include "a b.conf"', tokens: ['include:a b.conf'] },
  { name: 'include in a map', src: 'm { include x.conf\n a: 1 }', tokens: ['key:m', 'mapStart', 'include:x.conf', 'key:a', 'integer:1', 'mapEnd'] },
  { name: 'key named include with separator', src: 'include: 1', tokens: ['key:include', 'integer:1'] },
  { name: 'value after newline when no separator', src: 'port\n4222', tokens: ['key:port', 'integer:4222'] },
  { name: 'dangling last key', src: 'debug', tokens: ['key:debug'] },
  { name: 'empty value at end of file', src: 'a:', tokens: ['key:a', 'string'] },
  { name: 'CRLF line endings', src: 'a: 1\r\nb: "x"\r\n', tokens: ['key:a', 'integer:1', 'key:b', 'string:x'] },
  { name: 'bcrypt-looking bare word', src: 'p: $2a$11$abc/def.', tokens: ['key:p', 'variable:2a$11$abc/def.'] },
];

for (const { name, src, tokens } of streams) {
  test(`lexer: ${name}`, () => {
    assert.deepEqual(lex(src), tokens);
  });
}

test('lexer: token positions are 1-based line and column; quoted keys point inside the quotes', () => {
  const tokens = [...new Lexer('a: 1\n  "bb": [x]\n').tokens()];
  const at = (kind: TokenKind, text: string): [number, number] => {
    const t = tokens.find((tok) => tok.kind === kind && tok.text === text);
    assert.ok(t, `${kind} ${text}`);
    return [t.line, t.column];
  };
  assert.deepEqual(at('key', 'a'), [1, 1]);
  assert.deepEqual(at('integer', '1'), [1, 4]);
  assert.deepEqual(at('key', 'bb'), [2, 4]);
  assert.deepEqual(at('string', 'x'), [2, 10]);
});

const errors: { name: string; src: string; line: number; column: number; detail: RegExp }[] = [
  { name: 'unicode escape', src: 'a: "\\u00e9"', line: 1, column: 6, detail: /invalid escape character 'u'/ },
  { name: 'bad hex escape', src: 'a: "\\xZZ"', line: 1, column: 7, detail: /hexadecimal/ },
  { name: 'float with size suffix', src: 'a: 1.5GB', line: 1, column: 7, detail: /got 'G'/ },
  { name: 'unterminated quoted string', src: 'a: "abc', line: 1, column: 8, detail: /end of file in a quoted string/ },
  { name: 'unterminated map', src: 'a {\n b: 1\n', line: 3, column: 1, detail: /end of file in a map/ },
  { name: 'unterminated array', src: 'a: [1,\n', line: 2, column: 1, detail: /end of file in an array/ },
  { name: 'unterminated block', src: 'a (\nxyz', line: 2, column: 4, detail: /block string/ },
  { name: 'value on the next line after a separator', src: 'a:\n1', line: 1, column: 3, detail: /newline/ },
  { name: 'leading separator', src: ': 1', line: 1, column: 1, detail: /key separator/ },
  { name: 'double comma in array', src: 'a: [1,,2]', line: 1, column: 7, detail: /unexpected ','/ },
  { name: 'garbage after a map value', src: 'm { a: 1 2 }', line: 1, column: 10, detail: /after a map value/ },
  { name: 'missing value in a map', src: 'm { a: }', line: 1, column: 8, detail: /missing value for key 'a'/ },
  { name: 'short date', src: 'a: 2024-01-01', line: 1, column: 14, detail: /'T'/ },
  { name: 'number with a dash', src: 'a: 12-3', line: 1, column: 6, detail: /ISO 8601/ },
  { name: 'float starting with a dot', src: 'a: .5', line: 1, column: 4, detail: /start with a digit/ },
  { name: 'include without a path', src: 'include \n', line: 1, column: 9, detail: /include path/ },
  { name: 'error on a later line', src: 'a: 1\nb: 2\nc: "\\q"', line: 3, column: 6, detail: /invalid escape/ },
];

for (const { name, src, line, column, detail } of errors) {
  test(`lexer error: ${name}`, () => {
    const err = lexError(src);
    assert.equal(err.line, line, 'line');
    assert.equal(err.column, column, 'column');
    assert.match(err.detail, detail);
    assert.equal(err.message, `Parse error on line ${line}: '${err.detail}'`);
  });
}
