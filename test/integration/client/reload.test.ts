// Reload applied to a running server: limits and permissions reach connections that stay open,
// and a change that needs a restart is refused whole.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { test } from 'node:test';

import { connect } from '@nats-io/transport-node';

import { mergeOptions } from '../../../src/config/index.js';
import type { OptionLayer, Options } from '../../../src/config/index.js';
import { Server } from '../../../src/server.js';
import { Logger } from '../../../src/util/index.js';
import { RawClient } from '../../helpers/raw-client.js';
import { createTestPki } from '../../helpers/tls-certs.js';

async function reloadableServer(first: OptionLayer): Promise<{ server: Server; logs: string[]; next(layer: OptionLayer): void }> {
  const logs: string[] = [];
  let pending: Options = mergeOptions({ host: '127.0.0.1', port: -1 }, first);
  const server = new Server(pending, new Logger({}, { write: (t: string) => logs.push(t) }), () => pending);
  await server.start();
  return {
    server,
    logs,
    next(layer: OptionLayer) {
      pending = mergeOptions({ host: '127.0.0.1', port: -1 }, first, layer);
    },
  };
}

test('a reload lowering max_subscriptions below a client\'s count tells it and closes it', async (t) => {
  const { server, next } = await reloadableServer({});
  t.after(() => server.shutdown());
  const { client } = await RawClient.open(server.port, '{"verbose":false}');
  client.send('SUB a 1\r\nSUB b 2\r\nSUB c 3\r\n');
  assert.equal(await client.sync(), '');
  const { client: small } = await RawClient.open(server.port, '{"verbose":false}');
  small.send('SUB a 1\r\n');
  assert.equal(await small.sync(), '');
  next({ maxSubscriptions: 2 });
  server.reload();
  assert.equal(await client.waitClosed(), "-ERR 'maximum subscriptions exceeded'\r\n");
  assert.equal(await small.sync(), '', 'a client within the new limit stays connected');
  small.close();
});

test('a reload tightening permissions removes the subscription it forbids, the connection stays', async (t) => {
  const user = (subscribe: string[]): OptionLayer => ({
    auth: { users: [{ user: 'u', password: 'p', account: '$G', permissions: { subscribe: { allow: subscribe } } }] },
  });
  const { server, next } = await reloadableServer(user(['a', 'b']));
  t.after(() => server.shutdown());
  const { client } = await RawClient.open(server.port, '{"verbose":false,"user":"u","pass":"p"}');
  client.send('SUB a 1\r\nSUB b 2\r\n');
  assert.equal(await client.sync(), '');
  next(user(['a']));
  server.reload();
  await client.expect(`-ERR 'Permissions Violation for Subscription to "b" (sid "2")'\r\n`);
  client.send('PUB b 1\r\nx\r\nPUB a 1\r\ny\r\n');
  assert.equal(await client.sync(), 'MSG a 1 1\r\ny\r\n');
  client.close();
});

test('a reload that changes the port is refused and the running configuration stays', async (t) => {
  const { server, logs, next } = await reloadableServer({ maxPayload: 1000 });
  t.after(() => server.shutdown());
  next({ port: 4999, maxPayload: 2000 });
  server.reload();
  assert.match(logs.join(''), /config reload not supported for port/);
  assert.equal(server.opts.maxPayload, 1000);
  const { info } = await RawClient.open(server.port);
  assert.equal(info.max_payload, 1000);
});

test('a client accepted while auth was required connects normally after a reload turns auth off', async (t) => {
  const { server, next } = await reloadableServer({ auth: { users: [{ user: 'u', password: 'p', account: '$G' }] } });
  t.after(() => server.shutdown());
  const { client, info } = await RawClient.open(server.port);
  assert.equal(info.auth_required, true);
  next({ auth: { users: [] } });
  server.reload();
  client.send('CONNECT {"verbose":false}\r\nSUB x 1\r\nPUB x 2\r\nhi\r\n');
  assert.equal(await client.sync(), 'MSG x 1 2\r\nhi\r\n');
  client.close();
});

test('a reload changing pinned_certs closes the TLS clients whose certificate it no longer pins, and only them', async (t) => {
  const pki = createTestPki();
  t.after(() => pki.remove());
  const keyId = (certFile: string): string =>
    crypto.createHash('sha256').update(new crypto.X509Certificate(fs.readFileSync(certFile)).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  const tls = (pinned: string[]): OptionLayer => ({ tls: { certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.caFile, verify: true, timeoutMs: 2000, pinnedCerts: pinned } });
  const both = [keyId(pki.clientCert), keyId(pki.chainedClientCert)];
  const { server, logs, next } = await reloadableServer(tls(both));
  t.after(() => server.shutdown());
  const open = (certFile: string, keyFile: string) => connect({ servers: `127.0.0.1:${server.port}`, reconnect: false, tls: { caFile: pki.caFile, certFile, keyFile } });
  const kept = await open(pki.clientCert, pki.clientKey);
  const dropped = await open(pki.chainedClientCert, pki.chainedClientKey);
  t.after(() => kept.close());
  next(tls([both[0] as string]));
  server.reload();
  await dropped.closed();
  assert.equal(dropped.isClosed(), true);
  await kept.flush();
  assert.equal(kept.isClosed(), false, 'the still pinned client stays');
  assert.ok(logs.some((l) => l.includes('Disconnect 1 clients due to pinned certs reload')), logs.join(''));
  await assert.rejects(open(pki.chainedClientCert, pki.chainedClientKey), 'a new connection with the unpinned certificate is refused too');
});

test('a reload that removes a stream import stops its messages to subscriptions already there; restoring it brings them back', async (t) => {
  const accounts = (withImport: boolean): OptionLayer => ({
    accounts: [
      { name: 'A', users: [{ user: 'a', password: 'a', account: 'A' }], streamExports: [{ subject: 'ev.>' }] },
      { name: 'B', users: [{ user: 'b', password: 'b', account: 'B' }], ...(withImport && { streamImports: [{ account: 'A', subject: 'ev.>' }] }) },
    ],
  });
  const { server, next } = await reloadableServer(accounts(true));
  t.after(() => server.shutdown());
  const a = await connect({ port: server.port, user: 'a', pass: 'a' });
  const b = await connect({ port: server.port, user: 'b', pass: 'b' });
  t.after(() => Promise.all([a.close(), b.close()]));
  const got: string[] = [];
  b.subscribe('ev.>', {
    callback: (_err, m) => {
      got.push(m.subject);
    },
  });
  await b.flush();
  const publish = async (subject: string): Promise<void> => {
    a.publish(subject);
    await a.flush();
    await b.flush();
  };
  await publish('ev.1');
  next(accounts(false));
  server.reload();
  await publish('ev.2');
  next(accounts(true));
  server.reload();
  await publish('ev.3');
  assert.deepEqual(got, ['ev.1', 'ev.3']);
});
