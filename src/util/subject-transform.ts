// A subject transform: a source pattern with wildcards and a destination that reuses what they matched,
// `$n` or `{{wildcard(n)}}` for the n-th `*` of the source and a trailing `>` for what the source's `>`
// matched (nats-server's newTransform, as far as 2.9 has it). JetStream's republish uses it; account
// subject mappings will too.

import { isValidSubscribeSubject } from './subject.js';

/** Subjects from text (configs, JSON) may hold blanks the wire never carries in one. */
const WHITESPACE = /[ \t\n\r\f]/;
const PLACEHOLDER = /^(?:\$(\d+)|\{\{wildcard\((\d+)\)\}\})$/;
/** Any other `{{...}}` function: 2.9 accepts it in a destination without reusing a wildcard. */
const OTHER_FUNCTION = /^\{\{.*\}\}$/;

/** A destination token: its text, or the 1-based wildcard it takes, or -1 for the `>` tail. */
type Part = string | number;

export class SubjectTransform {
  private readonly src: readonly string[];
  private readonly dest: readonly Part[];

  private constructor(src: readonly string[], dest: readonly Part[]) {
    this.src = src;
    this.dest = dest;
  }

  /**
   * The transform from `src` to `dest`, or null when they do not make one: both valid subjects, no `*`
   * in the destination, `>` in both or neither, and every `*` of the source used by the destination.
   */
  static create(src: string, dest: string): SubjectTransform | null {
    if (!isValidSubscribeSubject(src) || !isValidSubscribeSubject(dest) || WHITESPACE.test(src) || WHITESPACE.test(dest)) return null;
    const st = src.split('.');
    const dt = dest.split('.');
    if (dt.includes('*') || st.includes('>') !== dt.includes('>')) return null;
    const wildcards = st.filter((t) => t === '*').length;
    const parts: Part[] = [];
    let placeholders = 0;
    for (const t of dt) {
      const m = PLACEHOLDER.exec(t);
      if (m !== null) {
        const index = Number(m[1] ?? m[2]);
        if (index < 1 || index > wildcards) return null;
        placeholders++;
        parts.push(index);
      } else if (t === '>') parts.push(-1);
      else {
        if (OTHER_FUNCTION.test(t)) placeholders++;
        parts.push(t);
      }
    }
    if (wildcards > 0 && placeholders < wildcards) return null;
    return new SubjectTransform(st, parts);
  }

  /** The destination for a subject that matches the source. */
  transform(subject: string): string {
    const tokens = subject.split('.');
    const matched: string[] = [];
    let tail = '';
    for (let i = 0; i < this.src.length; i++) {
      const s = this.src[i];
      if (s === '*') matched.push(tokens[i]);
      else if (s === '>') {
        tail = tokens.slice(i).join('.');
        break;
      }
    }
    const out: string[] = [];
    for (const p of this.dest) out.push(typeof p === 'string' ? p : p === -1 ? tail : matched[p - 1]);
    return out.join('.');
  }
}
