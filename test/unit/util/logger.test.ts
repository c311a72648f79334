import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger, LoggerError, type LogStream } from '../../../src/util/logger.js';

class MemoryStream implements LogStream {
  readonly chunks: string[] = [];
  constructor(readonly isTTY: boolean = false) {}
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'leafgate-log-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
}

const PID = `\\[${process.pid}\\]`;
const STAMP = '\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}';

test('file lines have the nats-server layout with timestamps', (t) => {
  const file = join(tempDir(t), 'server.log');
  const log = new Logger({ logFile: file, debug: true, trace: true });
  log.info('Starting leafgate');
  log.warn('careful');
  log.error('broken');
  log.fatal('gone');
  log.debug('details');
  log.trace('<<- [PING]');
  log.close();
  const expected = [
    ['INF', 'Starting leafgate'],
    ['WRN', 'careful'],
    ['ERR', 'broken'],
    ['FTL', 'gone'],
    ['DBG', 'details'],
    ['TRC', '<<- \\[PING\\]'],
  ];
  const got = lines(file);
  assert.equal(got.length, expected.length);
  expected.forEach(([label, text], i) => {
    assert.match(got[i]!, new RegExp(`^${PID} ${STAMP} \\[${label}\\] ${text}$`));
  });
});

test('the timestamp is the local wall-clock time', (t) => {
  const file = join(tempDir(t), 'time.log');
  const log = new Logger({ logFile: file });
  // The logger clock may differ from Date.now() by under a millisecond either way.
  const before = Math.floor((Date.now() - 1) / 1000) * 1000;
  log.info('tick');
  const after = Date.now() + 1;
  log.close();
  const [line] = lines(file);
  const match = /^\[\d+\] (\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})\.\d{6} /.exec(line!);
  assert.ok(match, line);
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const logged = new Date(y!, mo! - 1, d!, h!, mi!, s!).getTime();
  assert.ok(logged >= before && logged <= after, `${line} not within [${before}, ${after}]`);
});

test('logtime off drops the timestamp (-T=false)', (t) => {
  const file = join(tempDir(t), 'notime.log');
  const log = new Logger({ logFile: file, logtime: false });
  log.info('hello');
  log.close();
  assert.deepEqual(lines(file), [`[${process.pid}] [INF] hello`]);
});

test('debug and trace lines appear only when enabled', (t) => {
  const file = join(tempDir(t), 'levels.log');
  const log = new Logger({ logFile: file, logtime: false });
  assert.equal(log.debugEnabled, false);
  assert.equal(log.traceEnabled, false);
  log.debug('hidden debug');
  log.trace('hidden trace');
  log.setOptions({ logFile: file, logtime: false, debug: true });
  log.debug('shown debug');
  log.trace('still hidden trace');
  log.setOptions({ logFile: file, logtime: false, trace: true });
  log.debug('hidden again');
  log.trace('shown trace');
  log.close();
  assert.deepEqual(
    lines(file).map((line) => line.replace(/^\[\d+\] /, '')),
    ['[DBG] shown debug', '[TRC] shown trace'],
  );
});

test('a log file is appended to, never truncated', (t) => {
  const file = join(tempDir(t), 'append.log');
  writeFileSync(file, 'earlier line\n');
  const log = new Logger({ logFile: file, logtime: false });
  log.info('new line');
  log.close();
  assert.deepEqual(lines(file), ['earlier line', `[${process.pid}] [INF] new line`]);
});

test('one entry is one line, even with line breaks in the message', () => {
  const stream = new MemoryStream();
  const log = new Logger({ logtime: false }, stream);
  log.error('first\nsecond\r\nthird');
  assert.deepEqual(stream.chunks, [`[${process.pid}] [ERR] first\\nsecond\\nthird\n`]);
});

test('stderr output is plain when not a TTY and coloured on a TTY', () => {
  const plain = new MemoryStream(false);
  new Logger({ logtime: false }, plain).warn('w');
  assert.deepEqual(plain.chunks, [`[${process.pid}] [WRN] w\n`]);

  const tty = new MemoryStream(true);
  new Logger({ logtime: false }, tty).warn('w');
  assert.deepEqual(tty.chunks, [`[${process.pid}] [\x1b[0;93mWRN\x1b[0m] w\n`]);
});

test('reopen() starts a new file after rotation moved the old one', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'rotate.log');
  const log = new Logger({ logFile: file, logtime: false });
  log.info('before rotation');
  renameSync(file, `${file}.1`);
  log.info('still to the moved file');
  log.reopen();
  log.info('after reopen');
  log.close();
  assert.deepEqual(lines(`${file}.1`).map((l) => l.replace(/^\[\d+\] /, '')), [
    '[INF] before rotation',
    '[INF] still to the moved file',
  ]);
  assert.deepEqual(lines(file).map((l) => l.replace(/^\[\d+\] /, '')), ['[INF] after reopen']);
});

test('setOptions switches between stderr and files', (t) => {
  const dir = tempDir(t);
  const first = join(dir, 'a.log');
  const second = join(dir, 'b.log');
  const stream = new MemoryStream();
  const log = new Logger({ logtime: false }, stream);
  log.info('to stderr');
  log.setOptions({ logFile: first, logtime: false });
  log.info('to a');
  log.setOptions({ logFile: second, logtime: false });
  log.info('to b');
  log.setOptions({ logtime: false });
  log.info('back to stderr');
  assert.deepEqual(stream.chunks.map((c) => c.replace(/^\[\d+\] /, '')), ['[INF] to stderr\n', '[INF] back to stderr\n']);
  assert.deepEqual(lines(first).map((l) => l.replace(/^\[\d+\] /, '')), ['[INF] to a']);
  assert.deepEqual(lines(second).map((l) => l.replace(/^\[\d+\] /, '')), ['[INF] to b']);
});

test('a log file that cannot be opened is a LoggerError and the old output stays', (t) => {
  const dir = tempDir(t);
  const stream = new MemoryStream();
  const missing = join(dir, 'no-such-dir', 'x.log');
  assert.throws(() => new Logger({ logFile: missing }, stream), (err: unknown) => {
    return err instanceof LoggerError && err.code === 'LOG_FILE_OPEN' && err.path === missing;
  });

  const log = new Logger({ logtime: false }, stream);
  assert.throws(() => log.setOptions({ logFile: missing, logtime: false, debug: true }), LoggerError);
  assert.equal(log.debugEnabled, true);
  log.info('still on stderr');
  assert.deepEqual(stream.chunks.map((c) => c.replace(/^\[\d+\] /, '')), ['[INF] still on stderr\n']);
});
