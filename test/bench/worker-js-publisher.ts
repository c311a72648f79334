import { BenchError, StalledError } from './errors.js';
import { createStream, type StreamSetup } from './js-api.js';
import { JsConnection } from './js-connection.js';
import { WindowedPublisher, numberedPub } from './js-window.js';
import { benchPayload } from './nats-wire.js';
import { serveCommands } from './worker-rpc.js';

/** A server to publish to, named by the caller. */
export interface JsPublishTarget {
  name: string;
  port: number;
}

export interface JsPublisherSetup {
  targets: JsPublishTarget[];
  /** Created on every target before the first publish. */
  stream: StreamSetup;
  subject: string;
  payloadSize: number;
  /** Publishes in flight (sent, PubAck not yet received). */
  window: number;
}

export interface JsPublishRequest {
  target: string;
  count: number;
  /** Stop sending after this long (the window then drains), so a slow server cannot stretch the run. */
  maxMs: number;
}

/** One turn: PubAcks received, with hrtime stamps (ns) of the first write and the last PubAck. */
export interface JsPublishTiming {
  acked: number;
  startNs: bigint;
  endNs: bigint;
}

const STALL_MS = 10_000;
const WATCHDOG_MS = 200;

interface Target {
  connection: JsConnection;
  publisher: WindowedPublisher;
  /** The next publish number (reply inbox suffix). */
  next: number;
}

let targets = new Map<string, Target>();

const jsPublisherApi = {
  async open(setup: JsPublisherSetup): Promise<void> {
    const payload = benchPayload(setup.payloadSize);
    const opened = await Promise.all(
      setup.targets.map(async ({ name, port }) => {
        const connection = await JsConnection.open(port, 'bench-js-pub');
        await createStream(connection, setup.stream);
        const publisher = new WindowedPublisher(connection, numberedPub(setup.subject, connection.inbox, payload), setup.window);
        return [name, { connection, publisher, next: 0 }] as const;
      }),
    );
    targets = new Map(opened);
  },

  async publish(request: JsPublishRequest): Promise<JsPublishTiming> {
    const target = targets.get(request.target);
    if (target === undefined) throw new BenchError('BENCH_NOT_OPEN', `publisher has no connection to ${request.target}`);
    let seen = -1;
    let lastProgressMs = Date.now();
    const watchdog = setInterval(() => {
      const answered = target.publisher.answered;
      if (answered !== seen) {
        seen = answered;
        lastProgressMs = Date.now();
      } else if (Date.now() - lastProgressMs > STALL_MS) {
        target.connection.abort(new StalledError(`no PubAck for ${STALL_MS} ms`));
      }
    }, WATCHDOG_MS);
    const result = await target.publisher.publish(target.next, request.count, request.maxMs).finally(() => clearInterval(watchdog));
    target.next += result.sent;
    if (result.lostConnection !== null) throw new BenchError('BENCH_CONNECTION_LOST', `${result.lostConnection} after ${result.acked} PubAcks`);
    if (result.refused > 0) throw new BenchError('BENCH_PUBLISH_REFUSED', `${result.refused} publishes refused, the first with ${result.firstRefusal}`);
    return { acked: result.acked, startNs: result.startNs, endNs: result.endNs };
  },

  close(): void {
    for (const { connection } of targets.values()) connection.close();
    targets = new Map();
  },
};

export type JsPublisherApi = typeof jsPublisherApi;

serveCommands(jsPublisherApi);
