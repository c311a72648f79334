// The one internal form of a subject (and of every other wire token: queue names, sids, reply
// subjects) is the byte string: the wire bytes as a latin1 string, one char per byte. The parser makes
// it without decoding, matching works on bytes as nats-server's does, and nothing is lost. Text from
// elsewhere (config files, JSON bodies, SQLite text, URLs) is UTF-8 and enters through
// subjectFromText; whatever a human or a JSON reader sees leaves through subjectToText.

const REPLACEMENT_CHARACTER = '\uFFFD';

/** Text (config, JSON, URL) to the internal byte string: its UTF-8 bytes, one char each. */
export function subjectFromText(text: string): string {
  if (isAscii(text)) return text;
  return Buffer.from(text, 'utf8').toString('latin1');
}

/**
 * The internal byte string to text for logs and JSON. Bytes that are not valid UTF-8 become U+FFFD,
 * one per byte, as Go's JSON encoder shows them in nats-server's monitoring output.
 */
export function subjectToText(bytes: string): string {
  if (isAscii(bytes)) return bytes;
  const buf = Buffer.from(bytes, 'latin1');
  let text = '';
  let validFrom = 0;
  let i = 0;
  while (i < buf.length) {
    if (buf[i] < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(buf, i);
    if (length > 0) {
      i += length;
      continue;
    }
    text += buf.toString('utf8', validFrom, i) + REPLACEMENT_CHARACTER;
    i++;
    validFrom = i;
  }
  return text + buf.toString('utf8', validFrom, buf.length);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return false;
  }
  return true;
}

/**
 * Length of the well-formed UTF-8 sequence starting at `i` (a lead byte), or 0: overlong forms,
 * surrogates and code points past U+10FFFF are not well formed (Unicode table 3-7, Go's utf8 rules).
 */
function sequenceLength(buf: Buffer, i: number): number {
  const lead = buf[i];
  let continuations: number;
  let secondMin = 0x80;
  let secondMax = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    continuations = 1;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    continuations = 2;
    if (lead === 0xe0) secondMin = 0xa0;
    else if (lead === 0xed) secondMax = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    continuations = 3;
    if (lead === 0xf0) secondMin = 0x90;
    else if (lead === 0xf4) secondMax = 0x8f;
  } else {
    return 0;
  }
  if (i + continuations >= buf.length) return 0;
  const second = buf[i + 1];
  if (second < secondMin || second > secondMax) return 0;
  for (let k = 2; k <= continuations; k++) {
    const b = buf[i + k];
    if (b < 0x80 || b > 0xbf) return 0;
  }
  return continuations + 1;
}
