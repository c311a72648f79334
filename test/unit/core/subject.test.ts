import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isValidLiteralSubject, isValidSubscribeSubject, subjectMatches, tokenCount } from '../../../src/core/index.js';
import { matchesTokens } from '../../../src/util/index.js';

const subscribeSubjects: readonly [string, boolean][] = [
  ['foo', true],
  ['foo.bar', true],
  ['foo.*', true],
  ['*', true],
  ['>', true],
  ['foo.>', true],
  ['*.>', true],
  ['*.*.*', true],
  ['foo.*.bar', true],
  ['foo*.bar', true],
  ['foo.>bar', true],
  ['foo.b>', true],
  ['$SYS.>', true],
  ['_INBOX.abc.*', true],
  ['f\xf6\xf6.\u00e9', true],
  ['', false],
  ['.', false],
  ['..', false],
  ['.foo', false],
  ['foo.', false],
  ['foo..bar', false],
  ['foo.>.bar', false],
  ['>.foo', false],
  ['>.>', false],
  ['foo.>.>', false],
  ['foo.*.', false],
];

for (const [subject, valid] of subscribeSubjects) {
  test(`isValidSubscribeSubject(${JSON.stringify(subject)}) is ${valid}`, () => {
    assert.equal(isValidSubscribeSubject(subject), valid);
  });
}

const literalSubjects: readonly [string, boolean][] = [
  ['foo', true],
  ['foo.bar', true],
  ['foo.bar.baz', true],
  ['foo*.bar', true],
  ['foo.>bar', true],
  ['foo.**', true],
  ['$JS.API.INFO', true],
  ['f\xf6\xf6', true],
  ['*', false],
  ['>', false],
  ['foo.*', false],
  ['foo.>', false],
  ['foo.*.bar', false],
  ['*.foo', false],
  ['', false],
  ['.', false],
  ['.foo', false],
  ['foo.', false],
  ['foo..bar', false],
];

for (const [subject, valid] of literalSubjects) {
  test(`isValidLiteralSubject(${JSON.stringify(subject)}) is ${valid}`, () => {
    assert.equal(isValidLiteralSubject(subject), valid);
  });
}

test('tokenCount', () => {
  const cases: [string, number][] = [
    ['foo', 1],
    ['foo.bar', 2],
    ['a.b.c.d', 4],
    ['>', 1],
    ['*.>', 2],
    ['foo..bar', 3],
    ['foo.', 2],
  ];
  for (const [subject, n] of cases) assert.equal(tokenCount(subject), n, subject);
});

/** [subject, pattern, matches]: wildcards in the subject are ordinary tokens. */
const matches: readonly [string, string, boolean][] = [
  ['foo', 'foo', true],
  ['foo', 'bar', false],
  ['foo.bar', 'foo.bar', true],
  ['foo.bar', 'foo', false],
  ['foo', 'foo.bar', false],
  ['foo.bar', 'foo.*', true],
  ['foo', 'foo.*', false],
  ['foo.bar.baz', 'foo.*', false],
  ['foo.bar', '*.bar', true],
  ['foo.bar', '*.*', true],
  ['foo.bar', '*', false],
  ['foo', '*', true],
  ['foo.bar', 'foo.>', true],
  ['foo.bar.baz', 'foo.>', true],
  ['foo', 'foo.>', false],
  ['foo', '>', true],
  ['foo.bar.baz', '>', true],
  ['foo.bar.baz', '*.>', true],
  ['foo', '*.>', false],
  ['foo.bar.baz', 'foo.*.baz', true],
  ['foo.bar.qux', 'foo.*.baz', false],
  ['foo.bar.baz.qux', 'foo.*.baz.>', true],
  ['foo.bar.baz', 'foo.*.baz.>', false],
  ['foo.*', 'foo.*', true],
  ['foo.*', 'foo.>', true],
  ['foo.>', 'foo.*', true],
  ['foo.*', 'foo.bar', false],
  ['foo.>', 'foo.bar', false],
  ['foo*.bar', 'foo*.bar', true],
  ['foox.bar', 'foo*.bar', false],
];

for (const [subject, pattern, expected] of matches) {
  test(`subjectMatches(${JSON.stringify(subject)}, ${JSON.stringify(pattern)}) is ${expected}`, () => {
    assert.equal(subjectMatches(subject, pattern), expected);
    assert.equal(matchesTokens(subject, pattern.split('.')), expected, 'the pre-split form agrees');
  });
}
