// Linking exports and imports as nats-server does: who may import, how an export named twice adds
// up, and how `$n` in an import's subject reorders wildcards.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { linkAccounts, withSystemLinks } from '../../../src/util/index.js';
import type { AccountLinksSpec } from '../../../src/util/index.js';

const names = (specs: AccountLinksSpec[]): AccountLinksSpec[] => ['A', 'B', 'C'].map((name) => specs.find((s) => s.name === name) ?? { name });

test('an export named again without accounts keeps its restriction; named with others, it adds them', () => {
  const specs = names([
    { name: 'A', streamExports: [{ subject: 'foo', accounts: ['B'] }, { subject: 'foo' }], serviceExports: [{ subject: 'svc', accounts: ['B'] }, { subject: 'svc', accounts: ['C'] }] },
    { name: 'B', streamImports: [{ account: 'A', subject: 'foo' }], serviceImports: [{ account: 'A', subject: 'svc' }] },
    { name: 'C', streamImports: [{ account: 'A', subject: 'foo' }], serviceImports: [{ account: 'A', subject: 'svc' }] },
  ]);
  const { accounts, errors } = linkAccounts(specs);
  assert.deepEqual(errors, ['Error adding stream import "foo": stream import not authorized']);
  assert.equal(accounts.get('B')?.streamImports.length, 1);
  assert.equal(accounts.get('C')?.streamImports.length, 0);
  assert.equal(accounts.get('B')?.serviceImports.length, 1);
  assert.equal(accounts.get('C')?.serviceImports.length, 1);
  assert.deepEqual(accounts.get('A')?.serviceExports[0]?.accounts, ['B', 'C']);
});

test('`$n` in an import subject reorders the wildcards, both ways', () => {
  const { accounts, errors } = linkAccounts(
    names([
      { name: 'A', streamExports: [{ subject: 'foo.*.*' }], serviceExports: [{ subject: 'svc.*.*' }] },
      { name: 'B', streamImports: [{ account: 'A', subject: 'foo.*.*', to: 'bar.$2.$1' }], serviceImports: [{ account: 'A', subject: 'svc.*.*', to: 'req.$2.$1' }] },
    ]),
  );
  assert.deepEqual(errors, []);
  const stream = accounts.get('B')?.streamImports[0];
  assert.equal(stream?.to, 'bar.*.*');
  assert.equal(stream?.transform?.transform('foo.a.b'), 'bar.b.a');
  assert.equal(stream?.reverse?.transform('bar.x.y'), 'foo.y.x', 'a subscription on bar.x.y is a shadow on foo.y.x');
  const service = accounts.get('B')?.serviceImports[0];
  assert.equal(service?.from, 'req.*.*');
  assert.equal(service?.transform?.transform('req.a.b'), 'svc.b.a');
});

test('the system account adds its CONNZ, STATZ and USER.INFO exports unless one of its own covers them, and imports them into every other account', () => {
  const specs = withSystemLinks([{ name: 'SYS', serviceExports: [{ subject: '$SYS.REQ.ACCOUNT.*.CONNZ', accounts: ['A'] }] }, { name: 'A' }], 'SYS', ['$G', 'SYS', 'A', 'B']);
  const sys = specs.find((s) => s.name === 'SYS');
  assert.deepEqual(sys?.serviceExports?.map((e) => e.subject), ['$SYS.REQ.ACCOUNT.*.CONNZ', '$SYS.REQ.ACCOUNT.*.STATZ', '$SYS.REQ.USER.*.INFO']);
  const { accounts, errors } = linkAccounts(specs);
  assert.deepEqual(errors, [], "the server's own imports are not checked against the exports");
  for (const name of ['$G', 'A', 'B']) assert.equal(accounts.get(name)?.serviceImports.length, 4, name);
  const userInfo = accounts.get('A')?.serviceImports.find((im) => im.from === '$SYS.REQ.USER.INFO');
  assert.equal(userInfo?.share, true, "the requester's details go with the request");
  assert.equal(accounts.get('SYS')?.serviceImports.length, 0);
});
