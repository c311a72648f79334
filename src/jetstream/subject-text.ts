// Subjects (and the names that become subject tokens) arrive in JSON bodies as UTF-8 text; inside leafgate
// they are byte strings (the wire bytes as latin1). These convert at the JSON boundary.
// subjectFromText / subjectToText are stand-ins until src/util has the shared pair; swap them then.

import { str } from './go-decode.js';
import type { JsonValue } from './json.js';

export function subjectFromText(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

export function subjectToText(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** A JSON string member holding a subject or name, as a byte string (undefined for null, as go-decode's str). */
export function subjectMember(v: JsonValue): string | undefined {
  const s = str(v);
  return s === undefined ? undefined : subjectFromText(s);
}
