import { hrtime } from 'node:process';
import { ClientSocket, type Waiter } from './client-socket.js';
import { ConnectionLostError } from './errors.js';
import { FrameReader } from './frame-reader.js';
import { PONG, connectFrame } from './nats-wire.js';

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

/**
 * One NATS client connection over a plain TCP socket, speaking only what the load generator needs:
 * CONNECT, one SUB, writes of pre-encoded frames with backpressure, and PING/PONG flushes.
 */
export class RawConnection extends ClientSocket {
  readonly reader: FrameReader;
  /** hrtime (ns) of the last read that delivered at least one message; 0n before any. */
  lastMessageNs: bigint;
  /** Server keep-alive PINGs seen (and answered) so far. */
  pingsAnswered: number;
  private readonly name: string;
  private readonly onMessages: ((delivered: number) => void) | null;
  private serverError: string | null;
  private readonly drainWaiters: Waiter[];

  private constructor(options: RawConnectionOptions) {
    super(options.host ?? '127.0.0.1', options.port);
    this.name = options.name;
    this.onMessages = options.onMessages ?? null;
    this.lastMessageNs = 0n;
    this.pingsAnswered = 0;
    this.serverError = null;
    this.drainWaiters = [];
    this.reader = new FrameReader(options.expectedMsg, {
      onPing: () => {
        this.pingsAnswered++;
        this.socket.write(PONG);
      },
      onPong: () => this.pongArrived(),
      onInfo: () => this.infoArrived(),
      onServerError: (text) => {
        this.serverError = text;
      },
    }, options.verifiedFrames);
    this.socket.on('drain', () => this.settleAll(this.drainWaiters, null));
  }

  /** Connects, waits for INFO, sends CONNECT (+ SUB) + PING and resolves on the PONG. */
  static async open(options: RawConnectionOptions): Promise<RawConnection> {
    const connection = new RawConnection(options);
    const timeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    const timer = setTimeout(() => {
      connection.fail(new ConnectionLostError(`${options.name}: no handshake from the server within ${timeoutMs} ms`));
    }, timeoutMs);
    try {
      await connection.waitForInfo();
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

  /** Writes and, when the socket's buffer is full, waits for it to drain. */
  async write(frames: Buffer): Promise<void> {
    if (this.error !== null) throw this.error;
    if (this.socket.write(frames)) return;
    await new Promise<void>((resolve, reject) => this.drainWaiters.push({ resolve, reject }));
  }

  /** Writes without waiting: for small frames on a latency path. */
  send(frames: Buffer): void {
    this.socket.write(frames);
  }

  protected onData(chunk: Buffer): void {
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

  protected lostMessage(what: string): string {
    return `${this.name}: ${what} after ${this.reader.messages} messages${this.serverError === null ? '' : ` and ${this.serverError}`}`;
  }

  /** Pending writes reject too. */
  protected onFail(error: Error): void {
    this.settleAll(this.drainWaiters, error);
  }

  private settleAll(waiters: Waiter[], error: Error | null): void {
    const pending = waiters.splice(0, waiters.length);
    for (const waiter of pending) {
      if (error === null) waiter.resolve();
      else waiter.reject(error);
    }
  }
}
