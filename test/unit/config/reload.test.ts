import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DEFAULTS, deepEqual, diffOptions, mergeOptions } from '../../../src/config/index.js';

test('diffOptions: identical options differ in nothing', () => {
  assert.deepEqual(diffOptions(mergeOptions({ port: 1 }), mergeOptions({ port: 1 })), { changed: [], refused: [] });
});

test('diffOptions: reloadable changes are changed, not refused', () => {
  const diff = diffOptions(DEFAULTS, mergeOptions({ debug: true, maxPayload: 2048, serverName: 'x' }));
  assert.deepEqual(diff.changed.sort(), ['debug', 'maxPayload', 'serverName']);
  assert.deepEqual(diff.refused, []);
});

test('diffOptions: listen address, JetStream and monitoring changes are refused', () => {
  const diff = diffOptions(DEFAULTS, mergeOptions({ port: 5000, host: '127.0.0.1', jetstream: true, storeDir: '/d', httpPort: 8222, trace: true }));
  assert.deepEqual(diff.changed.sort(), ['host', 'httpPort', 'jetstream', 'port', 'storeDir', 'trace']);
  assert.deepEqual(diff.refused.sort(), ['host', 'httpPort', 'jetstream', 'port', 'storeDir']);
});

test('diffOptions: nested values compare deeply', () => {
  const users = (password: string) => [{ user: 'a', password, account: '$G', permissions: { publish: { allow: ['x'] } } }];
  const a = mergeOptions({ auth: { users: users('p') } });
  const same = mergeOptions({ auth: { users: users('p') } });
  const other = mergeOptions({ auth: { users: users('q') } });
  assert.deepEqual(diffOptions(a, same).changed, []);
  assert.deepEqual(diffOptions(a, other), { changed: ['auth'], refused: [] });
});

test('diffOptions: an optional option appearing or disappearing is a change', () => {
  const withTls = mergeOptions({ tls: { certFile: 'c', keyFile: 'k', verify: false, timeoutMs: 2000 } });
  assert.deepEqual(diffOptions(DEFAULTS, withTls), { changed: ['tls'], refused: [] });
  assert.deepEqual(diffOptions(withTls, DEFAULTS), { changed: ['tls'], refused: [] });
  assert.deepEqual(diffOptions(DEFAULTS, mergeOptions({ logSizeLimit: 10 })), { changed: ['logSizeLimit'], refused: ['logSizeLimit'] });
});

const equality: [string, unknown, unknown, boolean][] = [
  ['numbers', 1, 1, true],
  ['NaN', Number.NaN, Number.NaN, true],
  ['different numbers', 1, 2, false],
  ['arrays', [1, [2]], [1, [2]], true],
  ['array order', [1, 2], [2, 1], false],
  ['array length', [1], [1, 1], false],
  ['array vs object', [], {}, false],
  ['objects', { a: { b: 1 } }, { a: { b: 1 } }, true],
  ['object key order is irrelevant', { a: 1, b: 2 }, { b: 2, a: 1 }, true],
  ['undefined property equals missing', { a: 1, b: undefined }, { a: 1 }, true],
  ['extra property', { a: 1 }, { a: 1, b: 2 }, false],
  ['null vs object', null, {}, false],
];

for (const [name, a, b, equal] of equality) {
  test(`deepEqual: ${name}`, () => {
    assert.equal(deepEqual(a, b), equal);
  });
}
