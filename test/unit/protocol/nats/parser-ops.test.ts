import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  PING,
  PONG,
  byteByByte,
  bytes,
  connect,
  err,
  hpub,
  newParser,
  parseChunks,
  parseChunksStoppingEachOp,
  pub,
  sub,
  twoWaySplits,
  unsub,
} from './recording-handler.js';
import type { Op } from './recording-handler.js';

interface Case {
  readonly name: string;
  readonly input: string;
  readonly ops: readonly Op[];
}

const HDR = 'NATS/1.0\r\n\r\n'; // 12 bytes

/** The same operations must come out however the input is cut into reads. */
function assertParses(c: Case): void {
  const input = bytes(c.input);
  assert.deepEqual(parseChunks([input]), c.ops, 'whole input');
  for (const [at, chunks] of twoWaySplits(input)) assert.deepEqual(parseChunks(chunks), c.ops, `split at byte ${at}`);
  assert.deepEqual(parseChunks(byteByByte(input)), c.ops, 'byte by byte');
  assert.deepEqual(parseChunksStoppingEachOp([input]), c.ops, 'stopped and resumed after each operation');
}

function runTable(title: string, cases: readonly Case[]): void {
  for (const c of cases) test(`${title}: ${c.name}`, () => assertParses(c));
}

runTable('operations', [
  { name: 'PUB without reply', input: 'PUB foo 5\r\nhello\r\n', ops: [pub('foo', 'hello')] },
  { name: 'PUB with reply', input: 'PUB foo _INBOX.1 5\r\nhello\r\n', ops: [pub('foo', 'hello', { reply: '_INBOX.1' })] },
  { name: 'HPUB without reply', input: `HPUB foo 12 14\r\n${HDR}hi\r\n`, ops: [hpub('foo', 12, `${HDR}hi`)] },
  { name: 'HPUB with reply', input: `HPUB foo bar 12 14\r\n${HDR}hi\r\n`, ops: [hpub('foo', 12, `${HDR}hi`, { reply: 'bar' })] },
  { name: 'HPUB with header size 0', input: 'HPUB foo 0 2\r\nhi\r\n', ops: [hpub('foo', 0, 'hi')] },
  { name: 'HPUB with headers only', input: `HPUB foo 12 12\r\n${HDR}\r\n`, ops: [hpub('foo', 12, HDR)] },
  { name: 'SUB without queue', input: 'SUB foo 1\r\n', ops: [sub('foo', '1')] },
  { name: 'SUB with queue', input: 'SUB foo workers 22\r\n', ops: [sub('foo', '22', 'workers')] },
  { name: 'SUB with wildcards', input: 'SUB foo.* a\r\nSUB foo.> b\r\nSUB > c\r\n', ops: [sub('foo.*', 'a'), sub('foo.>', 'b'), sub('>', 'c')] },
  { name: 'SUB subject is not validated by the parser', input: 'SUB foo..bar 1\r\n', ops: [sub('foo..bar', '1')] },
  { name: 'UNSUB without max', input: 'UNSUB 1\r\n', ops: [unsub('1', -1)] },
  { name: 'UNSUB with max', input: 'UNSUB 1 10\r\n', ops: [unsub('1', 10)] },
  { name: 'UNSUB with max 0', input: 'UNSUB 1 0\r\n', ops: [unsub('1', 0)] },
  { name: 'UNSUB with non-numeric max removes at once', input: 'UNSUB 1 ten\r\n', ops: [unsub('1', 0)] },
  { name: 'UNSUB with negative max removes at once', input: 'UNSUB 1 -5\r\n', ops: [unsub('1', 0)] },
  { name: 'UNSUB with 10-digit max removes at once', input: 'UNSUB 1 1234567890\r\n', ops: [unsub('1', 0)] },
  { name: 'UNSUB with 9-digit max', input: 'UNSUB 1 123456789\r\n', ops: [unsub('1', 123456789)] },
  { name: 'PING', input: 'PING\r\n', ops: [PING] },
  { name: 'PONG', input: 'PONG\r\n', ops: [PONG] },
  { name: 'text after PING and PONG is ignored', input: 'PING foo\r\nPONG x y\r\nPINGX\r\n', ops: [PING, PONG, PING] },
  { name: 'CONNECT json', input: 'CONNECT {"verbose":false,"name":"a b"}\r\n', ops: [connect('{"verbose":false,"name":"a b"}')] },
  { name: 'CONNECT after a tab', input: 'CONNECT\t{}\r\n', ops: [connect('{}')] },
  { name: 'bare CONNECT hands an empty (invalid) json', input: 'CONNECT\r\n', ops: [connect('')] },
  { name: 'INFO from a client is ignored', input: 'INFO {"server_id":"x"}\r\nPING\r\n', ops: [PING] },
  { name: 'INFO after a tab is ignored', input: 'INFO\t{}\r\nPING\r\n', ops: [PING] },
  { name: '+OK from a client is ignored', input: '+OK\r\nPING\r\n', ops: [PING] },
  { name: 'text after +OK is ignored', input: '+OKAY\r\nPING\r\n', ops: [PING] },
  { name: '-ERR from a client is a peer error', input: "-ERR 'Stale Connection'\r\nPING\r\n", ops: [err('PeerError')] },
  { name: '-err in lower case after a tab', input: '-err\tboom\r\n', ops: [err('PeerError')] },
]);

runTable('case, blanks and line ends', [
  {
    name: 'op names in any case',
    input: `sUb foo 1\r\npUb foo 1\r\na\r\nHpUb foo 12 12\r\n${HDR}\r\nUnSuB 1\r\npInG\r\nPoNg\r\nconnect {}\r\n+ok\r\ninfo {}\r\n`,
    ops: [sub('foo', '1'), pub('foo', 'a'), hpub('foo', 12, HDR), unsub('1', -1), PING, PONG, connect('{}')],
  },
  { name: 'tabs between arguments', input: 'PUB\tfoo\tbar\t3\r\nabc\r\n', ops: [pub('foo', 'abc', { reply: 'bar' })] },
  { name: 'several blanks between arguments', input: 'PUB  foo \t bar  \t3\r\nabc\r\n', ops: [pub('foo', 'abc', { reply: 'bar' })] },
  { name: 'trailing blanks', input: 'SUB foo q 1 \t \r\nUNSUB 1 \r\nPUB foo 1 \t\r\na\r\n', ops: [sub('foo', '1', 'q'), unsub('1', -1), pub('foo', 'a')] },
  { name: 'HPUB with blanks and tabs', input: `HPUB \t foo  r\t12 \t 14 \r\n${HDR}hi\r\n`, ops: [hpub('foo', 12, `${HDR}hi`, { reply: 'r' })] },
  {
    name: 'bare LF ends control lines',
    input: 'CONNECT {}\nSUB foo 1\nPUB foo 1\na\r\nPING\nPONG\nUNSUB 1 2\n',
    ops: [connect('{}'), sub('foo', '1'), pub('foo', 'a'), PING, PONG, unsub('1', 2)],
  },
  { name: 'CRLF ends control lines', input: 'SUB foo 1\r\nPING\r\n', ops: [sub('foo', '1'), PING] },
  { name: 'payload containing CR and LF bytes', input: 'PUB foo 8\r\n\r\nab\r\n\n\r\r\n', ops: [pub('foo', '\r\nab\r\n\n\r')] },
  { name: 'payload that looks like a control line', input: 'PUB foo 12\r\nPUB x 1\r\nq\r\n\r\n', ops: [pub('foo', 'PUB x 1\r\nq\r\n')] },
  { name: 'zero-length payload', input: 'PUB foo 0\r\n\r\nPUB foo r 0\r\n\r\n', ops: [pub('foo', ''), pub('foo', '', { reply: 'r' })] },
  { name: 'binary payload bytes', input: 'PUB foo 4\r\n\x00\xff\x80\x7f\r\n', ops: [pub('foo', '\x00\xff\x80\x7f')] },
  { name: 'non-ASCII subject bytes are kept (latin1)', input: 'SUB f\xf6\xf6 1\r\nPUB f\xf6\xf6 0\r\n\r\n', ops: [sub('f\xf6\xf6', '1'), pub('f\xf6\xf6', '')] },
]);

runTable('size tokens', [
  { name: 'leading zeros are kept as sizeText', input: 'PUB foo 002\r\nab\r\n', ops: [pub('foo', 'ab', { sizeText: '002' })] },
  { name: 'all-zero size', input: 'PUB foo 00\r\n\r\n', ops: [pub('foo', '', { sizeText: '00' })] },
  { name: 'a single 0 is canonical', input: 'PUB foo 0\r\n\r\n', ops: [pub('foo', '')] },
  { name: 'a size with a zero digit inside is canonical', input: 'PUB foo 10\r\n0123456789\r\n', ops: [pub('foo', '0123456789')] },
  { name: 'sizeText does not leak into the next frame', input: 'PUB foo 01\r\na\r\nPUB foo 1\r\nb\r\n', ops: [pub('foo', 'a', { sizeText: '01' }), pub('foo', 'b')] },
  { name: 'HPUB total size with leading zeros', input: `HPUB foo 12 014\r\n${HDR}hi\r\n`, ops: [hpub('foo', 12, `${HDR}hi`, { sizeText: '014' })] },
  { name: 'HPUB header size with leading zeros', input: `HPUB foo 012 14\r\n${HDR}hi\r\n`, ops: [hpub('foo', 12, `${HDR}hi`)] },
  { name: '9 digits are accepted', input: 'PUB foo 000000002\r\nab\r\n', ops: [pub('foo', 'ab', { sizeText: '000000002' })] },
  { name: '10 digits are malformed', input: 'PUB foo 0000000002\r\nab\r\n', ops: [err('BadArgs')] },
  { name: 'HPUB header size of 10 digits is malformed', input: `HPUB foo 0000000012 14\r\n${HDR}hi\r\n`, ops: [err('BadArgs')] },
]);

runTable('malformed arguments close without -ERR', [
  { name: 'PUB with one argument', input: 'PUB foo\r\n', ops: [err('BadArgs')] },
  { name: 'PUB with four arguments', input: 'PUB foo a b 1\r\na\r\n', ops: [err('BadArgs')] },
  { name: 'PUB with nothing after the blank', input: 'PUB \r\nPING\r\n', ops: [err('BadArgs')] },
  { name: 'PUB with a non-numeric size', input: 'PUB foo x\r\n', ops: [err('BadArgs')] },
  { name: 'PUB with a negative size', input: 'PUB foo -1\r\n', ops: [err('BadArgs')] },
  { name: 'PUB with a size holding a sign', input: 'PUB foo +1\r\na\r\n', ops: [err('BadArgs')] },
  { name: 'HPUB with two arguments', input: 'HPUB foo 12\r\n', ops: [err('BadArgs')] },
  { name: 'HPUB with five arguments', input: 'HPUB foo a b 0 0\r\n\r\n', ops: [err('BadArgs')] },
  { name: 'HPUB with nothing after the blank', input: 'HPUB \r\n', ops: [err('BadArgs')] },
  { name: 'HPUB header size above the total', input: 'HPUB foo 3 2\r\nab\r\n', ops: [err('BadArgs')] },
  { name: 'HPUB with a non-numeric header size', input: 'HPUB foo x 2\r\nab\r\n', ops: [err('BadArgs')] },
  { name: 'HPUB with a non-numeric total', input: 'HPUB foo 0 x\r\n', ops: [err('BadArgs')] },
  { name: 'SUB with one argument', input: 'SUB foo\r\n', ops: [err('BadArgs')] },
  { name: 'SUB with four arguments', input: 'SUB foo a b 1\r\n', ops: [err('BadArgs')] },
  { name: 'SUB with nothing after the blank', input: 'SUB \r\n', ops: [err('BadArgs')] },
  { name: 'UNSUB with nothing after the blank', input: 'UNSUB \r\n', ops: [err('BadArgs')] },
  { name: 'UNSUB with three arguments', input: 'UNSUB 1 2 3\r\n', ops: [err('BadArgs')] },
  { name: 'INFO with invalid json', input: 'INFO xyz\r\nPING\r\n', ops: [err('BadArgs')] },
  { name: 'bare INFO', input: 'INFO\r\nPING\r\n', ops: [err('BadArgs')] },
  { name: 'nothing is parsed after the error', input: 'SUB foo\r\nPING\r\nSUB a 1\r\n', ops: [err('BadArgs')] },
]);

runTable('unknown operations', [
  { name: 'unknown op', input: 'FOO bar\r\n', ops: [err('UnknownOp')] },
  { name: 'MSG from a client', input: 'MSG foo 1 1\r\na\r\n', ops: [err('UnknownOp')] },
  { name: 'HMSG from a client', input: 'HMSG foo 1 0 1\r\na\r\n', ops: [err('UnknownOp')] },
  { name: 'op with a letter too many', input: 'PUBX foo 1\r\na\r\n', ops: [err('UnknownOp')] },
  { name: 'op glued to its argument', input: 'SUBfoo 1\r\n', ops: [err('UnknownOp')] },
  { name: 'PUB without arguments', input: 'PUB\r\n', ops: [err('UnknownOp')] },
  { name: 'UNSUB without arguments', input: 'UNSUB\r\n', ops: [err('UnknownOp')] },
  { name: 'truncated PING', input: 'PIN\r\n', ops: [err('UnknownOp')] },
  { name: 'empty line', input: '\r\nPING\r\n', ops: [err('UnknownOp')] },
  { name: 'truncated +OK', input: '+O\r\n', ops: [err('UnknownOp')] },
  { name: 'bare -ERR', input: '-ERR\r\nPING\r\n', ops: [err('UnknownOp')] },
  { name: '-ERR glued to text', input: '-ERRX\r\nPING\r\n', ops: [err('UnknownOp')] },
  { name: 'a vertical tab in place of +', input: '\x0bOK\r\nPING\r\n', ops: [err('UnknownOp')] },
  { name: 'a carriage return in place of -', input: '\rERR x\r\nPING\r\n', ops: [err('UnknownOp')] },
  { name: 'ops before the error are delivered', input: 'PING\r\nSUB a 1\r\nBOGUS\r\nPING\r\n', ops: [PING, sub('a', '1'), err('UnknownOp')] },
]);

runTable('payload terminator', [
  { name: 'missing CRLF after the payload', input: 'PUB foo 1\r\naXY\r\n', ops: [err('UnknownOp')] },
  { name: 'bare LF after the payload', input: 'PUB foo 1\r\na\nPING\r\n', ops: [err('UnknownOp')] },
  { name: 'payload longer than announced', input: 'PUB foo 1\r\nab\r\n', ops: [err('UnknownOp')] },
  { name: 'HPUB missing CRLF after the payload', input: `HPUB foo 12 12\r\n${HDR}XX`, ops: [err('UnknownOp')] },
  { name: 'zero-length payload without CRLF', input: 'PUB foo 0\r\nPING\r\n', ops: [err('UnknownOp')] },
]);

test('CONNECT json after several blanks parses to the same object', () => {
  const ops = parseChunks([bytes('CONNECT  \t {"verbose":false}\r\n')]);
  assert.equal(ops.length, 1);
  const op = ops[0];
  assert.equal(op.op, 'connect');
  assert.deepEqual(JSON.parse(op.op === 'connect' ? op.json : ''), { verbose: false });
});

test('parse() consumes the whole buffer when not stopped', () => {
  const { parser } = newParser();
  const input = bytes('SUB a 1\r\nPUB a 2\r\nhi\r\nPU');
  assert.equal(parser.parse(input), input.length);
  const rest = bytes('B a 0\r\n\r\n');
  assert.equal(parser.parse(rest), rest.length);
});
