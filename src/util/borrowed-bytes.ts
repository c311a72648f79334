// Borrowed bytes: the one rule for message bytes passed from whoever produced them to whoever reads them.
//
// A view handed to a callback (a parsed frame's subject, reply, header or payload, a delivery to an
// internal subscriber) is borrowed: it is valid only until the callback returns, because it points
// into a read buffer or a scratch buffer that is reused for the next message. Code that keeps message
// bytes beyond the callback (a store, a retained message, an outbox) keeps `keepBytes(view)`.
//
// The other direction: a payload at least KEEP_BY_REFERENCE long is queued for writing by reference
// instead of copied (copying a big payload into every receiver's buffer costs more than the write).
// So the producer of such a payload must never reuse or change its buffer afterwards: socket reads
// are fresh buffers, the parser's reused scratch buffer only ever holds smaller payloads, and an
// internal publisher copies smaller payloads and hands over bigger ones it owns.

/** Payloads from this size on are queued by reference; smaller ones are copied and may live in reused buffers. */
export const KEEP_BY_REFERENCE = 16 * 1024;

/** A copy of borrowed bytes that stays valid after the callback returns. */
export function keepBytes(view: Uint8Array): Buffer {
  const copy = Buffer.allocUnsafeSlow(view.length);
  copy.set(view);
  return copy;
}
