// Fail closed: a config file that restricts access with something leafgate does not implement yet is
// refused by -t and at start, naming the file, line and key, rather than served without that control.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../../helpers/ports.js';
import { runLeafgate } from '../../helpers/processes.js';
import { tempDir } from '../../helpers/temp-dir.js';

const NKEY = 'UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4';

const cases: { name: string; body: string; at: string; key: string }[] = [
  { name: 'a URL resolver', body: 'resolver: URL("http://127.0.0.1:9090/jwt/v1/accounts/")\n', at: '3:1', key: 'resolver URL(...)' },
  { name: 'trusted_keys', body: `trusted_keys: ["O${NKEY.slice(1)}"]\n`, at: '3:1', key: 'trusted_keys' },
  { name: 'resolver_pinned_accounts', body: 'resolver_pinned_accounts: [A]\n', at: '3:1', key: 'resolver_pinned_accounts' },
  { name: 'certificate mapping on the leafnodes listener', body: 'leafnodes {\n  port: -1\n  tls { cert_file: c.pem, key_file: k.pem, verify_and_map: true }\n}\n', at: '5:3', key: 'leafnodes.tls verify_and_map without leafnodes authorization users' },
];

for (const c of cases) {
  test(`${c.name}: -t reports it and exits 1; starting refuses with the same error`, async (t) => {
    const tmp = tempDir(t);
    const port = await freePort();
    const conf = tmp.write('server.conf', `host: 127.0.0.1\nport: ${port}\n${c.body}`);
    const where = new RegExp(`${escapeRegExp(conf)}:${c.at}: ${escapeRegExp(c.key)} (is|are) not supported yet; refusing to start`);

    const check = await runLeafgate(['-t', '-c', conf]);
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stderr, where);
    assert.doesNotMatch(check.stderr, /is valid/);

    // A server that started would not exit by itself: runLeafgate would time out instead.
    const start = await runLeafgate(['-c', conf]);
    assert.equal(start.code, 1, start.stdout + start.stderr);
    assert.match(start.stdout + start.stderr, where);
    assert.doesNotMatch(start.stdout + start.stderr, /Listening for client connections/);
  });
}

test('blocks that open no access (cluster) still only warn', async (t) => {
  const tmp = tempDir(t);
  const conf = tmp.write('server.conf', 'port: 4333\ncluster { name: c }\nleafnodes { port: 7422 }\nwebsocket { port: 8080, no_tls: true }\n');
  const check = await runLeafgate(['-t', '-c', conf]);
  // -t fails on warnings too, as nats-server's does; the point is that they are warnings, not refusals.
  assert.match(check.stderr, /cluster is not supported yet, ignored/);
  assert.doesNotMatch(check.stderr, /leafnodes/);
  assert.doesNotMatch(check.stderr, /refusing to start/);
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
