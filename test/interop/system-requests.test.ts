// Differential: the system account's server requests. A user of the system account asks both servers
// `$SYS.REQ.SERVER.PING[.<ENDPOINT>]` and `$SYS.REQ.SERVER.<id>.<ENDPOINT>`; the answers must have
// nats-server's shape (the same keys in `server` and in `data`/`statsz`) and agree where the values
// do not depend on the server's internals.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { RawClient } from '../helpers/raw-client.js';
import { serverPair } from './differential.js';

const CONF = `
accounts {
  SYS: { users: [ { user: sys, password: sys } ] }
  A: { users: [ { user: a, password: a } ] }
}
system_account: SYS
`;

type Answer = Record<string, Record<string, unknown>>;

/** Sends each request (subject, JSON options) as the system user; the answers by index (missing when none came). */
async function ask(port: number, requests: readonly (readonly [string, string])[]): Promise<{ id: string; answers: (Answer | undefined)[] }> {
  const { client, info } = await RawClient.open(port, '{"verbose":false,"user":"sys","pass":"sys"}');
  try {
    client.send('SUB _R.> 1\r\n');
    client.send(requests.map(([subject, body], i) => `PUB ${subject.replace('<id>', String(info.server_id))} _R.${i} ${Buffer.byteLength(body)}\r\n${body}\r\n`).join(''));
    const answers: (Answer | undefined)[] = [];
    let text = '';
    const deadline = Date.now() + 5000;
    while (answers.filter((a) => a !== undefined).length < requests.filter(([s]) => !s.includes('NOBODY')).length && Date.now() < deadline) {
      text += await client.sync();
      const re = /MSG _R\.(\d+) 1 +(\d+)\r\n/g;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const start = m.index + m[0].length;
        answers[Number(m[1])] = JSON.parse(text.slice(start, start + Number(m[2]))) as Answer;
      }
    }
    return { id: String(info.server_id), answers };
  } finally {
    client.close();
  }
}

const REQUESTS = [
  ['$SYS.REQ.SERVER.PING', ''],
  ['$SYS.REQ.SERVER.PING.VARZ', ''],
  ['$SYS.REQ.SERVER.PING.HEALTHZ', ''],
  ['$SYS.REQ.SERVER.PING.CONNZ', '{"auth":true,"subscriptions":true}'],
  ['$SYS.REQ.SERVER.PING.SUBSZ', ''],
  ['$SYS.REQ.SERVER.PING.ACCOUNTZ', '{"account":"A"}'],
  ['$SYS.REQ.SERVER.PING.JSZ', ''],
  ['$SYS.REQ.SERVER.<id>.VARZ', ''],
  ['$SYS.REQ.SERVER.<id>.STATSZ', ''],
  ['$SYS.REQ.SERVER.NOBODY.VARZ', ''],
] as const;

describe('system account server requests: leafgate vs nats-server', () => {
  const servers = serverPair(CONF);

  test('PING, PING.<endpoint> and <id>.<endpoint> answer with nats-server\'s envelope and keys', async () => {
    const { natsServer, leafgate } = servers();
    const shape = async (port: number) => {
      const { id, answers } = await ask(port, REQUESTS);
      return REQUESTS.map((_, i) => {
        const a = answers[i];
        if (a === undefined) return 'no answer';
        const body = (a.data ?? a.statsz ?? a.error) as Record<string, unknown>;
        return { keys: Object.keys(a), server: Object.keys(a.server as object).sort(), body: Object.keys(body).sort(), sameId: a.server?.id === id };
      });
    };
    const fromNats = await shape(natsServer.port);
    const fromLeafgate = await shape(leafgate.port);
    assert.deepEqual(fromLeafgate, fromNats);
    assert.equal(fromNats.at(-1), 'no answer', "another server's id is not answered");
  });

  test('values that do not depend on the server: health, the account asked for, the version, the connection listed', async () => {
    const { natsServer, leafgate } = servers();
    const values = async (port: number) => {
      const { answers } = await ask(port, REQUESTS);
      const data = (i: number) => answers[i]?.data as Record<string, any>;
      return {
        health: data(2),
        account: data(5)?.account_detail?.account_name,
        version: answers[1]?.server?.ver,
        connections: data(3)?.connections?.map((c: Record<string, unknown>) => [c.authorized_user, c.account]),
        statszConnections: (answers[0]?.statsz as Record<string, unknown>)?.connections,
      };
    };
    const want = { health: { status: 'ok' }, account: 'A', version: '2.9.10', connections: [['sys', 'SYS']], statszConnections: 1 };
    assert.deepEqual({ natsServer: await values(natsServer.port), leafgate: await values(leafgate.port) }, { natsServer: want, leafgate: want });
  });
});
