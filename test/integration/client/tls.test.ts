// TLS through the official client, with a CA, server and client certificates made by openssl for this run.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TlsConfig } from '../../../src/config/index.js';
import { RawClient } from '../../helpers/raw-client.js';
import { serverWithClients, take } from '../../helpers/nats-client.js';
import { createTestPki } from '../../helpers/tls-certs.js';
import type { TestPki } from '../../helpers/tls-certs.js';

let pki: TestPki;
before(() => {
  pki = createTestPki();
});
after(() => pki.remove());

function serverTls(verify: boolean): TlsConfig {
  return { certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.caFile, verify, timeoutMs: 1000 };
}

test('a client trusting the CA connects over TLS; INFO says tls_required', async (t) => {
  const { client } = await serverWithClients(t, { tls: serverTls(false) });
  const nc = await client({ tls: { caFile: pki.caFile } });
  assert.equal(nc.info?.tls_required, true);
  assert.equal(nc.info?.tls_verify, undefined);
  const sub = nc.subscribe('secure', { max: 1 });
  nc.publish('secure', 'over tls');
  const [m] = await take(sub, 1);
  assert.equal(m?.string(), 'over tls');
});

test('the INFO before the handshake is plain text and announces TLS', async (t) => {
  const { srv } = await serverWithClients(t, { tls: serverTls(true) });
  const { client: raw, info } = await RawClient.open(srv.port);
  t.after(() => raw.close());
  assert.equal(info.tls_required, true);
  assert.equal(info.tls_verify, true);
});

test('a client that does not trust the server certificate cannot connect', async (t) => {
  const { client } = await serverWithClients(t, { tls: serverTls(false) });
  await assert.rejects(client({ tls: {} }));
});

test('verify=true: a client without a certificate is refused, one with a CA-signed certificate works', async (t) => {
  const { client } = await serverWithClients(t, { tls: serverTls(true) });
  await assert.rejects(client({ tls: { caFile: pki.caFile }, timeout: 3000 }));

  const nc = await client({ tls: { caFile: pki.caFile, certFile: pki.clientCert, keyFile: pki.clientKey } });
  assert.equal(nc.info?.tls_verify, true);
  const sub = nc.subscribe('mtls', { max: 1 });
  nc.publish('mtls', 'mutual');
  const [m] = await take(sub, 1);
  assert.equal(m?.string(), 'mutual');
});

test('verify=true: a client certificate from another CA is refused', async (t) => {
  const other = createTestPki();
  t.after(() => other.remove());
  const { client } = await serverWithClients(t, { tls: serverTls(true) });
  await assert.rejects(client({ tls: { caFile: pki.caFile, certFile: other.clientCert, keyFile: other.clientKey }, timeout: 3000 }));
});

test('a client that never starts the TLS handshake is closed after the TLS timeout', async (t) => {
  const { srv } = await serverWithClients(t, { tls: serverTls(false) });
  const { client: raw } = await RawClient.open(srv.port);
  t.after(() => raw.close());
  await raw.waitClosed(5000);
  assert.equal(raw.closed, true);
});

test('allow_non_tls: a plain client and a TLS client share the port; INFO says tls_available', async (t) => {
  const { srv, client } = await serverWithClients(t, { tls: serverTls(false), allowNonTls: true });
  const { client: raw, info } = await RawClient.open(srv.port, '{"verbose":false}');
  t.after(() => raw.close());
  assert.equal(info.tls_available, true);
  assert.equal(info.tls_required, undefined);
  // nats.js upgrades whenever INFO offers TLS unless told `tls: null`.
  const plain = await client({ tls: null });
  const secure = await client({ tls: { caFile: pki.caFile } });
  const sub = plain.subscribe('mixed', { max: 1 });
  await plain.flush();
  secure.publish('mixed', 'from tls');
  const [m] = await take(sub, 1);
  assert.equal(m?.string(), 'from tls');
  const conns = [...srv.server.router.conns.values()];
  assert.deepEqual(conns.map((c) => c.tlsVersion !== '').sort(), [false, false, true], 'raw and plain in clear, one over TLS');
});

test('allow_non_tls with verify: a CA-signed client certificate works, one from another CA is refused', async (t) => {
  const other = createTestPki();
  t.after(() => other.remove());
  const { client } = await serverWithClients(t, { tls: serverTls(true), allowNonTls: true });
  const good = await client({ tls: { caFile: pki.caFile, certFile: pki.clientCert, keyFile: pki.clientKey } });
  const sub = good.subscribe('sniffed', { max: 1 });
  good.publish('sniffed', 'mutual');
  const [m] = await take(sub, 1);
  assert.equal(m?.string(), 'mutual');
  await assert.rejects(client({ tls: { caFile: pki.caFile, certFile: other.clientCert, keyFile: other.clientKey }, timeout: 3000 }));
  await assert.rejects(client({ tls: { caFile: pki.caFile }, timeout: 3000 }), 'no client certificate');
});

for (const allowNonTls of [false, true]) {
  const mode = allowNonTls ? 'allow_non_tls' : 'TLS required';
  test(`${mode}, verify: a certificate from an intermediate CA (chain sent by the client) works; chains to another CA are refused`, async (t) => {
    const other = createTestPki();
    t.after(() => other.remove());
    const { client } = await serverWithClients(t, { tls: serverTls(true), allowNonTls });
    const chained = await client({ tls: { caFile: pki.caFile, certFile: pki.chainedClientCert, keyFile: pki.chainedClientKey } });
    const sub = chained.subscribe('chain', { max: 1 });
    chained.publish('chain', 'via intermediate');
    const [m] = await take(sub, 1);
    assert.equal(m?.string(), 'via intermediate');
    await assert.rejects(client({ tls: { caFile: pki.caFile, certFile: other.chainedClientCert, keyFile: other.chainedClientKey }, timeout: 3000 }));
    await assert.rejects(client({ tls: { caFile: pki.caFile, certFile: other.clientCert, keyFile: other.clientKey }, timeout: 3000 }));
  });
}
