// Differential: exports and imports between accounts from the configuration, driven through the
// official client against nats-server and leafgate with the same file. What crosses an import, under
// which subject, with which reply and header, and what does not cross.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, headers } from '@nats-io/transport-node';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { serverPair } from './differential.js';

const CONF = `
server_name: imports
accounts {
  A: {
    users: [ { user: a, password: a } ]
    exports: [
      { stream: "events.>" }
      { stream: "private.>", accounts: [B] }
      { stream: "orders.*.*" }
      { stream: "metrics.>" }
      { service: "svc.echo" }
      { service: "svc.stream", response: stream }
      { service: "svc.chunk", response: chunked }
      { service: "svc.wild.*" }
      { service: "svc.private", accounts: [C] }
      { service: "svc.share" }
      { stream: "swap.*.*" }
      { service: "svc.pair.*.*" }
    ]
  }
  B: {
    users: [ { user: b, password: b } ]
    imports: [
      { stream: { account: A, subject: "events.>" }, prefix: "a" }
      { stream: { account: A, subject: "private.>" } }
      { stream: { account: A, subject: "orders.*.*" }, to: "ord.*.*" }
      { stream: { account: A, subject: "metrics.>" }, to: "m.>" }
      { service: { account: A, subject: "svc.echo" }, to: "echo" }
      { service: { account: A, subject: "svc.stream" } }
      { service: { account: A, subject: "svc.chunk" } }
      { service: { account: A, subject: "svc.wild.*" }, to: "w.*" }
      { service: { account: A, subject: "svc.share" }, share: true }
      { stream: { account: A, subject: "swap.*.*" }, to: "sw.$2.$1" }
      { service: { account: A, subject: "svc.pair.*.*" }, to: "pair.$2.$1" }
    ]
  }
  C: {
    users: [ { user: c, password: c } ]
    imports: [ { service: { account: A, subject: "svc.private" } } ]
  }
}
`;

async function as(port: number, user: string): Promise<NatsConnection> {
  return connect({ servers: `127.0.0.1:${port}`, user, pass: user, reconnect: false });
}

/** Subjects (sorted) a subscription got until the connection's round trip after `act`. */
async function collect(nc: NatsConnection, subject: string, act: () => Promise<void>): Promise<string[]> {
  const got: string[] = [];
  const sub = nc.subscribe(subject, {
    callback: (_err, m) => {
      got.push(m.subject);
    },
  });
  await nc.flush();
  await act();
  await sleep(50);
  await nc.flush();
  sub.unsubscribe();
  return got.sort();
}

/** The Nats-Request-Info a responder saw, with the values that differ from run to run masked. */
function requestInfo(m: Msg): Record<string, unknown> | null {
  const raw = m.headers?.get('Nats-Request-Info');
  if (raw === undefined || raw === '') return null;
  const info = JSON.parse(raw) as Record<string, unknown>;
  for (const k of ['start', 'host', 'id', 'rtt']) if (k in info) info[k] = typeof info[k];
  return info;
}

describe('exports and imports: leafgate vs nats-server', () => {
  const servers = serverPair(CONF, { monitoring: true });
  const both = async (observe: (port: number) => Promise<unknown>): Promise<unknown> => {
    const { natsServer, leafgate } = servers();
    const fromNats = await observe(natsServer.port);
    const fromLeafgate = await observe(leafgate.port);
    assert.deepEqual(fromLeafgate, fromNats);
    return fromNats;
  };

  test('stream imports: prefix, private export, wildcard `to` mapping; nothing reaches an account without the import', async () => {
    const seen = await both(async (port) => {
      const [a, b, c] = await Promise.all([as(port, 'a'), as(port, 'b'), as(port, 'c')]);
      try {
        const publish = async (): Promise<void> => {
          for (const s of ['events.x', 'events.y.z', 'private.p', 'orders.1.2', 'metrics.cpu.load', 'other.q']) a.publish(s, s);
          await a.flush();
        };
        const inB = await collect(b, '>', publish);
        const inBNarrow = await collect(b, 'a.events.y.*', publish);
        const inBOverlap = await collect(b, 'ord.*.1', publish);
        const inC = await collect(c, '>', publish);
        return { inB, inBNarrow, inBOverlap, inC };
      } finally {
        await Promise.all([a.close(), b.close(), c.close()]);
      }
    });
    assert.deepEqual(seen, {
      inB: ['a.events.x', 'a.events.y.z', 'm.cpu.load', 'ord.1.2', 'private.p'],
      inBNarrow: ['a.events.y.z'],
      inBOverlap: [],
      inC: [],
    });
  });

  test('service imports: `to` remapping, wildcards, the reply comes back once, the responder sees Nats-Request-Info', async () => {
    const seen = await both(async (port) => {
      const [a, b] = await Promise.all([as(port, 'a'), as(port, 'b')]);
      try {
        const requests: unknown[] = [];
        a.subscribe('svc.>', {
          callback: (_err, m) => {
            requests.push({ subject: m.subject, replyPrefix: m.reply?.slice(0, 4), info: requestInfo(m), data: m.string() });
            if (m.subject === 'svc.echo' || m.subject.startsWith('svc.wild.')) {
              m.respond(`re:${m.string()}`);
              m.respond('second answer');
            }
          },
        });
        await a.flush();
        const echo = await b.request('echo', 'hi', { timeout: 2000 });
        const wild = await b.request('w.thing', 'w', { timeout: 2000 });
        const inbox = '_INBOX.fixed.echo';
        const answers = await collect(b, inbox, async () => {
          b.publish('echo', 'again', { reply: inbox });
          await b.flush();
          await sleep(100);
        });
        return { echo: echo.string(), wild: wild.string(), answers, requests };
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
    assert.equal((seen as { echo: string }).echo, 're:hi');
    assert.deepEqual((seen as { answers: string[] }).answers.length, 1, 'a singleton service answers once');
  });

  test('streamed and chunked responses: every answer arrives until an empty one ends the reply', async () => {
    const seen = await both(async (port) => {
      const [a, b] = await Promise.all([as(port, 'a'), as(port, 'b')]);
      try {
        for (const svc of ['svc.stream', 'svc.chunk']) {
          a.subscribe(svc, {
            callback: (_err, m) => {
              for (let i = 0; i < 3; i++) m.respond(`${i}`);
              m.respond('');
              m.respond('after the end');
            },
          });
        }
        await a.flush();
        const got: Record<string, string[]> = {};
        for (const svc of ['svc.stream', 'svc.chunk']) {
          const inbox = `_INBOX.fixed.${svc}`;
          const bodies: string[] = [];
          const sub = b.subscribe(inbox, {
            callback: (_err, m) => {
              bodies.push(m.string());
            },
          });
          b.publish(svc, 'go', { reply: inbox });
          await b.flush();
          await sleep(150);
          await b.flush();
          sub.unsubscribe();
          got[svc] = bodies;
        }
        return got;
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
    // nats-server ends a streamed reply on an empty message as well as a chunked one.
    assert.deepEqual(seen, { 'svc.stream': ['0', '1', '2', ''], 'svc.chunk': ['0', '1', '2', ''] });
  });

  test('shared import: the responder sees the requester in full; private export: only the named account gets through', async () => {
    const seen = await both(async (port) => {
      const [a, b, c] = await Promise.all([as(port, 'a'), as(port, 'b'), as(port, 'c')]);
      try {
        const infos: unknown[] = [];
        a.subscribe('svc.share', {
          callback: (_err, m) => {
            infos.push(requestInfo(m));
            m.respond('ok');
          },
        });
        a.subscribe('svc.private', {
          callback: (_err, m) => {
            m.respond(`private:${requestInfo(m)?.['acc'] as string}`);
          },
        });
        await a.flush();
        const shared = (await b.request('svc.share', 'x', { timeout: 2000 })).string();
        const fromC = (await c.request('svc.private', 'x', { timeout: 2000 })).string();
        const fromB = await b.request('svc.private', 'x', { timeout: 300 }).then(
          (m) => m.string(),
          (err: Error) => err.name,
        );
        return { shared, infos, fromC, fromB };
      } finally {
        await Promise.all([a.close(), b.close(), c.close()]);
      }
    });
    assert.equal((seen as { fromC: string }).fromC, 'private:C');
    assert.notEqual((seen as { fromB: string }).fromB, 'private:B', 'B has no import of the private service');
    assert.equal(((seen as { infos: Record<string, unknown>[] }).infos[0] ?? {})['user'], 'b');
  });

  test('a request through an import with nobody answering: no 503 (the import counts as interest), it times out', async () => {
    await both(async (port) => {
      const b = await as(port, 'b');
      try {
        return await b.request('svc.stream', 'x', { timeout: 300 }).then(
          () => 'answered',
          (err: Error) => (err.message.includes('503') || err.name === 'NoRespondersError' ? 'no responders' : 'timeout'),
        );
      } finally {
        await b.close();
      }
    }).then((r) => assert.equal(r, 'timeout'));
  });

  test('/accountz lists each account\'s exports and imports (its own system imports too) as nats-server does', async () => {
    const { httpPort } = servers();
    const detailOf = async (port: number, acc: string): Promise<unknown> => {
      const res = await fetch(`http://127.0.0.1:${port}/accountz?acc=${acc}`);
      const d = ((await res.json()) as { account_detail: Record<string, unknown> }).account_detail;
      // nats-server lists them in Go map order: compared as sets.
      const sorted = (list: unknown) => (list as object[] | undefined)?.map((x) => JSON.stringify(x)).sort();
      return { exports: sorted(d.exports), imports: sorted(d.imports), subscriptions: d.subscriptions };
    };
    // leafgate answers nats-server 2.10's $SYS.REQ.USER.INFO, which 2.9.10 lacks: one import and its subscription more.
    const USER_INFO_IMPORT = (acc: string) => `{"subject":"$SYS.REQ.USER.INFO","account":"$SYS","to":"$SYS.REQ.USER.${acc}.INFO","type":"service","invalid":false,"share":true,"tracking":false}`;
    for (const acc of ['A', 'B', 'C']) {
      const fromNats = (await detailOf(httpPort.natsServer, acc)) as { exports: string[]; imports: string[]; subscriptions: number };
      const fromLeafgate = (await detailOf(httpPort.leafgate, acc)) as typeof fromNats;
      assert.ok(fromLeafgate.imports.includes(USER_INFO_IMPORT(acc)), acc);
      const withoutUserInfo = { ...fromLeafgate, imports: fromLeafgate.imports.filter((i) => i !== USER_INFO_IMPORT(acc)), subscriptions: fromLeafgate.subscriptions - 1 };
      assert.deepEqual(withoutUserInfo, fromNats, acc);
    }
    const b = (await detailOf(httpPort.leafgate, 'B')) as { imports: string[] };
    assert.equal(b.imports.length, 15, 'five streams, six services, four from the system account');
  });

  test("an account's own CONNZ and STATZ through its system imports: only its connections", async () => {
    const seen = await both(async (port) => {
      const [a, b, b2] = await Promise.all([as(port, 'a'), as(port, 'b'), as(port, 'b')]);
      try {
        const connz = JSON.parse((await b.request('$SYS.REQ.ACCOUNT.PING.CONNZ', '', { timeout: 2000 })).string()) as { data: { num_connections: number; connections: { account?: string; authorized_user?: string }[] } };
        const viaServer = JSON.parse((await a.request('$SYS.REQ.SERVER.PING.CONNZ', '{"auth":true}', { timeout: 2000 })).string()) as { data: { num_connections: number; connections: { account?: string }[] } };
        const statz = JSON.parse((await b.request('$SYS.REQ.ACCOUNT.PING.STATZ', '', { timeout: 2000 })).string()) as { data: { account_statz: { acc: string; conns: number }[] } };
        return {
          connz: connz.data.num_connections,
          serverConnz: { n: viaServer.data.num_connections, accounts: viaServer.data.connections.map((c) => c.account) },
          statz: statz.data.account_statz.map((s) => ({ acc: s.acc, conns: s.conns })),
        };
      } finally {
        await Promise.all([a.close(), b.close(), b2.close()]);
      }
    });
    assert.deepEqual(seen, { connz: 2, serverConnz: { n: 1, accounts: ['A'] }, statz: [{ acc: 'B', conns: 2 }] });
  });

  test('/accstatz: accounts with connections, their message counts and bytes received, as nats-server counts them', async () => {
    const { natsServer, leafgate, httpPort } = servers();
    const statz = async (port: number, http: number): Promise<unknown> => {
      const [a, b] = await Promise.all([as(port, 'a'), as(port, 'b')]);
      try {
        b.subscribe('a.events.>');
        await b.flush();
        a.publish('events.count', '12345');
        a.publish('events.count', '67890');
        await a.flush();
        await sleep(50);
        const res = await fetch(`http://127.0.0.1:${http}/accstatz`);
        const body = (await res.json()) as { account_statz: { acc: string; sent: { msgs: number } }[] };
        const unused = (await (await fetch(`http://127.0.0.1:${http}/accstatz?unused=1`)).json()) as { account_statz: { acc: string }[] };
        // Bytes sent include the Nats-Request-Info headers of requests through imports, whose RTT and
        // start time differ from server to server: compared as counts of messages only.
        const stats = [...body.account_statz].sort((x, y) => x.acc.localeCompare(y.acc)).map((x) => ({ ...x, sent: { msgs: x.sent.msgs } }));
        return { statz: stats, unused: unused.account_statz.map((x) => x.acc).sort() };
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    };
    const fromNats = await statz(natsServer.port, httpPort.natsServer);
    const fromLeafgate = await statz(leafgate.port, httpPort.leafgate);
    assert.deepEqual(fromLeafgate, fromNats);
    assert.deepEqual((fromNats as { unused: string[] }).unused, ['$G', '$SYS', 'A', 'B', 'C']);
  });

  test('`$n` in an import subject reorders the wildcards: stream deliveries, narrower subscriptions and service requests', async () => {
    const seen = await both(async (port) => {
      const [a, b] = await Promise.all([as(port, 'a'), as(port, 'b')]);
      try {
        const requests: string[] = [];
        a.subscribe('svc.pair.>', {
          callback: (_err, m) => {
            requests.push(m.subject);
            m.respond('ok');
          },
        });
        await a.flush();
        const publish = async (): Promise<void> => {
          a.publish('swap.1.2');
          a.publish('swap.y.x');
          await a.flush();
        };
        const all = await collect(b, 'sw.>', publish);
        const literal = await collect(b, 'sw.x.y', publish);
        await b.request('pair.a.b', '', { timeout: 2000 });
        return { all, literal, requests };
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
    assert.deepEqual(seen, { all: ['sw.2.1', 'sw.x.y'], literal: ['sw.x.y'], requests: ['svc.pair.b.a'] });
  });

  test("a request's own headers cross with it; a Nats-Request-Info it carried is replaced by the server's", async () => {
    const seen = await both(async (port) => {
      const [a, b] = await Promise.all([as(port, 'a'), as(port, 'b')]);
      try {
        const got: unknown[] = [];
        a.subscribe('svc.echo', {
          callback: (_err, m) => {
            got.push({ custom: m.headers?.get('X-Custom'), info: requestInfo(m), keys: m.headers?.keys().sort() });
            m.respond('ok');
          },
        });
        await a.flush();
        const h = headers();
        h.set('X-Custom', 'kept');
        h.set('Nats-Request-Info', '{"acc":"forged"}');
        await b.request('echo', 'x', { timeout: 2000, headers: h });
        return got;
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
    assert.deepEqual(seen, [{ custom: 'kept', info: { acc: 'B', rtt: 'number' }, keys: ['Nats-Request-Info', 'X-Custom'] }]);
  });
});
