// Differential: NKEY users. Keys are minted here with @nats-io/nkeys; the official client logs in with
// nkeyAuthenticator, a raw client with signatures of our own making; nats-server and leafgate run the
// same configuration and must answer alike.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createUser } from '@nats-io/nkeys';
import { connect, errors, nkeyAuthenticator } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';

import { RawClient } from '../helpers/raw-client.js';
import { crossTalk, observedAlike, serverPair } from './differential.js';

const alice = createUser();
const bob = createUser();
const stranger = createUser();
const seedOf = (kp: typeof alice): Uint8Array => kp.getSeed();

const CONF = `
authorization {
  users: [
    { nkey: ${alice.getPublicKey()} }
    { user: carol, password: secret }
  ]
}
accounts {
  B: { users: [ { nkey: ${bob.getPublicKey()}, permissions: { publish: { deny: ["b.forbidden"] } } } ] }
}
`;

const AUTH_VIOLATION = "-ERR 'Authorization Violation'\r\n";

async function withClient<T>(port: number, kp: typeof alice, run: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: `127.0.0.1:${port}`, reconnect: false, authenticator: nkeyAuthenticator(seedOf(kp)) });
  try {
    return await run(nc);
  } finally {
    await nc.close();
  }
}

/** The outcome of a raw CONNECT with `fields` computed from the INFO's nonce: the server's answer, and whether it closed. */
async function rawLogin(port: number, fields: (nonce: string) => Record<string, unknown>): Promise<{ answer: string; closed: boolean }> {
  const { client, info } = await RawClient.open(port);
  try {
    const nonce = String(info.nonce);
    client.send(`CONNECT ${JSON.stringify({ verbose: false, pedantic: false, ...fields(nonce) })}\r\nPING\r\n`);
    const answer = await client.expect(/PONG\r\n|-ERR [^\r]*\r\n/);
    if (answer.startsWith('-ERR')) await client.waitClosed();
    return { answer, closed: client.closed };
  } finally {
    client.close();
  }
}

const signed = (kp: typeof alice, text: string, encoding: BufferEncoding = 'base64url') => ({ nkey: kp.getPublicKey(), sig: Buffer.from(kp.sign(Buffer.from(text))).toString(encoding) });

describe('nkey users: leafgate vs nats-server', () => {
  const servers = serverPair(CONF, { monitoring: true });
  const both = observedAlike(servers);
  const PASSED = { answer: 'PONG\r\n', closed: false };
  const REFUSED = { answer: AUTH_VIOLATION, closed: true };

  test('INFO carries a fresh 15-character nonce and auth_required', async () => {
    await both({ nonce: true, fresh: true, authRequired: true }, async (port) => {
      const infos = await Promise.all([RawClient.open(port), RawClient.open(port)]);
      for (const { client } of infos) client.close();
      const [a, b] = infos.map(({ info }) => info);
      return { nonce: /^[A-Za-z0-9_-]{15}$/.test(String(a?.nonce)), fresh: a?.nonce !== b?.nonce, authRequired: a?.auth_required };
    });
  });

  test('the official client logs in with a seed, in $G and in an account, and accounts stay apart', async () => {
    await both({ a: 'from A', b: 'from B' }, (port) => withClient(port, alice, (ncA) => withClient(port, bob, (ncB) => crossTalk(ncA, ncB))));
  });

  test('/connz?auth=1 names an nkey user by its key, with its account as its issuer', async () => {
    const { natsServer, leafgate, httpPort } = servers();
    const observe = async (port: number, http: number) =>
      withClient(port, bob, async (nc) => {
        const cid = nc.info?.client_id;
        const res = await fetch(`http://127.0.0.1:${http}/connz?auth=1&acc=B`);
        const conn = ((await res.json()) as { connections: { cid: number; authorized_user?: string; account?: string; issuer_key?: string }[] }).connections.find((c) => c.cid === cid);
        return { authorized_user: conn?.authorized_user, account: conn?.account, issuer_key: conn?.issuer_key };
      });
    const want = { authorized_user: bob.getPublicKey(), account: 'B', issuer_key: 'B' };
    assert.deepEqual({ natsServer: await observe(natsServer.port, httpPort.natsServer), leafgate: await observe(leafgate.port, httpPort.leafgate) }, { natsServer: want, leafgate: want });
  });

  test("an nkey user's permissions apply", async () => {
    await both<{ error: string | null }>({ error: 'b.forbidden' }, (port) =>
      withClient(port, bob, async (nc) => {
        const statuses = nc.status();
        nc.publish('b.forbidden', 'no');
        for await (const st of statuses) {
          if (st.type === 'error') return { error: st.error instanceof errors.PermissionViolationError ? st.error.subject : String(st.error) };
        }
        return { error: null };
      }),
    );
  });

  test('a key that is not configured: connect fails with AuthorizationError', async () => {
    await both('AuthorizationError', async (port) => {
      try {
        await withClient(port, stranger, async () => 'connected');
        return 'connected';
      } catch (err) {
        return err instanceof errors.AuthorizationError ? 'AuthorizationError' : String(err);
      }
    });
  });

  test('signatures: of the nonce in base64url or base64 pass; of another text, by another key, or missing are refused and closed', async () => {
    const want = { base64url: PASSED, base64: PASSED, otherText: REFUSED, otherKey: REFUSED, missing: REFUSED, passwordUser: PASSED };
    await both(want, async (port) => ({
      base64url: await rawLogin(port, (nonce) => signed(alice, nonce)),
      base64: await rawLogin(port, (nonce) => signed(alice, nonce, 'base64')),
      otherText: await rawLogin(port, (nonce) => signed(alice, `${nonce}x`)),
      otherKey: await rawLogin(port, (nonce) => ({ ...signed(stranger, nonce), nkey: alice.getPublicKey() })),
      missing: await rawLogin(port, () => ({ nkey: alice.getPublicKey() })),
      passwordUser: await rawLogin(port, () => ({ user: 'carol', pass: 'secret' })),
    }));
  });
});
