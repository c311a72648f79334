// Differential: the system account's events (connect, disconnect, account connections, auth errors,
// periodic STATSZ) as a system user sees them, from nats-server and leafgate with the same file.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import { serverPair } from './differential.js';

const CONF = `
accounts {
  A: { users: [ { user: a, password: a } ] }
  SYS: { users: [ { user: s, password: s } ] }
}
system_account: SYS
`;

type Json = Record<string, unknown>;

/** An event with what differs from run to run (ids, times, ports, this server's identity) masked. */
function shape(subject: string, body: Json, serverId: string): Json {
  const masked: Json = { subject: subject.replace(serverId, '<id>') };
  for (const [k, v] of Object.entries(body)) {
    if (k === 'id' || k === 'timestamp') masked[k] = typeof v;
    else if (k === 'server') masked[k] = Object.keys(v as Json);
    else if (k === 'client') {
      const c = { ...(v as Json) };
      for (const f of ['start', 'stop', 'id', 'rtt', 'ver']) if (f in c) c[f] = typeof c[f];
      masked[k] = c;
    } else if (k === 'statsz') masked[k] = Object.keys(v as Json);
    else masked[k] = v;
  }
  return masked;
}

async function observe(port: number): Promise<{ events: Json[]; statsz: number }> {
  const sys = await connect({ port, user: 's', pass: 's', reconnect: false });
  const events: Json[] = [];
  let statsz = 0;
  const serverId = (sys.info?.server_id as string | undefined) ?? '';
  sys.subscribe('$SYS.>', {
    callback: (_err, m) => {
      if (m.subject.endsWith('.STATSZ')) {
        statsz++;
        if (statsz === 1) events.push(shape(m.subject, m.json<Json>(), serverId));
        return;
      }
      // The global account's connection counts, which nats-server sends as every client passes
      // through it before its login, are left out.
      if (m.subject.includes('.$G.')) return;
      events.push(shape(m.subject, m.json<Json>(), serverId));
    },
  });
  await sys.flush();
  const a = await connect({ port, user: 'a', pass: 'a', name: 'cli-a', reconnect: false });
  a.publish('x', 'hello');
  await a.flush();
  await a.close();
  await connect({ port, user: 'a', pass: 'wrong', reconnect: false }).then(
    (nc) => nc.close(),
    () => undefined,
  );
  await sleep(1500);
  await sys.close();
  return { events: events.filter((e) => !String(e.subject).endsWith('.STATSZ')).concat(events.filter((e) => String(e.subject).endsWith('.STATSZ')).slice(0, 1)), statsz };
}

describe('system account events: leafgate vs nats-server', () => {
  const servers = serverPair(CONF);

  test('connect, account connections, disconnect, auth error and STATSZ, in nats-server\'s JSON', async () => {
    const { natsServer, leafgate } = servers();
    const fromNats = await observe(natsServer.port);
    const fromLeafgate = await observe(leafgate.port);
    assert.deepEqual(fromLeafgate.events, fromNats.events);
    assert.ok(fromNats.statsz >= 1 && fromLeafgate.statsz >= 1, 'STATSZ arrives on its own within the first seconds');
    assert.deepEqual(
      fromNats.events.map((e) => e.subject),
      [
        '$SYS.SERVER.ACCOUNT.A.CONNS',
        '$SYS.ACCOUNT.A.SERVER.CONNS',
        '$SYS.ACCOUNT.A.CONNECT',
        '$SYS.SERVER.ACCOUNT.A.CONNS',
        '$SYS.ACCOUNT.A.SERVER.CONNS',
        '$SYS.ACCOUNT.A.DISCONNECT',
        '$SYS.SERVER.<id>.CLIENT.AUTH.ERR',
        '$SYS.SERVER.<id>.STATSZ',
      ],
    );
  });
});
