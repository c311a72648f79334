// What a message on a consumer's ack subject says: its body's verb (`+ACK`, `-NAK`, `+WPI`, `+NXT`,
// `+TERM`; an empty body acks too) and, for a NAK, the delay before the message is sent again.

import { NS_PER_MS } from './time.js';

const NAK = '-NAK';
const NXT = '+NXT';

export const AckKind = { Ignored: 0, Ack: 1, Nak: 2, Progress: 3, Next: 4, Term: 5 } as const;
export type AckKind = (typeof AckKind)[keyof typeof AckKind];

export function ackKind(body: Buffer): AckKind {
  if (body.length === 0) return AckKind.Ack;
  const text = body.length > 16 ? body.toString('latin1', 0, 16) : body.toString('latin1');
  if (text === '+ACK' || text === '+OK') return AckKind.Ack;
  if (text.startsWith(NAK)) return AckKind.Nak;
  if (text === '+WPI') return AckKind.Progress;
  if (text.startsWith(NXT)) return AckKind.Next;
  if (text === '+TERM') return AckKind.Term;
  return AckKind.Ignored;
}

/** What follows `+NXT`: a pull request's body. */
export function nextRequestBody(body: Buffer): Buffer {
  return body.subarray(NXT.length);
}

/** The delay of `-NAK {"delay": ns}` or `-NAK <Go duration>` in ms; 0 = redeliver now. */
export function nakDelayMs(body: Buffer): number {
  const rest = body.toString('latin1', NAK.length).trim();
  if (rest === '') return 0;
  if (rest.startsWith('{')) {
    const m = /"delay"\s*:\s*(\d+)/.exec(rest);
    return m === null ? 0 : Number(BigInt(m[1]) / NS_PER_MS);
  }
  const d = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/.exec(rest);
  if (d === null) return 0;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Number(d[1]) * unit[d[2]];
}
