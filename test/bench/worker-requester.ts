import { performance } from 'node:perf_hooks';
import { hrtime } from 'node:process';
import { BenchError, StalledError } from './errors.js';
import { NumberedFrame, benchPayload, msgFrame, numberedSubjects, pubFrame, subFrame } from './nats-wire.js';
import { RawConnection } from './raw-connection.js';
import { serveCommands } from './worker-rpc.js';

/** A server to send requests to, named by the caller. */
export interface RequestTarget {
  name: string;
  port: number;
}

export interface RequesterSetup {
  targets: RequestTarget[];
  subject: string;
  inbox: string;
  payloadSize: number;
  /** Each request gets its own reply subject `<inbox>.<n>`, n counting from 0; the requester subscribes `<inbox>.*`. */
  uniqueInboxes?: boolean;
  /**
   * A warm match cache: a second connection subscribes to this many subjects, and `hotPerRequest` of
   * them, in turn, are published (empty) just before each request.
   */
  hotSubjects?: number;
  hotPerRequest?: number;
}

export interface RequestRun {
  /** Round trips per target before measuring. */
  warmup: number;
  /** Measured round trips per target. */
  count: number;
  /** Round trips done on one target before moving to the next. */
  block: number;
  /** Give up on a target when no reply arrives for this long. */
  stallMs: number;
}

/**
 * Per target: latency of each measured round trip in microseconds, or why the target dropped out,
 * and the wall time spent on its turns (warm-up included).
 */
export type RequestOutcome = { latenciesUs: Float64Array; error: null; activeMs: number } | { latenciesUs: null; error: string; activeMs: number };

const SID = 1;
const WATCHDOG_MS = 200;
const HOT_PREFIX = 'bench.hot';
const EMPTY = Buffer.alloc(0);

/** The hot subjects' subscriber and the publishes that keep them in use. */
class HotTraffic {
  readonly sink: RawConnection;
  private readonly frames: Buffer;
  private readonly frameLength: number;
  private readonly perRequest: number;
  private cursor = 0;

  private constructor(sink: RawConnection, subjects: readonly string[], perRequest: number) {
    this.sink = sink;
    const pubs = subjects.map((subject) => pubFrame(subject, EMPTY));
    this.frameLength = (pubs[0] as Buffer).length;
    // Twice over, so every run of perRequest frames is one contiguous view.
    this.frames = Buffer.concat([...pubs, ...pubs]);
    this.perRequest = Math.min(perRequest, subjects.length);
  }

  static async open(port: number, count: number, perRequest: number): Promise<HotTraffic> {
    const subjects = numberedSubjects(HOT_PREFIX, count);
    // Sids of one width (10000...), so every delivery frame has the same length.
    const firstSid = 10 ** String(count).length;
    const sink = await RawConnection.open({
      port,
      name: 'bench-hot-subscriber',
      expectedMsg: msgFrame(subjects[0] as string, firstSid, EMPTY),
      subscribe: Buffer.concat(subjects.map((subject, i) => subFrame(subject, firstSid + i))),
      verifiedFrames: 0,
    });
    return new HotTraffic(sink, subjects, perRequest);
  }

  /** The next perRequest publishes, as a view (no copy). */
  next(): Buffer {
    const start = this.cursor * this.frameLength;
    this.cursor = (this.cursor + this.perRequest) % (this.frames.length / this.frameLength / 2);
    return this.frames.subarray(start, start + this.perRequest * this.frameLength);
  }
}

interface Pending {
  left: number;
  sink: Float64Array | null;
  next: number;
  resolve(): void;
  reject(error: Error): void;
}

/** Sequential request/reply on one connection: the next request goes out when the reply is in. */
class RoundTripper {
  private connection: RawConnection | null;
  private readonly request: Buffer;
  private readonly numbered: NumberedFrame | null;
  private requestsSent = 0;
  private hot: HotTraffic | null = null;
  private pending: Pending | null;
  private sentAtNs: bigint;
  private lastReplyMs: number;

  private constructor(request: Buffer, numbered: NumberedFrame | null) {
    this.connection = null;
    this.request = request;
    this.numbered = numbered;
    this.pending = null;
    this.sentAtNs = 0n;
    this.lastReplyMs = 0;
  }

  static async open(target: RequestTarget, setup: RequesterSetup): Promise<RoundTripper> {
    const payload = benchPayload(setup.payloadSize);
    const unique = setup.uniqueInboxes === true;
    const numbered = unique ? new NumberedFrame((n) => pubFrame(setup.subject, payload, `${setup.inbox}.${n}`)) : null;
    const tripper = new RoundTripper(pubFrame(setup.subject, payload, setup.inbox), numbered);
    if ((setup.hotSubjects ?? 0) > 0) tripper.hot = await HotTraffic.open(target.port, setup.hotSubjects as number, setup.hotPerRequest ?? 1);
    tripper.connection = await RawConnection.open({
      port: target.port,
      name: 'bench-requester',
      // Unique replies differ in their number only: the template gives their length.
      expectedMsg: unique ? new NumberedFrame((n) => msgFrame(`${setup.inbox}.${n}`, SID, payload)).make(0) : msgFrame(setup.inbox, SID, payload),
      subscribe: subFrame(unique ? `${setup.inbox}.*` : setup.inbox, SID),
      onMessages: (delivered) => tripper.onReplies(delivered),
      ...(unique ? { verifiedFrames: 0 } : {}),
    });
    return tripper;
  }

  /** `count` round trips; when `sink` is given their latencies go to sink[offset...]. */
  async run(count: number, sink: Float64Array | null, offset: number, stallMs: number): Promise<void> {
    const connection = this.connection;
    if (connection === null) throw new BenchError('BENCH_NOT_OPEN', 'requester is not connected');
    let watchdog: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.pending = { left: count, sink, next: offset, resolve, reject };
        this.lastReplyMs = Date.now();
        watchdog = setInterval(() => {
          const failed = connection.error ?? this.hot?.sink.error ?? null;
          if (failed !== null) reject(failed);
          else if (Date.now() - this.lastReplyMs > stallMs) reject(new StalledError(`no reply for ${stallMs} ms`));
        }, WATCHDOG_MS);
        this.sendNext(connection);
      });
    } finally {
      clearInterval(watchdog);
      this.pending = null;
    }
  }

  close(): void {
    this.connection?.close();
    this.hot?.sink.close();
  }

  private sendNext(connection: RawConnection): void {
    const request = this.numbered === null ? this.request : this.numbered.make(this.requestsSent);
    this.requestsSent++;
    this.sentAtNs = hrtime.bigint();
    if (this.hot !== null) connection.send(this.hot.next());
    connection.send(request);
  }

  private onReplies(delivered: number): void {
    const now = hrtime.bigint();
    const pending = this.pending;
    if (pending === null || delivered !== 1) {
      pending?.reject(new BenchError('BENCH_EXTRA_REPLY', `${delivered} replies arrived for one request`));
      return;
    }
    this.lastReplyMs = Date.now();
    if (pending.sink !== null) pending.sink[pending.next++] = Number(now - this.sentAtNs) / 1000;
    pending.left--;
    if (pending.left === 0) pending.resolve();
    else this.sendNext(this.connection as RawConnection);
  }
}

let trippers = new Map<string, RoundTripper>();

const requesterApi = {
  async open(setup: RequesterSetup): Promise<void> {
    const opened = await Promise.all(setup.targets.map((target) => RoundTripper.open(target, setup)));
    trippers = new Map(setup.targets.map((target, i) => [target.name, opened[i] as RoundTripper]));
  },

  /**
   * Warms every target up, then goes round the targets in blocks of `block` round trips, reversing
   * the order each round, until each has `count` measured. A failing target drops out; the others go on.
   */
  async run(run: RequestRun): Promise<Record<string, RequestOutcome>> {
    const sinks = new Map<string, Float64Array>();
    const errors = new Map<string, string>();
    const activeMs = new Map<string, number>();
    const attempt = async (name: string, work: () => Promise<void>) => {
      if (errors.has(name)) return;
      const began = performance.now();
      try {
        await work();
      } catch (error) {
        errors.set(name, (error as Error).message);
      }
      activeMs.set(name, (activeMs.get(name) ?? 0) + performance.now() - began);
    };
    for (const [name, tripper] of trippers) {
      sinks.set(name, new Float64Array(run.count));
      await attempt(name, () => tripper.run(run.warmup, null, 0, run.stallMs));
    }
    const names = [...trippers.keys()];
    for (let done = 0, round = 0; done < run.count; done += run.block, round++) {
      const size = Math.min(run.block, run.count - done);
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const tripper = trippers.get(name) as RoundTripper;
        await attempt(name, () => tripper.run(size, sinks.get(name) as Float64Array, done, run.stallMs));
      }
    }
    const outcomes: Record<string, RequestOutcome> = {};
    for (const name of names) {
      const error = errors.get(name);
      const active = activeMs.get(name) ?? 0;
      outcomes[name] =
        error === undefined
          ? { latenciesUs: sinks.get(name) as Float64Array, error: null, activeMs: active }
          : { latenciesUs: null, error, activeMs: active };
    }
    return outcomes;
  },

  close(): void {
    for (const tripper of trippers.values()) tripper.close();
    trippers = new Map();
  },
};

export type RequesterApi = typeof requesterApi;

serveCommands(requesterApi);
