// Differential: wss with client certificates. The websocket block's own `verify_and_map` names the
// user by the certificate and its `pinned_certs` admit only the listed keys, on nats-server and
// leafgate alike. The client is a `ws` WebSocket with a certificate, speaking the NATS protocol.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, test } from 'node:test';

import { WebSocket } from 'ws';

import { createTestPki, issueClientCert, keyId } from '../helpers/tls-certs.js';
import { serverPair } from './differential.js';
import type { ServerPair } from './differential.js';

const pki = createTestPki();
after(() => pki.remove());
const alice = issueClientCert(pki, 'ws-alice', '/CN=ignored', 'email:alice@example.com');
const stranger = issueClientCert(pki, 'ws-stranger', '/CN=nobody');

function wsPortOf(output: string): number {
  const m = /Listening for websocket clients on wss:\/\/[^\s]*:(\d+)/.exec(output);
  if (m === null) throw new Error(`no websocket listener in: ${output}`);
  return Number(m[1]);
}

/** CONNECT and PING over wss with this certificate: 'PONG', the -ERR, or 'closed'. */
function login(wsPort: number, cert: { cert: string; key: string }): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`wss://127.0.0.1:${wsPort}`, { ca: fs.readFileSync(pki.caFile), cert: fs.readFileSync(cert.cert), key: fs.readFileSync(cert.key) });
    let text = '';
    const timer = setTimeout(() => finish('timeout'), 5000);
    const finish = (outcome: string): void => {
      clearTimeout(timer);
      ws.terminate();
      resolve(outcome);
    };
    ws.on('message', (data: Buffer) => {
      text += data.toString('latin1');
      if (text.startsWith('INFO') && !text.includes('\u0000')) {
        text += '\u0000';
        ws.send(Buffer.from('CONNECT {"verbose":false,"protocol":1}\r\nPING\r\n'));
      }
      if (text.includes('PONG\r\n')) finish('PONG');
      const err = /-ERR [^\r]*/.exec(text);
      if (err !== null) finish(err[0]);
    });
    ws.on('error', () => finish('closed'));
    ws.on('close', () => finish('closed'));
  });
}

async function bothSides<T>(pair: ServerPair, observe: (wsPort: number) => Promise<T>): Promise<{ natsServer: T; leafgate: T }> {
  return { natsServer: await observe(wsPortOf(pair.natsServer.output())), leafgate: await observe(wsPortOf(pair.leafgate.output())) };
}

const TLS = `cert_file: "${pki.serverCert}", key_file: "${pki.serverKey}", ca_file: "${pki.caFile}"`;

describe('websocket tls verify_and_map: leafgate vs nats-server', () => {
  const servers = serverPair(`
websocket { host: 127.0.0.1, port: -1, tls { ${TLS}, verify_and_map: true } }
authorization { users: [ { user: "alice@example.com" } ] }
`);
  test('the certificate names the user; one naming nobody configured is refused', async () => {
    const observed = await bothSides(servers(), async (wsPort) => ({ alice: await login(wsPort, alice), stranger: await login(wsPort, stranger) }));
    const want = { alice: 'PONG', stranger: "-ERR 'Authorization Violation'" };
    assert.deepEqual(observed, { natsServer: want, leafgate: want });
  });
});

describe('websocket tls pinned_certs: leafgate vs nats-server', () => {
  const servers = serverPair(`
websocket { host: 127.0.0.1, port: -1, tls { ${TLS}, verify: true, pinned_certs: ["${keyId(alice.cert)}"] } }
`);
  // nats-server (2.9.10, and 2.10) reads the websocket block's pinned_certs and checks their form, but
  // never compares a WebSocket client's certificate with them (websocket.go only validates the list):
  // its stranger gets in. leafgate refuses it, as the setting says and as nats-server does on its
  // client port: an access setting is never weaker than written.
  test('the pinned certificate connects; another one from the same CA does not (nats-server lets it in)', async () => {
    const observed = await bothSides(servers(), async (wsPort) => ({ pinned: await login(wsPort, alice), other: await login(wsPort, stranger) }));
    assert.deepEqual(observed, { natsServer: { pinned: 'PONG', other: 'PONG' }, leafgate: { pinned: 'PONG', other: 'closed' } });
  });
});
