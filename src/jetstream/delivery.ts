// How a consumer's messages reach a deliver subject (push) or a pull request's reply subject: routed to
// whoever subscribes to that subject, but written with the message's original subject, as nats-server's
// JetStream deliveries are (the client reads `m.subject` as the stored subject). InternalClient.publish
// writes what it routes, so this frame keeps the two apart: the router matches `subject` and writes
// `subjectBytes`.

import { PubFrame } from '../protocol/nats/index.js';
import type { InternalClient, Router } from '../core/index.js';
import { KEEP_BY_REFERENCE } from '../util/index.js';

const EMPTY = Buffer.alloc(0);

class DeliveryFrame extends PubFrame {
  private own: Buffer = Buffer.allocUnsafe(1024);
  private replyOwn: Buffer = Buffer.allocUnsafe(128);

  fill(to: string, subject: string, reply: string, hdr: Buffer | null, body: Buffer): void {
    this.subject = to;
    if (subject.length > this.subjectBytes.length) this.subjectBytes = Buffer.allocUnsafe(subject.length);
    this.subjectLen = this.subjectBytes.write(subject, 0, 'latin1');
    this.reply = reply;
    if (reply.length > this.replyOwn.length) this.replyOwn = Buffer.allocUnsafe(reply.length * 2);
    this.replyBytes = this.replyOwn;
    this.replyStart = 0;
    this.replyEnd = reply === '' ? 0 : this.replyOwn.write(reply, 0, 'latin1');
    const hdrLen = hdr === null ? 0 : hdr.length;
    const size = hdrLen + body.length;
    this.hdrLen = hdrLen;
    this.isHpub = hdrLen > 0;
    this.start = 0;
    this.end = size;
    // A stored message's buffers belong to the consumer: without headers the body is the frame's data as is.
    if (hdrLen === 0) {
      this.data = body;
      return;
    }
    // Past KEEP_BY_REFERENCE the receiver may queue the bytes by reference: they need a buffer of their own.
    let data: Buffer;
    if (size >= KEEP_BY_REFERENCE) data = Buffer.allocUnsafe(size);
    else {
      if (size > this.own.length) this.own = Buffer.allocUnsafe(Math.max(size, this.own.length * 2));
      data = this.own;
    }
    (hdr as Buffer).copy(data, 0);
    body.copy(data, hdrLen);
    this.data = data;
  }

  clear(): void {
    this.data = EMPTY;
  }
}

export class Deliverer {
  private readonly router: Router;
  private readonly client: InternalClient;
  /** One frame per nesting level: a delivery may trigger another (an internal subscriber acking at once). */
  private readonly frames: DeliveryFrame[] = [];
  private depth = 0;

  constructor(router: Router, client: InternalClient) {
    this.router = router;
    this.client = client;
  }

  /** Delivers a stored message to `to` with its own subject; returns how many subscriptions took it. */
  deliver(to: string, subject: string, reply: string, hdr: Buffer | null, body: Buffer): number {
    const client = this.client;
    if (client.closed) return 0;
    const f = (this.frames[this.depth] ??= new DeliveryFrame());
    f.fill(to, subject, reply, hdr, body);
    client.outMsgs++;
    client.outBytes += f.end;
    this.depth++;
    try {
      return this.router.route(client, f);
    } finally {
      this.depth--;
      f.clear();
    }
  }

  /** Whether anyone subscribes to `subject` in the account (a push consumer's deliver subject, a pull request's reply). */
  hasInterest(subject: string): boolean {
    const r = (this.client.account as NonNullable<InternalClient['account']>).sublist.match(subject);
    return r.psubs.length > 0 || r.qsubs.length > 0;
  }
}
