import { connect, type Socket } from 'node:net';
import { hrtime } from 'node:process';
import { ConnectionLostError } from './errors.js';
import { FrameReader } from './frame-reader.js';
import { PING, PONG, connectFrame } from './nats-wire.js';

export interface RawConnectionOptions {
  port: number;
  host?: string;
  /** Connection name shown by the server (monitoring, logs). */
  name: string;
  /** The MSG frame of this connection's single subscription; null on a connection that only publishes. */
  expectedMsg: Buffer | null;
  /** SUB frame sent together with CONNECT, so the subscription is in place once the handshake PONG arrives. */
  subscribe: Buffer | null;
  /** Called once per read that delivered messages, with how many it delivered. */
  onMessages?: (delivered: number) => void;
  /** MSG frames compared in full before only their shape is checked (0 when frames differ in content). */
  verifiedFrames?: number;
  /** Give up when INFO or the handshake PONG has not arrived within this long (default 10 s). */
  handshakeTimeoutMs?: number;
}

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * One NATS client connection over a plain TCP socket, speaking only what the load generator needs:
 * CONNECT, one SUB, writes of pre-encoded frames with backpressure, and PING/PONG flushes.
 */
export class RawConnection {
  readonly socket: Socket;
  readonly reader: FrameReader;
  /** hrtime (ns) of the last read that delivered at least one message; 0n before any. */
  lastMessageNs: bigint;
  /** Server keep-alive PINGs seen (and answered) so far. */
  pingsAnswered: number;
  private readonly name: string;
  private readonly onMessages: ((delivered: number) => void) | null;
  private failure: Error | null;
  private serverError: string | null;
  private closing: boolean;
  private infoWaiter: Waiter | null;
  private readonly pongWaiters: Waiter[];
  private readonly drainWaiters: Waiter[];

  private constructor(options: RawConnectionOptions) {
    this.name = options.name;
    this.onMessages = options.onMessages ?? null;
    this.lastMessageNs = 0n;
    this.pingsAnswered = 0;
    this.failure = null;
    this.serverError = null;
    this.closing = false;
    this.infoWaiter = null;
    this.pongWaiters = [];
    this.drainWaiters = [];
    this.reader = new FrameReader(options.expectedMsg, {
      onPing: () => {
        this.pingsAnswered++;
        this.socket.write(PONG);
      },
      onPong: () => this.pongWaiters.shift()?.resolve(),
      onInfo: () => {
        const waiter = this.infoWaiter;
        this.infoWaiter = null;
        waiter?.resolve();
      },
      onServerError: (text) => {
        this.serverError = text;
      },
    }, options.verifiedFrames);
    this.socket = connect({ host: options.host ?? '127.0.0.1', port: options.port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('drain', () => this.settleAll(this.drainWaiters, null));
    this.socket.on('error', (error) => this.fail(new ConnectionLostError(`${this.name}: ${error.message} ${this.progress()}`)));
    this.socket.on('close', () => {
      if (!this.closing) this.fail(new ConnectionLostError(`${this.name}: server closed the connection ${this.progress()}`));
    });
  }

  /** Connects, waits for INFO, sends CONNECT (+ SUB) + PING and resolves on the PONG. */
  static async open(options: RawConnectionOptions): Promise<RawConnection> {
    const connection = new RawConnection(options);
    const timeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    const timer = setTimeout(() => {
      connection.fail(new ConnectionLostError(`${options.name}: no handshake from the server within ${timeoutMs} ms`));
    }, timeoutMs);
    try {
      await new Promise<void>((resolve, reject) => {
        connection.infoWaiter = { resolve, reject };
      });
      const parts = [connectFrame(options.name)];
      if (options.subscribe !== null) parts.push(options.subscribe);
      connection.socket.write(Buffer.concat(parts));
      await connection.flush();
      return connection;
    } finally {
      clearTimeout(timer);
    }
  }

  get messages(): number {
    return this.reader.messages;
  }

  /** The error that ended this connection, if any. */
  get error(): Error | null {
    return this.failure;
  }

  /** Writes and, when the socket's buffer is full, waits for it to drain. */
  async write(frames: Buffer): Promise<void> {
    if (this.failure !== null) throw this.failure;
    if (this.socket.write(frames)) return;
    await new Promise<void>((resolve, reject) => this.drainWaiters.push({ resolve, reject }));
  }

  /** Writes without waiting: for small frames on a latency path. */
  send(frames: Buffer): void {
    this.socket.write(frames);
  }

  /** Resolves once the server has processed everything sent before it (its PONG follows our PING). */
  flush(): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.pongWaiters.push({ resolve, reject });
      this.socket.write(PING);
    });
  }

  close(): void {
    this.closing = true;
    this.socket.destroy();
  }

  /** Ends the connection with `error`: pending writes and flushes reject with it. */
  abort(error: Error): void {
    this.fail(error);
  }

  private onData(chunk: Buffer): void {
    const before = this.reader.messages;
    try {
      this.reader.push(chunk);
      const delivered = this.reader.messages - before;
      if (delivered > 0) {
        this.lastMessageNs = hrtime.bigint();
        if (this.onMessages !== null) this.onMessages(delivered);
      }
    } catch (error) {
      this.fail(error as Error);
    }
  }

  private progress(): string {
    return `after ${this.reader.messages} messages${this.serverError === null ? '' : ` and ${this.serverError}`}`;
  }

  private fail(error: Error): void {
    if (this.failure !== null) return;
    this.failure = error;
    const waiter = this.infoWaiter;
    this.infoWaiter = null;
    waiter?.reject(error);
    this.settleAll(this.pongWaiters, error);
    this.settleAll(this.drainWaiters, error);
    this.closing = true;
    this.socket.destroy();
  }

  private settleAll(waiters: Waiter[], error: Error | null): void {
    const pending = waiters.splice(0, waiters.length);
    for (const waiter of pending) {
      if (error === null) waiter.resolve();
      else waiter.reject(error);
    }
  }
}
