import { hrtime } from 'node:process';
import { BenchError, StalledError } from './errors.js';
import { FrameBatch, benchPayload, pubFrame } from './nats-wire.js';
import { RawConnection } from './raw-connection.js';
import { serveCommands } from './worker-rpc.js';

/** A server to publish to, named by the caller. */
export interface PublishTarget {
  name: string;
  port: number;
}

export interface PublisherSetup {
  targets: PublishTarget[];
  subject: string;
  payloadSize: number;
}

export interface PublishRequest {
  target: string;
  count: number;
  /** Stop early (at a batch boundary) after this long, so a slow server cannot stretch the run. */
  maxMs: number;
  /** Give up when the server takes no data (or sends no PONG) for this long. */
  stallMs: number;
}

/** What one publish run sent, with hrtime stamps (ns). */
export interface PublishTiming {
  /** Messages actually published: `count`, or fewer when `maxMs` cut the run short. */
  published: number;
  /** Just before the first write. */
  startNs: bigint;
  /** After the last write was accepted by the socket. */
  writtenNs: bigint;
  /** When the PONG after the last PUB arrived: the server has processed every message. */
  flushedNs: bigint;
}

const WATCHDOG_MS = 200;

let connections = new Map<string, RawConnection>();
let batch: FrameBatch | null = null;

/** Writes the batch until `count` messages are out, then flushes; a watchdog ends a stalled server's turn. */
async function publishTo(connection: RawConnection, frames: FrameBatch, request: PublishRequest): Promise<PublishTiming> {
  const deadline = Date.now() + request.maxMs;
  let published = 0;
  let lastProgressMs = Date.now();
  const watchdog = setInterval(() => {
    if (Date.now() - lastProgressMs <= request.stallMs) return;
    connection.abort(new StalledError(`server took no data for ${request.stallMs} ms after ${published} messages`));
  }, WATCHDOG_MS);
  try {
    const startNs = hrtime.bigint();
    while (published < request.count && Date.now() < deadline) {
      const count = Math.min(request.count - published, frames.frameCount);
      published += count;
      await connection.write(frames.slice(count));
      lastProgressMs = Date.now();
    }
    const writtenNs = hrtime.bigint();
    await connection.flush();
    return { published, startNs, writtenNs, flushedNs: hrtime.bigint() };
  } finally {
    clearInterval(watchdog);
  }
}

const publisherApi = {
  async open(setup: PublisherSetup): Promise<void> {
    batch = new FrameBatch(pubFrame(setup.subject, benchPayload(setup.payloadSize)));
    const opened = await Promise.all(
      setup.targets.map((target) => RawConnection.open({ port: target.port, name: 'bench-pub', expectedMsg: null, subscribe: null })),
    );
    connections = new Map(setup.targets.map((target, i) => [target.name, opened[i] as RawConnection]));
  },

  publish(request: PublishRequest): Promise<PublishTiming> {
    const connection = connections.get(request.target);
    if (connection === undefined || batch === null) throw new BenchError('BENCH_NOT_OPEN', `publisher has no connection to ${request.target}`);
    return publishTo(connection, batch, request);
  },

  close(): void {
    for (const connection of connections.values()) connection.close();
    connections = new Map();
  },
};

export type PublisherApi = typeof publisherApi;

serveCommands(publisherApi);
