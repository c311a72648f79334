// Subject trie of subscriptions with a per-subject match cache.
//
// Each entry remembers its index in its node's array, so removal swaps the last entry into the hole
// instead of searching and shifting: O(1) however many subscribers share a subject.
//
// The cache admits a subject on its second match, not its first. Request/reply publishes each reply
// to a subject of its own (`_INBOX.<id>.<n>`) exactly once; cached on first sight, a stream of those
// would push every hot subject out of the cache. Subjects seen once are remembered in two bounded
// generations (the older one dropped when the newer fills), which reach back far enough for a hot
// set nearly the cache's size to be seen twice amid the one-offs: those never get in, repeated
// subjects get in on their second publish, with no special case for any subject prefix.

import { matchesTokens } from '../util/index.js';

/** What a sublist stores; the router knows the concrete type. */
export interface SublistEntry {
  readonly subject: string;
  readonly queue: string | null;
  /** Index in its node's array while in a sublist (the sublist keeps it); -1 otherwise. */
  slot: number;
}

/** Everything a subject matches: plain subscribers, and queue subscribers grouped by queue name. */
export interface MatchResult<T extends SublistEntry> {
  readonly psubs: readonly T[];
  readonly qsubs: readonly (readonly T[])[];
}

class Node<T extends SublistEntry> {
  next: Level<T> | null = null;
  psubs: T[] = [];
  qsubs: Map<string, T[]> | null = null;

  isEmpty(): boolean {
    return this.psubs.length === 0 && (this.qsubs === null || this.qsubs.size === 0) && (this.next === null || this.next.isEmpty());
  }
}

class Level<T extends SublistEntry> {
  readonly nodes = new Map<string, Node<T>>();
  pwc: Node<T> | null = null;
  fwc: Node<T> | null = null;

  isEmpty(): boolean {
    return this.nodes.size === 0 && this.pwc === null && this.fwc === null;
  }
}

const CACHE_MAX = 1024;
/** Subjects per generation of the seen-once memory. */
const SEEN_MAX = 2048;

export interface SublistStats {
  num_subscriptions: number;
  num_cache: number;
  num_inserts: number;
  num_removes: number;
  num_matches: number;
  cache_hit_rate: number;
  max_fanout: number;
  avg_fanout: number;
}

export class Sublist<T extends SublistEntry> {
  private readonly root = new Level<T>();
  /** Queue groups of the match in progress, emptied after each (a match never re-enters). */
  private readonly groups = new Map<string, T[]>();
  private cache: Map<string, MatchResult<T>> | null;
  /** Subjects matched once and not cached yet, newer and older generation (see the admission above). */
  private seen = new Set<string>();
  private seenBefore = new Set<string>();
  private count = 0;
  private inserts = 0;
  private removes = 0;
  private matches = 0;
  private cacheHits = 0;

  constructor(useCache = true) {
    this.cache = useCache ? new Map() : null;
  }

  get size(): number {
    return this.count;
  }

  insert(entry: T): void {
    const tokens = entry.subject.split('.');
    let level = this.root;
    let node: Node<T> | null = null;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t === '*') node = level.pwc ??= new Node<T>();
      else if (t === '>') node = level.fwc ??= new Node<T>();
      else {
        node = level.nodes.get(t) ?? null;
        if (node === null) {
          node = new Node<T>();
          level.nodes.set(t, node);
        }
      }
      if (i < tokens.length - 1) level = node.next ??= new Level<T>();
    }
    const leaf = node as Node<T>;
    if (entry.queue === null) {
      entry.slot = leaf.psubs.length;
      leaf.psubs.push(entry);
    } else {
      const qsubs = (leaf.qsubs ??= new Map());
      const group = qsubs.get(entry.queue);
      if (group === undefined) {
        entry.slot = 0;
        qsubs.set(entry.queue, [entry]);
      } else {
        entry.slot = group.length;
        group.push(entry);
      }
    }
    this.count++;
    this.inserts++;
    this.invalidate(entry.subject);
  }

  /** Removes the entry; false when it was not there. */
  remove(entry: T): boolean {
    if (entry.slot < 0 || !removeBelow(this.root, entry.subject.split('.'), 0, entry)) return false;
    this.count--;
    this.removes++;
    this.invalidate(entry.subject);
    return true;
  }

  /**
   * The entries matching `subject`. `admit` false: a subject used once (a request's reply subject),
   * not worth remembering for the cache's admission (nor the cost of doing so).
   */
  match(subject: string, admit = true): MatchResult<T> {
    this.matches++;
    const cache = this.cache;
    if (cache !== null) {
      const hit = cache.get(subject);
      if (hit !== undefined) {
        this.cacheHits++;
        return hit;
      }
    }
    const psubs: T[] = [];
    const groups = this.groups;
    if (!hasEmptyToken(subject)) matchLevel(this.root, subject, 0, psubs, groups);
    let qsubs: readonly (readonly T[])[] = NO_QSUBS;
    if (groups.size > 0) {
      qsubs = [...groups.values()];
      groups.clear();
    }
    const result: MatchResult<T> = { psubs, qsubs };
    if (cache !== null && admit) this.admit(cache, subject, result);
    return result;
  }

  private admit(cache: Map<string, MatchResult<T>>, subject: string, result: MatchResult<T>): void {
    if (!this.seen.has(subject) && !this.seenBefore.has(subject)) {
      if (this.seen.size >= SEEN_MAX) {
        const emptied = this.seenBefore;
        emptied.clear();
        this.seenBefore = this.seen;
        this.seen = emptied;
      }
      this.seen.add(subject);
      return;
    }
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(subject, result);
  }

  /** Every entry, in no particular order. */
  all(): T[] {
    const out: T[] = [];
    collect(this.root, out);
    return out;
  }

  setCacheEnabled(on: boolean): void {
    if (on && this.cache === null) this.cache = new Map();
    if (!on) {
      this.cache = null;
      this.seen.clear();
      this.seenBefore.clear();
    }
  }

  stats(): SublistStats {
    let maxFanout = 0;
    let totalFanout = 0;
    const cache = this.cache;
    if (cache !== null) {
      for (const r of cache.values()) {
        const n = r.psubs.length + r.qsubs.length;
        totalFanout += n;
        if (n > maxFanout) maxFanout = n;
      }
    }
    const cached = cache === null ? 0 : cache.size;
    return {
      num_subscriptions: this.count,
      num_cache: cached,
      num_inserts: this.inserts,
      num_removes: this.removes,
      num_matches: this.matches,
      cache_hit_rate: this.matches === 0 ? 0 : this.cacheHits / this.matches,
      max_fanout: maxFanout,
      avg_fanout: cached === 0 ? 0 : totalFanout / cached,
    };
  }

  /**
   * Drops cached results the changed subscription subject could affect: a literal subject affects
   * only its own entry; a wildcard is matched against every cached subject, split once.
   */
  private invalidate(pattern: string): void {
    const cache = this.cache;
    if (cache === null || cache.size === 0) return;
    const tokens = pattern.split('.');
    if (!tokens.includes('*') && !tokens.includes('>')) {
      cache.delete(pattern);
      return;
    }
    for (const key of cache.keys()) {
      if (matchesTokens(key, tokens)) cache.delete(key);
    }
  }
}

const NO_QSUBS: readonly (readonly never[])[] = Object.freeze([]);

/** Removes the entry under `level` at token i, dropping the nodes and levels it leaves empty. */
function removeBelow<T extends SublistEntry>(level: Level<T>, tokens: readonly string[], i: number, entry: T): boolean {
  const t = tokens[i];
  const node = t === '*' ? level.pwc : t === '>' ? level.fwc : (level.nodes.get(t) ?? null);
  if (node === null) return false;
  if (i === tokens.length - 1) {
    if (!removeFrom(node, entry)) return false;
  } else {
    const next = node.next;
    if (next === null || !removeBelow(next, tokens, i + 1, entry)) return false;
    if (next.isEmpty()) node.next = null;
  }
  if (node.isEmpty()) {
    if (t === '*') level.pwc = null;
    else if (t === '>') level.fwc = null;
    else level.nodes.delete(t);
  }
  return true;
}

function removeFrom<T extends SublistEntry>(node: Node<T>, entry: T): boolean {
  if (entry.queue === null) return swapRemove(node.psubs, entry);
  const group = node.qsubs?.get(entry.queue);
  if (group === undefined || !swapRemove(group, entry)) return false;
  if (group.length === 0) node.qsubs!.delete(entry.queue);
  return true;
}

/** Moves the last entry into the removed one's slot. */
function swapRemove<T extends SublistEntry>(list: T[], entry: T): boolean {
  const i = entry.slot;
  if (list[i] !== entry) return false;
  const last = list.pop() as T;
  if (last !== entry) {
    list[i] = last;
    last.slot = i;
  }
  entry.slot = -1;
  return true;
}

function addNode<T extends SublistEntry>(node: Node<T>, psubs: T[], groups: Map<string, T[]>): void {
  for (let i = 0; i < node.psubs.length; i++) psubs.push(node.psubs[i]);
  if (node.qsubs !== null) {
    for (const [queue, members] of node.qsubs) {
      const g = groups.get(queue);
      if (g === undefined) groups.set(queue, members.slice());
      else for (let i = 0; i < members.length; i++) g.push(members[i]);
    }
  }
}

/** A subject with an empty token matches nothing (nats-server), not even `*`. */
function hasEmptyToken(subject: string): boolean {
  return subject.length === 0 || subject.charCodeAt(0) === DOT || subject.charCodeAt(subject.length - 1) === DOT || subject.includes('..');
}

const DOT = 0x2e;

/**
 * Matches the subject's tokens from `start` on under `level`. Tokens are cut as the walk reaches
 * them, not split up front: most walks end early (an ack subject `$JS.ACK.<stream>.…` of nine
 * tokens stops at the stream's `>` after three).
 */
function matchLevel<T extends SublistEntry>(level: Level<T>, subject: string, start: number, psubs: T[], groups: Map<string, T[]>): void {
  const dot = subject.indexOf('.', start);
  const last = dot < 0;
  if (level.fwc !== null) addNode(level.fwc, psubs, groups);
  if (level.pwc !== null) {
    if (last) addNode(level.pwc, psubs, groups);
    else if (level.pwc.next !== null) matchLevel(level.pwc.next, subject, dot + 1, psubs, groups);
  }
  if (level.nodes.size === 0) return;
  const node = level.nodes.get(last ? (start === 0 ? subject : subject.slice(start)) : subject.slice(start, dot));
  if (node === undefined) return;
  if (last) addNode(node, psubs, groups);
  else if (node.next !== null) matchLevel(node.next, subject, dot + 1, psubs, groups);
}

function collect<T extends SublistEntry>(level: Level<T>, out: T[]): void {
  const visit = (n: Node<T>): void => {
    out.push(...n.psubs);
    if (n.qsubs !== null) for (const g of n.qsubs.values()) out.push(...g);
    if (n.next !== null) collect(n.next, out);
  };
  for (const n of level.nodes.values()) visit(n);
  if (level.pwc !== null) visit(level.pwc);
  if (level.fwc !== null) visit(level.fwc);
}
