// An in-process server with monitoring on a free port, and small helpers to query it.

import { connect } from '@nats-io/transport-node';
import type { ConnectionOptions, NatsConnection } from '@nats-io/transport-node';
import { mergeOptions } from '../../../src/config/index.js';
import type { OptionLayer } from '../../../src/config/index.js';
import { Server } from '../../../src/server.js';
import { Logger } from '../../../src/util/index.js';

export interface Monitored {
  readonly server: Server;
  /** A client of this server; stop() closes it first. */
  client(opts?: ConnectionOptions): Promise<NatsConnection>;
  /** Full URL of a monitoring path (query included). */
  url(path: string): string;
  /** GET, expect 200 and JSON, return the parsed body. */
  json<T = Record<string, unknown>>(path: string): Promise<T>;
  /** GET and return status, content type and text. */
  raw(path: string, init?: RequestInit): Promise<{ status: number; type: string; text: string }>;
  /** Polls `path` until `done` accepts the body (the server handles socket events asynchronously). */
  until<T = Record<string, unknown>>(path: string, done: (body: T) => boolean): Promise<T>;
  /** Closes the clients, then shuts the server down. */
  stop(): Promise<void>;
}

const POLL_LIMIT = 200;
const POLL_PAUSE_MS = 10;

export async function startMonitored(layer: OptionLayer = {}): Promise<Monitored> {
  const server = new Server(mergeOptions({ host: '127.0.0.1', port: -1, httpPort: -1, ...layer }), new Logger({}, { write() {} }));
  await server.start();
  const url = (path: string): string => `http://127.0.0.1:${server.httpPort}${path}`;
  const raw = async (path: string, init?: RequestInit) => {
    const res = await fetch(url(path), init);
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };
  const json = async <T>(path: string): Promise<T> => {
    const res = await raw(path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
    return JSON.parse(res.text) as T;
  };
  const until = async <T>(path: string, done: (body: T) => boolean): Promise<T> => {
    for (let i = 0; i < POLL_LIMIT; i++) {
      const body = await json<T>(path);
      if (done(body)) return body;
      await new Promise((resolve) => setTimeout(resolve, POLL_PAUSE_MS));
    }
    throw new Error(`GET ${path}: condition not reached`);
  };
  const clients: NatsConnection[] = [];
  const client = async (opts: ConnectionOptions = {}): Promise<NatsConnection> => {
    const nc = await connect({ servers: `127.0.0.1:${server.port}`, reconnect: false, ...opts });
    clients.push(nc);
    return nc;
  };
  const stop = async (): Promise<void> => {
    await Promise.all(clients.map((nc) => nc.close()));
    await server.shutdown();
  };
  return { server, client, url, json, raw, until, stop };
}

/** The system account's request subscriptions ($SYS.REQ.SERVER.PING, .PING.*, .<id>.*, $SYS.REQ.ACCOUNT.*.*, $SYS.REQ.USER.*.INFO). */
export const SYSTEM_REQUEST_SUBSCRIPTIONS = 5;
/** What every other account imports from the system account (its own CONNZ twice, its STATZ, $SYS.REQ.USER.INFO), one subscription each. */
export const SYSTEM_IMPORT_SUBSCRIPTIONS = 4;
/** The server's own subscriptions with only the global and system accounts. */
export const SERVER_SUBSCRIPTIONS = SYSTEM_REQUEST_SUBSCRIPTIONS + SYSTEM_IMPORT_SUBSCRIPTIONS;

export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
/** nats-server's uptime layout. */
export const UPTIME = /^(\d+y)?(\d+d)?(\d+h)?(\d+m)?\d+s$/;
