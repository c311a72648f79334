// Account subject mappings: which source matches, where its destinations send a subject, the weights.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MappingError, SubjectMappings } from '../../../src/core/index.js';

function mappings(entries: Record<string, string | { subject: string; weight: number }[]>): SubjectMappings {
  const m = new SubjectMappings();
  for (const [src, dest] of Object.entries(entries)) m.add(src, typeof dest === 'string' ? [{ subject: dest, weight: 100 }] : dest);
  return m;
}

test('a literal, a wildcard and a > source map their subjects; others are not mapped', () => {
  const m = mappings({ 'orders.new': 'orders.created', 'a.*.b.*': 'b.$2.a.{{wildcard(1)}}', 'w.>': 'wild.>' });
  assert.equal(m.map('orders.new'), 'orders.created');
  assert.equal(m.map('a.1.b.2'), 'b.2.a.1');
  assert.equal(m.map('w.x.y.z'), 'wild.x.y.z');
  assert.equal(m.map('orders.old'), null);
  assert.equal(m.map('a.1.b'), null);
  assert.equal(m.map('w'), null);
});

test('the first mapping whose source matches wins; adding a source again replaces its mapping in place', () => {
  const m = mappings({ 'x.*': 'first.$1', 'x.y': 'second' });
  assert.equal(m.map('x.y'), 'first.y');
  m.add('x.*', [{ subject: 'third.$1', weight: 100 }]);
  assert.equal(m.map('x.y'), 'third.y');
  assert.equal(m.size, 2);
});

test('weights: each destination gets about its share; what they leave goes to the source, or nowhere when the source is listed', () => {
  const count = (m: SubjectMappings, subject: string, n: number): Record<string, number> => {
    const got: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const to = m.map(subject) ?? 'unmapped';
      got[to] = (got[to] ?? 0) + 1;
    }
    return got;
  };
  const split = count(mappings({ s: [{ subject: 'l', weight: 20 }, { subject: 'r', weight: 80 }] }), 's', 10_000);
  assert.deepEqual(Object.keys(split).sort(), ['l', 'r']);
  assert.ok((split.l as number) > 1000 && (split.l as number) < 3000, JSON.stringify(split));
  const rest = count(mappings({ 'p.*': [{ subject: 'q.$1', weight: 30 }] }), 'p.1', 10_000);
  assert.deepEqual(Object.keys(rest).sort(), ['p.1', 'q.1'], 'the other 70% stay on the source');
  const lossy = count(mappings({ s: [{ subject: 's', weight: 0 }, { subject: 'k', weight: 40 }] }), 's', 10_000);
  assert.deepEqual(Object.keys(lossy).sort(), ['', 'k'], 'the other 60% are dropped');
});

test('bad mappings are refused with nats-server words', () => {
  const refused = (src: string, dests: { subject: string; weight: number }[], message: string) =>
    assert.throws(() => new SubjectMappings().add(src, dests), (e: unknown) => e instanceof MappingError && e.message === message);
  refused('a..b', [{ subject: 'x', weight: 100 }], 'Subject "a..b" is not a valid subject');
  refused('a', [{ subject: 'x', weight: 50 }, { subject: 'x', weight: 50 }], 'Error adding mapping for "a": duplicate entry for "x"');
  refused('a', [{ subject: 'x', weight: 101 }], 'Error adding mapping for "a": individual weights need to be <= 100');
  refused('a', [{ subject: 'x', weight: 60 }, { subject: 'y', weight: 60 }], 'Error adding mapping for "a": total weight needs to be <= 100');
  refused('a.*', [{ subject: 'b.$2', weight: 100 }], 'Error adding mapping for "a.*" to "b.$2" : invalid mapping destination: wildcard index out of range in $2: [2]');
  refused('a.*', [{ subject: 'b.*', weight: 100 }], 'Error adding mapping for "a.*" to "b.*" : invalid subject');
  refused('a.*.*', [{ subject: 'b.$1', weight: 100 }], 'Error adding mapping for "a.*.*" to "b.$1" : invalid mapping destination: not using all of the token wildcard(s) in b.$1');
});
