// A router with connections over in-memory sockets: drive a client by feeding it protocol text, read
// what the server wrote to it. No ports, no timers beyond the server's own.

import { EventEmitter } from 'node:events';
import { setImmediate as turn } from 'node:timers/promises';

import { Router } from '../../../src/core/index.js';
import type { ClientConnection, CoreLog, RouterConfig, TransportSocket } from '../../../src/core/index.js';

export class MemorySocket extends EventEmitter implements TransportSocket {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort: number;
  readonly writableLength = 0;
  destroyed = false;
  private written = '';

  constructor(port: number) {
    super();
    this.remotePort = port;
  }

  write(data: Buffer): boolean {
    this.written += data.toString('latin1');
    return true;
  }

  cork(): void {}
  uncork(): void {}
  pause(): void {}
  resume(): void {}
  end(): void {
    this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }

  /** Everything written since the last call. */
  take(): string {
    const out = this.written;
    this.written = '';
    return out;
  }
}

export const QUIET_LOG: CoreLog = {
  debugEnabled: false,
  traceEnabled: false,
  info() {},
  warn() {},
  error() {},
  debug() {},
  trace() {},
};

export function routerConfig(log: CoreLog = QUIET_LOG): RouterConfig {
  return {
    limits: {
      maxControlLine: 4096,
      maxPayload: 1 << 20,
      maxPending: 64 << 20,
      maxConnections: 1000,
      maxSubscriptions: 0,
      maxSubTokens: 0,
      pingIntervalMs: 120_000,
      pingMax: 2,
      writeDeadlineMs: 10_000,
    },
    authenticator: { configured: false, advertiseRequired: false, noAuthLogin: null, refusedBeforeConnect: { ok: false }, timeoutMs: 2000, authenticate: () => Promise.resolve({ ok: false }) },
    log,
    info: { server_id: 'TEST', server_name: 'TEST', version: '2.9.10', proto: 1, go: 'node', host: '127.0.0.1', port: 4222, headers: true, max_payload: 1 << 20 },
    accountNames: [],
    systemAccount: '$SYS',
    noHeaderSupport: false,
    maxTracedMsgLen: 0,
    useSublistCache: true,
  };
}

export interface MemoryClient {
  readonly conn: ClientConnection;
  readonly socket: MemorySocket;
  /** Feeds protocol text as if it had arrived from the client. */
  send(text: string): void;
  /** What the server wrote to this client after the current turn's flush. */
  received(): Promise<string>;
}

let nextPort = 40000;

/** Accepts a client on `router` and sends its CONNECT; the INFO it was sent is dropped. */
export async function memoryClient(router: Router, connect = '{"verbose":false,"pedantic":false}'): Promise<MemoryClient> {
  const socket = new MemorySocket(nextPort++);
  const conn = router.accept({ socket, type: 'STANDARD' });
  socket.take();
  const client: MemoryClient = {
    conn,
    socket,
    send: (text) => socket.emit('data', Buffer.from(text, 'latin1')),
    received: async () => {
      await turn();
      return socket.take();
    },
  };
  client.send(`CONNECT ${connect}\r\n`);
  return client;
}
