// Differential: operator (JWT) mode with the memory resolver. The operator, accounts and users are
// minted here with @nats-io/jwt; the official client logs in with credsAuthenticator and
// jwtAuthenticator, a raw client signs the nonce itself; nats-server and leafgate run the same
// configuration and must answer alike.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createAccount, createOperator, createUser, encodeAccount, encodeActivation, encodeOperator, encodeUser, fmtCreds } from '@nats-io/jwt';
import type { Account, User } from '@nats-io/jwt';
import type { KeyPair } from '@nats-io/nkeys';
import { connect, credsAuthenticator, errors, jwtAuthenticator } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';

import { RawClient } from '../helpers/raw-client.js';
import { crossTalk, observedAlike, serverPair } from './differential.js';

const UNLIMITED = { conn: -1, subs: -1, payload: -1, data: -1, leaf: -1, imports: -1, exports: -1, wildcards: true };

const operator = createOperator();
const operatorSigner = createOperator();
const foreignOperator = createOperator();
const sys = createAccount();
const accA = createAccount();
const accASigner = createAccount();
const accAScoped = createAccount();
const accB = createAccount();
const accNoLimits = createAccount();
const accOneConn = createAccount();
const accNoBearer = createAccount();
const accForeign = createAccount();
const accUnknown = createAccount();
const accRevoking = createAccount();
const accBadMapping = createAccount();
const revokedUser = createUser();

const accAJwt = await encodeAccount(
  'A',
  accA,
  {
    limits: UNLIMITED,
    signing_keys: [accASigner.getPublicKey(), { kind: 'user_scope', key: accAScoped.getPublicKey(), role: 'team', template: { pub: { allow: ['team.{{name()}}.>'], deny: [] }, sub: { allow: ['team.{{name()}}.>', '_INBOX.>'], deny: [] }, subs: -1, payload: -1, data: -1 } }],
    exports: [
      { name: 'events', subject: 'events.>', type: 'stream' },
      { name: 'echo', subject: 'echo', type: 'service' },
      { name: 'private', subject: 'private.svc', type: 'service', token_req: true },
    ],
  } as unknown as Partial<Account>,
  { signer: operatorSigner },
);
const activation = await encodeActivation('private', accB, accA, 'service', { subject: 'private.svc' } as never);
const accBJwt = await encodeAccount(
  'B',
  accB,
  {
    limits: UNLIMITED,
    mappings: { 'map.in': [{ subject: 'map.out' }], 'map.wild.*': [{ subject: 'map.$1.done', weight: 100 }] },
    imports: [
      { name: 'events', subject: 'events.>', account: accA.getPublicKey(), type: 'stream', local_subject: 'from-a.events.>' },
      { name: 'echo', subject: 'echo', account: accA.getPublicKey(), type: 'service', local_subject: 'a.echo' },
      { name: 'private', subject: 'private.svc', account: accA.getPublicKey(), type: 'service', token: activation },
    ],
  } as unknown as Partial<Account>,
  { signer: operator },
);
const REVOKED_AT = Math.floor(Date.now() / 1000) + 60;
const accRevokingJwt = await encodeAccount('R', accRevoking, { limits: UNLIMITED, revocations: { [revokedUser.getPublicKey()]: REVOKED_AT } } as Partial<Account>, { signer: operator });

const CONF = `
operator: ${await encodeOperator('op', operator, { system_account: sys.getPublicKey(), signing_keys: [operatorSigner.getPublicKey()] })}
resolver: MEMORY
resolver_preload: {
  ${sys.getPublicKey()}: ${await encodeAccount('SYS', sys, { limits: UNLIMITED } as Partial<Account>, { signer: operator })}
  ${accA.getPublicKey()}: ${accAJwt}
  ${accB.getPublicKey()}: ${accBJwt}
  ${accNoLimits.getPublicKey()}: ${await encodeAccount('NOLIMITS', accNoLimits, {}, { signer: operator })}
  ${accOneConn.getPublicKey()}: ${await encodeAccount('ONE', accOneConn, { limits: { ...UNLIMITED, conn: 1 } } as Partial<Account>, { signer: operator })}
  ${accNoBearer.getPublicKey()}: ${await encodeAccount('NOBEARER', accNoBearer, { limits: { ...UNLIMITED, disallow_bearer: true } } as Partial<Account>, { signer: operator })}
  ${accForeign.getPublicKey()}: ${await encodeAccount('FOREIGN', accForeign, { limits: UNLIMITED } as Partial<Account>, { signer: foreignOperator })}
  ${accRevoking.getPublicKey()}: ${accRevokingJwt}
  ${accBadMapping.getPublicKey()}: ${await encodeAccount('BADMAP', accBadMapping, { limits: UNLIMITED, mappings: { m: [{ subject: 'a', weight: 60 }, { subject: 'b', weight: 60 }] } } as unknown as Partial<Account>, { signer: operator })}
}
`;

const NOW = Math.floor(Date.now() / 1000);

interface Minted {
  readonly jwt: string;
  readonly user: KeyPair;
}

async function mint(account: KeyPair, claims: Partial<User> = {}, opts: { exp?: number; nbf?: number; signer?: KeyPair; name?: string; scoped?: boolean } = {}, user: KeyPair = createUser()): Promise<Minted> {
  const jwt = await encodeUser(opts.name ?? 'u', user, account, claims, { ...(opts.exp !== undefined && { exp: opts.exp }), ...(opts.nbf !== undefined && { nbf: opts.nbf }), ...(opts.signer !== undefined && { signer: opts.signer }), ...(opts.scoped === true && { scopedUser: true }) });
  return { jwt, user };
}

function creds(m: Minted): ReturnType<typeof credsAuthenticator> {
  return credsAuthenticator(fmtCreds(m.jwt, m.user));
}

async function withClient<T>(port: number, m: Minted, run: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: `127.0.0.1:${port}`, reconnect: false, authenticator: creds(m) });
  try {
    return await run(nc);
  } finally {
    await nc.close();
  }
}

/** The outcome of a raw CONNECT with the JWT and `sign`'s signature of the INFO's nonce: the first answer, and whether the server closed. */
async function rawLogin(port: number, m: Minted, sign: (nonce: string) => string | undefined = (nonce) => Buffer.from(m.user.sign(Buffer.from(nonce))).toString('base64url'), then = 'PING\r\n'): Promise<{ answer: string; closed: boolean }> {
  const { client, info } = await RawClient.open(port);
  try {
    const sig = sign(String(info.nonce));
    client.send(`CONNECT ${JSON.stringify({ verbose: false, pedantic: false, jwt: m.jwt, ...(sig !== undefined && { sig }) })}\r\n${then}`);
    const answer = await client.expect(/PONG\r\n|-ERR [^\r]*\r\n/);
    if (answer.startsWith('-ERR')) await client.waitClosed();
    return { answer, closed: client.closed };
  } finally {
    client.close();
  }
}

const PASSED = { answer: 'PONG\r\n', closed: false };
const REFUSED = { answer: "-ERR 'Authorization Violation'\r\n", closed: true };

describe('operator mode with the memory resolver: leafgate vs nats-server', () => {
  const servers = serverPair(CONF, { monitoring: true });
  const both = observedAlike(servers);

  test('INFO carries a fresh nonce and auth_required', async () => {
    await both({ nonce: true, fresh: true, authRequired: true }, async (port) => {
      const infos = await Promise.all([RawClient.open(port), RawClient.open(port)]);
      for (const { client } of infos) client.close();
      const [a, b] = infos.map(({ info }) => info);
      return { nonce: /^[A-Za-z0-9_-]{15}$/.test(String(a?.nonce)), fresh: a?.nonce !== b?.nonce, authRequired: a?.auth_required };
    });
  });

  test('users log in with .creds; accounts keep their subjects apart', async () => {
    const a = await mint(accA);
    const b = await mint(accB);
    await both({ a: 'from A', b: 'from B' }, (port) =>
      withClient(port, a, (ncA) =>
        withClient(port, b, (ncB) => crossTalk(ncA, ncB)),
      ),
    );
  });

  test('refused: expired, not yet valid, unknown, untrusted or invalid account, wrong signer, bad or missing signature, revoked, src, connection type, connect times', async () => {
    const other = createAccount();
    const cases = {
      valid: await mint(accA),
      viaAccountSigningKey: await mint(accA, {}, { signer: accASigner }),
      expired: await mint(accA, {}, { exp: NOW - 5 }),
      notYet: await mint(accA, {}, { nbf: NOW + 3600 }),
      unknownAccount: await mint(accUnknown),
      untrustedAccount: await mint(accForeign),
      signedByStranger: await mint(accA, {}, { signer: other }),
      revoked: await mint(accRevoking, {}, {}, revokedUser),
      notRevoked: await mint(accRevoking),
      srcOutside: await mint(accA, { src: ['10.0.0.0/8'] }),
      srcInside: await mint(accA, { src: ['127.0.0.0/8'] }),
      websocketOnly: await mint(accA, { allowed_connection_types: ['WEBSOCKET'] }),
      standardAllowed: await mint(accA, { allowed_connection_types: ['STANDARD', 'WEBSOCKET'] }),
      outsideTimes: await mint(accA, { times: [{ start: '00:00:00', end: '00:00:01' }], times_location: 'Pacific/Kiritimati' } as Partial<User>),
      insideTimes: await mint(accA, { times: [{ start: '00:00:00', end: '23:59:59' }], times_location: 'UTC' } as Partial<User>),
      noLimitsAccount: await mint(accNoLimits),
      mappingsOver100Percent: await mint(accBadMapping),
    };
    const want = {
      valid: PASSED,
      viaAccountSigningKey: PASSED,
      expired: REFUSED,
      notYet: REFUSED,
      unknownAccount: REFUSED,
      untrustedAccount: REFUSED,
      signedByStranger: REFUSED,
      revoked: REFUSED,
      notRevoked: PASSED,
      srcOutside: REFUSED,
      srcInside: PASSED,
      websocketOnly: REFUSED,
      standardAllowed: PASSED,
      outsideTimes: REFUSED,
      insideTimes: PASSED,
      noLimitsAccount: { answer: "-ERR 'maximum account active connections exceeded'\r\n", closed: true },
      mappingsOver100Percent: REFUSED,
      wrongNonce: REFUSED,
      otherKeySigned: REFUSED,
      missingSignature: REFUSED,
    };
    await both(want, async (port) => {
      const out: Record<string, { answer: string; closed: boolean }> = {};
      for (const [name, m] of Object.entries(cases)) out[name] = await rawLogin(port, m);
      const m = cases.valid;
      out.wrongNonce = await rawLogin(port, m, () => Buffer.from(m.user.sign(Buffer.from('not the nonce'))).toString('base64url'));
      out.otherKeySigned = await rawLogin(port, m, (nonce) => Buffer.from(createUser().sign(Buffer.from(nonce))).toString('base64url'));
      out.missingSignature = await rawLogin(port, m, () => undefined);
      return out;
    });
  });

  test('bearer tokens log in without a signature, unless the account disallows them', async () => {
    const bearer = await mint(accA, { bearer_token: true });
    const refusedBearer = await mint(accNoBearer, { bearer_token: true });
    const connectBearer = async (port: number, m: Minted): Promise<string> => {
      try {
        const nc = await connect({ servers: `127.0.0.1:${port}`, reconnect: false, authenticator: jwtAuthenticator(m.jwt) });
        await nc.close();
        return 'connected';
      } catch (err) {
        return err instanceof errors.AuthorizationError ? 'AuthorizationError' : String(err);
      }
    };
    await both({ allowed: 'connected', disallowed: 'AuthorizationError' }, async (port) => ({ allowed: await connectBearer(port, bearer), disallowed: await connectBearer(port, refusedBearer) }));
  });

  test("the JWT's permissions apply; a scoped signing key's template stands in for them", async () => {
    const limited = await mint(accA, { pub: { allow: ['ok.>'], deny: [] }, sub: { allow: ['ok.>'], deny: [] } } as Partial<User>);
    const scoped = await mint(accA, {}, { signer: accAScoped, name: 'blue', scoped: true });
    await both(
      {
        limited: ["-ERR 'Permissions Violation for Publish to \"no.x\"'\r\n", "-ERR 'Permissions Violation for Subscription to \"no.x\"'\r\n"],
        scoped: ["-ERR 'Permissions Violation for Publish to \"team.red.x\"'\r\n", 'PONG\r\n'],
      },
      async (port) => ({
        limited: await answers(port, limited, 'PUB ok.x 0\r\n\r\nPUB no.x 0\r\n\r\nSUB no.x 1\r\nSUB ok.x 2\r\nPING\r\n', 2),
        scoped: await answers(port, scoped, 'PUB team.blue.x 0\r\n\r\nPUB team.red.x 0\r\n\r\nSUB team.blue.y 1\r\nPING\r\n', 2),
      }),
    );
  });

  test('subscription and payload limits from the user JWT, and the account connection limit', async () => {
    const fewSubs = await mint(accA, { subs: 2 } as Partial<User>);
    const smallPayload = await mint(accA, { payload: 4 } as Partial<User>);
    const one = await mint(accOneConn);
    await both(
      {
        subs: ["-ERR 'maximum subscriptions exceeded'\r\n", 'PONG\r\n'],
        payload: ["-ERR 'Maximum Payload Violation'\r\n"],
        secondInAccount: { answer: "-ERR 'maximum account active connections exceeded'\r\n", closed: true },
      },
      async (port) => {
        const subs = await answers(port, fewSubs, 'SUB a 1\r\nSUB b 2\r\nSUB c 3\r\nPING\r\n', 2);
        const payload = await answers(port, smallPayload, 'PUB a 4\r\nabcd\r\nPUB a 5\r\nabcde\r\n', 1);
        const first = await RawClient.open(port);
        try {
          first.client.send(`CONNECT ${JSON.stringify({ jwt: one.jwt, sig: Buffer.from(one.user.sign(Buffer.from(String(first.info.nonce)))).toString('base64url') })}\r\nPING\r\n`);
          await first.client.expect('PONG\r\n');
          return { subs, payload, secondInAccount: await rawLogin(port, one) };
        } finally {
          first.client.close();
        }
      },
    );
  });

  test("exports and imports from the JWTs: a stream with a local subject, a service, and a service that needs the activation token B holds", async () => {
    const a = await mint(accA);
    const b = await mint(accB);
    await both({ stream: 'from-a.events.1', echo: 'echo:hi', privateSvc: 'private:hi' }, (port) =>
      withClient(port, a, (ncA) =>
        withClient(port, b, async (ncB) => {
          ncA.subscribe('echo', { callback: (_e, msg) => void msg.respond(`echo:${msg.string()}`) });
          ncA.subscribe('private.svc', { callback: (_e, msg) => void msg.respond(`private:${msg.string()}`) });
          const events = ncB.subscribe('from-a.events.>', { max: 1 });
          await Promise.all([ncA.flush(), ncB.flush()]);
          ncA.publish('events.1', 'e');
          let stream = '';
          for await (const msg of events) stream = msg.subject;
          const echo = (await ncB.request('a.echo', 'hi', { timeout: 2000 })).string();
          const privateSvc = (await ncB.request('private.svc', 'hi', { timeout: 2000 })).string();
          return { stream, echo, privateSvc };
        }),
      ),
    );
  });

  test("the account JWT's mappings apply to its users' publishes", async () => {
    const b = await mint(accB);
    await both({ out: 'map.out', wild: 'map.x.done' }, (port) =>
      withClient(port, b, async (nc) => {
        const out = nc.subscribe('map.out', { max: 1 });
        const wild = nc.subscribe('map.*.done', { max: 1 });
        await nc.flush();
        nc.publish('map.in', 'x');
        nc.publish('map.wild.x', 'y');
        const first = async (sub: typeof out): Promise<string> => {
          for await (const msg of sub) return msg.subject;
          return '';
        };
        return { out: await first(out), wild: await first(wild) };
      }),
    );
  });

  test('/connz?auth=1 shows the user key, account, JWT, issuer key and name', async () => {
    const { natsServer, leafgate, httpPort } = servers();
    const m = await mint(accA, {}, { signer: accASigner, name: 'sensor-7' });
    const observe = async (port: number, http: number) =>
      withClient(port, m, async (nc) => {
        const cid = nc.info?.client_id;
        const res = await fetch(`http://127.0.0.1:${http}/connz?auth=1`);
        const conn = ((await res.json()) as { connections: Record<string, unknown>[] }).connections.find((c) => c.cid === cid);
        return { authorized_user: conn?.authorized_user, account: conn?.account, jwt: conn?.jwt, issuer_key: conn?.issuer_key, name_tag: conn?.name_tag };
      });
    const want = { authorized_user: m.user.getPublicKey(), account: accA.getPublicKey(), jwt: m.jwt, issuer_key: accASigner.getPublicKey(), name_tag: 'sensor-7' };
    assert.deepEqual({ natsServer: await observe(natsServer.port, httpPort.natsServer), leafgate: await observe(leafgate.port, httpPort.leafgate) }, { natsServer: want, leafgate: want });
  });

  test("the system account's CONNECT event names the JWT user, its JWT, issuer key, name and tags", async () => {
    const m = await mint(accA, { tags: ['site:north'] } as Partial<User>, { signer: accASigner, name: 'sensor-9' });
    const sysLogin = await mint(sys);
    const want = { user: m.user.getPublicKey(), acc: accA.getPublicKey(), jwt: m.jwt, issuer_key: accASigner.getPublicKey(), name_tag: 'sensor-9', tags: ['site:north'], kind: 'Client', client_type: 'nats' };
    await both(want, (port) =>
      withClient(port, sysLogin, async (sysNc) => {
        const events = sysNc.subscribe(`$SYS.ACCOUNT.${accA.getPublicKey()}.CONNECT`, { max: 1 });
        await sysNc.flush();
        await withClient(port, m, (nc) => nc.flush());
        for await (const msg of events) {
          const c = msg.json<{ client: Record<string, unknown> }>().client;
          return { user: c.user, acc: c.acc, jwt: c.jwt, issuer_key: c.issuer_key, name_tag: c.name_tag, tags: c.tags, kind: c.kind, client_type: c.client_type };
        }
        return {} as typeof want;
      }),
    );
  });

  test('/accountz?acc= shows the account JWT, its signer, name and revoked users', async () => {
    const { httpPort } = servers();
    const observe = async (http: number) => {
      const res = await fetch(`http://127.0.0.1:${http}/accountz?acc=${accRevoking.getPublicKey()}`);
      const d = ((await res.json()) as { account_detail: Record<string, unknown> }).account_detail;
      return { jwt: d.jwt, issuer_key: d.issuer_key, name_tag: d.name_tag, revoked_user: d.revoked_user, expired: d.expired };
    };
    const want = {
      jwt: accRevokingJwt,
      issuer_key: operator.getPublicKey(),
      name_tag: 'R',
      revoked_user: { [revokedUser.getPublicKey()]: new Date(REVOKED_AT * 1000).toISOString().replace('.000', '') },
      expired: false,
    };
    assert.deepEqual({ natsServer: await observe(httpPort.natsServer), leafgate: await observe(httpPort.leafgate) }, { natsServer: want, leafgate: want });
  });

  test('a user whose JWT expires while connected is told so and closed', async () => {
    await both({ answer: "-ERR 'User Authentication Expired'\r\n", closed: true }, async (port) => {
      const m = await mint(accA, {}, { exp: Math.floor(Date.now() / 1000) + 2 });
      const { client, info } = await RawClient.open(port);
      try {
        client.send(`CONNECT ${JSON.stringify({ jwt: m.jwt, sig: Buffer.from(m.user.sign(Buffer.from(String(info.nonce)))).toString('base64url') })}\r\nPING\r\n`);
        await client.expect('PONG\r\n');
        const answer = await client.expect(/-ERR [^\r]*\r\n/, 6000);
        await client.waitClosed();
        return { answer, closed: client.closed };
      } finally {
        client.close();
      }
    });
  });
});

/** Logs `m` in over a raw socket, sends `ops`, and collects the first `count` answers after the login's PONG. */
async function answers(port: number, m: Minted, ops: string, count: number): Promise<string[]> {
  const { client, info } = await RawClient.open(port);
  try {
    client.send(`CONNECT ${JSON.stringify({ verbose: false, jwt: m.jwt, sig: Buffer.from(m.user.sign(Buffer.from(String(info.nonce)))).toString('base64url') })}\r\nPING\r\n`);
    await client.expect('PONG\r\n');
    client.send(ops);
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(await client.expect(/PONG\r\n|-ERR [^\r]*\r\n/));
    return out;
  } finally {
    client.close();
  }
}
