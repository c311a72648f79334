import { randomBytes } from 'node:crypto';
import { ClientSocket } from './client-socket.js';
import { BenchError, ConnectionLostError } from './errors.js';
import { PONG } from './nats-wire.js';
import { ServerFrameParser } from './server-frames.js';

/** A reply to a request: header block (empty when none) and payload, copied out of the read buffer. */
export interface Reply {
  headers: string;
  payload: Buffer;
}

/** Receives the replies addressed to `<inbox>.<number>` (PubAcks of a windowed publisher). */
export interface NumberedReplyHandler {
  /** Views valid only during the call. */
  onReply(n: number, headers: Buffer, payload: Buffer): void;
  /**
   * A message a consumer delivered to the inbox: its subject is the stored message's, not the
   * inbox, so it is told apart by that. Views valid only during the call.
   */
  onDelivered?(reply: Buffer, headers: Buffer, payload: Buffer): void;
  /** Called once after each read that carried at least one numbered reply or delivered message. */
  onReadDone(): void;
}

interface PendingRequest {
  resolve(reply: Reply): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

const BYTE_0 = 0x30;
const BYTE_9 = 0x39;
const BYTE_R = 0x72;
const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * A raw NATS connection for JetStream load: headers on, one wildcard subscription on its own inbox.
 * Replies to `<inbox>.r<n>` settle `request()` calls; replies to `<inbox>.<digits>` (a windowed
 * publisher's PubAcks, a pull request's status) and messages a consumer delivers to the inbox go to
 * the numbered-reply handler, parsed without allocating.
 */
export class JsConnection extends ClientSocket {
  readonly inbox: string;
  private readonly inboxBytes: Buffer;
  private readonly name: string;
  private readonly parser: ServerFrameParser;
  private readonly pending: Map<number, PendingRequest>;
  private numbered: NumberedReplyHandler | null;
  private sawNumbered: boolean;
  private nextRequest: number;

  private constructor(port: number, name: string) {
    super('127.0.0.1', port);
    this.name = name;
    this.inbox = `_INBOX.${randomBytes(6).toString('hex')}`;
    this.inboxBytes = Buffer.from(`${this.inbox}.`, 'latin1');
    this.pending = new Map();
    this.numbered = null;
    this.sawNumbered = false;
    this.nextRequest = 1;
    this.parser = new ServerFrameParser({
      onMsg: (subject, reply, headers, payload) => this.onMsg(subject, reply, headers, payload),
      onPing: () => this.socket.write(PONG),
      onPong: () => this.pongArrived(),
      onInfo: () => this.infoArrived(),
      onServerError: (text) => this.fail(new ConnectionLostError(`${name}: server said ${text}`)),
    });
  }

  /** Connects, sends CONNECT + SUB <inbox>.* and resolves once the server has processed them. */
  static async open(port: number, name: string, handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS): Promise<JsConnection> {
    const connection = new JsConnection(port, name);
    const timer = setTimeout(() => connection.fail(new ConnectionLostError(`${name}: no handshake within ${handshakeTimeoutMs} ms`)), handshakeTimeoutMs);
    try {
      await connection.waitForInfo();
      const options = { verbose: false, pedantic: false, name, lang: 'leafgate-bench', version: '1', protocol: 1, echo: false, headers: true, no_responders: true };
      connection.socket.write(`CONNECT ${JSON.stringify(options)}\r\nSUB ${connection.inbox}.* 1\r\n`);
      await connection.flush();
      return connection;
    } catch (error) {
      connection.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  setNumberedHandler(handler: NumberedReplyHandler | null): void {
    this.numbered = handler;
  }

  /** Writes without waiting for the socket to drain: callers bound what they have in flight. */
  send(frames: Buffer | string): void {
    if (this.error === null) this.socket.write(frames);
  }

  /** Publishes `body` to `subject` and resolves with the reply; rejects on timeout or a lost connection. */
  request(subject: string, body: string | Buffer, timeoutMs = 5000): Promise<Reply> {
    if (this.error !== null) return Promise.reject(this.error);
    const id = this.nextRequest++;
    const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BenchError('BENCH_REQUEST_TIMEOUT', `no reply to ${subject} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.write(Buffer.concat([Buffer.from(`PUB ${subject} ${this.inbox}.r${id} ${payload.length}\r\n`, 'latin1'), payload, Buffer.from('\r\n')]));
    });
  }

  protected onData(chunk: Buffer): void {
    try {
      this.parser.push(chunk);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (this.sawNumbered) {
      this.sawNumbered = false;
      this.numbered?.onReadDone();
    }
  }

  private onMsg(subject: Buffer, reply: Buffer, headers: Buffer, payload: Buffer): void {
    const at = this.inboxBytes.length;
    if (subject.length <= at || this.inboxBytes.compare(subject, 0, at) !== 0) {
      if (this.numbered?.onDelivered === undefined) return;
      this.sawNumbered = true;
      this.numbered.onDelivered(reply, headers, payload);
      return;
    }
    if (subject[at] === BYTE_R) {
      const id = Number(subject.toString('latin1', at + 1));
      const request = this.pending.get(id);
      if (request === undefined) return;
      this.pending.delete(id);
      clearTimeout(request.timer);
      request.resolve({ headers: headers.toString('latin1'), payload: Buffer.from(payload) });
      return;
    }
    let n = 0;
    for (let i = at; i < subject.length; i++) {
      const digit = subject[i] as number;
      if (digit < BYTE_0 || digit > BYTE_9) return;
      n = n * 10 + digit - BYTE_0;
    }
    if (this.numbered === null) return;
    this.sawNumbered = true;
    this.numbered.onReply(n, headers, payload);
  }

  protected lostMessage(what: string): string {
    return `${this.name}: ${what}`;
  }

  /** Pending requests reject, and a windowed run or a pull ends with the error. */
  protected onFail(error: Error): void {
    for (const [id, request] of this.pending) {
      clearTimeout(request.timer);
      request.reject(error);
      this.pending.delete(id);
    }
    this.numbered?.onReadDone();
  }
}
