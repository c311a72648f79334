// Code inside the server as a connection: JetStream, the system account, MQTT sessions. It has no
// socket; its subscriptions take each message as a call (see MsgHandler) and it publishes into its
// account through the same router entry as a client's PUB, so permissions, queue groups, echo and
// no-responders treat it like anyone else.

import { PubFrame } from '../protocol/nats/index.js';
import { KEEP_BY_REFERENCE } from '../util/index.js';
import { Connection } from './connection.js';
import type { ConnectionKind } from './connection.js';
import { Subscription } from './subscription.js';
import type { MsgHandler } from './subscription.js';
import type { Account } from './account.js';
import type { Router } from './router.js';

const EMPTY = Buffer.alloc(0);

export class InternalClient extends Connection {
  private readonly router: Router;
  private readonly name: string;
  private nextSid = 1;
  /**
   * One frame per nesting level: a handler may publish while a publish of this same client is being
   * delivered (a reply from inside a delivery), and the outer delivery still reads its frame.
   */
  private readonly frames: OwnedFrame[] = [];
  private depth = 0;

  constructor(router: Router, cid: number, kind: ConnectionKind, account: Account, name: string) {
    super(cid, kind);
    this.router = router;
    this.name = name;
    this.headers = true;
    this.bindAccount(account, '', undefined);
  }

  label(): string {
    return `${this.name} - cid:${this.cid}`;
  }

  /** Subscribes `handler` to `subject` (a valid subject or wildcard; code, not a client, chose it). */
  subscribe(subject: string, queue: string | null, handler: MsgHandler): Subscription {
    const sub = new Subscription(this, subject, queue, String(this.nextSid++), handler);
    this.addSub(sub);
    return sub;
  }

  unsubscribe(sub: Subscription): void {
    this.removeSub(sub);
  }

  /**
   * Publishes into this client's account; returns how many subscriptions it reached. `hdr` is a whole
   * NATS header block or null. The bytes are borrowed for the call, except that a Buffer body of
   * KEEP_BY_REFERENCE bytes or more sent without headers may be queued by reference: hand over one that
   * does not change afterwards.
   */
  publish(subject: string, reply: string, hdr: Uint8Array | null, body: Uint8Array | null): number {
    return this.send(subject, '', reply, hdr, body, false);
  }

  /**
   * Answers a request on its reply subject, which the requester uses for this one answer (a
   * publish's ack, an API response): routed as publish() does, without the match cache's memory of
   * subjects seen before, which a hundred thousand one-off subjects a second would only churn.
   */
  answer(replySubject: string, hdr: Uint8Array | null, body: Uint8Array | null): number {
    return this.send(replySubject, '', '', hdr, body, true);
  }

  /**
   * A JetStream delivery: routed to the subscribers of `to` (a deliver subject, a pull request's reply)
   * and received as the stored message's own `subject`. The bytes follow publish()'s rule.
   */
  deliver(to: string, subject: string, reply: string, hdr: Uint8Array | null, body: Uint8Array | null): number {
    this.outMsgs++;
    return this.send(to, subject, reply, hdr, body, false);
  }

  /** The largest message a publish may carry (the server's max_payload). */
  get maxPayload(): number {
    return this.router.limits.maxPayload;
  }

  /** Whether anyone in this client's account subscribes to `subject`. */
  hasSubscribers(subject: string): boolean {
    const r = (this.account as Account).sublist.match(subject);
    return r.psubs.length > 0 || r.qsubs.length > 0;
  }

  private send(subject: string, deliverAs: string, reply: string, hdr: Uint8Array | null, body: Uint8Array | null, oneOff: boolean): number {
    if (this.closed) return 0;
    const f = (this.frames[this.depth] ??= new OwnedFrame());
    f.fill(subject, deliverAs, reply, hdr, body);
    this.inMsgs++;
    this.inBytes += f.end;
    this.depth++;
    try {
      return this.router.route(this, f, oneOff);
    } finally {
      this.depth--;
      f.release();
    }
  }

  /** Deliveries from code never wait: whoever publishes checks the receiver's pending bytes itself. */
  stallFor(): void {}

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    this.stop = new Date();
    this.removeAllSubs();
  }
}

/** A publish frame whose bytes live in buffers of its own, reused from one publish to the next. */
class OwnedFrame extends PubFrame {
  private replyOwn: Buffer = Buffer.allocUnsafe(64);
  private dataOwn: Buffer = EMPTY;
  /** The subject whose bytes subjectBytes holds. */
  private written = '';

  fill(subject: string, deliverAs: string, reply: string, hdr: Uint8Array | null, body: Uint8Array | null): void {
    this.subject = subject;
    this.deliverAs = deliverAs;
    const told = deliverAs === '' ? subject : deliverAs;
    if (told !== this.written) {
      if (told.length > this.subjectBytes.length) this.subjectBytes = Buffer.allocUnsafe(told.length);
      this.subjectLen = this.subjectBytes.write(told, 0, 'latin1');
      this.written = told;
    }
    this.reply = reply;
    if (reply.length > this.replyOwn.length) this.replyOwn = Buffer.allocUnsafe(reply.length);
    this.replyBytes = this.replyOwn;
    this.replyStart = 0;
    this.replyEnd = reply === '' ? 0 : this.replyOwn.write(reply, 0, 'latin1');
    const hdrLen = hdr === null ? 0 : hdr.length;
    const size = hdrLen + (body === null ? 0 : body.length);
    this.hdrLen = hdrLen;
    this.isHpub = hdrLen > 0;
    this.hdrText = '';
    this.sizeText = '';
    this.start = 0;
    this.end = size;
    // A body alone is the frame's data as it is: below KEEP_BY_REFERENCE a receiver copies it, and a
    // bigger Buffer is one the caller handed over. A bigger plain Uint8Array is copied below.
    if (hdrLen === 0 && (body === null || Buffer.isBuffer(body) || size < KEEP_BY_REFERENCE)) {
      this.data = body === null ? EMPTY : Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.length);
      return;
    }
    // Headers and body become one run: in the frame's own buffer when small, in a new one when it may be kept.
    if (size >= KEEP_BY_REFERENCE) this.data = Buffer.allocUnsafe(size);
    else {
      if (size > this.dataOwn.length) this.dataOwn = Buffer.allocUnsafe(Math.max(size, 256));
      this.data = this.dataOwn;
    }
    if (hdr !== null) this.data.set(hdr, 0);
    if (body !== null) this.data.set(body, hdrLen);
  }

  /** Drops the reference to the caller's body once the publish is over. */
  release(): void {
    this.data = EMPTY;
  }
}
