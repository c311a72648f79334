// Small helpers around the official NATS client for integration tests: connect without reconnecting,
// gather a known number of messages, and wait for a status event.

import { connect } from '@nats-io/transport-node';
import type { ConnectionOptions, Msg, NatsConnection, Status, Subscription } from '@nats-io/transport-node';
import type { TestContext } from 'node:test';
import type { OptionLayer } from '../../src/config/index.js';
import { startInProcess } from './in-process.js';
import type { InProcessServer } from './in-process.js';

/** Connects to a loopback port; reconnecting is off so a closed connection stays closed. */
export function connectTo(port: number, opts: ConnectionOptions = {}): Promise<NatsConnection> {
  return connect({ servers: `127.0.0.1:${port}`, reconnect: false, ...opts });
}

/** Closes every connection that is still open (test cleanup). */
export async function closeAll(conns: readonly NatsConnection[]): Promise<void> {
  await Promise.all(conns.filter((nc) => !nc.isClosed()).map((nc) => nc.close().catch(() => undefined)));
}

/**
 * Everything the subscription has received so far, as strings; the array keeps filling in the background.
 * Round-trip the publisher and then the subscriber with flush() before reading it: the server writes a
 * message before the PONG that answers a later PING, so after both flushes every message has arrived.
 */
export function gather(sub: Subscription): string[] {
  const got: string[] = [];
  void (async () => {
    for await (const m of sub) got.push(m.string());
  })().catch(() => undefined);
  return got;
}

/** Resolves with the first `n` messages of the subscription, or rejects after timeoutMs. */
export async function take(sub: Subscription, n: number, timeoutMs = 5000): Promise<Msg[]> {
  const out: Msg[] = [];
  const timer = setTimeout(() => sub.unsubscribe(), timeoutMs);
  try {
    for await (const m of sub) {
      out.push(m);
      if (out.length === n) break;
    }
  } finally {
    clearTimeout(timer);
  }
  if (out.length < n) throw new Error(`got ${out.length} of ${n} messages on ${sub.getSubject()}`);
  return out;
}

/** Resolves with the first status event the predicate accepts, or rejects after timeoutMs. */
export function waitForStatus(nc: NatsConnection, accept: (s: Status) => boolean, timeoutMs = 5000): Promise<Status> {
  const iter = nc.status();
  return new Promise<Status>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching status event within ${timeoutMs}ms`)), timeoutMs);
    void (async () => {
      for await (const s of iter) {
        if (accept(s)) {
          clearTimeout(timer);
          resolve(s);
          return;
        }
      }
      clearTimeout(timer);
      reject(new Error('status iterator ended without a matching event'));
    })();
  });
}

/** Resolves once the connection is closed (by either side), with the error it closed with, if any. */
export async function closedWithin(nc: NatsConnection, timeoutMs = 5000): Promise<void | Error> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`connection still open after ${timeoutMs}ms`)), timeoutMs);
  });
  try {
    return await Promise.race([nc.closed(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ClientHarness {
  readonly srv: InProcessServer;
  /** A client of srv; closed when the test ends. */
  client(opts?: ConnectionOptions): Promise<NatsConnection>;
}

/** An in-process leafgate with the given options, plus a client factory; both are torn down after the test. */
export async function serverWithClients(t: TestContext, layer: OptionLayer = {}): Promise<ClientHarness> {
  const srv = await startInProcess(layer);
  const conns: NatsConnection[] = [];
  t.after(async () => {
    await closeAll(conns);
    await srv.stop();
  });
  return {
    srv,
    client: async (opts: ConnectionOptions = {}) => {
      const nc = await connectTo(srv.port, opts);
      conns.push(nc);
      return nc;
    },
  };
}
