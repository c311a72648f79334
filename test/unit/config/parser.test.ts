import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { ConfigError, toPlain } from '../../../src/config/index.js';
import { parseConf, parseConfFile } from '../../../src/config/reader.js';
import type { ConfMap } from '../../../src/config/index.js';

const NO_ENV = {};

function plain(text: string, env: Record<string, string> = NO_ENV): unknown {
  return toPlain(parseConf(text, 'test.conf', { env }));
}

function parseError(text: string, env: Record<string, string> = NO_ENV, file = 'test.conf'): ConfigError {
  try {
    parseConf(text, file, { env });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  assert.fail(`expected a parse error for ${JSON.stringify(text)}`);
}

const grammar: { name: string; text: string; value: unknown }[] = [
  { name: 'separators', text: 'a: 1\nb = 2\nc 3', value: { a: 1, b: 2, c: 3 } },
  { name: 'quoted keys', text: '"a b": 1\n\'c\': 2', value: { 'a b': 1, c: 2 } },
  { name: 'comments', text: '# x\na: 1 # y\n// z\nb: 2 // w', value: { a: 1, b: 2 } },
  { name: 'nested maps', text: 'm { n: { o 1 } }', value: { m: { n: { o: 1 } } } },
  { name: 'map separators', text: 'm { a: 1, b: 2; c: 3\n d: 4 }', value: { m: { a: 1, b: 2, c: 3, d: 4 } } },
  { name: 'arrays', text: 'a: [1, "two", [3], {four: 4}]', value: { a: [1, 'two', [3], { four: 4 }] } },
  { name: 'empty array and map', text: 'a: []\nm: {}', value: { a: [], m: {} } },
  { name: 'strings', text: 'a: "q\\"\\\\"\nb: \'r\\n\'\nc: bare-word', value: { a: 'q"\\', b: 'r\\n', c: 'bare-word' } },
  { name: 'quoted values stay strings', text: 'a: "true"\nb: "42"', value: { a: 'true', b: '42' } },
  { name: 'booleans', text: 'a: true\nb: FALSE\nc: yes\nd: no\ne: on\nf: Off', value: { a: true, b: false, c: true, d: false, e: true, f: false } },
  { name: 'numbers', text: 'a: 42\nb: -7\nc: 1.25\nd: -0.5', value: { a: 42, b: -7, c: 1.25, d: -0.5 } },
  { name: 'strings starting with digits', text: 'a: 10s\nb: 0.0.0.0:4222\nc: 1h30m', value: { a: '10s', b: '0.0.0.0:4222', c: '1h30m' } },
  { name: 'block string', text: 'a (\n  one\n  two\n)\n', value: { a: '\n  one\n  two\n' } },
  { name: 'duplicate keys: last wins', text: 'a: 1\nb: 2\na: 3', value: { b: 2, a: 3 } },
  { name: 'JSON document', text: '{"port": 4222, "debug": true, "tags": ["a", "b"], "m": {"x": 1.5}}', value: { port: 4222, debug: true, tags: ['a', 'b'], m: { x: 1.5 } } },
  { name: 'pretty-printed JSON', text: '{\n  "a": 1,\n  "m": {\n    "x": [1, 2]\n  }\n}\n', value: { a: 1, m: { x: [1, 2] } } },
  { name: 'keys are kept as written', text: 'Port: 1', value: { Port: 1 } },
  { name: 'dangling final key is ignored', text: 'a: 1\ndebug\n', value: { a: 1 } },
  { name: 'bcrypt hash with $2a$ prefix', text: 'p: $2a$11$W2zko751KUvVy59mUTWmpOdWXJn9jBH6Kh8X4Kw6C3cQv8VbqOWMW', value: { p: '$2a$11$W2zko751KUvVy59mUTWmpOdWXJn9jBH6Kh8X4Kw6C3cQv8VbqOWMW' } },
];

for (const { name, text, value } of grammar) {
  test(`parser: ${name}`, () => {
    assert.deepEqual(plain(text), value);
  });
}

test('parser: datetime values are UTC dates', () => {
  const value = plain('d: 2024-02-29T23:59:58Z') as { d: Date };
  assert.ok(value.d instanceof Date);
  assert.equal(value.d.toISOString(), '2024-02-29T23:59:58.000Z');
});

const sizes: [string, number | bigint][] = [
  ['1k', 1000],
  ['1K', 1000],
  ['1kb', 1024],
  ['1KB', 1024],
  ['1ki', 1024],
  ['1kib', 1024],
  ['1KiB', 1024],
  ['1m', 1_000_000],
  ['1M', 1_000_000],
  ['1mb', 1_048_576],
  ['1MB', 1_048_576],
  ['1mi', 1_048_576],
  ['1mib', 1_048_576],
  ['64MB', 64 * 1_048_576],
  ['1g', 1e9],
  ['1G', 1e9],
  ['1gb', 2 ** 30],
  ['1gi', 2 ** 30],
  ['1gib', 2 ** 30],
  ['1t', 1e12],
  ['1tb', 2 ** 40],
  ['1p', 1e15],
  ['1pb', 2 ** 50],
  ['1e', 10n ** 18n],
  ['1eb', 2n ** 60n],
  ['1EiB', 2n ** 60n],
  ['-2k', -2000],
];

for (const [text, value] of sizes) {
  test(`parser: size suffix ${text}`, () => {
    assert.deepEqual(plain(`v: ${text}`), { v: value });
  });
}

test('parser: integers beyond int64 are rejected, suffix overflow too', () => {
  assert.match(parseError('v: 9223372036854775808').message, /out of range/);
  assert.match(parseError('v: 10e').message, /out of range/);
  assert.deepEqual(plain('v: 9223372036854775807'), { v: 9223372036854775807n });
});

test('parser: variables resolve from enclosing maps, innermost first', () => {
  const text = 'a: 1\nm {\n  a: 2\n  inner: $a\n  n { deep: $a }\n}\nouter: $a';
  assert.deepEqual(plain(text), { a: 1, m: { a: 2, inner: 2, n: { deep: 2 } }, outer: 1 });
});

test('parser: a variable sees only keys defined before it', () => {
  assert.match(parseError('x: $later\nlater: 1').message, /variable reference for 'later' on line 1 can not be found/);
});

test('parser: variables can hold maps and arrays', () => {
  assert.deepEqual(plain('perm: { allow: ["a.>"] }\nu: { p: $perm, list: [$perm] }'), {
    perm: { allow: ['a.>'] },
    u: { p: { allow: ['a.>'] }, list: [{ allow: ['a.>'] }] },
  });
});

test('parser: variables are not expanded in quotes', () => {
  assert.deepEqual(plain('a: 1\nb: "$a"\nc: \'$a\''), { a: 1, b: '$a', c: '$a' });
});

test('parser: referenced entries are marked as used variables', () => {
  const root = parseConf('HELPER: 5\nunused: 1\nport: $HELPER', 'test.conf', { env: NO_ENV });
  assert.equal(root.entries.get('HELPER')?.usedAsVariable, true);
  assert.equal(root.entries.get('unused')?.usedAsVariable, false);
});

test('parser: environment variables are parsed as config values', () => {
  const env = { NUM: '42', SIZE: '1MB', TEXT: 'hello', FLAG: 'true', MAP: '{ a: 1, b: [x, y] }', QUOTED: '"q w"' };
  assert.deepEqual(plain('n: $NUM\ns: $SIZE\nt: $TEXT\nf: $FLAG\nm: $MAP\nq: $QUOTED', env), {
    n: 42,
    s: 1_048_576,
    t: 'hello',
    f: true,
    m: { a: 1, b: ['x', 'y'] },
    q: 'q w',
  });
});

test('parser: a config key shadows an environment variable of the same name', () => {
  assert.deepEqual(plain('X: 1\ny: $X', { X: '2' }), { X: 1, y: 1 });
});

test('parser: environment variables may reference other environment variables', () => {
  assert.deepEqual(plain('v: $A', { A: '$B', B: '7' }), { v: 7 });
});

test('parser: environment reference cycles are reported instead of recursing forever', () => {
  const err = parseError('v: $A', { A: '$B', B: '$A' });
  assert.match(err.message, /variable reference for 'A' on line 1 could not be parsed: .*cycle/);
});

test('parser: an environment value that does not parse is reported at the reference', () => {
  const err = parseError('x: 1\nv: $BAD', { BAD: '"unterminated' });
  assert.equal(err.code, 'CONFIG_SYNTAX');
  assert.match(err.message, /^test\.conf:2:4: variable reference for 'BAD' on line 2 could not be parsed: /);
});

test('parser: unresolved variable error names file, line and column', () => {
  const err = parseError('a: 1\nb {\n  c: $MISSING\n}', NO_ENV, 'conf/app.conf');
  assert.equal(err.code, 'CONFIG_SYNTAX');
  assert.equal(err.message, "conf/app.conf:3:6: variable reference for 'MISSING' on line 3 can not be found");
});

test('parser: lexer errors carry nats-server wording behind the position', () => {
  const err = parseError('a: 1\nb: "\\u1234"', NO_ENV, 'x.conf');
  assert.equal(err.code, 'CONFIG_SYNTAX');
  assert.match(err.message, /^x\.conf:2:6: Parse error on line 2: 'invalid escape character 'u'/);
});

test('parser: values keep file, line and column', () => {
  const root = parseConf('a: 1\nm {\n  b: [x, "y"]\n}', 'p.conf', { env: NO_ENV });
  const m = root.entries.get('m');
  assert.deepEqual(m?.pos, { file: 'p.conf', line: 2, column: 1 });
  const b = (m?.value as ConfMap).entries.get('b');
  assert.deepEqual(b?.pos, { file: 'p.conf', line: 3, column: 3 });
  assert.ok(b?.value.kind === 'array');
  assert.deepEqual(
    b.value.items.map((item) => [item.pos.line, item.pos.column]),
    [
      [3, 7],
      [3, 10],
    ],
  );
});

test('parser: a leading byte-order mark is ignored', () => {
  assert.deepEqual(plain('\ufeffport: 1'), { port: 1 });
});

// ---- include ---------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'leafgate-conf-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test('include: relative to the including file, merged where it appears', () => {
  write('users.conf', 'user: alice\npassword: secret\n');
  write('limits.conf', 'max_payload: 2MB\nport: 5000\n');
  const main = write('main.conf', 'port: 4222\ninclude ./limits.conf\nauthorization {\n  include "users.conf"\n}\n');
  assert.deepEqual(toPlain(parseConfFile(main, { env: NO_ENV })), {
    max_payload: 2 * 1_048_576,
    port: 5000,
    authorization: { user: 'alice', password: 'secret' },
  });
});

test('include: keys after the include override it', () => {
  write('base.conf', 'port: 1\ndebug: true\n');
  const main = write('override.conf', 'include base.conf\nport: 2\n');
  assert.deepEqual(toPlain(parseConfFile(main, { env: NO_ENV })), { debug: true, port: 2 });
});

test('include: the included file cannot see the parent variables', () => {
  write('needs-var.conf', 'port: $PORT_NUM\n');
  const main = write('with-var.conf', 'PORT_NUM: 4333\ninclude needs-var.conf\n');
  assert.throws(
    () => parseConfFile(main, { env: NO_ENV }),
    (err: unknown) =>
      err instanceof ConfigError &&
      /with-var\.conf:2:9: error parsing include file 'needs-var\.conf', .*needs-var\.conf:1:7: variable reference for 'PORT_NUM' on line 1 can not be found/.test(
        err.message,
      ),
  );
});

test('include: positions of included values name the included file', () => {
  write('inc-pos.conf', '\n\nport: 1\n');
  const main = write('main-pos.conf', 'include inc-pos.conf\n');
  const entry = parseConfFile(main, { env: NO_ENV }).entries.get('port');
  assert.deepEqual(entry?.pos, { file: join(dir, 'inc-pos.conf'), line: 3, column: 1 });
});

test('include: a missing file is an error at the include', () => {
  const main = write('missing.conf', 'a: 1\ninclude nope.conf\n');
  assert.throws(
    () => parseConfFile(main, { env: NO_ENV }),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.code === 'CONFIG_READ' &&
      err.message.startsWith(`${main}:2:9: error parsing include file 'nope.conf', error opening config file: `),
  );
});

test('include: cycles are detected', () => {
  write('cycle-a.conf', 'include cycle-b.conf\n');
  write('cycle-b.conf', 'include cycle-a.conf\n');
  assert.throws(
    () => parseConfFile(join(dir, 'cycle-a.conf'), { env: NO_ENV }),
    (err: unknown) => err instanceof ConfigError && /include cycle/.test(err.message),
  );
});

test('parseConfFile: unreadable file', () => {
  assert.throws(
    () => parseConfFile(join(dir, 'does-not-exist.conf'), { env: NO_ENV }),
    (err: unknown) => err instanceof ConfigError && err.code === 'CONFIG_READ' && /^error opening config file: /.test(err.message),
  );
});
