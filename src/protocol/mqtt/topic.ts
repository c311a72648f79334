// MQTT topic names and filters <-> NATS subjects, as nats-server (2.10 and later) converts them, so
// apps mixing MQTT and NATS see the same subjects on leafgate as there. Subjects here are in the
// server's internal encoding (UTF-8 bytes as a latin1 string); topics are the text the client sent.
//
//   a/b -> a.b    /a -> /.a    a/ -> a./    a//b -> a./.b    a.b -> a//b    + -> *    # -> >
//
// A level that is empty becomes the token `/`, and a `.` inside a level becomes `//`: both come back
// unchanged on the way out. nats-server 2.9.10 refused `.` instead; leafgate takes the later rule, so
// topics with dots that mosquitto accepts work here too.

/** Why a topic or filter has no subject form. */
export const TopicProblem = {
  /** A character NATS subjects cannot hold (space, tab, CR, LF, FF, NUL, DEL). */
  UnsupportedCharacter: 1,
  /** `+` or `#` in a topic name [MQTT-3.3.2-2]. */
  WildcardInTopic: 2,
  Empty: 3,
  /** `#` not last, or `+`/`#` sharing a level with other characters [MQTT-4.7.1-1, 4.7.1-2]. */
  BadWildcard: 4,
} as const;
export type TopicProblem = (typeof TopicProblem)[keyof typeof TopicProblem];

const SEP = 0x2f; // '/'
const DOT = 0x2e;
const PLUS = 0x2b;
const HASH = 0x23;

function unsupported(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x00 || c === 0x7f;
}

/** The subject an MQTT topic name publishes to, or why it has none. */
export function topicToSubject(topic: string): string | TopicProblem {
  return convert(topic, false);
}

/**
 * The subject an MQTT topic filter subscribes to, or why it has none. Wildcards must stand alone in
 * their level and `#` must be last, as MQTT requires (nats-server does not check this and would
 * subscribe to a literal `a*b`).
 */
export function filterToSubject(filter: string): string | TopicProblem {
  for (let i = 0; i < filter.length; i++) {
    const c = filter.charCodeAt(i);
    if (c !== PLUS && c !== HASH) continue;
    const alone = (i === 0 || filter.charCodeAt(i - 1) === SEP) && (i === filter.length - 1 || filter.charCodeAt(i + 1) === SEP);
    if (!alone || (c === HASH && i !== filter.length - 1)) return TopicProblem.BadWildcard;
  }
  return convert(filter, true);
}

function convert(text: string, wildcardsOk: boolean): string | TopicProblem {
  if (text.length === 0) return TopicProblem.Empty;
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  let plain = true;
  const end = bytes.length - 1;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === SEP) {
      plain = false;
      if (i === 0 || out.charCodeAt(out.length - 1) === DOT) out += '/.';
      else if (i === end || bytes[i + 1] === SEP) out += './';
      else out += '.';
    } else if (c === DOT) {
      plain = false;
      out += '//';
    } else if (c === PLUS || c === HASH) {
      if (!wildcardsOk) return TopicProblem.WildcardInTopic;
      plain = false;
      out += c === PLUS ? '*' : '>';
    } else if (unsupported(c)) {
      return TopicProblem.UnsupportedCharacter;
    } else out += String.fromCharCode(c);
  }
  if (plain) return out;
  if (out.charCodeAt(out.length - 1) === DOT) out += '/';
  return out;
}

/** The MQTT topic a message on `subject` is delivered with (the conversion above, reversed). */
export function subjectToTopic(subject: string): string {
  let plain = true;
  for (let i = 0; i < subject.length; i++) {
    const c = subject.charCodeAt(i);
    if (c === DOT || c === SEP || c > 0x7f) {
      plain = false;
      break;
    }
  }
  if (plain) return subject;
  const out = Buffer.allocUnsafe(subject.length);
  let j = 0;
  const end = subject.length - 1;
  for (let i = 0; i < subject.length; i++) {
    const c = subject.charCodeAt(i);
    if (c === SEP) {
      // `/.` is an empty level's `/` before a separator, `//` a dot; a lone `/` is dropped.
      if (i < end) {
        const next = subject.charCodeAt(i + 1);
        if (next === DOT || next === SEP) {
          out[j++] = next === DOT ? SEP : DOT;
          i++;
        }
      }
    } else if (c === DOT) out[j++] = SEP;
    else out[j++] = c;
  }
  return out.toString('utf8', 0, j);
}

/**
 * MQTT's `a/#` also matches `a` itself, which NATS's `a.>` does not: such a filter needs a second
 * subscription on the parent subject.
 */
export function parentOfFullWildcard(subject: string): string | null {
  if (subject.length < 3 || !subject.endsWith('.>')) return null;
  return subject.slice(0, -2);
}

/**
 * Whether a topic name matches a topic filter, by MQTT's rules: `+` is one level, `#` the rest
 * including the parent level, and a filter starting with a wildcard does not match a topic starting
 * with `$` [MQTT-4.7.2-1]. Used where no NATS subscription is involved (retained messages).
 */
export function topicMatchesFilter(topic: string, filter: string): boolean {
  if (topic.charCodeAt(0) === 0x24 && (filter.charCodeAt(0) === PLUS || filter.charCodeAt(0) === HASH)) return false;
  const t = topic.split('/');
  const f = filter.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return t.length === f.length;
}
