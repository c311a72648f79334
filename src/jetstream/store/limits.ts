// Limit rules both stores share, as nats-server 2.9's stores apply them on each append.

import { AppendRefusal } from './types.js';
import type { StoreLimits } from './types.js';

export const NO_LIMITS: StoreLimits = Object.freeze({ maxMsgs: -1, maxBytes: -1, maxAgeMs: 0, maxMsgsPerSubject: -1, discard: 'old', discardNewPerSubject: false });

/**
 * With discard 'new', why this append must be refused (0: it may go in). A subject at its own limit
 * evicts its oldest message instead of adding one, so max_msgs does not refuse it, nor max_bytes when
 * the evicted message is at least as large. max_bytes compares the header and payload lengths alone
 * with `>=`, as nats-server does.
 */
export function discardNewRefusal(
  limits: StoreLimits,
  msgs: number,
  bytes: number,
  subjectMsgs: number,
  rawLen: number,
  oldestOfSubjectSize: () => number,
): AppendRefusal | 0 {
  if (limits.discard !== 'new') return 0;
  let replacesOwn = false;
  if (limits.maxMsgsPerSubject > 0 && subjectMsgs >= limits.maxMsgsPerSubject) {
    if (limits.discardNewPerSubject) return AppendRefusal.MaxMsgsPerSubject;
    replacesOwn = true;
  }
  if (limits.maxMsgs > 0 && msgs >= limits.maxMsgs && !replacesOwn) return AppendRefusal.MaxMsgs;
  if (limits.maxBytes > 0 && bytes + rawLen >= limits.maxBytes && (!replacesOwn || oldestOfSubjectSize() <= rawLen)) return AppendRefusal.MaxBytes;
  return 0;
}
