import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Sublist } from '../../../src/core/index.js';
import type { MatchResult, SublistEntry } from '../../../src/core/index.js';
import { prng } from './prng.js';

interface Entry extends SublistEntry {
  readonly id: string;
}

function entry(id: string, subject: string, queue: string | null = null): Entry {
  return { id, subject, queue, slot: -1 };
}

interface View {
  readonly psubs: string[];
  readonly qsubs: Record<string, string[]>;
}

/** A match result as sorted ids: plain ones, and queue members by queue name (each name once). */
function view(r: MatchResult<Entry>): View {
  const qsubs: Record<string, string[]> = {};
  for (const group of r.qsubs) {
    assert.ok(group.length > 0, 'empty queue group in a match result');
    const name = group[0].queue as string;
    assert.ok(group.every((m) => m.queue === name), `queue group ${name} mixes queues`);
    assert.equal(qsubs[name], undefined, `queue group ${name} appears twice`);
    qsubs[name] = group.map((m) => m.id).sort();
  }
  assert.ok(r.psubs.every((m) => m.queue === null), 'a queue subscriber among plain ones');
  return { psubs: r.psubs.map((m) => m.id).sort(), qsubs };
}

/** Matches until the subject is cached (admitted on its second match); returns the cached result. */
function primed(sl: Sublist<Entry>, subject: string): MatchResult<Entry> {
  sl.match(subject);
  const r = sl.match(subject);
  assert.equal(sl.match(subject), r, `${subject} is cached`);
  return r;
}

function build(entries: readonly Entry[], useCache = true): Sublist<Entry> {
  const sl = new Sublist<Entry>(useCache);
  for (const e of entries) sl.insert(e);
  return sl;
}

const PATTERNS: readonly Entry[] = [
  entry('lit', 'foo.bar'),
  entry('lit3', 'foo.bar.baz'),
  entry('top', 'foo'),
  entry('star', 'foo.*'),
  entry('starFirst', '*.bar'),
  entry('star2', '*.*'),
  entry('starOnly', '*'),
  entry('fwc', 'foo.>'),
  entry('fwcAll', '>'),
  entry('starFwc', '*.>'),
  entry('mid', 'foo.*.baz'),
  entry('mixed', '*.bar.>'),
  entry('starLit', 'foo*.bar'),
];

/** [subject, ids of plain subscribers it must match]. */
const MATCHES: readonly [string, string[]][] = [
  ['foo', ['fwcAll', 'starOnly', 'top']],
  ['bar', ['fwcAll', 'starOnly']],
  ['foo.bar', ['fwc', 'fwcAll', 'lit', 'star', 'star2', 'starFirst', 'starFwc']],
  ['foo.baz', ['fwc', 'fwcAll', 'star', 'star2', 'starFwc']],
  ['x.bar', ['fwcAll', 'star2', 'starFirst', 'starFwc']],
  ['foo.bar.baz', ['fwc', 'fwcAll', 'lit3', 'mid', 'mixed', 'starFwc']],
  ['foo.qux.baz', ['fwc', 'fwcAll', 'mid', 'starFwc']],
  ['x.bar.y.z', ['fwcAll', 'mixed', 'starFwc']],
  ['foo*.bar', ['fwcAll', 'star2', 'starFirst', 'starFwc', 'starLit']],
  ['foox.bar', ['fwcAll', 'star2', 'starFirst', 'starFwc']],
  ['a.b.c.d.e', ['fwcAll', 'starFwc']],
];

for (const useCache of [true, false]) {
  const label = useCache ? 'with cache' : 'without cache';
  test(`match: literals, *, > and mixed patterns (${label})`, () => {
    const sl = build(PATTERNS, useCache);
    for (let round = 0; round < 2; round++) {
      for (const [subject, ids] of MATCHES) assert.deepEqual(view(sl.match(subject)), { psubs: ids, qsubs: {} }, `${subject} (round ${round})`);
    }
  });
}

test('match: wildcard tokens in a published subject are ordinary tokens', () => {
  const sl = build([entry('star', 'foo.*'), entry('fwc', 'foo.>'), entry('lit', 'foo.bar')]);
  assert.deepEqual(view(sl.match('foo.*')).psubs, ['fwc', 'star']);
  assert.deepEqual(view(sl.match('foo.>')).psubs, ['fwc', 'star']);
});

test('match: a subject with an empty token matches nothing, not even > or *', () => {
  const sl = build([entry('all', '>'), entry('one', '*'), entry('two', '*.*'), entry('three', 'foo.*.bar'), entry('fwc', 'foo.>'), entry('lit', 'foo')]);
  for (const subject of ['', '.', 'foo.', '.foo', 'foo..bar', 'foo..', '..']) {
    assert.deepEqual(view(sl.match(subject)), { psubs: [], qsubs: {} }, JSON.stringify(subject));
  }
});

test('match: several subscribers on one pattern and the same entry kinds on one node', () => {
  const sl = build([entry('a', 'foo'), entry('b', 'foo'), entry('qa', 'foo', 'q'), entry('c', 'foo.bar')]);
  assert.deepEqual(view(sl.match('foo')), { psubs: ['a', 'b'], qsubs: { q: ['qa'] } });
});

test('queue groups: members are grouped by name across different matching patterns', () => {
  const sl = build([
    entry('q1-star', 'foo.*', 'q1'),
    entry('q1-lit', 'foo.bar', 'q1'),
    entry('q1-lit-2', 'foo.bar', 'q1'),
    entry('q2-fwc', 'foo.>', 'q2'),
    entry('q2-all', '>', 'q2'),
    entry('q3-other', 'foo.baz', 'q3'),
    entry('plain', 'foo.bar'),
    entry('plain-star', '*.bar'),
  ]);
  assert.deepEqual(view(sl.match('foo.bar')), {
    psubs: ['plain', 'plain-star'],
    qsubs: { q1: ['q1-lit', 'q1-lit-2', 'q1-star'], q2: ['q2-all', 'q2-fwc'] },
  });
  assert.deepEqual(view(sl.match('foo.baz')), { psubs: [], qsubs: { q1: ['q1-star'], q2: ['q2-all', 'q2-fwc'], q3: ['q3-other'] } });
  assert.deepEqual(view(sl.match('x')), { psubs: [], qsubs: { q2: ['q2-all'] } });
});

test('queue groups: removing the last member of a group drops the group', () => {
  const a = entry('a', 'foo', 'q');
  const b = entry('b', 'foo.*', 'q');
  const sl = build([a, b]);
  assert.deepEqual(view(sl.match('foo')).qsubs, { q: ['a'] });
  assert.equal(sl.remove(a), true);
  assert.deepEqual(view(sl.match('foo')), { psubs: [], qsubs: {} });
  assert.deepEqual(view(sl.match('foo.x')).qsubs, { q: ['b'] });
});

test('cache: a subject is cached on its second match, then hit with the same result', () => {
  const sl = build([entry('a', 'foo.*')]);
  const first = sl.match('foo.bar');
  assert.equal(sl.stats().num_cache, 0, 'seen once: not cached');
  const second = sl.match('foo.bar');
  const third = sl.match('foo.bar');
  assert.deepEqual(view(second), view(first));
  assert.equal(third, second, 'the cached result');
  const st = sl.stats();
  assert.equal(st.num_matches, 3);
  assert.equal(st.cache_hit_rate, 1 / 3);
  assert.equal(st.num_cache, 1);
});

test('cache: one-off subjects (unique inbox replies) do not push hot subjects out', () => {
  const hot = Array.from({ length: 1000 }, (_, i) => `hot.${i}`);
  const sl = build([entry('hot', 'hot.*'), entry('inbox', '_INBOX.abc.*')]);
  for (const subject of hot) sl.match(subject);
  for (const subject of hot) sl.match(subject);
  assert.equal(sl.stats().num_cache, 1000);
  const before = sl.stats();
  for (let i = 0; i < 20_000; i++) {
    assert.deepEqual(view(sl.match(`_INBOX.abc.${i}`)).psubs, ['inbox']);
    sl.match(hot[i % hot.length]);
  }
  const after = sl.stats();
  assert.equal(after.num_cache, 1000, 'no reply subject got in');
  const hotHits = after.cache_hit_rate * after.num_matches - before.cache_hit_rate * before.num_matches;
  assert.equal(Math.round(hotHits), 20_000, 'every hot match was a hit');
});

test('cache: a match that does not admit (a reply subject) neither caches its subject nor counts it as seen', () => {
  const sl = build([entry('inbox', '_INBOX.abc.*')]);
  for (let i = 0; i < 3; i++) assert.deepEqual(view(sl.match('_INBOX.abc.1', false)).psubs, ['inbox']);
  assert.equal(sl.stats().num_cache, 0, 'never cached');
  sl.match('_INBOX.abc.1');
  assert.equal(sl.stats().num_cache, 0, 'its first admitted match is its first sighting');
  sl.match('_INBOX.abc.1');
  assert.equal(sl.stats().num_cache, 1);
  assert.equal(sl.match('_INBOX.abc.1', false), sl.match('_INBOX.abc.1'), 'a cached subject is still a hit');
});

test('cache: subjects seen once are remembered for 2048 to 4096 other subjects, then forgotten', () => {
  const sl = build([entry('n', 'n.*')]);
  sl.match('n.hot');
  for (let i = 0; i < 3000; i++) sl.match(`n.${i}`);
  assert.equal(sl.stats().num_cache, 0, 'one-off subjects are not cached');
  sl.match('n.hot');
  assert.equal(sl.stats().num_cache, 1, 'seen again within the window: cached');

  sl.match('n.late');
  for (let i = 3000; i < 8000; i++) sl.match(`n.${i}`);
  sl.match('n.late');
  assert.equal(sl.stats().num_cache, 1, 'forgotten after 5000 others: this is its first sighting again');
  sl.match('n.late');
  assert.equal(sl.stats().num_cache, 2);
});

test('cache: inserting a matching pattern after a match shows up in the next match', () => {
  for (const pattern of ['foo.bar', 'foo.*', '*.bar', 'foo.>', '>', '*.*']) {
    const sl = build([entry('old', 'foo.bar')]);
    assert.deepEqual(view(primed(sl, 'foo.bar')).psubs, ['old']);
    sl.insert(entry('new', pattern));
    assert.deepEqual(view(sl.match('foo.bar')).psubs, ['new', 'old'], pattern);
    sl.insert(entry('newq', pattern, 'q'));
    assert.deepEqual(view(sl.match('foo.bar')).qsubs, { q: ['newq'] }, `${pattern} queue`);
  }
});

test('cache: removing a matching pattern after a match shows up in the next match', () => {
  for (const pattern of ['foo.bar', 'foo.*', '*.bar', 'foo.>', '>', '*.*']) {
    const gone = entry('gone', pattern);
    const goneQ = entry('goneQ', pattern, 'q');
    const sl = build([entry('stays', 'foo.bar'), gone, goneQ]);
    assert.deepEqual(view(primed(sl, 'foo.bar')), { psubs: ['gone', 'stays'], qsubs: { q: ['goneQ'] } });
    assert.equal(sl.remove(gone), true);
    assert.deepEqual(view(sl.match('foo.bar')), { psubs: ['stays'], qsubs: { q: ['goneQ'] } }, pattern);
    assert.equal(sl.remove(goneQ), true);
    assert.deepEqual(view(sl.match('foo.bar')), { psubs: ['stays'], qsubs: {} }, `${pattern} queue`);
  }
});

test('cache: inserting and removing a non-matching pattern leaves cached results right', () => {
  const sl = build([entry('a', 'foo.bar'), entry('b', 'foo.*')]);
  assert.deepEqual(view(primed(sl, 'foo.bar')).psubs, ['a', 'b']);
  const other = entry('other', 'bar.>');
  sl.insert(other);
  sl.insert(entry('deeper', 'foo.bar.baz'));
  sl.insert(entry('shorter', 'foo'));
  assert.deepEqual(view(sl.match('foo.bar')).psubs, ['a', 'b']);
  assert.equal(sl.remove(other), true);
  assert.deepEqual(view(sl.match('foo.bar')).psubs, ['a', 'b']);
  assert.deepEqual(view(sl.match('bar.x')).psubs, []);
  assert.deepEqual(view(sl.match('foo.bar.baz')).psubs, ['deeper']);
});

test('cache: a result handed out earlier is not changed by later inserts and removes', () => {
  const a = entry('a', 'foo.*');
  const sl = build([a, entry('q', 'foo.*', 'g')]);
  const before = primed(sl, 'foo.bar');
  const snapshot = view(before);
  sl.insert(entry('b', 'foo.bar'));
  sl.insert(entry('q2', 'foo.>', 'g'));
  sl.remove(a);
  assert.deepEqual(view(before), snapshot);
  assert.deepEqual(view(sl.match('foo.bar')), { psubs: ['b'], qsubs: { g: ['q', 'q2'] } });
});

test('cache: stays correct past its size bound', () => {
  const sl = build([entry('star', 'n.*'), entry('lit', 'n.7')]);
  for (let i = 0; i < 3000; i++) primed(sl, `n.${i}`);
  sl.insert(entry('late', 'n.>'));
  for (let i = 0; i < 3000; i += 37) {
    const expected = i === 7 ? ['late', 'lit', 'star'] : ['late', 'star'];
    assert.deepEqual(view(sl.match(`n.${i}`)).psubs, expected, `n.${i}`);
  }
  assert.ok(sl.stats().num_cache <= 3000);
});

test('setCacheEnabled(false) keeps matching right and empties the cache', () => {
  const sl = build([entry('a', 'foo.*')]);
  primed(sl, 'foo.x');
  sl.setCacheEnabled(false);
  assert.equal(sl.stats().num_cache, 0);
  sl.insert(entry('b', 'foo.x'));
  assert.deepEqual(view(sl.match('foo.x')).psubs, ['a', 'b']);
  sl.setCacheEnabled(true);
  assert.deepEqual(view(sl.match('foo.x')).psubs, ['a', 'b']);
  assert.deepEqual(view(sl.match('foo.x')).psubs, ['a', 'b']);
});

test('remove: an absent entry returns false and changes nothing', () => {
  const a = entry('a', 'foo.bar');
  const q = entry('q', 'foo.bar', 'g');
  const queueOnly = entry('r', 'only.queue', 'g');
  const sl = build([a, q, queueOnly]);
  const cases: [string, Entry][] = [
    ['never inserted, unknown subject', entry('x', 'nope')],
    ['never inserted, same subject', entry('a', 'foo.bar')],
    ['prefix of an inserted subject', entry('y', 'foo')],
    ['longer than an inserted subject', entry('z', 'foo.bar.baz')],
    ['wildcard where a literal is stored', entry('w', 'foo.*')],
    ['same subject, other queue', { id: 'q', subject: 'foo.bar', queue: 'other', slot: -1 }],
    ['plain entry where only a queue entry is stored', entry('r', 'only.queue')],
  ];
  for (const [name, e] of cases) assert.equal(sl.remove(e), false, name);
  assert.equal(sl.size, 3);
  assert.equal(sl.stats().num_removes, 0);
  assert.equal(sl.remove(a), true);
  assert.equal(sl.remove(a), false, 'removed twice');
  assert.equal(sl.remove(q), true);
  assert.equal(sl.remove(q), false, 'queue entry removed twice');
  assert.equal(sl.size, 1);
});

test('remove: the last entry of a node takes the removed one\'s place (plain and queue)', () => {
  for (const queue of [null, 'g']) {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => entry(id, 'foo.bar', queue));
    const sl = build([a, b, c, d], false);
    const order = (): string[] => {
      const r = sl.match('foo.bar');
      return (queue === null ? r.psubs : (r.qsubs[0] ?? [])).map((e) => e.id);
    };
    assert.deepEqual([a.slot, b.slot, c.slot, d.slot], [0, 1, 2, 3]);
    assert.equal(sl.remove(b), true);
    assert.deepEqual(order(), ['a', 'd', 'c'], `${queue}: d moved into b's place`);
    assert.deepEqual([a.slot, b.slot, c.slot, d.slot], [0, -1, 2, 1]);
    assert.equal(sl.remove(d), true);
    assert.deepEqual(order(), ['a', 'c']);
    assert.equal(sl.remove(c), true, 'the last one goes without a swap');
    assert.deepEqual(order(), ['a']);
    assert.equal(sl.remove(b), false, 'a removed entry is not removed again');
    assert.equal(sl.remove(a), true);
    assert.deepEqual(order(), []);
    assert.equal(sl.size, 0);
  }
});

test('remove: an entry of another sublist with a valid-looking slot is not removed', () => {
  const mine = entry('mine', 'foo');
  const theirs = entry('theirs', 'foo');
  const sl = build([mine]);
  build([theirs]);
  assert.equal(theirs.slot, 0);
  assert.equal(sl.remove(theirs), false);
  assert.deepEqual(view(sl.match('foo')).psubs, ['mine']);
});

test('remove: emptied branches do not leave matches behind and can be reused', () => {
  const deep = entry('deep', 'a.b.c.d');
  const fwc = entry('fwc', 'a.b.>');
  const sl = build([deep, fwc, entry('keep', 'a')]);
  assert.equal(sl.remove(deep), true);
  assert.equal(sl.remove(fwc), true);
  assert.deepEqual(view(sl.match('a.b.c.d')).psubs, []);
  assert.deepEqual(view(sl.match('a')).psubs, ['keep']);
  sl.insert(entry('again', 'a.b.c.d'));
  assert.deepEqual(view(sl.match('a.b.c.d')).psubs, ['again']);
});

test('stats(): counts of subscriptions, inserts, removes, matches and cache', () => {
  const sl = new Sublist<Entry>();
  const a = entry('a', 'foo');
  const b = entry('b', 'foo.*');
  const c = entry('c', 'foo.*', 'q');
  sl.insert(a);
  sl.insert(b);
  sl.insert(c);
  assert.equal(sl.remove(a), true);
  assert.equal(sl.remove(a), false);
  // Each subject twice: cached on the second match (see the admission tests).
  for (const subject of ['foo.x', 'foo.x', 'foo.y', 'bar']) {
    sl.match(subject);
    sl.match(subject);
  }
  const st = sl.stats();
  assert.equal(st.num_subscriptions, 2);
  assert.equal(sl.size, 2);
  assert.equal(st.num_inserts, 3);
  assert.equal(st.num_removes, 1);
  assert.equal(st.num_matches, 8);
  assert.equal(st.num_cache, 3);
  assert.equal(st.cache_hit_rate, 2 / 8);
  assert.equal(st.max_fanout, 2, 'foo.x: one plain subscriber and one queue group');
  assert.equal(st.avg_fanout, 4 / 3);
});

test('stats(): an unused sublist reports zeros', () => {
  assert.deepEqual(new Sublist<Entry>().stats(), {
    num_subscriptions: 0,
    num_cache: 0,
    num_inserts: 0,
    num_removes: 0,
    num_matches: 0,
    cache_hit_rate: 0,
    max_fanout: 0,
    avg_fanout: 0,
  });
});

test('all(): every entry, plain and queue, wildcards included', () => {
  const sl = build(PATTERNS);
  const q = entry('q', 'foo.*', 'g');
  sl.insert(q);
  const ids = (): string[] => sl.all().map((e) => e.id).sort();
  assert.deepEqual(ids(), [...PATTERNS.map((e) => e.id), 'q'].sort());
  sl.remove(q);
  sl.remove(PATTERNS[0]);
  assert.deepEqual(ids(), PATTERNS.slice(1).map((e) => e.id).sort());
});

/** Independent of the code under test: token by token, * one token, > one or more. */
function naiveMatches(subject: string, pattern: string): boolean {
  const s = subject.split('.');
  const p = pattern.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return s.length === p.length;
}

function naiveView(entries: readonly Entry[], subject: string): View {
  const psubs: string[] = [];
  const qsubs: Record<string, string[]> = {};
  for (const e of entries) {
    if (!naiveMatches(subject, e.subject)) continue;
    if (e.queue === null) psubs.push(e.id);
    else (qsubs[e.queue] ??= []).push(e.id);
  }
  for (const k of Object.keys(qsubs)) qsubs[k].sort();
  return { psubs: psubs.sort(), qsubs };
}

for (const useCache of [true, false]) {
  test(`random inserts, removes and matches agree with a naive matcher (${useCache ? 'with' : 'without'} cache)`, () => {
    const rnd = prng(useCache ? 20240601 : 7);
    const tokens = ['a', 'b', 'c', 'd'];
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const literal = (): string => Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(tokens)).join('.');
    const pattern = (): string => {
      const n = 1 + Math.floor(rnd() * 4);
      const out: string[] = [];
      for (let i = 0; i < n; i++) {
        const r = rnd();
        out.push(i === n - 1 && r < 0.15 ? '>' : r < 0.35 ? '*' : pick(tokens));
      }
      return out.join('.');
    };
    const sl = new Sublist<Entry>(useCache);
    const live: Entry[] = [];
    let nextId = 0;
    let removed = 0;
    for (let step = 0; step < 4000; step++) {
      const r = rnd();
      if (r < 0.4 || live.length === 0) {
        const e = entry(`e${nextId++}`, pattern(), rnd() < 0.3 ? pick(['q1', 'q2', 'q3']) : null);
        sl.insert(e);
        live.push(e);
      } else if (r < 0.6) {
        const i = Math.floor(rnd() * live.length);
        assert.equal(sl.remove(live[i]), true, `remove ${live[i].subject} at step ${step}`);
        live.splice(i, 1);
        removed++;
      } else if (r < 0.63) {
        assert.equal(sl.remove(entry('absent', pattern())), false, `remove absent at step ${step}`);
      } else {
        const subject = literal();
        assert.deepEqual(view(sl.match(subject)), naiveView(live, subject), `match ${subject} at step ${step}`);
      }
    }
    assert.ok(removed > 500, 'the run removed entries');
    assert.equal(sl.size, live.length);
    assert.deepEqual(sl.all().map((e) => e.id).sort(), live.map((e) => e.id).sort());
    for (const e of [...live]) assert.equal(sl.remove(e), true);
    assert.equal(sl.size, 0);
    assert.deepEqual(sl.all(), []);
    assert.deepEqual(view(sl.match('a.b')), { psubs: [], qsubs: {} });
  });
}
