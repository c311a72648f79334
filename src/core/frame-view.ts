// A publish seen under another subject, reply or header: what an import delivers. It borrows the
// original frame's bytes (util borrowed-bytes) and owns only what it changes.

import { PubFrame } from '../protocol/nats/index.js';

const EMPTY = Buffer.alloc(0);

export class FrameView extends PubFrame {
  private replyOwn: Buffer = Buffer.allocUnsafe(64);

  /**
   * This view shows `f` (its reply, header and body) routed to `subject`, and received as that too,
   * unless `f` is a JetStream delivery: that keeps the stored message's subject, as in nats-server.
   */
  show(f: PubFrame, subject: string): this {
    if (f.deliverAs === '') {
      this.mapTo(subject);
      this.deliverAs = '';
    } else {
      this.mapTo(f.deliverAs);
      this.subject = subject;
      this.deliverAs = f.deliverAs;
    }
    this.reply = f.reply;
    this.replyBytes = f.replyBytes;
    this.replyStart = f.replyStart;
    this.replyEnd = f.replyEnd;
    this.hdrLen = f.hdrLen;
    this.isHpub = f.isHpub;
    this.data = f.data;
    this.start = f.start;
    this.end = f.end;
    this.sizeText = f.sizeText;
    this.hdrText = f.hdrText;
    return this;
  }

  setReply(reply: string): void {
    this.reply = reply;
    if (reply.length > this.replyOwn.length) this.replyOwn = Buffer.allocUnsafe(reply.length);
    this.replyBytes = this.replyOwn;
    this.replyStart = 0;
    this.replyEnd = reply === '' ? 0 : this.replyOwn.write(reply, 0, 'latin1');
  }

  /** Headers and body replaced by `data`, whose first `hdrLen` bytes are the header block. */
  setData(data: Buffer, hdrLen: number): void {
    this.data = data;
    this.start = 0;
    this.end = data.length;
    this.hdrLen = hdrLen;
    this.isHpub = hdrLen > 0;
    this.sizeText = '';
    this.hdrText = '';
  }

  /** Drops the borrowed bytes once the delivery is over. */
  release(): void {
    this.data = EMPTY;
    this.replyBytes = EMPTY;
  }
}
