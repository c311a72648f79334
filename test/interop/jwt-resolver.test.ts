// Differential: the full account resolver (`resolver { type: full, dir }`). Account JWTs are pushed
// over `$SYS.REQ.CLAIMS.UPDATE` by a system account user, as `nsc push` does; nats-server and
// leafgate each keep their own directory and must answer, store and apply alike.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { createAccount, createOperator, createUser, encodeAccount, encodeGeneric, encodeOperator, encodeUser, fmtCreds } from '@nats-io/jwt';
import type { Account } from '@nats-io/jwt';
import type { KeyPair } from '@nats-io/nkeys';
import { connect, credsAuthenticator } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';

import { writeTempConf } from '../helpers/conf-file.js';
import type { TempConf } from '../helpers/conf-file.js';
import { startLeafgate, startNatsServer } from '../helpers/processes.js';
import type { ServerProcess } from '../helpers/processes.js';
import { RawClient } from '../helpers/raw-client.js';

const UNLIMITED = { conn: -1, subs: -1, payload: -1, data: -1, leaf: -1, imports: -1, exports: -1, wildcards: true };

const operator = createOperator();
const sys = createAccount();
const accA = createAccount();
const accB = createAccount();
const accC = createAccount();
const sysUser = createUser();

const accountJwt = (name: string, kp: KeyPair, claims: Partial<Account> = {}): Promise<string> => encodeAccount(name, kp, { limits: UNLIMITED, ...claims } as Partial<Account>, { signer: operator });

const CONF = `
port: -1
operator: ${await encodeOperator('op', operator, { system_account: sys.getPublicKey() })}
resolver: { type: full, dir: "./jwt", allow_delete: true }
resolver_preload: {
  ${sys.getPublicKey()}: ${await accountJwt('SYS', sys)}
  ${accA.getPublicKey()}: ${await accountJwt('A', accA)}
}
`;

interface Side {
  readonly server: ServerProcess;
  readonly cwd: string;
}

async function userCreds(account: KeyPair, user: KeyPair = createUser()): Promise<Uint8Array> {
  return fmtCreds(await encodeUser('u', user, account), user);
}

async function login(port: number, creds: Uint8Array): Promise<NatsConnection> {
  return connect({ servers: `127.0.0.1:${port}`, reconnect: false, authenticator: credsAuthenticator(creds) });
}

/** A system account user's request; the answer as JSON without the `server` object (each server names itself). */
async function sysRequest(port: number, subject: string, body: string): Promise<unknown> {
  const nc = await login(port, await userCreds(sys, sysUser));
  try {
    const answer = (await nc.request(subject, body, { timeout: 3000 })).string();
    try {
      const { server: _server, ...rest } = JSON.parse(answer) as Record<string, unknown>;
      return rest;
    } catch {
      return answer;
    }
  } finally {
    await nc.close();
  }
}

async function canLogin(port: number, creds: Uint8Array): Promise<boolean> {
  try {
    await (await login(port, creds)).close();
    return true;
  } catch {
    return false;
  }
}

/** A raw logged-in client of `account`, for what the server tells it later. */
async function rawUser(port: number, account: KeyPair, user: KeyPair = createUser()): Promise<RawClient> {
  const jwt = await encodeUser('u', user, account);
  const { client, info } = await RawClient.open(port);
  client.send(`CONNECT ${JSON.stringify({ jwt, sig: Buffer.from(user.sign(Buffer.from(String(info.nonce)))).toString('base64url') })}\r\nPING\r\n`);
  await client.expect('PONG\r\n');
  return client;
}

describe('the full account resolver: leafgate vs nats-server', () => {
  let conf: TempConf;
  const sides: Side[] = [];
  before(async () => {
    conf = writeTempConf(CONF);
    for (const start of [startNatsServer, startLeafgate]) {
      const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-resolver-'));
      sides.push({ server: await start({ args: ['-c', conf.path], cwd }), cwd });
    }
  });
  after(async () => {
    await Promise.all(sides.map((s) => s.server.stop()));
    for (const s of sides) fs.rmSync(s.cwd, { recursive: true, force: true });
    conf.remove();
  });
  const both = async <T>(want: T, observe: (side: Side) => Promise<T>): Promise<void> => {
    const [natsServer, leafgate] = sides as [Side, Side];
    assert.deepEqual({ natsServer: await observe(natsServer), leafgate: await observe(leafgate) }, { natsServer: want, leafgate: want });
  };

  test('the preloads are stored in the directory, one <key>.jwt each', async () => {
    await both([`${accA.getPublicKey()}.jwt`, `${sys.getPublicKey()}.jwt`].sort(), async (side) => fs.readdirSync(path.join(side.cwd, 'jwt')).sort());
  });

  test('an account pushed with $SYS.REQ.CLAIMS.UPDATE is stored, answered and usable at once', async () => {
    const bJwt = await accountJwt('B', accB);
    const creds = await userCreds(accB);
    await both(
      { before: false, answer: { data: { account: accB.getPublicKey(), code: 200, message: 'jwt updated' } }, after: true, lookup: bJwt, onDisk: bJwt },
      async (side) => {
        const port = side.server.port;
        const beforePush = await canLogin(port, creds);
        const answer = await sysRequest(port, '$SYS.REQ.CLAIMS.UPDATE', bJwt);
        return {
          before: beforePush,
          answer,
          after: await canLogin(port, creds),
          lookup: await sysRequest(port, `$SYS.REQ.ACCOUNT.${accB.getPublicKey()}.CLAIMS.LOOKUP`, ''),
          onDisk: fs.readFileSync(path.join(side.cwd, 'jwt', `${accB.getPublicKey()}.jwt`), 'utf8'),
        };
      },
    );
  });

  test('updates that are refused: not a JWT, and a JWT for another account than the subject names', async () => {
    const bJwt = await accountJwt('B', accB);
    await both(
      {
        garbage: { error: { account: 'n/a', code: 500, description: 'jwt update resulted in error - expected 3 chunks' } },
        mismatch: { error: { account: accA.getPublicKey(), code: 500, description: 'jwt update resulted in error - subject does not match jwt content' } },
      },
      async (side) => ({
        garbage: await sysRequest(side.server.port, '$SYS.REQ.CLAIMS.UPDATE', 'not-a-jwt'),
        mismatch: await sysRequest(side.server.port, `$SYS.REQ.ACCOUNT.${accA.getPublicKey()}.CLAIMS.UPDATE`, bJwt),
      }),
    );
  });

  test('an update that revokes a connected user closes it; the account’s other users stay', async () => {
    const doomed = createUser();
    await both({ revoked: "-ERR 'User Authentication Revoked'\r\n", otherStays: 'PONG\r\n' }, async (side) => {
      const port = side.server.port;
      const victim = await rawUser(port, accA, doomed);
      const other = await rawUser(port, accA);
      try {
        const revoking = await accountJwt('A', accA, { revocations: { [doomed.getPublicKey()]: Math.floor(Date.now() / 1000) + 5 } } as Partial<Account>);
        await sysRequest(port, `$SYS.REQ.ACCOUNT.${accA.getPublicKey()}.CLAIMS.UPDATE`, revoking);
        const revoked = await victim.expect(/-ERR [^\r]*\r\n/);
        await victim.waitClosed();
        other.send('PING\r\n');
        return { revoked, otherStays: await other.expect('PONG\r\n') };
      } finally {
        victim.close();
        other.close();
      }
    });
  });

  test('an update that lowers the connection limit closes the oldest users beyond it', async () => {
    await both({ oldest: "-ERR 'maximum account active connections exceeded'\r\n", newestStays: 'PONG\r\n' }, async (side) => {
      const port = side.server.port;
      const oldest = await rawUser(port, accA);
      const newest = await rawUser(port, accA);
      try {
        await sysRequest(port, `$SYS.REQ.ACCOUNT.${accA.getPublicKey()}.CLAIMS.UPDATE`, await accountJwt('A', accA, { limits: { ...UNLIMITED, conn: 1 } } as Partial<Account>));
        const told = await oldest.expect(/-ERR [^\r]*\r\n/);
        newest.send('PING\r\n');
        const stays = await newest.expect('PONG\r\n');
        await sysRequest(port, `$SYS.REQ.ACCOUNT.${accA.getPublicKey()}.CLAIMS.UPDATE`, await accountJwt('A', accA));
        return { oldest: told, newestStays: stays };
      } finally {
        oldest.close();
        newest.close();
      }
    });
  });

  test('users of an account whose JWT expires while they are connected are told so and closed', async () => {
    await both({ told: "-ERR 'Account Authentication Expired'\r\n", closed: true }, async (side) => {
      const port = side.server.port;
      const expiring = await encodeAccount('C', accC, { limits: UNLIMITED } as Partial<Account>, { signer: operator, exp: Math.floor(Date.now() / 1000) + 3 });
      await sysRequest(port, '$SYS.REQ.CLAIMS.UPDATE', expiring);
      const user = await rawUser(port, accC);
      try {
        const told = await user.expect(/-ERR [^\r]*\r\n/, 8000);
        await user.waitClosed();
        return { told, closed: user.closed };
      } finally {
        user.close();
      }
    });
  });

  test('$SYS.REQ.CLAIMS.LIST lists the stored accounts, an expired one no more', async () => {
    await both([accA.getPublicKey(), accB.getPublicKey(), sys.getPublicKey()].sort(), async (side) => {
      const answer = (await sysRequest(side.server.port, '$SYS.REQ.CLAIMS.LIST', '')) as { data: string[] };
      return [...answer.data].sort();
    });
  });

  test('$SYS.REQ.CLAIMS.DELETE by the operator removes an account: its users are told and closed, its file renamed', async () => {
    const request = await encodeGeneric('delete', operator, 'generic', { accounts: [accB.getPublicKey()] } as never);
    const stranger = createOperator();
    const refused = await encodeGeneric('delete', stranger, 'generic', { accounts: [accB.getPublicKey()] } as never);
    await both(
      {
        refused: { error: { code: 500, description: `delete accounts request by ${stranger.getPublicKey()} failed - not trusted` } },
        answer: { data: { code: 200, message: 'deleted 1 accounts' } },
        told: "-ERR 'Account Authentication Expired'\r\n",
        files: [`${accB.getPublicKey()}.jwt.deleted`],
      },
      async (side) => {
        const port = side.server.port;
        const user = await rawUser(port, accB);
        try {
          const refusedAnswer = await sysRequest(port, '$SYS.REQ.CLAIMS.DELETE', refused);
          const answer = await sysRequest(port, '$SYS.REQ.CLAIMS.DELETE', request);
          const told = await user.expect(/-ERR [^\r]*\r\n/);
          const files = fs.readdirSync(path.join(side.cwd, 'jwt')).filter((f) => f.startsWith(accB.getPublicKey()));
          return { refused: refusedAnswer, answer, told, files };
        } finally {
          user.close();
        }
      },
    );
  });
});

test('leafgate: a pushed account survives a restart (it is read back from the directory)', async (t) => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-resolver-'));
  const conf = writeTempConf(CONF);
  t.after(() => {
    fs.rmSync(cwd, { recursive: true, force: true });
    conf.remove();
  });
  const creds = await userCreds(accB);
  const first = await startLeafgate({ args: ['-c', conf.path], cwd });
  try {
    await sysRequest(first.port, '$SYS.REQ.CLAIMS.UPDATE', await accountJwt('B', accB));
  } finally {
    await first.stop();
  }
  const second = await startLeafgate({ args: ['-c', conf.path], cwd });
  try {
    assert.equal(await canLogin(second.port, creds), true);
  } finally {
    await second.stop();
  }
});
