// Server log in nats-server's line layout, so log tooling and habits carry over:
//   [<pid>] 2026/11/25 09:00:00.123456 [INF] message      (logtime on, the default)
//   [<pid>] [INF] message                                  (logtime off, -T=false)
// One entry is always one line (embedded line breaks are escaped) so journald and grep see whole entries.
import { closeSync, openSync, writeSync } from 'node:fs';

/** Where entries go when there is no log file; process.stderr by default, replaceable in tests. */
export interface LogStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface LoggerOptions {
  readonly debug?: boolean;
  readonly trace?: boolean;
  /** Timestamp each entry (default true). */
  readonly logtime?: boolean;
  /** Append to this file instead of writing to stderr. */
  readonly logFile?: string;
}

export class LoggerError extends Error {
  readonly code: 'LOG_FILE_OPEN';
  readonly path: string;

  constructor(path: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`error opening log file ${JSON.stringify(path)}: ${reason}`, { cause });
    this.name = 'LoggerError';
    this.code = 'LOG_FILE_OPEN';
    this.path = path;
  }
}

interface Labels {
  readonly info: string;
  readonly warn: string;
  readonly error: string;
  readonly fatal: string;
  readonly debug: string;
  readonly trace: string;
}

const PLAIN_LABELS: Labels = {
  info: '[INF] ',
  warn: '[WRN] ',
  error: '[ERR] ',
  fatal: '[FTL] ',
  debug: '[DBG] ',
  trace: '[TRC] ',
};

function coloured(code: string, name: string): string {
  return `[\x1b[${code}m${name}\x1b[0m] `;
}

// Same colours nats-server uses on a terminal.
const COLOURED_LABELS: Labels = {
  info: coloured('32', 'INF'),
  warn: coloured('0;93', 'WRN'),
  error: coloured('31', 'ERR'),
  fatal: coloured('31', 'FTL'),
  debug: coloured('36', 'DBG'),
  trace: coloured('33', 'TRC'),
};

const LINE_BREAKS = /\r?\n|\r/g;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Wall-clock time in microseconds. Date.now() alone has millisecond resolution; the sub-millisecond part comes
 * from the monotonic clock, re-anchored whenever the wall clock moves (a Pi without RTC jumps at NTP sync).
 */
class MicrosecondClock {
  private wallMinusMonoMs: number;

  constructor() {
    this.wallMinusMonoMs = Date.now() - performance.now();
  }

  nowMicros(): number {
    const mono = performance.now();
    const wall = Date.now();
    let estimate = this.wallMinusMonoMs + mono;
    if (Math.abs(estimate - wall) >= 1) {
      this.wallMinusMonoMs = wall - mono;
      estimate = wall;
    }
    return Math.floor(estimate * 1000);
  }
}

/**
 * A leveled logger. Info, warn, error and fatal always print; debug and trace print only when enabled.
 * Hot paths test `traceEnabled`/`debugEnabled` before building a message, so a disabled level costs one read.
 * `fatal` only logs: the caller decides how to stop.
 */
export class Logger {
  debugEnabled: boolean;
  traceEnabled: boolean;
  private logtime: boolean;
  private logFile: string | undefined;
  private fd: number | undefined;
  private labels: Labels;
  private readonly prefix: string;
  private readonly stderr: LogStream;
  private readonly clock: MicrosecondClock;
  private cachedSecond: number;
  private cachedSecondText: string;

  constructor(options: LoggerOptions = {}, stderr: LogStream = process.stderr) {
    this.debugEnabled = false;
    this.traceEnabled = false;
    this.logtime = true;
    this.logFile = undefined;
    this.fd = undefined;
    this.labels = PLAIN_LABELS;
    this.prefix = `[${process.pid}] `;
    this.stderr = stderr;
    this.clock = new MicrosecondClock();
    this.cachedSecond = -1;
    this.cachedSecondText = '';
    this.setOptions(options);
  }

  /**
   * Applies new settings (config reload). Levels and logtime always take effect; if a new log file cannot be
   * opened this throws LoggerError and entries keep going to the current output.
   */
  setOptions(options: LoggerOptions): void {
    this.debugEnabled = options.debug ?? false;
    this.traceEnabled = options.trace ?? false;
    this.logtime = options.logtime ?? true;
    const logFile = options.logFile === '' ? undefined : options.logFile;
    if (logFile !== this.logFile) {
      const fd = logFile === undefined ? undefined : openLogFile(logFile);
      this.closeFile();
      this.fd = fd;
      this.logFile = logFile;
    }
    this.labels = this.fd === undefined && this.stderr.isTTY === true ? COLOURED_LABELS : PLAIN_LABELS;
  }

  /**
   * Reopens the log file by name (SIGUSR1, after logrotate moved it). Throws LoggerError and keeps writing to
   * the old file if the name cannot be opened. Without a log file this does nothing.
   */
  reopen(): void {
    if (this.logFile === undefined) return;
    const fd = openLogFile(this.logFile);
    this.closeFile();
    this.fd = fd;
  }

  /** Closes the log file; later entries go to stderr. */
  close(): void {
    this.closeFile();
    this.logFile = undefined;
    this.labels = this.stderr.isTTY === true ? COLOURED_LABELS : PLAIN_LABELS;
  }

  info(message: string): void {
    this.write(this.labels.info, message);
  }

  warn(message: string): void {
    this.write(this.labels.warn, message);
  }

  error(message: string): void {
    this.write(this.labels.error, message);
  }

  fatal(message: string): void {
    this.write(this.labels.fatal, message);
  }

  debug(message: string): void {
    if (this.debugEnabled) this.write(this.labels.debug, message);
  }

  trace(message: string): void {
    if (this.traceEnabled) this.write(this.labels.trace, message);
  }

  private write(label: string, message: string): void {
    const text = message.includes('\n') || message.includes('\r') ? message.replace(LINE_BREAKS, '\\n') : message;
    const line = this.logtime
      ? `${this.prefix}${this.timestamp()} ${label}${text}\n`
      : `${this.prefix}${label}${text}\n`;
    if (this.fd === undefined) {
      this.stderr.write(line);
      return;
    }
    try {
      writeSync(this.fd, line);
    } catch {
      // A full or vanished disk must not take the server down; stderr is the last resort.
      this.stderr.write(line);
    }
  }

  /** Local time as `YYYY/MM/DD HH:MM:SS.uuuuuu`, the layout of Go's log package with microseconds. */
  private timestamp(): string {
    const micros = this.clock.nowMicros();
    const second = Math.floor(micros / 1_000_000);
    if (second !== this.cachedSecond) {
      const d = new Date(second * 1000);
      this.cachedSecond = second;
      this.cachedSecondText =
        `${d.getFullYear()}/${pad2(d.getMonth() + 1)}/${pad2(d.getDate())} ` +
        `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
    }
    return `${this.cachedSecondText}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  private closeFile(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // Closing an fd whose file is gone can only fail harmlessly here.
    }
  }
}

function openLogFile(path: string): number {
  try {
    return openSync(path, 'a', 0o660);
  } catch (err) {
    throw new LoggerError(path, err);
  }
}
