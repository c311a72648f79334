// A scoped signing key's template filled in for a user, as nats-server's processUserPermissionsTemplate does.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { applyUserTemplate, TemplateError } from '../../../src/auth/user-template.js';

const user = { name: 'blue', subject: 'UKEY', tags: ['site:north', 'site:south', 'role:cam'], issuerAccount: 'AKEY' };
const account = { name: 'acme', tags: ['tier:gold'] };

test('name, subject, account name and key fill whole tokens; other subjects pass unchanged', () => {
  const out = applyUserTemplate({ pub: { allow: ['{{name()}}.>', '{{subject()}}.x', '{{account-name()}}.{{account-subject()}}', 'plain.>'] } }, user, account);
  assert.deepEqual(out.pub?.allow, ['blue.>', 'UKEY.x', 'acme.AKEY', 'plain.>']);
});

test('a tag token takes each of its values; two tag tokens take every pair', () => {
  const out = applyUserTemplate({ sub: { allow: ['{{tag(site)}}.{{tag(role)}}.>', 'gold.{{account-tag(tier)}}'] } }, user, account);
  assert.deepEqual(out.sub?.allow, ['north.cam.>', 'south.cam.>', 'gold.gold']);
});

test('an allow subject that cannot be made is skipped, and an allow list left empty denies everything', () => {
  const out = applyUserTemplate({ pub: { allow: ['{{tag(missing)}}.x'] }, sub: { allow: ['{{unknown()}}'] } }, user, account);
  assert.deepEqual(out.pub, { allow: [], deny: ['>'] });
  assert.deepEqual(out.sub, { allow: [], deny: ['>'] });
});

test('a deny subject that cannot be made refuses the user', () => {
  assert.throws(() => applyUserTemplate({ pub: { deny: ['{{tag(missing)}}.x'] } }, user, account), TemplateError);
});
