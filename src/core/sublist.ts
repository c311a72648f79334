// Subject trie of subscriptions with a per-subject match cache.

import { matchesTokens } from './subject.js';

/** What a sublist stores; the router knows the concrete type. */
export interface SublistEntry {
  readonly subject: string;
  readonly queue: string | null;
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
  private cache: Map<string, MatchResult<T>> | null;
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
    if (entry.queue === null) leaf.psubs.push(entry);
    else {
      const qsubs = (leaf.qsubs ??= new Map());
      const group = qsubs.get(entry.queue);
      if (group === undefined) qsubs.set(entry.queue, [entry]);
      else group.push(entry);
    }
    this.count++;
    this.inserts++;
    this.invalidate(entry.subject);
  }

  /** Removes the entry; false when it was not there. */
  remove(entry: T): boolean {
    const tokens = entry.subject.split('.');
    const path: [Level<T>, string, Node<T>][] = [];
    let level: Level<T> | null = this.root;
    let node: Node<T> | null = null;
    for (let i = 0; i < tokens.length; i++) {
      if (level === null) return false;
      const t = tokens[i];
      node = t === '*' ? level.pwc : t === '>' ? level.fwc : (level.nodes.get(t) ?? null);
      if (node === null) return false;
      path.push([level, t, node]);
      level = node.next;
    }
    const leaf = node as Node<T>;
    if (!removeFrom(leaf, entry)) return false;
    this.count--;
    this.removes++;
    for (let i = path.length - 1; i >= 0; i--) {
      const [lvl, t, n] = path[i];
      if (n.next !== null && n.next.isEmpty()) n.next = null;
      if (!n.isEmpty()) break;
      if (t === '*') lvl.pwc = null;
      else if (t === '>') lvl.fwc = null;
      else lvl.nodes.delete(t);
    }
    this.invalidate(entry.subject);
    return true;
  }

  match(subject: string): MatchResult<T> {
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
    const groups = new Map<string, T[]>();
    const tokens = subject.split('.');
    // A subject with an empty token matches nothing (nats-server), not even `*`.
    if (!tokens.includes('')) matchLevel(this.root, tokens, 0, psubs, groups);
    const result: MatchResult<T> = { psubs, qsubs: groups.size === 0 ? NO_QSUBS : [...groups.values()] };
    if (cache !== null) {
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
      cache.set(subject, result);
    }
    return result;
  }

  /** Every entry, in no particular order. */
  all(): T[] {
    const out: T[] = [];
    collect(this.root, out);
    return out;
  }

  setCacheEnabled(on: boolean): void {
    if (on && this.cache === null) this.cache = new Map();
    if (!on) this.cache = null;
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

function removeFrom<T extends SublistEntry>(node: Node<T>, entry: T): boolean {
  if (entry.queue === null) {
    const i = node.psubs.indexOf(entry);
    if (i < 0) return false;
    node.psubs.splice(i, 1);
    return true;
  }
  const group = node.qsubs?.get(entry.queue);
  if (group === undefined) return false;
  const i = group.indexOf(entry);
  if (i < 0) return false;
  group.splice(i, 1);
  if (group.length === 0) node.qsubs!.delete(entry.queue);
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

function matchLevel<T extends SublistEntry>(level: Level<T>, tokens: string[], i: number, psubs: T[], groups: Map<string, T[]>): void {
  const last = i === tokens.length - 1;
  if (level.fwc !== null) addNode(level.fwc, psubs, groups);
  if (level.pwc !== null) {
    if (last) addNode(level.pwc, psubs, groups);
    else if (level.pwc.next !== null) matchLevel(level.pwc.next, tokens, i + 1, psubs, groups);
  }
  const node = level.nodes.get(tokens[i]);
  if (node === undefined) return;
  if (last) addNode(node, psubs, groups);
  else if (node.next !== null) matchLevel(node.next, tokens, i + 1, psubs, groups);
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
