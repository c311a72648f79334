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

function hasWildcardToken(subject: string): boolean {
  for (const t of subject.split('.')) if (t === '*' || t === '>') return true;
  return false;
}
