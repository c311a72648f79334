import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SubjectTransform } from '../../../src/core/index.js';

type Case = [src: string, dest: string, subject: string, want: string];

/** Each case's transform made by `make` maps its subject as wanted. */
function assertTransforms(cases: readonly Case[], make: (src: string, dest: string) => SubjectTransform | string): void {
  for (const [src, dest, subject, want] of cases) {
    const tr = make(src, dest);
    assert.ok(typeof tr !== 'string', `${src} -> ${dest}: ${String(tr)}`);
    assert.equal(tr.transform(subject), want, `${src} -> ${dest} on ${subject}`);
  }
}

test('transforms reuse the wildcards of the source', () => {
  assertTransforms(
    [
      ['orders.*', 'repub.$1', 'orders.new', 'repub.new'],
      ['orders.*', 'repub.{{wildcard(1)}}', 'orders.new', 'repub.new'],
      ['a.*.b.*', 'x.{{wildcard(2)}}.{{wildcard(1)}}', 'a.1.b.2', 'x.2.1'],
      ['orders.>', 'repub.>', 'orders.a.b.c', 'repub.a.b.c'],
      ['a.*.>', 'b.$1.>', 'a.x.y.z', 'b.x.y.z'],
      ['orders.new', 'other', 'orders.new', 'other'],
      ['>', 'all.>', 'x.y', 'all.x.y'],
    ],
    (src, dest) => SubjectTransform.create(src, dest) ?? 'refused',
  );
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

test('functions: partition, split, splitFromLeft/Right, sliceFromLeft/Right, with nats-server 2.9\'s results', () => {
  assertTransforms(
    [
      ['a.*', 'p.{{split(1,-)}}', 'a.x-y--z-', 'p.x.y.z'],
      ['a.*', 'p.{{ SplitFromLeft(1, 2) }}', 'a.abcde', 'p.ab.cde'],
      ['a.*', 'p.{{splitFromRight(1,2)}}', 'a.abcde', 'p.abc.de'],
      ['a.*', 'p.{{sliceFromLeft(1,2)}}', 'a.abcde', 'p.ab.cd.e'],
      ['a.*', 'p.{{sliceFromRight(1,2)}}', 'a.abcde', 'p.a.bc.de'],
      ['a.*', 'p.{{splitFromLeft(1,9)}}', 'a.abc', 'p.abc'],
      ['a.*.*', 'p.{{partition(10,1,2)}}', 'a.x.y', `p.${fnv('xy') % 10}`],
      ['a.*.>', 'p.$1.{{partition(3,1)}}.>', 'a.k.t.u', `p.k.${fnv('k') % 3}.t.u`],
      ['lit', 'q.$1.{{wildcard(1)}}', 'lit', 'q.$1.{{wildcard(1)}}'],
    ],
    (src, dest) => {
      const p = SubjectTransform.parse(src, dest);
      return 'transform' in p ? p.transform : p.error;
    },
  );
});

test('malformed functions are refused with nats-server\'s reason', () => {
  const cases: Array<[string, string, string]> = [
    ['a.*', 'p.{{partition(3)}}', 'invalid mapping destination: not enough arguments passed to the function in {{partition(3)}}'],
    ['a.*', 'p.{{splitfromleft(1,2,3)}}', 'invalid mapping destination: too many arguments passed to the function in {{splitfromleft(1,2,3)}}'],
    ['a.*', 'p.{{split(1,a b)}}', 'invalid mapping destination: function argument is invalid or in the wrong format in {{split(1,a b)}}'],
    ['a.*', 'p.{{PARTITION(2,1)}}', 'invalid mapping destination: unknown function in {{PARTITION(2,1)}}'],
    ['a.>', 'b.{{partition(2,1)}}.>', 'invalid mapping destination: wildcard index out of range in {{partition(2,1)}}: [1]'],
  ];
  for (const [src, dest, error] of cases) assert.deepEqual(SubjectTransform.parse(src, dest), { error }, `${src} -> ${dest}`);
});

/** FNV-1a 32 as Go's hash/fnv New32a. */
function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (const c of Buffer.from(text, 'latin1')) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return h;
}
