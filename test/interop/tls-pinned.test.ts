// Differential: `tls { pinned_certs }`. The PKI is made with openssl when this file loads; the key id
// pinned is computed here (SHA-256 of the certificate's SubjectPublicKeyInfo), and nats-server, given
// the same file, must agree on which client certificates pass.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { connect } from '@nats-io/transport-node';

import { createTestPki, keyId } from '../helpers/tls-certs.js';
import { serverPair } from './differential.js';

const pki = createTestPki();
after(() => pki.remove());

const CONF = `
tls {
  cert_file: "${pki.serverCert}"
  key_file: "${pki.serverKey}"
  ca_file: "${pki.caFile}"
  verify: true
  pinned_certs: ["${keyId(pki.clientCert).toUpperCase()}"]
}
`;

/** 'connected' and a message's round trip, or how the connection failed. */
async function tryClient(port: number, certFile: string, keyFile: string): Promise<string> {
  try {
    const nc = await connect({ servers: `127.0.0.1:${port}`, reconnect: false, timeout: 3000, tls: { caFile: pki.caFile, certFile, keyFile } });
    try {
      const sub = nc.subscribe('pinned', { max: 1 });
      nc.publish('pinned', 'ok');
      for await (const m of sub) return `connected: ${m.string()}`;
      return 'connected: nothing';
    } finally {
      await nc.close();
    }
  } catch {
    return 'refused';
  }
}

describe('tls pinned_certs: leafgate vs nats-server', () => {
  const servers = serverPair(CONF);

  test('the pinned client certificate (pinned in upper case) connects; another one signed by the same CA chain is refused', async () => {
    const { natsServer, leafgate } = servers();
    const observe = async (port: number) => ({
      pinned: await tryClient(port, pki.clientCert, pki.clientKey),
      notPinned: await tryClient(port, pki.chainedClientCert, pki.chainedClientKey),
    });
    const want = { pinned: 'connected: ok', notPinned: 'refused' };
    assert.deepEqual({ natsServer: await observe(natsServer.port), leafgate: await observe(leafgate.port) }, { natsServer: want, leafgate: want });
  });
});
