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
