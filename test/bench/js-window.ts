import { hrtime } from 'node:process';
import type { JsConnection, NumberedReplyHandler } from './js-connection.js';
import { NUMBER_WIDTH } from './nats-wire.js';

const PLACEHOLDER = '#'.repeat(NUMBER_WIDTH);
const NUMBER_WRAP = 10 ** NUMBER_WIDTH;
const BYTE_0 = 0x30;
const ERROR_KEY = Buffer.from('"error"', 'latin1');

/**
 * A frame with a message number in one or more fixed-width fields (reply inbox, Nats-Msg-Id,
 * payload). Frames are written straight into a batch buffer, digit by digit, with no allocation.
 */
export class NumberedTemplate {
  readonly length: number;
  private readonly template: Buffer;
  private readonly at: number[];

  /** `build` gets the placeholder to put wherever the number goes. */
  constructor(build: (placeholder: string) => Buffer) {
    this.template = build(PLACEHOLDER);
    this.length = this.template.length;
    this.at = [];
    for (let i = this.template.indexOf(PLACEHOLDER, 0, 'latin1'); i >= 0; i = this.template.indexOf(PLACEHOLDER, i + NUMBER_WIDTH, 'latin1')) this.at.push(i);
    if (this.at.length === 0) throw new Error('numbered frame without its placeholder');
  }

  writeInto(target: Buffer, offset: number, n: number): void {
    this.template.copy(target, offset);
    for (const field of this.at) {
      let rest = n % NUMBER_WRAP;
      for (let i = field + NUMBER_WIDTH - 1; i >= field; i--) {
        target[offset + i] = BYTE_0 + (rest % 10);
        rest = Math.floor(rest / 10);
      }
    }
  }
}

/** `PUB <subject> <inbox>.<n> <size>`: a publish whose PubAck comes back numbered. */
export function numberedPub(subject: string, inbox: string, payload: Buffer): NumberedTemplate {
  return new NumberedTemplate((n) => Buffer.concat([Buffer.from(`PUB ${subject} ${inbox}.${n} ${payload.length}\r\n`, 'latin1'), payload, Buffer.from('\r\n')]));
}

/**
 * `HPUB` with `Nats-Msg-Id: <n>` and a payload that starts with `<n>` (padded to `payloadSize`): each
 * stored message says which publish it came from.
 */
export function selfNumberedPub(subject: string, inbox: string, payloadSize: number): NumberedTemplate {
  return new NumberedTemplate((n) => {
    const headers = `NATS/1.0\r\nNats-Msg-Id: ${n}\r\n\r\n`;
    const payload = Buffer.alloc(Math.max(payloadSize, NUMBER_WIDTH), 0x2e);
    payload.write(n, 0, 'latin1');
    const head = `HPUB ${subject} ${inbox}.${n} ${headers.length} ${headers.length + payload.length}\r\n`;
    return Buffer.concat([Buffer.from(head + headers, 'latin1'), payload, Buffer.from('\r\n')]);
  });
}

/** The publish number a `selfNumberedPub` payload carries. */
export function publishNumberOf(payload: Buffer): number {
  return Number(payload.toString('latin1', 0, NUMBER_WIDTH));
}

/** What one windowed run did. */
export interface WindowResult {
  sent: number;
  acked: number;
  /** Replies that were not a PubAck (an API error, or a no-responders status). */
  refused: number;
  firstRefusal: string | null;
  /** Why the run ended early, if the connection failed. */
  lostConnection: string | null;
  /** hrtime (ns) of the first write and of the last reply. */
  startNs: bigint;
  endNs: bigint;
}

interface Run {
  next: number;
  end: number;
  /** Date.now() after which no new publish goes out. */
  deadline: number;
  inFlight: number;
  result: WindowResult;
  resolve(result: WindowResult): void;
}

/**
 * Keeps `window` publishes in flight on one connection: each read's PubAcks free their slots and
 * the freed slots are refilled in one write. An optional `onAck` sees each PubAck (publish number
 * and payload view) as it arrives. A run ends when every publish is answered or the connection fails.
 */
export class WindowedPublisher implements NumberedReplyHandler {
  private readonly connection: JsConnection;
  private readonly template: NumberedTemplate;
  private readonly window: number;
  private readonly batch: Buffer;
  private readonly onAck: ((n: number, payload: Buffer) => void) | null;
  private run: Run | null;

  constructor(connection: JsConnection, template: NumberedTemplate, window: number, onAck?: (n: number, payload: Buffer) => void) {
    this.connection = connection;
    this.template = template;
    this.window = window;
    this.batch = Buffer.allocUnsafe(template.length * window);
    this.onAck = onAck ?? null;
    this.run = null;
  }

  /** Publishes numbers first .. first+count-1, or fewer when `maxMs` has passed (the window then drains). */
  publish(first: number, count: number, maxMs = Number.POSITIVE_INFINITY): Promise<WindowResult> {
    return new Promise((resolve) => {
      const now = hrtime.bigint();
      const result: WindowResult = { sent: 0, acked: 0, refused: 0, firstRefusal: null, lostConnection: null, startNs: now, endNs: now };
      const failure = this.connection.error;
      if (failure !== null) {
        result.lostConnection = failure.message;
        resolve(result);
        return;
      }
      this.run = { next: first, end: first + count, deadline: Date.now() + maxMs, inFlight: 0, result, resolve };
      this.connection.setNumberedHandler(this);
      this.refill();
    });
  }

  /** Replies received so far in the current run (0 when none is running). */
  get answered(): number {
    const result = this.run?.result;
    return result === undefined ? 0 : result.acked + result.refused;
  }

  onReply(n: number, headers: Buffer, payload: Buffer): void {
    const run = this.run;
    if (run === null) return;
    run.inFlight--;
    if (payload.length === 0 || payload.indexOf(ERROR_KEY) >= 0) {
      run.result.refused++;
      run.result.firstRefusal ??= `${headers.toString('latin1').trim()} ${payload.toString('utf8')}`.trim();
      return;
    }
    run.result.acked++;
    if (this.onAck !== null) this.onAck(n, payload);
  }

  onReadDone(): void {
    const run = this.run;
    if (run === null) return;
    const failure = this.connection.error;
    if (failure !== null) {
      run.result.lostConnection = failure.message;
      this.finish(run);
      return;
    }
    if (run.next < run.end && Date.now() > run.deadline) run.end = run.next;
    if (run.inFlight === 0 && run.next === run.end) {
      this.finish(run);
    } else {
      this.refill();
    }
  }

  private refill(): void {
    const run = this.run as Run;
    const room = Math.min(this.window - run.inFlight, run.end - run.next);
    if (room <= 0) return;
    const length = this.template.length;
    for (let i = 0; i < room; i++) this.template.writeInto(this.batch, i * length, run.next + i);
    run.next += room;
    run.inFlight += room;
    run.result.sent += room;
    // A copy: the socket may still hold the previous batch when the next acks arrive.
    this.connection.send(Buffer.from(this.batch.subarray(0, room * length)));
  }

  private finish(run: Run): void {
    run.result.endNs = hrtime.bigint();
    this.run = null;
    this.connection.setNumberedHandler(null);
    run.resolve(run.result);
  }
}
