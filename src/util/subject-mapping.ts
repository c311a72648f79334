// An account's subject mappings (`mappings { src: dest }`): a client's publish to a subject that
// matches a mapping's source is routed to one of its destinations instead, chosen by weight
// (nats-server's Account.AddWeightedMappings and selectMappedSubject, as 2.9 has them).
//
// Mappings are tried in the order they were added; the first whose source matches wins. Weights are
// percentages; when a mapping's weights add up to less than 100 the rest goes to the source subject
// itself, unless the source is one of the destinations (then the rest is dropped, on purpose).

import { SubjectTransform } from './subject-transform.js';
import { isValidSubscribeSubject, matchesTokens } from './subject.js';

export interface MappingDestination {
  readonly subject: string;
  /** 0–100. */
  readonly weight: number;
}

/** A mapping as configured (the config's `mappings {}` entries, the router's input). */
export interface MappingSpec {
  readonly source: string;
  readonly destinations: readonly MappingDestination[];
}

/** Why a mapping could not be added, in nats-server's words. */
export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

function refused(source: string, reason: string): MappingError {
  return new MappingError(`Error adding mapping for ${JSON.stringify(source)}: ${reason}`);
}

interface WeightedTransform {
  /** The destination as given (the source's own, `$n` for its wildcards, when added for the rest). */
  readonly subject: string;
  readonly transform: SubjectTransform;
  /** The cumulative weight: chosen when the draw is below it (and above the one before). */
  readonly upTo: number;
}

interface Mapping {
  readonly source: string;
  /** The source's tokens, split once (matchesTokens walks the subject without allocating); null for a literal source. */
  readonly tokens: readonly string[] | null;
  readonly dests: readonly WeightedTransform[];
}

export class SubjectMappings {
  private readonly mappings: Mapping[] = [];

  /** Adds (or replaces) the mapping of `source`; throws a MappingError when it cannot be. */
  add(source: string, dests: readonly MappingDestination[]): void {
    if (!isValidSubscribeSubject(source)) throw new MappingError(`Subject ${JSON.stringify(source)} is not a valid subject`);
    const seen = new Set<string>();
    const weighted: { subject: string; transform: SubjectTransform; weight: number }[] = [];
    let total = 0;
    for (const d of dests) {
      if (seen.has(d.subject)) throw refused(source, `duplicate entry for ${JSON.stringify(d.subject)}`);
      seen.add(d.subject);
      if (d.weight > 100) throw refused(source, 'individual weights need to be <= 100');
      total += d.weight;
      if (total > 100) throw refused(source, 'total weight needs to be <= 100');
      weighted.push({ subject: d.subject, transform: transformOf(source, d.subject), weight: d.weight });
    }
    if (total !== 100 && !seen.has(source)) {
      const self = asDestination(source);
      weighted.push({ subject: self, transform: transformOf(source, self), weight: dests.length === 0 ? 100 : 100 - total });
    }
    weighted.sort((a, b) => a.weight - b.weight);
    let upTo = 0;
    const tokens = source.split('.');
    const mapping: Mapping = {
      source,
      tokens: tokens.some((t) => t === '*' || t === '>') ? tokens : null,
      dests: weighted.map((w) => ({ subject: w.subject, transform: w.transform, upTo: (upTo += w.weight) })),
    };
    const at = this.mappings.findIndex((m) => m.source === source);
    if (at >= 0) this.mappings[at] = mapping;
    else this.mappings.push(mapping);
  }

  get size(): number {
    return this.mappings.length;
  }

  /** Every mapping's source subject (a leaf link announces them, so the other side's publishes reach the mapping). */
  sources(): string[] {
    return this.mappings.map((m) => m.source);
  }

  /**
   * Each source's destinations as /accountz lists them (nats-server's ExtMap): in the order they
   * are drawn, each with its cumulative weight, sources sorted.
   */
  describe(): Record<string, { subject: string; weight: number }[]> {
    const out: Record<string, { subject: string; weight: number }[]> = {};
    for (const m of [...this.mappings].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0))) {
      out[m.source] = m.dests.map((d) => ({ subject: d.subject, weight: d.upTo }));
    }
    return out;
  }

  /**
   * Where a publish to `subject` goes: null when no mapping's source matches it; '' when its
   * mapping's weights leave this message out.
   */
  map(subject: string): string | null {
    const m = this.find(subject);
    if (m === null) return null;
    const dests = m.dests;
    let d: WeightedTransform | undefined;
    if (dests.length === 1 && dests[0]!.upTo === 100) d = dests[0];
    else {
      const draw = Math.floor(Math.random() * 100);
      d = dests.find((x) => draw < x.upTo);
    }
    return d === undefined ? '' : d.transform.transform(subject);
  }

  private find(subject: string): Mapping | null {
    for (const m of this.mappings) {
      if (m.tokens === null ? m.source === subject : matchesTokens(subject, m.tokens)) return m;
    }
    return null;
  }

  /** The mappings of `specs`, in their order; throws a MappingError for one that cannot be. */
  static of(specs: readonly MappingSpec[]): SubjectMappings {
    const mappings = new SubjectMappings();
    for (const m of specs) mappings.add(m.source, m.destinations);
    return mappings;
  }
}

function transformOf(source: string, dest: string): SubjectTransform {
  const p = SubjectTransform.parse(source, dest);
  if ('error' in p) throw new MappingError(`Error adding mapping for ${JSON.stringify(source)} to ${JSON.stringify(dest)} : ${p.error}`);
  return p.transform;
}

/** The source as a destination that maps every subject it matches to itself: its `*`s as `$1`, `$2`, ... */
function asDestination(source: string): string {
  let n = 0;
  return source
    .split('.')
    .map((t) => (t === '*' ? `$${++n}` : t))
    .join('.');
}
