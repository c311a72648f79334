// A router with connections over in-memory sockets: drive a client by feeding it protocol text, read
// what the server wrote to it. No ports, no timers beyond the server's own.

import { EventEmitter } from 'node:events';
import { setImmediate as turn } from 'node:timers/promises';

import { Router } from '../../../src/core/index.js';
import type { ClientAuthenticator, ClientConnection, CoreLog, PermissionRules, RouterConfig, TransportSocket } from '../../../src/core/index.js';

export class MemorySocket extends EventEmitter implements TransportSocket {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort: number;
  /** What the server sees as queued in the kernel; a test raises it to play a peer that stopped reading. */
  writableLength = 0;
  destroyed = false;
  /** Kept by reference, as a real socket keeps what it was given until written: later reuse would show. */
  private written: Buffer[] = [];

  constructor(port: number) {
    super();
    this.remotePort = port;
  }

  write(data: Buffer): boolean {
    this.written.push(data);
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
    const out = Buffer.concat(this.written).toString('latin1');
    this.written = [];
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

/** A log that keeps its warnings and errors, for tests that expect one. */
export class RecordingLog implements CoreLog {
  readonly debugEnabled = false;
  readonly traceEnabled = false;
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  info(): void {}
  debug(): void {}
  trace(): void {}
  warn(msg: string): void {
    this.warnings.push(msg);
  }
  error(msg: string): void {
    this.errors.push(msg);
  }
}

/**
 * Logs in the users named here (CONNECT's `user`, no password) with their permissions, into the
 * global account or the one `accountOf` names; anyone else is refused.
 */
export function usersAuthenticator(users: Record<string, PermissionRules | undefined>, accountOf: (user: string) => string = () => '$G'): ClientAuthenticator {
  return {
    configured: true,
    advertiseRequired: true,
    newNonce: () => '',
    noAuthLogin: null,
    refusedBeforeConnect: { ok: false },
    timeoutMs: 2000,
    authenticate: (connect) => {
      const user = connect.user;
      if (user === undefined || !Object.hasOwn(users, user)) return Promise.resolve({ ok: false, user });
      return Promise.resolve({ ok: true, user, account: accountOf(user), permissions: users[user] });
    },
  };
}

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
    authenticator: { configured: false, advertiseRequired: false, noAuthLogin: null, refusedBeforeConnect: { ok: false }, timeoutMs: 2000, newNonce: () => '', authenticate: () => Promise.resolve({ ok: false }) },
    log,
    info: { server_id: 'TEST', server_name: 'TEST', version: '2.9.10', proto: 1, go: 'node', host: '127.0.0.1', port: 4222, headers: true, max_payload: 1 << 20 },
    accountNames: [],
    mappings: new Map(),
    links: new Map(),
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

/** A router whose clients are all closed when the test ends (their keepalive timers would hold the process). */
export function testRouter(t: { after(fn: () => void): void }, cfg: RouterConfig = routerConfig()): Router {
  const router = new Router(cfg);
  t.after(() => router.closeAll('test over'));
  return router;
}

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

/** One MSG or HMSG a client received, split into its parts (header and body as latin1 text). */
export interface ReceivedMsg {
  readonly subject: string;
  readonly sid: string;
  readonly reply: string;
  readonly hdr: string;
  readonly body: string;
}

/** Splits server output into its messages; anything else in it (PONG, -ERR) fails the test's parse. */
export function messagesIn(text: string): ReceivedMsg[] {
  const out: ReceivedMsg[] = [];
  let pos = 0;
  while (pos < text.length) {
    const eol = text.indexOf('\r\n', pos);
    if (eol < 0) throw new Error(`unterminated line in ${JSON.stringify(text.slice(pos, pos + 80))}`);
    const args = text.slice(pos, eol).split(' ');
    const op = args.shift();
    if (op !== 'MSG' && op !== 'HMSG') throw new Error(`not a message: ${JSON.stringify(text.slice(pos, eol))}`);
    const total = Number(args.pop());
    const hdrLen = op === 'HMSG' ? Number(args.pop()) : 0;
    const [subject, sid, reply = ''] = args;
    const start = eol + 2;
    if (text.slice(start + total, start + total + 2) !== '\r\n') throw new Error(`payload of ${total} bytes not followed by CRLF`);
    out.push({ subject, sid, reply, hdr: text.slice(start, start + hdrLen), body: text.slice(start + hdrLen, start + total) });
    pos = start + total + 2;
  }
  return out;
}
