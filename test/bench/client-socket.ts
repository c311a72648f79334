import { connect, type Socket } from 'node:net';
import { ConnectionLostError } from './errors.js';
import { PING } from './nats-wire.js';

/** Someone waiting on the connection: a flush, the INFO, a socket drain. */
export interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * What the load generator's connections share: the socket, the wait for INFO, PING/PONG flushes,
 * and ending with the first error, which every waiter then rejects with.
 */
export abstract class ClientSocket {
  readonly socket: Socket;
  private failure: Error | null;
  private closing: boolean;
  private infoWaiter: Waiter | null;
  private readonly pongWaiters: Waiter[];

  protected constructor(host: string, port: number) {
    this.failure = null;
    this.closing = false;
    this.infoWaiter = null;
    this.pongWaiters = [];
    this.socket = connect({ host, port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (error) => this.fail(new ConnectionLostError(this.lostMessage(error.message))));
    this.socket.on('close', () => {
      if (!this.closing) this.fail(new ConnectionLostError(this.lostMessage('server closed the connection')));
    });
  }

  /** The error that ended this connection, if any. */
  get error(): Error | null {
    return this.failure;
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

  /** Ends the connection with `error`: everything waiting on it rejects with it. */
  abort(error: Error): void {
    this.fail(error);
  }

  protected abstract onData(chunk: Buffer): void;

  /** The text of the error for a lost connection, from what the socket said. */
  protected abstract lostMessage(what: string): string;

  /** What else must end with the connection, before its socket is destroyed. */
  protected abstract onFail(error: Error): void;

  /** Resolves on the server's INFO; rejects if the connection fails first. */
  protected waitForInfo(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.infoWaiter = { resolve, reject };
    });
  }

  protected infoArrived(): void {
    const waiter = this.infoWaiter;
    this.infoWaiter = null;
    waiter?.resolve();
  }

  protected pongArrived(): void {
    this.pongWaiters.shift()?.resolve();
  }

  protected fail(error: Error): void {
    if (this.failure !== null) return;
    this.failure = error;
    const info = this.infoWaiter;
    this.infoWaiter = null;
    info?.reject(error);
    for (const waiter of this.pongWaiters.splice(0)) waiter.reject(error);
    this.onFail(error);
    this.closing = true;
    this.socket.destroy();
  }
}
