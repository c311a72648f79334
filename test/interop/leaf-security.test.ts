// Security on the leaf link, against Debian's nats-server 2.9.10 in both roles: TLS with the hub
// verified against a CA and the edge's client certificate verified by the hub, a certificate from
// the wrong CA refused (logged, retried, local service unaffected), and `.creds` logins to an
// operator-mode hub binding the link to the user's account.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { createAccount, createOperator, createUser, encodeAccount, encodeOperator, encodeUser, fmtCreds } from '@nats-io/jwt';
import type { Account } from '@nats-io/jwt';
import { credsAuthenticator } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';

import { closeAll, connectTo } from '../helpers/nats-client.js';
import { createTestPki, issueClientCert, keyId } from '../helpers/tls-certs.js';
import { linkReady, startLeafPair } from './leaf-pair.js';
import type { ServerKind } from './leaf-pair.js';

const PAIRS: readonly (readonly [ServerKind, ServerKind])[] = [
  ['nats-server', 'leafgate'],
  ['leafgate', 'nats-server'],
  ['leafgate', 'leafgate'],
];

const pki = createTestPki();
const otherPki = createTestPki();
after(() => {
  pki.remove();
  otherPki.remove();
});

async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`${what} did not happen within ${timeoutMs}ms`);
    await sleep(50);
  }
}

const HUB_TLS = `tls { cert_file: "${pki.serverCert}", key_file: "${pki.serverKey}", ca_file: "${pki.caFile}", verify: true, timeout: 3 }`;
const EDGE_TLS = `tls { ca_file: "${pki.caFile}", cert_file: "${pki.clientCert}", key_file: "${pki.clientKey}" }`;

describe('leaf link over TLS', { timeout: 90_000 }, () => {
  for (const [hubKind, edgeKind] of PAIRS) {
    test(`${edgeKind} edge -> ${hubKind} hub: the hub verified by its CA, the edge by its client certificate`, async (t) => {
      const pair = await startLeafPair(t, hubKind, edgeKind, { hubLeaf: HUB_TLS, edgeRemote: EDGE_TLS });
      const hub = await pair.hub.connect();
      const edge = await pair.edge.connect();
      t.after(() => closeAll([hub, edge]));
      await linkReady(hub, edge);
    });
  }

  test('a hub whose certificate another CA signed is refused: logged, retried, and the edge keeps serving its clients', async (t) => {
    const pair = await startLeafPair(t, 'nats-server', 'leafgate', {
      hubLeaf: `tls { cert_file: "${otherPki.serverCert}", key_file: "${otherPki.serverKey}" }`,
      edgeRemote: `tls { ca_file: "${pki.caFile}" }`,
    });
    await eventually('a TLS error in the edge log', () => /TLS handshake error/.test(pair.edge.proc.output()));
    const nc = await pair.edge.connect();
    t.after(() => closeAll([nc]));
    const sub = nc.subscribe('local.only', { max: 1 });
    nc.publish('local.only', 'served');
    for await (const m of sub) assert.equal(m.string(), 'served');
    await eventually('a second attempt', () => (pair.edge.proc.output().match(/TLS handshake error/g) ?? []).length >= 2);
  });

  for (const edgeKind of ['nats-server', 'leafgate'] as const) {
    test(`a leafgate hub's pinned_certs: a ${edgeKind} edge whose key is pinned links, one whose key is not is refused while the hub serves its clients`, async (t) => {
      const pinned = (pin: string): string => HUB_TLS.replace('timeout: 3', `timeout: 3, pinned_certs: ["${pin}"]`);
      const pair = await startLeafPair(t, 'leafgate', edgeKind, { hubLeaf: pinned(keyId(pki.clientCert)), edgeRemote: EDGE_TLS });
      const hub = await pair.hub.connect();
      const edge = await pair.edge.connect();
      t.after(() => closeAll([hub, edge]));
      await linkReady(hub, edge);

      // The same edge certificate (signed by the CA the hub trusts) against another pin: refused.
      const other = await startLeafPair(t, 'leafgate', edgeKind, { hubLeaf: pinned('0'.repeat(64)), edgeRemote: EDGE_TLS });
      await eventually('two refusals in the hub log', () => (other.hub.proc.output().match(/TLS handshake error: certificate not pinned/g) ?? []).length >= 2, 20_000);
      assert.doesNotMatch(other.hub.proc.output(), /Leafnode connection created/);
      const nc = await other.hub.connect();
      t.after(() => closeAll([nc]));
      const sub = nc.subscribe('local.only', { max: 1 });
      nc.publish('local.only', 'served');
      for await (const m of sub) assert.equal(m.string(), 'served');
    });
  }

  // The hub's leafnodes users named by certificate: the edge's e-mail address is its user, bound to APP.
  const mapped = issueClientCert(pki, 'leaf-mapped', '/CN=ignored', 'email:edge@example.com');
  const MAPPED_HUB = {
    hubConf: 'accounts { APP: { users: [ { user: app, password: secret } ] } }\nno_auth_user: app',
    hubLeaf: `${HUB_TLS.replace('timeout: 3', 'timeout: 3, verify_and_map: true')}\nauthorization { users: [ { user: "edge@example.com", account: APP } ] }`,
  };
  for (const [hubKind, edgeKind] of PAIRS) {
    test(`${edgeKind} edge -> ${hubKind} hub with verify_and_map: the certificate names the leaf user and its account`, async (t) => {
      const pair = await startLeafPair(t, hubKind, edgeKind, { ...MAPPED_HUB, edgeRemote: `tls { ca_file: "${pki.caFile}", cert_file: "${mapped.cert}", key_file: "${mapped.key}" }` });
      const hub = await pair.hub.connect();
      const edge = await pair.edge.connect();
      t.after(() => closeAll([hub, edge]));
      // The hub's anonymous clients are in APP: messages cross only if the link is bound there.
      await linkReady(hub, edge);
    });
  }

  test('a leafgate hub with verify_and_map refuses an edge whose certificate names no leaf user, and keeps serving its clients', async (t) => {
    const pair = await startLeafPair(t, 'leafgate', 'leafgate', { ...MAPPED_HUB, edgeRemote: EDGE_TLS });
    await eventually('two refusals told to the edge', () => (pair.edge.proc.output().match(/Authorization Violation/g) ?? []).length >= 2, 20_000);
    assert.doesNotMatch(pair.hub.proc.output(), /Leafnode connection created/);
    const nc = await pair.hub.connect();
    t.after(() => closeAll([nc]));
    const sub = nc.subscribe('local.only', { max: 1 });
    nc.publish('local.only', 'served');
    for await (const m of sub) assert.equal(m.string(), 'served');
  });

  test('an edge without a tls block starts TLS when the hub asks for it, and refuses a hub its CAs do not know', async (t) => {
    const pair = await startLeafPair(t, 'leafgate', 'leafgate', { hubLeaf: `tls { cert_file: "${pki.serverCert}", key_file: "${pki.serverKey}" }` });
    await eventually('the edge starting TLS and refusing the unknown CA', () => /TLS handshake error/.test(pair.edge.proc.output()));
    assert.doesNotMatch(pair.hub.proc.output(), /Leafnode connection created/);
  });
});

describe('leaf link with .creds to an operator-mode hub', { timeout: 90_000 }, async () => {
  const UNLIMITED = { conn: -1, subs: -1, payload: -1, data: -1, leaf: -1, imports: -1, exports: -1, wildcards: true };
  const operator = createOperator();
  const sys = createAccount();
  const app = createAccount();
  const leafUser = createUser();
  const clientUser = createUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-leaf-creds-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const leafCreds = path.join(dir, 'leaf.creds');
  fs.writeFileSync(leafCreds, fmtCreds(await encodeUser('leaf', leafUser, app), leafUser));
  const clientCreds = fmtCreds(await encodeUser('client', clientUser, app), clientUser);
  const hubConf = `
operator: ${await encodeOperator('op', operator, { system_account: sys.getPublicKey() })}
resolver: MEMORY
resolver_preload: {
  ${sys.getPublicKey()}: ${await encodeAccount('SYS', sys, { limits: UNLIMITED } as Partial<Account>, { signer: operator })}
  ${app.getPublicKey()}: ${await encodeAccount('APP', app, { limits: UNLIMITED } as Partial<Account>, { signer: operator })}
}`;

  for (const [hubKind, edgeKind] of PAIRS) {
    test(`${edgeKind} edge -> ${hubKind} hub: the hub's nonce signed with the seed, the link bound to the user's account`, async (t) => {
      const pair = await startLeafPair(t, hubKind, edgeKind, { hubConf, edgeRemote: `credentials: "${leafCreds}"` });
      const hub = await connectTo(pair.hub.proc.port, { authenticator: credsAuthenticator(clientCreds) });
      const edge: NatsConnection = await pair.edge.connect();
      t.after(() => closeAll([hub, edge]));
      await linkReady(hub, edge);
      const res = await fetch(`http://127.0.0.1:${pair.hub.proc.httpPort}/leafz`);
      const body = (await res.json()) as { leafs: { account: string }[] };
      assert.deepEqual(
        body.leafs.map((l) => l.account),
        [app.getPublicKey()],
      );
    });
  }

  test('wrong credentials are refused: logged and retried by the leafgate edge', async (t) => {
    const stranger = createUser();
    const other = createAccount();
    const bad = path.join(dir, 'bad.creds');
    fs.writeFileSync(bad, fmtCreds(await encodeUser('stranger', stranger, other), stranger));
    const pair = await startLeafPair(t, 'nats-server', 'leafgate', { hubConf, edgeRemote: `credentials: "${bad}"` });
    await eventually('two refusals in the edge log', () => (pair.edge.proc.output().match(/Authorization Violation/g) ?? []).length >= 2);
  });
});

/** Counts the messages a subscription of `nc` got. */
function counted(nc: NatsConnection, subject: string): { n: number } {
  const c = { n: 0 };
  nc.subscribe(subject, {
    callback: () => {
      c.n++;
    },
  });
  return c;
}

/** Publishes on `from` until `probe` has a message (the interest crossed), then `subject` once more, and settles. */
async function crossed(from: NatsConnection, to: NatsConnection, subject: string): Promise<void> {
  await from.flush();
  await to.flush();
  await sleep(300);
  from.publish(subject, 'x');
  await from.flush();
  await sleep(200);
  await to.flush();
}

describe('what crosses a leaf link: deny lists and the leaf user permissions', { timeout: 90_000 }, () => {
  for (const [hubKind, edgeKind] of PAIRS) {
    test(`${edgeKind} edge -> ${hubKind} hub: deny_exports and deny_imports hold both ways`, async (t) => {
      const pair = await startLeafPair(t, hubKind, edgeKind, { edgeRemote: 'deny_exports: ["secret.>"]\ndeny_imports: ["private.>"]' });
      const hub = await pair.hub.connect();
      const edge = await pair.edge.connect();
      t.after(() => closeAll([hub, edge]));
      await linkReady(hub, edge);
      const secretAtHub = counted(hub, 'secret.x');
      const publicAtHub = counted(hub, 'public.x');
      const privateAtEdge = counted(edge, 'private.y');
      const openAtEdge = counted(edge, 'open.y');
      await eventually('public interest across', async () => {
        await crossed(edge, hub, 'public.x');
        return publicAtHub.n > 0;
      });
      await eventually('open interest across', async () => {
        await crossed(hub, edge, 'open.y');
        return openAtEdge.n > 0;
      });
      await crossed(edge, hub, 'secret.x');
      await crossed(hub, edge, 'private.y');
      assert.equal(secretAtHub.n, 0, 'deny_exports: not sent to the hub');
      assert.equal(privateAtEdge.n, 0, 'deny_imports: not taken from the hub');
    });

    test(`${edgeKind} edge -> ${hubKind} hub: the leaf user's permissions limit both directions, and the link stays up`, async (t) => {
      const perms = 'permissions: { publish: ["up.>", "_INBOX.>"], subscribe: ["down.>", "_INBOX.>"] }';
      const pair = await startLeafPair(t, hubKind, edgeKind, {
        hubConf: `authorization { users: [ { user: leafy, password: pw, ${perms} }, { user: app, password: pw } ] }`,
        edgeUrlAuth: 'leafy:pw',
      });
      const hub = await connectTo(pair.hub.proc.port, { user: 'app', pass: 'pw' });
      const edge = await pair.edge.connect();
      t.after(() => closeAll([hub, edge]));
      // A literal subscription the leaf user may not receive: a spoke must not announce it (a hub would cut the link).
      const forbiddenAtEdge = counted(edge, 'side.y');
      const upAtHub = counted(hub, 'up.x');
      const sideAtHub = counted(hub, 'side.x');
      const downAtEdge = counted(edge, 'down.y');
      await eventually('up crossing', async () => {
        await crossed(edge, hub, 'up.x');
        return upAtHub.n > 0;
      });
      await eventually('down crossing', async () => {
        await crossed(hub, edge, 'down.y');
        return downAtEdge.n > 0;
      });
      await crossed(edge, hub, 'side.x');
      await crossed(hub, edge, 'side.y');
      assert.equal(sideAtHub.n, 0, 'the leaf user may not publish side.x');
      assert.equal(forbiddenAtEdge.n, 0, 'the leaf user may not subscribe to side.y');
      const before = upAtHub.n;
      await crossed(edge, hub, 'up.x');
      assert.equal(upAtHub.n, before + 1, 'the link is still up');
    });
  }
});

describe('leaf link with an nkey seed (nats-server 2.10.8+; 2.9.10 has none)', { timeout: 60_000 }, () => {
  test('leafgate edge -> leafgate hub: the nkey user logs in with the hub nonce signed', async (t) => {
    const user = createUser();
    const seed = new TextDecoder().decode(user.getSeed());
    const pair = await startLeafPair(t, 'leafgate', 'leafgate', {
      hubConf: `authorization { users: [ { nkey: ${user.getPublicKey()} }, { user: app, password: pw } ] }`,
      edgeRemote: `nkey: "${seed}"`,
    });
    const hub = await connectTo(pair.hub.proc.port, { user: 'app', pass: 'pw' });
    const edge = await pair.edge.connect();
    t.after(() => closeAll([hub, edge]));
    await linkReady(hub, edge);
  });

  test('a seed that is not a user seed stops the start', async (t) => {
    const account = createAccount();
    const pair = startLeafPair(t, 'leafgate', 'leafgate', { edgeRemote: `nkey: "${new TextDecoder().decode(account.getSeed())}"` });
    await assert.rejects(pair, /Remote leafnode nkey is not a valid seed/);
  });
});
