import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgv, parseGoBool, parseGoInt } from '../../../src/cli/argv.js';
import { CliError } from '../../../src/cli/errors.js';

interface ArgvCase {
  readonly argv: readonly string[];
  readonly flags: Readonly<Record<string, string | number | boolean>>;
  readonly positional?: readonly string[];
}

const ARGV_CASES: readonly ArgvCase[] = [
  { argv: [], flags: {} },
  { argv: ['-js'], flags: { jetstream: true } },
  { argv: ['--js'], flags: { jetstream: true } },
  { argv: ['-jetstream'], flags: { jetstream: true } },
  { argv: ['-sd', '/data'], flags: { store_dir: '/data' } },
  { argv: ['--sd=/data'], flags: { store_dir: '/data' } },
  { argv: ['-DV'], flags: { DV: true } },
  { argv: ['-DVV'], flags: { DVV: true } },
  { argv: ['-VV'], flags: { VV: true } },
  { argv: ['-ms', '8443'], flags: { https_port: 8443 } },
  { argv: ['-sl', 'reload'], flags: { signal: 'reload' } },
  { argv: ['-sl=reload=42'], flags: { signal: 'reload=42' } },
  { argv: ['--cluster_name=x'], flags: { cluster_name: 'x' } },
  { argv: ['-cluster_name=x'], flags: { cluster_name: 'x' } },
  { argv: ['-p=4222'], flags: { port: 4222 } },
  { argv: ['--port=4222'], flags: { port: 4222 } },
  { argv: ['-p', '4222'], flags: { port: 4222 } },
  { argv: ['-p', '-1'], flags: { port: -1 } },
  { argv: ['-p', '0x10'], flags: { port: 16 } },
  { argv: ['-P', '/run/x.pid'], flags: { pid: '/run/x.pid' } },
  { argv: ['-n', 'a'], flags: { server_name: 'a' } },
  { argv: ['--name', 'a'], flags: { server_name: 'a' } },
  { argv: ['-a', '127.0.0.1'], flags: { addr: '127.0.0.1' } },
  { argv: ['--net', '127.0.0.1'], flags: { addr: '127.0.0.1' } },
  { argv: ['-T=false'], flags: { logtime: false } },
  { argv: ['-T=0'], flags: { logtime: false } },
  { argv: ['-T=TRUE'], flags: { logtime: true } },
  { argv: ['--no_advertise=false'], flags: { no_advertise: false } },
  { argv: ['-c', 'a=b.conf'], flags: { config: 'a=b.conf' } },
  { argv: ['--user', ''], flags: { user: '' } },
  // A flag given twice keeps its last value, as Go's flag package does.
  { argv: ['-p', '1', '--port=2', '-T', '-T=false'], flags: { port: 2, logtime: false } },
  // Booleans never take the next argument: it is positional.
  { argv: ['-js', 'false'], flags: { jetstream: true }, positional: ['false'] },
  { argv: ['-p', '1', 'version', '-js'], flags: { port: 1 }, positional: ['version', '-js'] },
  { argv: ['--', '-js'], flags: {}, positional: ['-js'] },
  { argv: ['-'], flags: {}, positional: ['-'] },
];

for (const c of ARGV_CASES) {
  test(`parseArgv ${JSON.stringify(c.argv)}`, () => {
    const result = parseArgv(c.argv);
    assert.deepEqual(Object.fromEntries(result.flags), c.flags);
    assert.deepEqual(result.positional, c.positional ?? []);
  });
}

const ERROR_CASES: ReadonlyArray<readonly [readonly string[], string, string]> = [
  [['-foo'], 'FLAG_UNDEFINED', 'flag provided but not defined: -foo'],
  [['--foo=1'], 'FLAG_UNDEFINED', 'flag provided but not defined: -foo'],
  [['-J'], 'FLAG_UNDEFINED', 'flag provided but not defined: -J'],
  [['-p'], 'FLAG_NEEDS_ARGUMENT', 'flag needs an argument: -p'],
  [['--store_dir'], 'FLAG_NEEDS_ARGUMENT', 'flag needs an argument: -store_dir'],
  [['-p', 'abc'], 'FLAG_INVALID_VALUE', 'invalid value "abc" for flag -p: parse error'],
  [['--port=4k'], 'FLAG_INVALID_VALUE', 'invalid value "4k" for flag -port: parse error'],
  [['-p', '99999999999999999999'], 'FLAG_INVALID_VALUE', 'invalid value "99999999999999999999" for flag -p: value out of range'],
  [['-T=maybe'], 'FLAG_INVALID_VALUE', 'invalid boolean value "maybe" for -T: parse error'],
  [['-js=yes'], 'FLAG_INVALID_VALUE', 'invalid boolean value "yes" for -js: parse error'],
  [['---p', '1'], 'FLAG_SYNTAX', 'bad flag syntax: ---p'],
  [['-=x'], 'FLAG_SYNTAX', 'bad flag syntax: -=x'],
];

for (const [argv, code, message] of ERROR_CASES) {
  test(`parseArgv rejects ${JSON.stringify(argv)}`, () => {
    assert.throws(
      () => parseArgv(argv),
      (err: unknown) => err instanceof CliError && err.code === code && err.message === message && err.isUsageError,
    );
  });
}

test('parseGoInt follows strconv.ParseInt with base 0', () => {
  const cases: ReadonlyArray<readonly [string, ReturnType<typeof parseGoInt>]> = [
    ['4222', 4222],
    ['+5', 5],
    ['-1', -1],
    ['0', 0],
    ['010', 8],
    ['0o17', 15],
    ['0b101', 5],
    ['0X1f', 31],
    ['1_000', 1000],
    ['0x_ff', 255],
    ['9223372036854775807', 9223372036854775807],
    ['-9223372036854775808', -9223372036854775808],
    ['9223372036854775808', 'value out of range'],
    ['', 'parse error'],
    ['-', 'parse error'],
    ['08', 'parse error'],
    ['0x', 'parse error'],
    ['1__0', 'parse error'],
    ['_1', 'parse error'],
    ['1_', 'parse error'],
    ['1.5', 'parse error'],
    [' 1', 'parse error'],
  ];
  for (const [text, expected] of cases) assert.equal(parseGoInt(text), expected, text);
});

test('parseGoBool accepts exactly strconv.ParseBool words', () => {
  for (const word of ['1', 't', 'T', 'true', 'TRUE', 'True']) assert.equal(parseGoBool(word), true, word);
  for (const word of ['0', 'f', 'F', 'false', 'FALSE', 'False']) assert.equal(parseGoBool(word), false, word);
  for (const word of ['yes', 'no', 'on', 'tRUE', '']) assert.equal(parseGoBool(word), undefined, word);
});
