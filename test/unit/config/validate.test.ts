import assert from 'node:assert/strict';
import { test } from 'node:test';

import { mergeOptions, validateOptions } from '../../../src/config/index.js';

test('validateOptions: defaults are valid', () => {
  assert.deepEqual(validateOptions(mergeOptions()), []);
});

const cases: { name: string; layer: Parameters<typeof mergeOptions>[0]; problems: string[] }[] = [
  {
    name: 'grace period equal to the duration',
    layer: { lameDuckDurationMs: 30_000, lameDuckGracePeriodMs: 30_000 },
    problems: ['lame duck grace period (30s) should be strictly lower than lame duck duration (30s)'],
  },
  {
    name: 'payload above pending',
    layer: { maxPayload: 2048, maxPending: 1024 },
    problems: ['max_payload (2048) cannot be higher than max_pending (1024)'],
  },
  {
    name: 'no_auth_user with no users',
    layer: { auth: { users: [], noAuthUser: 'x' } },
    problems: ['no_auth_user: "x" present, but users are not defined'],
  },
  {
    name: 'no_auth_user naming an account user is fine',
    layer: { auth: { users: [], noAuthUser: 'x' }, accounts: [{ name: 'A', users: [{ user: 'x', password: '', account: 'A' }] }] },
    problems: [],
  },
  {
    name: 'no_auth_user naming nobody',
    layer: { auth: { users: [{ user: 'y', password: '', account: '$G' }], noAuthUser: 'x' } },
    problems: ['no_auth_user: "x" not present as user in authorization block or account configuration'],
  },
];

for (const { name, layer, problems } of cases) {
  test(`validateOptions: ${name}`, () => {
    assert.deepEqual(validateOptions(mergeOptions(layer)), problems);
  });
}

test('validateOptions: positions are prefixed when known', () => {
  const problems = validateOptions(mergeOptions({ maxPayload: 10, maxPending: 5 }), (key) =>
    key === 'max_payload' ? { file: 'a.conf', line: 3, column: 1 } : undefined,
  );
  assert.deepEqual(problems, ['a.conf:3:1: max_payload (10) cannot be higher than max_pending (5)']);
});
