// The reply subject a JetStream consumer gives each delivery:
// `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>`. The server
// reads it back from acks; whoever reads a consumer (a stream sourcing another domain, the uplink)
// reads where each message stands from it. Read without splitting: one comes with every delivery.

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
  /** The message's time in the origin stream (ns since the epoch), as its digits. */
  timeText: string;
  /** The consumer's count of messages pending, as it sent it with this one. */
  pending: number;
}

const ACK_PREFIX = '$JS.ACK.';
/** Dots after `$JS.ACK.` in the nine-token form, and in the twelve-token form of newer servers. */
const DOTS_V1 = 6;
const DOTS_V2 = 9;
const dots = new Int32Array(DOTS_V2);
const reading: DeliveryReply = { consumer: '', delivered: 0, streamSeq: 0, consumerSeq: 0, timeText: '', pending: 0 };

/**
 * A delivery's reply subject read whole: the nine tokens above, or the twelve of newer servers
 * (`$JS.ACK.<domain>.<account hash>.<stream>...<pending>.<random>`); null for anything else. Read in
 * one pass without splitting (every sourced message has one), into an object reused by the next call.
 */
export function parseDeliveryReply(reply: string): DeliveryReply | null {
  if (!reply.startsWith(ACK_PREFIX)) return null;
  let n = 0;
  for (let i = ACK_PREFIX.length; i < reply.length; i++) {
    if (reply.charCodeAt(i) !== 0x2e) continue;
    if (n === DOTS_V2) return null;
    dots[n++] = i;
  }
  if (n !== DOTS_V1 && n !== DOTS_V2) return null;
  // The consumer's token starts after dots[k]; five numbers follow it, the last up to the end or the random token.
  const k = n === DOTS_V1 ? 0 : 2;
  const delivered = digits(reply, dots[k + 1] + 1, dots[k + 2]);
  const streamSeq = digits(reply, dots[k + 2] + 1, dots[k + 3]);
  const consumerSeq = digits(reply, dots[k + 3] + 1, dots[k + 4]);
  const pending = digits(reply, dots[k + 5] + 1, n === DOTS_V1 ? reply.length : dots[k + 6]);
  if (delivered <= 0 || streamSeq <= 0 || consumerSeq <= 0 || pending < 0 || digits(reply, dots[k + 4] + 1, dots[k + 5]) < 0) return null;
  reading.consumer = reply.slice(dots[k] + 1, dots[k + 1]);
  reading.delivered = delivered;
  reading.streamSeq = streamSeq;
  reading.consumerSeq = consumerSeq;
  reading.timeText = reply.slice(dots[k + 4] + 1, dots[k + 5]);
  reading.pending = pending;
  return reading;
}

/** The number written in s[from, to), or -1 when that is empty or not all digits (nanosecond times lose precision, and only their digits are checked). */
function digits(s: string, from: number, to: number): number {
  if (from >= to) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}
