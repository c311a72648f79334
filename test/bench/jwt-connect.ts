// How fast users log in with JWTs (operator mode, memory resolver): each connection reads INFO, signs
// its nonce with the user's seed, sends CONNECT with the user JWT and a PING, waits for PONG, and
// closes; a fixed number of connections are kept in flight. leafgate and nats-server run the same
// configuration, in alternating rounds; the figure is logins per second and leafgate's ratio.

import { createPrivateKey, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hrtime } from 'node:process';

import { createAccount, createOperator, encodeAccount, encodeOperator, encodeUser } from '@nats-io/jwt';
import { createUser } from '@nats-io/nkeys';
import type { Account } from '@nats-io/jwt';

import { leafgateLauncher, natsServerLauncher, ServerProcess } from './servers.js';
import type { ServerLauncher } from './servers.js';
import { median } from './stats.js';

/** Connections in flight at once. */
const IN_FLIGHT = 16;
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

interface Login {
  /** The user JWT of each login in turn (one for all, or a fresh one each). */
  readonly jwts: readonly string[];
  readonly key: KeyObject;
}

async function configuration(oneUse: number): Promise<{ conf: string; same: Login; fresh: Login }> {
  const operator = createOperator();
  const sys = createAccount();
  const acc = createAccount();
  const user = createUser();
  const limits = { conn: -1, subs: -1, payload: -1, data: -1, leaf: -1, imports: -1, exports: -1, wildcards: true };
  const conf = `
operator: ${await encodeOperator('op', operator, { system_account: sys.getPublicKey() })}
resolver: MEMORY
resolver_preload: {
  ${sys.getPublicKey()}: ${await encodeAccount('SYS', sys, { limits } as Partial<Account>, { signer: operator })}
  ${acc.getPublicKey()}: ${await encodeAccount('A', acc, { limits } as Partial<Account>, { signer: operator })}
}
`;
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(rawSeed(user))]), format: 'der', type: 'pkcs8' });
  const template = await encodeUser('bench', user, acc);
  const accountKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(rawSeed(acc))]), format: 'der', type: 'pkcs8' });
  const fresh = Array.from({ length: oneUse }, (_, i) => resign(template, `bench-${i}`, accountKey));
  return { conf, same: { jwts: [template], key }, fresh: { jwts: fresh, key } };
}

/** `template` under another name, signed again by the account (node:crypto: minting thousands with the jwt library's signer would take minutes). */
function resign(template: string, name: string, accountKey: KeyObject): string {
  const [head, body] = template.split('.') as [string, string];
  const claims = { ...(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>), name, jti: name };
  const signed = `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${signed}.${sign(null, Buffer.from(signed), accountKey).toString('base64url')}`;
}

/** A key pair's 32-byte ed25519 seed (the key pair has it; its published type does not say so). */
function rawSeed(kp: ReturnType<typeof createUser>): Uint8Array {
  return (kp as unknown as { getRawSeed(): Uint8Array }).getRawSeed();
}

/** One login: INFO, CONNECT with the JWT and the nonce's signature, PING, PONG, close. */
function loginOnce(port: number, jwt: string, key: KeyObject): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    let seen = '';
    let connected = false;
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (!connected) {
        const eol = seen.indexOf('\r\n');
        if (eol < 0) return;
        const info = JSON.parse(seen.slice(5, eol)) as { nonce?: string };
        const sig = sign(null, Buffer.from(info.nonce ?? '', 'latin1'), key).toString('base64url');
        connected = true;
        seen = seen.slice(eol + 2);
        socket.write(`CONNECT {"verbose":false,"pedantic":false,"jwt":"${jwt}","sig":"${sig}"}\r\nPING\r\n`);
      }
      if (seen.includes('PONG\r\n')) {
        socket.destroy();
        resolve();
      } else if (seen.includes('-ERR')) {
        socket.destroy();
        reject(new Error(seen.trim()));
      }
    });
  });
}

/** Logins per second over `count` logins, IN_FLIGHT at a time. */
async function loginRate(port: number, login: Login, count: number): Promise<number> {
  let started = 0;
  const start = hrtime.bigint();
  const lane = async (): Promise<void> => {
    while (started < count) {
      const jwt = login.jwts[started++ % login.jwts.length] as string;
      await loginOnce(port, jwt, login.key);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return count / (Number(hrtime.bigint() - start) / 1e9);
}

export async function runJwtConnectBench(natsBinary: string, quick: boolean, log: (line: string) => void): Promise<void> {
  const rounds = quick ? 3 : 6;
  const count = quick ? 1_000 : 4_000;
  const { conf, same, fresh } = await configuration(count * rounds);
  const dir = mkdtempSync(join(tmpdir(), 'leafgate-bench-jwt-'));
  const file = join(dir, 'operator.conf');
  writeFileSync(file, conf);
  const withConf = (launcher: ServerLauncher): ServerLauncher => (port) => {
    const command = launcher(port);
    return { ...command, args: [...command.args, '-c', file] };
  };
  const servers = [await ServerProcess.start('leafgate', withConf(leafgateLauncher())), await ServerProcess.start('nats-server', withConf(natsServerLauncher(natsBinary)))];
  const kinds = { same: 'the same creds each time', fresh: 'a JWT never seen before each time' } as const;
  const rates = new Map<string, number[]>(servers.flatMap((s) => Object.keys(kinds).map((k) => [`${s.label} ${k}`, []] as [string, number[]])));
  try {
    for (const s of servers) await loginRate(s.port, same, count / 10);
    for (let round = 0; round < rounds; round++) {
      for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
        (rates.get(`${s.label} same`) as number[]).push(await loginRate(s.port, same, count));
        // Each round takes its own slice of the one-use JWTs: none is logged in with twice.
        const slice: Login = { jwts: fresh.jwts.slice(round * count, (round + 1) * count), key: fresh.key };
        (rates.get(`${s.label} fresh`) as number[]).push(await loginRate(s.port, slice, count));
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
  log(`JWT logins (operator mode, ${IN_FLIGHT} in flight, each INFO -> signed CONNECT -> PONG -> close), medians of ${rounds} rounds of ${count}`);
  for (const [kind, text] of Object.entries(kinds)) {
    const ours = median(rates.get(`leafgate ${kind}`) ?? []);
    const theirs = median(rates.get(`nats-server ${kind}`) ?? []);
    log(`${text.padEnd(34)}  leafgate ${ours.toFixed(0).padStart(6)}/s   nats-server ${theirs.toFixed(0).padStart(6)}/s   ratio ${(ours / theirs).toFixed(2)}x`);
  }
}
