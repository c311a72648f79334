// A subject transform: a source pattern with wildcards and a destination that reuses what they matched
// (nats-server 2.9's newTransform), as subject mappings and JetStream's republish use it. A destination
// token is a literal, `$n`, a trailing `>` (what the source's `>` matched), or a function:
// `{{wildcard(n)}}`, `{{partition(count, n...)}}` (an FNV-1a hash of those tokens, modulo count),
// `{{split(n, delimiter)}}`, `{{splitFromLeft(n, position)}}`, `{{splitFromRight(n, position)}}`,
// `{{sliceFromLeft(n, size)}}` and `{{sliceFromRight(n, size)}}`. The `n`s are the source's `*`s,
// counted from 1. A source without wildcards maps to its destination's text as written.

import { isValidSubscribeSubject } from './subject.js';

/** Subjects from text (configs, JSON) may hold blanks the wire never carries in one. */
const WHITESPACE = /[ \t\n\r\f]/;
const ARG_SEPARATOR = /,\s*/;

const FUNCTIONS = {
  wildcard: /^\{\{\s*[wW]ildcard\s*\((.*)\)\s*\}\}$/,
  partition: /^\{\{\s*[pP]artition\s*\((.*)\)\s*\}\}$/,
  splitFromLeft: /^\{\{\s*[sS]plit[fF]rom[lL]eft\s*\((.*)\)\s*\}\}$/,
  splitFromRight: /^\{\{\s*[sS]plit[fF]rom[rR]ight\s*\((.*)\)\s*\}\}$/,
  sliceFromLeft: /^\{\{\s*[sS]lice[fF]rom[lL]eft\s*\((.*)\)\s*\}\}$/,
  sliceFromRight: /^\{\{\s*[sS]lice[fF]rom[rR]ight\s*\((.*)\)\s*\}\}$/,
  split: /^\{\{\s*[sS]plit\s*\((.*)\)\s*\}\}$/,
} as const;

type IndexIntFunction = 'splitFromLeft' | 'splitFromRight' | 'sliceFromLeft' | 'sliceFromRight';

/** A destination token: its text, the `>` tail, or a function of the source's `*` tokens (1-based). */
type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'tail' }
  | { readonly kind: 'wildcard'; readonly index: number }
  | { readonly kind: 'partition'; readonly count: number; readonly indexes: readonly number[] }
  | { readonly kind: 'split'; readonly index: number; readonly delimiter: string }
  | { readonly kind: IndexIntFunction; readonly index: number; readonly n: number };

/** nats-server's reasons, as `invalid mapping destination: <reason> in <token>` puts them. */
const NOT_ENOUGH = 'not enough arguments passed to the function';
const TOO_MANY = 'too many arguments passed to the function';
const INVALID_ARGUMENT = 'function argument is invalid or in the wrong format';

class TokenError extends Error {}

function integer(text: string, token: string): number {
  const t = text.replace(/^ +| +$/g, '');
  if (!/^[+-]?\d+$/.test(t)) throw new TokenError(`${INVALID_ARGUMENT} in ${token}`);
  return Number(t);
}

function argsOf(token: string, re: RegExp): string[] | null {
  const m = re.exec(token);
  return m === null ? null : (m[1] as string).split(ARG_SEPARATOR);
}

/** One destination token as written; throws a TokenError for a malformed function. */
function parseToken(token: string): Part {
  if (token === '>') return { kind: 'tail' };
  if (token.length > 1 && token[0] === '$') {
    // `$` then anything but a number is text (other things use tokens starting with `$`).
    return /^\$[+-]?\d+$/.test(token) ? { kind: 'wildcard', index: Number(token.slice(1)) } : { kind: 'text', text: token };
  }
  if (!(token.length > 4 && token.startsWith('{{') && token.endsWith('}}'))) return { kind: 'text', text: token };
  let args = argsOf(token, FUNCTIONS.wildcard);
  if (args !== null) {
    if (args.length === 1 && args[0] === '') throw new TokenError(`${NOT_ENOUGH} in ${token}`);
    if (args.length > 1) throw new TokenError(`${TOO_MANY} in ${token}`);
    return { kind: 'wildcard', index: integer(args[0] as string, token) };
  }
  args = argsOf(token, FUNCTIONS.partition);
  if (args !== null) {
    if (args.length < 2) throw new TokenError(`${NOT_ENOUGH} in ${token}`);
    const count = integer(args[0] as string, token);
    // nats-server would divide by zero at the first message.
    if (count <= 0) throw new TokenError(`${INVALID_ARGUMENT} in ${token}`);
    return { kind: 'partition', count, indexes: args.slice(1).map((a) => integer(a, token)) };
  }
  for (const kind of ['splitFromLeft', 'splitFromRight', 'sliceFromLeft', 'sliceFromRight'] as const) {
    args = argsOf(token, FUNCTIONS[kind]);
    if (args === null) continue;
    if (args.length < 2) throw new TokenError(`${NOT_ENOUGH} in ${token}`);
    if (args.length > 2) throw new TokenError(`${TOO_MANY} in ${token}`);
    return { kind, index: integer(args[0] as string, token), n: integer(args[1] as string, token) };
  }
  args = argsOf(token, FUNCTIONS.split);
  if (args !== null) {
    if (args.length < 2) throw new TokenError(`${NOT_ENOUGH} in ${token}`);
    if (args.length > 2) throw new TokenError(`${TOO_MANY} in ${token}`);
    const delimiter = args[1] as string;
    if (delimiter.includes(' ') || delimiter.includes('.')) throw new TokenError(`${INVALID_ARGUMENT} in ${token}`);
    return { kind: 'split', index: integer(args[0] as string, token), delimiter };
  }
  throw new TokenError(`unknown function in ${token}`);
}

function indexesOf(p: Part): readonly number[] {
  switch (p.kind) {
    case 'text':
    case 'tail':
      return [];
    case 'partition':
      return p.indexes;
    default:
      return [p.index];
  }
}

/** FNV-1a, 32 bits, of the subject tokens' bytes (latin1 strings are bytes). */
function fnv1a(parts: readonly string[]): number {
  let h = 0x811c9dc5;
  for (const s of parts) {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h >>> 0;
}

export type TransformParse = { readonly transform: SubjectTransform } | { readonly error: string };

export class SubjectTransform {
  /** The source's tokens; `*` positions are what the destination's indexes (1-based) refer to. */
  private readonly wildcardAt: readonly number[];
  private readonly srcLength: number;
  /** null: the destination is used as written. */
  private readonly dest: readonly Part[] | null;
  private readonly destText: string;

  private constructor(src: readonly string[], dest: readonly Part[] | null, destText: string) {
    const at: number[] = [];
    src.forEach((t, i) => t === '*' && at.push(i));
    this.wildcardAt = at;
    this.srcLength = src.length;
    this.dest = dest;
    this.destText = destText;
  }

  /**
   * The transform from `src` to `dest`, or why they do not make one (nats-server's words, after its
   * `invalid mapping destination: ` or as `invalid subject`): both valid subjects, no `*` in the
   * destination, `>` in both or neither, every function well formed, and every `*` of the source used.
   */
  static parse(src: string, dest: string): TransformParse {
    if (!isValidSubscribeSubject(src) || !isValidSubscribeSubject(dest)) return { error: 'invalid subject' };
    const st = src.split('.');
    const dt = dest.split('.');
    if (dt.includes('*') || st.includes('>') !== dt.includes('>')) return { error: 'invalid subject' };
    let parts: Part[];
    try {
      parts = dt.map(parseToken);
    } catch (err) {
      if (err instanceof TokenError) return { error: `invalid mapping destination: ${err.message}` };
      throw err;
    }
    const wildcards = st.filter((t) => t === '*').length;
    if (wildcards === 0 && !st.includes('>')) return { transform: new SubjectTransform(st, null, dest) };
    let used = 0;
    for (let i = 0; i < parts.length; i++) {
      const indexes = indexesOf(parts[i] as Part);
      for (const index of indexes) {
        if (index < 1 || index > wildcards) return { error: `invalid mapping destination: wildcard index out of range in ${dt[i]}: [${index}]` };
      }
      used += indexes.length;
    }
    if (used < wildcards) return { error: `invalid mapping destination: not using all of the token wildcard(s) in ${dest}` };
    return { transform: new SubjectTransform(st, parts, dest) };
  }

  /** parse(), for JetStream's republish: null when refused, and destinations with blanks are refused. */
  static create(src: string, dest: string): SubjectTransform | null {
    if (WHITESPACE.test(src) || WHITESPACE.test(dest)) return null;
    const p = SubjectTransform.parse(src, dest);
    return 'transform' in p ? p.transform : null;
  }

  /** The destination for a subject that matches the source. */
  transform(subject: string): string {
    if (this.dest === null) return this.destText;
    const tokens = subject.split('.');
    const wild = (index: number): string => tokens[this.wildcardAt[index - 1] as number] as string;
    const out: string[] = [];
    for (const p of this.dest) {
      switch (p.kind) {
        case 'text':
          out.push(p.text);
          break;
        case 'tail':
          out.push(tokens.slice(this.srcLength - 1).join('.'));
          break;
        case 'wildcard':
          out.push(wild(p.index));
          break;
        case 'partition':
          out.push(String(fnv1a(p.indexes.map(wild)) % p.count));
          break;
        case 'split':
          out.push(split(wild(p.index), p.delimiter));
          break;
        default:
          out.push(cut(p.kind, wild(p.index), p.n));
      }
    }
    return out.join('.');
  }
}

/** `{{split}}`: the token's parts between delimiters, empty ones left out. */
function split(token: string, delimiter: string): string {
  return token
    .split(delimiter)
    .filter((s) => s !== '')
    .join('.');
}

/** The split and slice functions; a token too short for them stays whole. */
function cut(kind: IndexIntFunction, token: string, n: number): string {
  const len = token.length;
  if (n <= 0 || n >= len) return token;
  switch (kind) {
    case 'splitFromLeft':
      return `${token.slice(0, n)}.${token.slice(n)}`;
    case 'splitFromRight':
      return `${token.slice(0, len - n)}.${token.slice(len - n)}`;
    case 'sliceFromLeft': {
      const parts: string[] = [];
      for (let i = 0; i < len; i += n) parts.push(token.slice(i, i + n));
      return parts.join('.');
    }
    case 'sliceFromRight': {
      const parts: string[] = [];
      const first = len % n;
      if (first > 0) parts.push(token.slice(0, first));
      for (let i = first; i < len; i += n) parts.push(token.slice(i, i + n));
      return parts.join('.');
    }
  }
}
