import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DEFAULTS, deepEqual, describeChanges, diffOptions, mergeOptions } from '../../../src/config/index.js';

test('diffOptions: identical options differ in nothing', () => {
  assert.deepEqual(diffOptions(mergeOptions({ port: 1 }), mergeOptions({ port: 1 })), { changed: [], refused: [] });
});

test('diffOptions: reloadable changes are changed, not refused', () => {
  const diff = diffOptions(DEFAULTS, mergeOptions({ debug: true, maxPayload: 2048, serverName: 'x' }));
  assert.deepEqual(diff.changed.sort(), ['debug', 'maxPayload', 'serverName']);
  assert.deepEqual(diff.refused, []);
});

test('diffOptions: listen address and monitoring changes are refused; turning JetStream on is not', () => {
  const diff = diffOptions(DEFAULTS, mergeOptions({ port: 5000, host: '127.0.0.1', jetstream: { enabled: true, storeDir: '/d' }, httpPort: 8222, trace: true }));
  assert.deepEqual(diff.changed.sort(), ['host', 'httpPort', 'jetstream', 'port', 'trace']);
  assert.deepEqual(diff.refused.sort(), ['host', 'httpPort', 'port']);
  assert.equal(diff.refusal, 'config reload not supported for host, port, httpPort');
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
  assert.deepEqual(diffOptions(DEFAULTS, mergeOptions({ logSizeLimit: 10 })), {
    changed: ['logSizeLimit'],
    refused: ['logSizeLimit'],
    refusal: 'config reload not supported for logSizeLimit',
  });
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

test('describeChanges: each changed setting in nats-server words, secrets never shown', () => {
  const before = mergeOptions({ auth: { users: [{ user: 'a', password: 'p', account: '$G' }], timeoutMs: 2000 } });
  const after = mergeOptions({
    debug: true,
    maxPayload: 2000,
    pingIntervalMs: 30_000,
    accounts: [{ name: 'X', users: [] }],
    auth: { users: [{ user: 'a', password: 'secret-q', account: '$G' }], timeoutMs: 1500 },
  });
  const { changed } = diffOptions(before, after);
  const lines = describeChanges(before, after, changed);
  assert.deepEqual([...lines].sort(), ['accounts', 'authorization timeout = 1.5', 'authorization users', 'debug = true', 'max_payload = 2000', 'ping_interval = 30s']);
  assert.ok(!lines.some((l) => l.includes('secret-q')));
});

test('describeChanges: single user, token and no_auth_user; system account changes read as accounts', () => {
  const before = mergeOptions({ auth: { users: [], user: 'u', password: 'p' } });
  const after = mergeOptions({ auth: { users: [], token: 't0ken' }, systemAccount: 'SYS', noSystemAccount: true });
  assert.deepEqual(describeChanges(before, after, diffOptions(before, after).changed).sort(), [
    'accounts',
    'authorization password',
    'authorization token',
    'authorization username',
  ]);
  const noAuth = mergeOptions({ auth: { users: [{ user: 'g', password: '', account: '$G' }], noAuthUser: 'g' } });
  const withUsers = mergeOptions({ auth: { users: [{ user: 'g', password: '', account: '$G' }] } });
  assert.deepEqual(describeChanges(withUsers, noAuth, ['auth']), ['no_auth_user = g']);
});

test('describeChanges: TLS switched on or off, or only its timeout changed', () => {
  const tls = (timeoutMs: number) => ({ certFile: 'c', keyFile: 'k', verify: false, timeoutMs });
  const off = mergeOptions({});
  const on = mergeOptions({ tls: tls(2000) });
  assert.deepEqual(describeChanges(off, on, ['tls']), ['tls = enabled']);
  assert.deepEqual(describeChanges(on, off, ['tls']), ['tls = disabled']);
  assert.deepEqual(describeChanges(on, mergeOptions({ tls: tls(500) }), ['tls']), ['tls timeout = 0.5']);
  assert.deepEqual(describeChanges(on, mergeOptions({ tls: { ...tls(2000), verify: true } }), ['tls']), ['tls = enabled']);
});

test('describeChanges: nothing changed, nothing said; the config file path is not a change worth a line', () => {
  assert.deepEqual(describeChanges(DEFAULTS, DEFAULTS, []), []);
  assert.deepEqual(describeChanges(DEFAULTS, mergeOptions({ configFile: '/x.conf' }), ['configFile']), []);
});
