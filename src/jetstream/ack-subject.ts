// The reply subject a consumer gives each delivery, as acks bring it back:
// `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>`.
// Read without splitting: an ack arrives for every message a consumer delivers.

export interface AckSubject {
  consumer: string;
  /** The delivery count the message was sent with. */
  delivered: number;
  streamSeq: number;
  consumerSeq: number;
}

/** The ack subject's parts; null when it has fewer than nine tokens. */
export function parseAckSubject(subject: string): AckSubject | null {
  // Dots after `$JS.ACK.<stream>`: before the consumer, delivered, stream seq, consumer seq and time.
  const d2 = subject.indexOf('.', subject.indexOf('.', subject.indexOf('.') + 1) + 1);
  if (d2 < 0) return null;
  const d3 = subject.indexOf('.', d2 + 1);
  const d4 = d3 < 0 ? -1 : subject.indexOf('.', d3 + 1);
  const d5 = d4 < 0 ? -1 : subject.indexOf('.', d4 + 1);
  const d6 = d5 < 0 ? -1 : subject.indexOf('.', d5 + 1);
  const d7 = d6 < 0 ? -1 : subject.indexOf('.', d6 + 1);
  if (d7 < 0) return null;
  return {
    consumer: subject.slice(d2 + 1, d3),
    delivered: Number(subject.slice(d3 + 1, d4)),
    streamSeq: Number(subject.slice(d4 + 1, d5)),
    consumerSeq: Number(subject.slice(d5 + 1, d6)),
  };
}

/** What a reader of a push consumer learns from a delivery's reply subject. */
export interface DeliveryReply extends AckSubject {
  /** The message's time in the origin stream (ns since the epoch). */
  timeNs: bigint;
  /** The consumer's count of messages pending, as it sent it with this one. */
  pending: number;
}

const DIGITS = /^\d+$/;

/**
 * A delivery's reply subject read whole: the nine tokens above, or the twelve of newer servers
 * (`$JS.ACK.<domain>.<account hash>.<stream>...<pending>.<random>`). Null for anything else.
 */
export function parseDeliveryReply(reply: string): DeliveryReply | null {
  const t = reply.split('.');
  if (t[0] !== '$JS' || t[1] !== 'ACK') return null;
  const at = t.length === 9 ? 3 : t.length === 12 ? 5 : -1;
  if (at < 0) return null;
  for (let i = at + 1; i <= at + 5; i++) if (!DIGITS.test(t[i])) return null;
  const delivered = Number(t[at + 1]);
  const streamSeq = Number(t[at + 2]);
  const consumerSeq = Number(t[at + 3]);
  if (delivered === 0 || streamSeq === 0 || consumerSeq === 0) return null;
  return { consumer: t[at], delivered, streamSeq, consumerSeq, timeNs: BigInt(t[at + 4]), pending: Number(t[at + 5]) };
}
