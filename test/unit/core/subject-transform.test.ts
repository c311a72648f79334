import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SubjectTransform } from '../../../src/core/index.js';

test('transforms reuse the wildcards of the source', () => {
  const cases: Array<[src: string, dest: string, subject: string, want: string]> = [
    ['orders.*', 'repub.$1', 'orders.new', 'repub.new'],
    ['orders.*', 'repub.{{wildcard(1)}}', 'orders.new', 'repub.new'],
    ['a.*.b.*', 'x.{{wildcard(2)}}.{{wildcard(1)}}', 'a.1.b.2', 'x.2.1'],
    ['orders.>', 'repub.>', 'orders.a.b.c', 'repub.a.b.c'],
    ['a.*.>', 'b.$1.>', 'a.x.y.z', 'b.x.y.z'],
    ['orders.new', 'other', 'orders.new', 'other'],
    ['>', 'all.>', 'x.y', 'all.x.y'],
  ];
  for (const [src, dest, subject, want] of cases) {
    const tr = SubjectTransform.create(src, dest);
    assert.ok(tr !== null, `${src} -> ${dest}`);
    assert.equal(tr.transform(subject), want, `${src} -> ${dest} on ${subject}`);
  }
});

test('pairs that do not make a transform are refused', () => {
  const refused: Array<[string, string]> = [
    ['orders.*', 'repub.*'],
    ['orders.>', 'repub.x'],
    ['orders.*', 'repub.>'],
    ['orders.*', 'repub.x'],
    ['orders.*', 'repub.$2'],
    ['orders.*', 'repub.$0'],
    ['orders..x', 'repub'],
    ['orders', 'repub..x'],
    ['a.*', 'x.{{ wildcard(1) }}'],
  ];
  for (const [src, dest] of refused) assert.equal(SubjectTransform.create(src, dest), null, `${src} -> ${dest}`);
});
