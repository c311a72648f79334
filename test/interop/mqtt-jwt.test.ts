// MQTT logins in operator (JWT) mode, with the real bin: the password field carries a bearer user
// JWT, as in nats-server; the account's connection limit (its JWT's `conn`) counts MQTT clients with
// NATS clients.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createAccount, createOperator, createUser, encodeAccount, encodeOperator, encodeUser, fmtCreds } from '@nats-io/jwt';
import type { Account } from '@nats-io/jwt';
import type { KeyPair } from '@nats-io/nkeys';
import { connect, credsAuthenticator } from '@nats-io/transport-node';

import { loginCode, mqttConnect } from '../helpers/mqtt-client.js';
import { startLeafgateMqtt } from './mqtt-oracles.js';
import type { MqttBroker } from './mqtt-oracles.js';

const UNLIMITED = { conn: -1, subs: -1, payload: -1, data: -1, leaf: -1, imports: -1, exports: -1, wildcards: true };
const operator = createOperator();
const sys = createAccount();
const open = createAccount();
const one = createAccount();

async function bearer(account: KeyPair, bearerToken = true): Promise<string> {
  return encodeUser('u', createUser(), account, { bearer_token: bearerToken } as never);
}

describe('MQTT in operator mode', () => {
  let broker: MqttBroker;
  before(async () => {
    const conf =
      `operator: ${await encodeOperator('op', operator, { system_account: sys.getPublicKey() })}\n` +
      'resolver: MEMORY\n' +
      'resolver_preload: {\n' +
      `  ${sys.getPublicKey()}: ${await encodeAccount('SYS', sys, { limits: UNLIMITED } as Partial<Account>, { signer: operator })}\n` +
      `  ${open.getPublicKey()}: ${await encodeAccount('OPEN', open, { limits: { ...UNLIMITED, jetstream: { mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 } } } as Partial<Account>, { signer: operator })}\n` +
      `  ${one.getPublicKey()}: ${await encodeAccount('ONE', one, { limits: { ...UNLIMITED, conn: 1 } } as Partial<Account>, { signer: operator })}\n` +
      '}\n';
    broker = await startLeafgateMqtt(conf);
  });
  after(() => broker?.stop());

  test('a bearer user JWT in the password logs in; a JWT that is not bearer, or garbage, does not', async () => {
    assert.equal(await loginCode(broker.url, { username: 'jwt', password: await bearer(open) }), 0);
    assert.equal(await loginCode(broker.url, { username: 'jwt', password: await bearer(open, false) }), 5);
    assert.equal(await loginCode(broker.url, { protocolVersion: 5, username: 'x', password: 'not a jwt' }), 0x86);
  });

  test("the account's connection limit counts MQTT clients: a NATS client takes the one place, MQTT is refused, and the other way", async (t) => {
    const user = createUser();
    const jwt = await encodeUser('n', user, one);
    const nc = await connect({ servers: `127.0.0.1:${broker.natsPort}`, reconnect: false, authenticator: credsAuthenticator(fmtCreds(jwt, user)) });
    assert.equal(await loginCode(broker.url, { protocolVersion: 5, username: 'jwt', password: await bearer(one) }), 0x97);
    assert.equal(await loginCode(broker.url, { username: 'jwt', password: await bearer(one) }), 3);
    await nc.close();
    const m = await mqttConnect(t, broker.url, { username: 'jwt', password: await bearer(one) });
    assert.equal(m.client.connected, true);
    await assert.rejects(connect({ servers: `127.0.0.1:${broker.natsPort}`, reconnect: false, authenticator: credsAuthenticator(fmtCreds(jwt, user)) }), /maximum account active connections exceeded/i);
  });
});
