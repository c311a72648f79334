// Subjects (and the names that become subject tokens) arrive in JSON bodies as UTF-8 text; inside leafgate
// they are byte strings (util subject-text). A JSON member holding one is converted as it is read.

import { subjectFromText } from '../util/index.js';
import { str } from './go-decode.js';
import type { JsonValue } from './json.js';

/** A JSON string member holding a subject or name, as a byte string (undefined for null, as go-decode's str). */
export function subjectMember(v: JsonValue): string | undefined {
  const s = str(v);
  return s === undefined ? undefined : subjectFromText(s);
}
