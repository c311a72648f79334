import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isValidSubject, subjectIsSubsetOf, subjectsCollide } from '../../../src/jetstream/subjects.js';

const collide: readonly [a: string, b: string, want: boolean][] = [
  ['a.b', 'a.b', true],
  ['a.b', 'a.c', false],
  ['a.*', 'a.b', true],
  ['a.>', 'a.b.c', true],
  ['a.>', 'a', false],
  ['a.*', 'a.b.c', false],
  ['a.*.c', 'a.b.*', true],
  ['a.*', '*.b', true],
  ['a.*', 'b.*', false],
  ['>', 'x.y', true],
  ['a.*', 'a.*.*', false],
  ['a.>', '*.b.*', true],
  ['*.*', 'a.>', true],
  ['f\xc3\xb6.>', 'f\xc3\xb6.x', true],
];

for (const [a, b, want] of collide) {
  test(`subjectsCollide(${a}, ${b}) is ${want} both ways`, () => {
    assert.equal(subjectsCollide(a, b), want);
    assert.equal(subjectsCollide(b, a), want);
  });
}

const subset: readonly [subject: string, test: string, want: boolean][] = [
  ['$JS.API.foo', '$JS.API.>', true],
  ['$JS.>', '$JS.API.>', false],
  ['>', '$JS.API.>', false],
  ['a.*.b', 'a.>', true],
  ['a.*', 'a.b', false],
  ['a.b', 'a.*', true],
  ['a.*', 'a.*', true],
];

for (const [s, t, want] of subset) {
  test(`subjectIsSubsetOf(${s}, ${t}) is ${want}`, () => {
    assert.equal(subjectIsSubsetOf(s, t), want);
  });
}

const valid: readonly [subject: string, want: boolean][] = [
  ['a.b', true],
  ['a.>', true],
  ['a b', false],
  ['a.\tb', false],
  ['a..b', false],
  ['>.a', false],
  ['', false],
];

for (const [s, want] of valid) {
  test(`isValidSubject(${JSON.stringify(s)}) is ${want}`, () => {
    assert.equal(isValidSubject(s), want);
  });
}
