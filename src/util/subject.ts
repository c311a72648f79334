// Subject rules shared by subscriptions, permissions, publishes and the configuration's checks.

/** A subscription subject: no empty token, `>` only as the last token (nats-server sublist Insert). */
export function isValidSubscribeSubject(subject: string): boolean {
  return checkTokens(subject, true);
}

/** A literal subject: no empty token and no wildcard token (pedantic publish check). */
export function isValidLiteralSubject(subject: string): boolean {
  return checkTokens(subject, false);
}

function checkTokens(subject: string, wildcards: boolean): boolean {
  const n = subject.length;
  if (n === 0) return false;
  let tokenStart = 0;
  for (let i = 0; i <= n; i++) {
    if (i !== n && subject.charCodeAt(i) !== 0x2e) continue;
    if (i === tokenStart) return false;
    if (i === tokenStart + 1) {
      const c = subject.charCodeAt(tokenStart);
      if (wildcards ? c === 0x3e && i !== n : c === 0x2a || c === 0x3e) return false;
    }
    tokenStart = i + 1;
  }
  return true;
}

export function tokenCount(subject: string): number {
  let n = 1;
  for (let i = 0; i < subject.length; i++) if (subject.charCodeAt(i) === 0x2e) n++;
  return n;
}

/**
 * Whether `subject` (which may itself hold wildcards, matched as ordinary tokens) is matched by `pattern`.
 * Used off the hot path: permissions and match-cache invalidation.
 */
export function subjectMatches(subject: string, pattern: string): boolean {
  const s = subject.split('.');
  const p = pattern.split('.');
  for (let i = 0; i < p.length; i++) {
    const t = p[i];
    if (t === '>') return i < s.length;
    if (i >= s.length) return false;
    if (t !== '*' && t !== s[i]) return false;
  }
  return s.length === p.length;
}

/** subjectMatches with the pattern already split; walks the subject without allocating. */
export function matchesTokens(subject: string, pattern: readonly string[]): boolean {
  let pos = 0;
  const n = subject.length;
  for (let i = 0; i < pattern.length; i++) {
    if (pos > n) return false;
    const t = pattern[i];
    if (t === '>') return true;
    let end = subject.indexOf('.', pos);
    if (end < 0) end = n;
    if (t !== '*' && (end - pos !== t.length || !subject.startsWith(t, pos))) return false;
    pos = end + 1;
  }
  return pos > n;
}
