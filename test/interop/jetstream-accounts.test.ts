// JetStream per account, differential: an account with limits, an account without JetStream, and the
// two never seeing each other's streams, asked of nats-server -js and leafgate -js alike.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { apiRequest, jetStreamPair, masked } from './jetstream-pair.js';

const CONF = `
accounts {
  A: { jetstream: { max_file: 1000, max_mem: 500, max_streams: 2 }, users: [ { user: a, password: a } ] }
  B: { users: [ { user: b, password: b } ] }
  C: { jetstream: enabled, users: [ { user: c, password: c } ] }
}
`;

type Who = 'a' | 'b' | 'c';

const steps: Array<[name: string, who: Who, subject: string, body?: string]> = [
  ['no JetStream: account info', 'b', '$JS.API.INFO'],
  ['no JetStream: create', 'b', '$JS.API.STREAM.CREATE.x', '{"name":"x"}'],
  ['no JetStream: names', 'b', '$JS.API.STREAM.NAMES'],
  ['no JetStream: msg get', 'b', '$JS.API.STREAM.MSG.GET.x', '{"seq":1}'],
  ['limits in account info', 'a', '$JS.API.INFO'],
  ['create within limits', 'a', '$JS.API.STREAM.CREATE.s1', '{"name":"s1","subjects":["s1"]}'],
  ['max_bytes past the account file limit', 'a', '$JS.API.STREAM.CREATE.s2', '{"name":"s2","subjects":["s2"],"max_bytes":5000}'],
  ['second stream, memory', 'a', '$JS.API.STREAM.CREATE.s2', '{"name":"s2","subjects":["s2"],"storage":"memory"}'],
  ['third stream past max_streams', 'a', '$JS.API.STREAM.CREATE.s3', '{"name":"s3","subjects":["s3"]}'],
  ['same stream name in another account', 'c', '$JS.API.STREAM.CREATE.s1', '{"name":"s1","subjects":["s1"]}'],
  ['the other account sees only its own', 'c', '$JS.API.STREAM.NAMES'],
  ['publish in C', 'c', 's1', 'from c'],
  ['A stream untouched by C', 'a', '$JS.API.STREAM.INFO.s1'],
];

describe('JetStream accounts, leafgate against nats-server -js', () => {
  const servers = jetStreamPair({ conf: CONF, connect: { user: 'a', pass: 'a' } });
  const others: Record<'natsServer' | 'leafgate', Partial<Record<Who, NatsConnection>>> = { natsServer: {}, leafgate: {} };
  before(async () => {
    const { natsServer, leafgate } = servers();
    for (const [side, port] of [['natsServer', natsServer.server.port], ['leafgate', leafgate.server.port]] as const) {
      others[side].a = side === 'natsServer' ? natsServer.nc : leafgate.nc;
      others[side].b = await connect({ port, user: 'b', pass: 'b' });
      others[side].c = await connect({ port, user: 'c', pass: 'c' });
    }
  });
  after(async () => {
    for (const side of Object.values(others)) await Promise.all([side.b?.close(), side.c?.close()]);
  });
  for (const [name, who, subject, body] of steps) {
    test(name, async () => {
      const ask = async (nc: NatsConnection | undefined): Promise<string> => masked((await apiRequest(nc as NatsConnection, subject, body ?? '')) ?? 'no reply');
      const [fromNats, fromLeafgate] = await Promise.all([ask(others.natsServer[who]), ask(others.leafgate[who])]);
      assert.equal(fromLeafgate, fromNats);
    });
  }

  test('publishes past the account file limit are refused with 10002, nothing stored is harmed', async () => {
    const { natsServer, leafgate } = servers();
    const run = async (nc: NatsConnection): Promise<string[]> => {
      const answers: string[] = [];
      for (let i = 0; i < 10; i++) answers.push((await apiRequest(nc, 's1', 'x'.repeat(100))) ?? 'no reply');
      // nats-server 2.9.10 stores a refused message and then removes it, so its last_seq moves on over a
      // gap; leafgate refuses before storing. What is stored is the same.
      const info = JSON.parse((await apiRequest(nc, '$JS.API.STREAM.INFO.s1', '')) ?? '{}') as { state?: { messages: number; bytes: number; first_seq: number } };
      answers.push(JSON.stringify({ messages: info.state?.messages, bytes: info.state?.bytes, first_seq: info.state?.first_seq }));
      return answers;
    };
    const [fromNats, fromLeafgate] = await Promise.all([run(natsServer.nc), run(leafgate.nc)]);
    assert.deepEqual(fromLeafgate, fromNats);
    assert.ok(fromNats.some((a) => a.includes('"err_code":10002')), 'the limit was reached');
  });
});
