// Differential: `tls { verify_and_map }`. Client certificates made with openssl when this file loads
// name their holder by e-mail, DNS name, URI or subject; nats-server and leafgate, given the same
// file, must log each one in as the same user (or refuse it), as /connz?auth=1 shows.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { connect } from '@nats-io/transport-node';

import { createTestPki, issueClientCert } from '../helpers/tls-certs.js';
import { serverPair } from './differential.js';

const pki = createTestPki();
after(() => pki.remove());

const certs = {
  email: issueClientCert(pki, 'map-email', '/CN=ignored', 'email:alice@example.com'),
  dns: issueClientCert(pki, 'map-dns', '/CN=ignored too', 'DNS:bob.example.com'),
  uri: issueClientCert(pki, 'map-uri', '/CN=x', 'URI:spiffe://acme/carol'),
  subject: issueClientCert(pki, 'map-subject', '/O=Acme/OU=ops/CN=dave'),
  reordered: issueClientCert(pki, 'map-reordered', '/C=US/O=Acme/CN=erin'),
  escaped: issueClientCert(pki, 'map-escaped', '/O=Acme, Inc./CN=frank'),
  dcs: issueClientCert(pki, 'map-dcs', '/DC=com/DC=example/CN=gina'),
  stranger: issueClientCert(pki, 'map-stranger', '/CN=nobody', 'email:nobody@example.com'),
};

const CONF = `
tls {
  cert_file: "${pki.serverCert}"
  key_file: "${pki.serverKey}"
  ca_file: "${pki.caFile}"
  verify_and_map: true
}
authorization {
  users: [
    { user: "alice@example.com" }
    { user: "bob.example.com" }
    { user: "spiffe://acme/carol" }
    { user: "CN=dave,OU=ops,O=Acme" }
    { user: "O=Acme,C=US,CN=erin" }
    { user: "CN=frank,O=Acme\\\\, Inc." }
    { user: "CN=gina,DC=com,DC=example" }
    { user: "CN=ignored" }
  ]
}
`;

/** Who the server says the certificate's holder is, or 'refused'. */
async function loggedInAs(port: number, http: number, cert: { cert: string; key: string }): Promise<string> {
  let nc;
  try {
    nc = await connect({ servers: `127.0.0.1:${port}`, reconnect: false, timeout: 3000, tls: { caFile: pki.caFile, certFile: cert.cert, keyFile: cert.key } });
  } catch {
    return 'refused';
  }
  try {
    const res = await fetch(`http://127.0.0.1:${http}/connz?auth=1`);
    const conns = ((await res.json()) as { connections: { cid: number; authorized_user?: string }[] }).connections;
    return conns.find((c) => c.cid === nc.info?.client_id)?.authorized_user ?? 'no user';
  } finally {
    await nc.close();
  }
}

describe('tls verify_and_map: leafgate vs nats-server', () => {
  const servers = serverPair(CONF, { monitoring: true });

  test('e-mail, DNS name, URI, then the subject (as a distinguished name in any order, or as Go writes it) name the user', async () => {
    const { natsServer, leafgate, httpPort } = servers();
    const observe = async (port: number, http: number): Promise<Record<string, string>> => {
      const out: Record<string, string> = {};
      for (const [name, cert] of Object.entries(certs)) out[name] = await loggedInAs(port, http, cert);
      return out;
    };
    const fromNats = await observe(natsServer.port, httpPort.natsServer);
    const fromLeafgate = await observe(leafgate.port, httpPort.leafgate);
    assert.deepEqual(fromLeafgate, fromNats);
    assert.deepEqual(fromNats, {
      email: 'alice@example.com',
      dns: 'bob.example.com',
      uri: 'spiffe://acme/carol',
      subject: 'CN=dave,OU=ops,O=Acme',
      reordered: 'O=Acme,C=US,CN=erin',
      escaped: 'CN=frank,O=Acme\\, Inc.',
      dcs: 'CN=gina,DC=com,DC=example',
      stranger: 'refused',
    });
  });
});
