// Relations between subject patterns (not between a subject and a pattern): whether every subject one
// matches the other matches too, and whether two can match a common subject. Used when exports and
// imports are linked, and when a subscription is matched against an account's stream imports.

/**
 * Whether every subject `tokens` matches is matched by `test` as well (a `*` in `tokens` is only
 * covered by a `*` or `>` in `test`; a `>` in `tokens` only by a `>`).
 */
export function isSubsetMatch(tokens: readonly string[], test: readonly string[]): boolean {
  for (let i = 0; i < test.length; i++) {
    if (i >= tokens.length) return false;
    const t2 = test[i] as string;
    if (t2 === '>') return true;
    const t1 = tokens[i] as string;
    if (t1 === '>') return false;
    if (t1 === '*') {
      if (t2 !== '*') return false;
      continue;
    }
    if (t2 !== '*' && t1 !== t2) return false;
  }
  return tokens.length === test.length;
}

/** isSubsetMatch on subjects as text. */
export function subjectIsSubsetOf(subject: string, test: string): boolean {
  return isSubsetMatch(subject.split('.'), test.split('.'));
}

/** Whether two subject patterns can both match one subject. */
export function subjectsCollide(a: string, b: string): boolean {
  if (a === b) return true;
  const ta = a.split('.');
  const tb = b.split('.');
  const fwcA = ta[ta.length - 1] === '>';
  const fwcB = tb[tb.length - 1] === '>';
  const literalA = !fwcA && !ta.includes('*');
  const literalB = !fwcB && !tb.includes('*');
  if (literalA && literalB) return false;
  if (literalA) return isSubsetMatch(ta, tb);
  if (literalB) return isSubsetMatch(tb, ta);
  if (ta.length !== tb.length) {
    if ((ta.length < tb.length && !fwcA) || (tb.length < ta.length && !fwcB)) return false;
  }
  const stop = Math.min(ta.length, tb.length);
  for (let i = 0; i < stop; i++) {
    const x = ta[i] as string;
    const y = tb[i] as string;
    if (x === '*' || x === '>' || y === '*' || y === '>') continue;
    if (x !== y) return false;
  }
  return true;
}
