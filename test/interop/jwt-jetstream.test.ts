// Differential: JetStream in operator mode. An account JWT's JetStream limits give the account
// JetStream (with those limits); an account whose JWT gives none is told so. Both servers run the same
// operator configuration with -js over their own store directories.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createAccount, createOperator, createUser, encodeAccount, encodeOperator, encodeUser, fmtCreds } from '@nats-io/jwt';
import type { Account } from '@nats-io/jwt';
import type { KeyPair } from '@nats-io/nkeys';
import { connect, credsAuthenticator } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';

import { apiRequest, jetStreamPair, masked } from './jetstream-pair.js';

const LIMITS = { conn: -1, subs: -1, payload: -1, data: -1, leaf: -1, imports: -1, exports: -1, wildcards: true };

const operator = createOperator();
const sys = createAccount();
const withJs = createAccount();
const withoutJs = createAccount();

const account = (name: string, kp: KeyPair, limits: Record<string, number | boolean>): Promise<string> => encodeAccount(name, kp, { limits: { ...LIMITS, ...limits } } as Partial<Account>, { signer: operator });

const CONF = `
operator: ${await encodeOperator('op', operator, { system_account: sys.getPublicKey() })}
resolver: MEMORY
resolver_preload: {
  ${sys.getPublicKey()}: ${await account('SYS', sys, {})}
  ${withJs.getPublicKey()}: ${await account('JS', withJs, { mem_storage: 1048576, disk_storage: 1048576, streams: 2, consumer: -1 })}
  ${withoutJs.getPublicKey()}: ${await account('NOJS', withoutJs, {})}
}
`;

async function creds(kp: KeyPair): Promise<ReturnType<typeof credsAuthenticator>> {
  const user = createUser();
  return credsAuthenticator(fmtCreds(await encodeUser('u', user, kp), user));
}

const steps: Array<[name: string, who: 'js' | 'none', subject: string, body?: string]> = [
  ['account info shows the JWT limits', 'js', '$JS.API.INFO'],
  ['create within the limits', 'js', '$JS.API.STREAM.CREATE.s1', '{"name":"s1","subjects":["s1"]}'],
  ['publish is stored', 'js', 's1', 'hello'],
  ['stream info', 'js', '$JS.API.STREAM.INFO.s1'],
  ['second stream', 'js', '$JS.API.STREAM.CREATE.s2', '{"name":"s2","subjects":["s2"]}'],
  ['third stream past the JWT streams limit', 'js', '$JS.API.STREAM.CREATE.s3', '{"name":"s3","subjects":["s3"]}'],
  ['an account whose JWT gives no JetStream is told so', 'none', '$JS.API.INFO'],
  ['and cannot create', 'none', '$JS.API.STREAM.CREATE.x', '{"name":"x"}'],
];

const JS_USER = await creds(withJs);

describe('JetStream limits from account JWTs, leafgate against nats-server -js', () => {
  const servers = jetStreamPair({ conf: CONF, connect: { authenticator: JS_USER } });
  const none: Partial<Record<'natsServer' | 'leafgate', NatsConnection>> = {};
  before(async () => {
    const { natsServer, leafgate } = servers();
    none.natsServer = await connect({ port: natsServer.server.port, authenticator: await creds(withoutJs) });
    none.leafgate = await connect({ port: leafgate.server.port, authenticator: await creds(withoutJs) });
  });
  after(async () => {
    await Promise.all([none.natsServer?.close(), none.leafgate?.close()]);
  });
  for (const [name, who, subject, body] of steps) {
    test(name, async () => {
      const { natsServer, leafgate } = servers();
      const ask = async (nc: NatsConnection | undefined): Promise<string> => masked((await apiRequest(nc as NatsConnection, subject, body ?? '')) ?? 'no reply');
      const pick = (side: 'natsServer' | 'leafgate') => (who === 'js' ? (side === 'natsServer' ? natsServer.nc : leafgate.nc) : none[side]);
      const [fromNats, fromLeafgate] = await Promise.all([ask(pick('natsServer')), ask(pick('leafgate'))]);
      assert.equal(fromLeafgate, fromNats);
      // A publish is acked with a reply too: every step has an answer to compare.
      assert.notEqual(fromNats, 'no reply');
    });
  }
});

describe('a JetStream domain in operator mode: accounts of JWTs answer on $JS.<domain>.API too, leafgate against nats-server', () => {
  const servers = jetStreamPair({ conf: `${CONF}\njetstream { domain: d }`, connect: { authenticator: JS_USER } });
  const domainSteps: Array<[name: string, subject: string, body?: string]> = [
    ['account info through the domain', '$JS.d.API.INFO'],
    ['a stream created through the domain', '$JS.d.API.STREAM.CREATE.s1', '{"name":"s1","subjects":["s1"]}'],
    ['and listed through the plain API', '$JS.API.STREAM.NAMES'],
    ['its info names the domain', '$JS.API.STREAM.INFO.s1'],
    ['so does a PubAck', 's1', 'hello'],
    ['and the stream list', '$JS.API.STREAM.LIST'],
    ['and an update', '$JS.API.STREAM.UPDATE.s1', '{"name":"s1","subjects":["s1"],"max_msgs":5}'],
  ];
  for (const [name, subject, body] of domainSteps) {
    test(name, async () => {
      const { natsServer, leafgate } = servers();
      const [fromNats, fromLeafgate] = await Promise.all([natsServer.nc, leafgate.nc].map(async (nc) => masked((await apiRequest(nc, subject, body ?? '')) ?? 'no reply')));
      assert.notEqual(fromNats, 'no reply');
      assert.equal(fromLeafgate, fromNats);
    });
  }
});
