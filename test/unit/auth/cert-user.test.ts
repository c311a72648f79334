// verify_and_map's lookup: the order of the names tried, Go's subject string, distinguished names.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { certUser, goSubjectString, parseDn } from '../../../src/auth/cert-user.js';
import type { CertIdentity } from '../../../src/util/index.js';

const id = (subject: [string, string][], san: Partial<Omit<CertIdentity, 'subject'>> = {}): CertIdentity => ({ emails: [], dnsNames: [], uris: [], subject, ...san });

function lookup(identity: CertIdentity, names: string[]): string | undefined {
  const users = new Map(names.map((n) => [n, n] as [string, string]));
  return certUser(identity, users.entries(), (name) => users.get(name));
}

test("Go's subject string: its attributes in Go's order, one RDN per type, last first, values escaped", () => {
  const s = id([['DC', 'com'], ['CN', 'a'], ['O', 'Acme, Inc.'], ['OU', 'x'], ['C', 'US'], ['OU', 'y'], ['emailAddress', 'e@x']]);
  assert.equal(goSubjectString(s), 'CN=a,OU=x+OU=y,O=Acme\\, Inc.,C=US');
  assert.equal(goSubjectString(id([['CN', ' #lead'], ['CN', 'last']])), 'CN=last', 'one CommonName, the last');
  assert.equal(goSubjectString(id([['CN', '#h a ']])), 'CN=\\#h a\\ ');
});

test('distinguished names: escapes, + and spaces around types; not a DN: null', () => {
  assert.deepEqual(parseDn('CN=frank, O=Acme\\, Inc.+L=x'), [[['CN', 'frank']], [['O', 'Acme, Inc.'], ['L', 'x']]]);
  assert.deepEqual(parseDn('cn=a\\2Cb'), [[['cn', 'a,b']]]);
  for (const bad of ['alice@example.com', 'spiffe://acme/carol', 'CN=a,', '=a', 'CN']) assert.equal(parseDn(bad), null, bad);
});

test('the order of the names tried: e-mail, DNS, URI, distinguished name (any order), Go subject', () => {
  const all = id([['DC', 'org'], ['O', 'Acme'], ['CN', 'z']], { emails: ['e@x'], dnsNames: ['d.x'], uris: ['u:x'] });
  const names = ['CN=z,O=Acme', 'CN=z,O=Acme,DC=org', 'u:x', 'd.x', 'e@x'];
  assert.equal(lookup(all, names), 'e@x');
  assert.equal(lookup(all, names.slice(0, 4)), 'd.x');
  assert.equal(lookup(all, names.slice(0, 3)), 'u:x');
  assert.equal(lookup(all, names.slice(0, 2)), 'CN=z,O=Acme,DC=org', 'every RDN of the subject, in another order');
  assert.equal(lookup(all, names.slice(0, 1)), 'CN=z,O=Acme', "Go's subject string leaves the DCs out");
  assert.equal(lookup(all, ['CN=y,O=Acme', 'nobody']), undefined);
});
