// A stream subject filter: everything, one literal subject, or a wildcard pattern.

import { subjectMatches } from '../../core/index.js';

export class SubjectFilter {
  readonly pattern: string;
  /** '' and '>' match every subject. */
  readonly all: boolean;
  readonly literal: boolean;

  constructor(filter: string) {
    this.pattern = filter;
    this.all = filter === '' || filter === '>';
    this.literal = !this.all && !hasWildcardToken(filter);
  }

  matches(subject: string): boolean {
    if (this.all) return true;
    return this.literal ? subject === this.pattern : subjectMatches(subject, this.pattern);
  }
}

const COMPILED_MAX = 256;
const compiled = new Map<string, SubjectFilter>();

/** The filter for a pattern; consumers ask with the same few patterns for every message, so they are kept. */
export function subjectFilter(pattern: string): SubjectFilter {
  let f = compiled.get(pattern);
  if (f === undefined) {
    if (compiled.size >= COMPILED_MAX) compiled.clear();
    f = new SubjectFilter(pattern);
    compiled.set(pattern, f);
  }
  return f;
}

function hasWildcardToken(subject: string): boolean {
  for (const t of subject.split('.')) if (t === '*' || t === '>') return true;
  return false;
}
