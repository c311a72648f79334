import { hrtime } from 'node:process';
import { BenchError } from './errors.js';
import { nextSubject } from './js-api.js';
import type { JsConnection, NumberedReplyHandler } from './js-connection.js';

/** What one pull run did. */
export interface PullResult {
  received: number;
  /** hrtime (ns) of the first pull request and of the read that brought the last message. */
  startNs: bigint;
  endNs: bigint;
}

const ACK_TAIL = Buffer.from(' 4\r\n+ACK\r\n', 'latin1');
const PUB = Buffer.from('PUB ', 'latin1');
/** Room for the acks of one read; grows when a read brings more. */
const INITIAL_ACK_BYTES = 64 * 1024;
const EXPIRES_NS = 10_000_000_000;

/**
 * Reads a durable pull consumer as a fetching client does: one CONSUMER.MSG.NEXT request of
 * `batch` messages at a time (`{"batch":…,"expires":…}`), the next one sent once the last message
 * of the current batch has arrived; each message is acked with `+ACK` to its reply subject (no
 * ack reply asked for). The acks of one read go out in one write, with the next request if any.
 */
export class PullReader implements NumberedReplyHandler {
  private readonly connection: JsConnection;
  private readonly subject: string;
  private readonly batch: number;
  private acks: Buffer;
  private ackBytes: number;
  private wanted: number;
  private received: number;
  private requested: number;
  private pulls: number;
  private startNs: bigint;
  private finish: ((result: PullResult) => void) | null;
  private fault: ((error: Error) => void) | null;

  constructor(connection: JsConnection, stream: string, consumer: string, batch: number) {
    this.connection = connection;
    this.subject = nextSubject(stream, consumer);
    this.batch = batch;
    this.acks = Buffer.allocUnsafe(INITIAL_ACK_BYTES);
    this.ackBytes = 0;
    this.wanted = 0;
    this.received = 0;
    this.requested = 0;
    this.pulls = 0;
    this.startNs = 0n;
    this.finish = null;
    this.fault = null;
  }

  /**
   * Reads and acks `count` messages; rejects on a status reply (no messages, expired), a lost
   * connection, or (when given) no end within `timeoutMs`, as when the consumer is not there.
   */
  read(count: number, timeoutMs?: number): Promise<PullResult> {
    this.wanted = count;
    this.received = 0;
    this.requested = 0;
    let timer: NodeJS.Timeout | undefined;
    return new Promise<PullResult>((resolve, reject) => {
      this.finish = resolve;
      this.fault = reject;
      this.connection.setNumberedHandler(this);
      if (timeoutMs !== undefined) timer = setTimeout(() => this.fail(new BenchError('BENCH_PULL', `${this.received} of ${count} messages within ${timeoutMs} ms`)), timeoutMs);
      this.startNs = hrtime.bigint();
      this.connection.send(this.nextRequest());
    }).finally(() => {
      clearTimeout(timer);
      this.connection.setNumberedHandler(null);
    });
  }

  /** A reply to a pull request itself is a status: no messages, expired, or an error. */
  onReply(_n: number, headers: Buffer): void {
    this.fail(new BenchError('BENCH_PULL', `status instead of a message after ${this.received}: ${headers.toString('latin1').trim()}`));
  }

  onDelivered(reply: Buffer): void {
    if (this.fault === null) return;
    this.appendAck(reply);
    this.received++;
  }

  onReadDone(): void {
    if (this.fault === null) return;
    const error = this.connection.error;
    if (error !== null) {
      this.fail(error);
      return;
    }
    if (this.ackBytes > 0) {
      this.connection.send(Buffer.from(this.acks.subarray(0, this.ackBytes)));
      this.ackBytes = 0;
    }
    if (this.received > this.wanted) {
      this.fail(new BenchError('BENCH_PULL', `received ${this.received} messages, ${this.wanted} asked for`));
    } else if (this.received === this.wanted) {
      const finish = this.finish;
      this.finish = null;
      this.fault = null;
      finish?.({ received: this.received, startNs: this.startNs, endNs: hrtime.bigint() });
    } else if (this.received === this.requested) {
      this.connection.send(this.nextRequest());
    }
  }

  private nextRequest(): string {
    const size = Math.min(this.batch, this.wanted - this.requested);
    this.requested += size;
    const body = JSON.stringify({ batch: size, expires: EXPIRES_NS });
    return `PUB ${this.subject} ${this.connection.inbox}.${this.pulls++} ${body.length}\r\n${body}\r\n`;
  }

  private appendAck(reply: Buffer): void {
    const need = this.ackBytes + PUB.length + reply.length + ACK_TAIL.length;
    if (need > this.acks.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.acks.length * 2));
      this.acks.copy(grown, 0, 0, this.ackBytes);
      this.acks = grown;
    }
    this.ackBytes += PUB.copy(this.acks, this.ackBytes);
    this.ackBytes += reply.copy(this.acks, this.ackBytes);
    this.ackBytes += ACK_TAIL.copy(this.acks, this.ackBytes);
  }

  private fail(error: Error): void {
    const fault = this.fault;
    this.finish = null;
    this.fault = null;
    fault?.(error);
  }
}
