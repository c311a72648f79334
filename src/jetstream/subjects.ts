// Subject comparisons JetStream's config checks need beyond core's: whether two patterns can both match
// one subject (stream overlap, 10065) and whether one pattern covers another (filters, the API space).
// Same rules as nats-server's sublist.go; subjects are byte strings.

import { isValidSubscribeSubject } from '../core/index.js';

const WHITESPACE = /[ \t\n\r\f]/;

/** A stream or filter subject: wildcards allowed, `>` last, no empty token, no whitespace. */
export function isValidSubject(subject: string): boolean {
  return isValidSubscribeSubject(subject) && !WHITESPACE.test(subject);
}

/** No `*` or `>` token. */
export function isLiteralSubject(subject: string): boolean {
  return !subject.split('.').some((t) => t === '*' || t === '>');
}

// nats-server decides a token is a wildcard (or may match anything) by its first byte when comparing patterns.
function isWildcardish(token: string): boolean {
  return token[0] === '*' || token[0] === '>';
}

/** Whether some literal subject matches both patterns (nats-server SubjectsCollide). */
export function subjectsCollide(a: string, b: string): boolean {
  if (a === b) return true;
  const ta = a.split('.');
  const tb = b.split('.');
  const fwcA = ta.includes('>');
  const fwcB = tb.includes('>');
  const litA = !fwcA && !ta.includes('*');
  const litB = !fwcB && !tb.includes('*');
  if (litA && litB) return false;
  if (litA) return isSubsetMatch(ta, tb);
  if (litB) return isSubsetMatch(tb, ta);
  if (ta.length !== tb.length && ((ta.length < tb.length && !fwcA) || (tb.length < ta.length && !fwcB))) return false;
  const stop = Math.min(ta.length, tb.length);
  for (let i = 0; i < stop; i++) {
    const x = ta[i];
    const y = tb[i];
    if (x.length === 0 || y.length === 0) return false;
    if (!isWildcardish(x) && !isWildcardish(y) && x !== y) return false;
  }
  return true;
}

/** Whether every subject `subject` matches is also matched by `test` (nats-server subjectIsSubsetMatch). */
export function subjectIsSubsetOf(subject: string, test: string): boolean {
  return isSubsetMatch(subject.split('.'), test.split('.'));
}

function isSubsetMatch(tokens: readonly string[], test: readonly string[]): boolean {
  for (let i = 0; i < test.length; i++) {
    if (i >= tokens.length) return false;
    const t2 = test[i];
    if (t2.length === 0) return false;
    if (t2 === '>') return true;
    const t1 = tokens[i];
    if (t1.length === 0 || t1 === '>') return false;
    if (t1 === '*') {
      if (t2 !== '*') return false;
      continue;
    }
    if (t2 !== '*' && t1 !== t2) return false;
  }
  return tokens.length === test.length;
}
