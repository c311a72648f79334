// Differential with the official client (@nats-io/transport-node): the same client code runs against
// nats-server and leafgate and must observe the same results.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { connect, errors, headers } from '@nats-io/transport-node';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { serverPair } from './differential.js';

/** Connections opened during one run; all closed when it ends. */
class Clients {
  private readonly open: NatsConnection[] = [];
  constructor(private readonly port: number) {}

  async connect(opts: { noEcho?: boolean; user?: string; pass?: string } = {}): Promise<NatsConnection> {
    const nc = await connect({ servers: `127.0.0.1:${this.port}`, reconnect: false, ...opts });
    this.open.push(nc);
    return nc;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.open.map((nc) => nc.close()));
  }
}

type Observer = (clients: Clients) => Promise<unknown>;

interface Case {
  readonly run: Observer;
  /** What nats-server is observed to give; leafgate must give the same. */
  readonly want: unknown;
}

const text = (m: Msg): string => m.string();

/** Collects messages of a subscription until it has `n` of them (or it is closed). */
async function take(nc: NatsConnection, subject: string, n: number, queue?: string): Promise<{ done: Promise<Msg[]> }> {
  const got: Msg[] = [];
  const sub = nc.subscribe(subject, { ...(queue !== undefined ? { queue } : {}) });
  const done = (async () => {
    for await (const m of sub) {
      got.push(m);
      if (got.length === n) break;
    }
    return got;
  })();
  await nc.flush();
  return { done };
}

const cases: Record<string, Case> = {
  'server info as the client sees it': {
    want: { version: '2.9.10', proto: 1, headers: true, max_payload: 1048576, idLength: 56, idPrefix: 'N' },
    async run(clients) {
      const nc = await clients.connect();
      const info = nc.info;
      assert.ok(info !== undefined);
      return { version: info.version, proto: info.proto, headers: info.headers, max_payload: info.max_payload, idLength: info.server_id.length, idPrefix: info.server_id[0] };
    },
  },

  'publish/subscribe with wildcards and auto-unsubscribe': {
    want: { got: ['oc.sub.0.x=m0', 'oc.sub.1.x=m1', 'oc.sub.2.x=m2'], closed: true },
    async run(clients) {
      const nc = await clients.connect();
      const sub = nc.subscribe('oc.sub.>', { max: 3 });
      const got: string[] = [];
      const done = (async () => {
        for await (const m of sub) got.push(`${m.subject}=${text(m)}`);
      })();
      await nc.flush();
      for (let i = 0; i < 5; i++) nc.publish(`oc.sub.${i}.x`, `m${i}`);
      await nc.flush();
      await done;
      return { got, closed: sub.isClosed() };
    },
  },

  'queue group: every message to exactly one member': {
    want: { total: 30, distinct: Array.from({ length: 30 }, (_, i) => String(i).padStart(2, '0')), plainCount: 30 },
    async run(clients) {
      const members = await Promise.all([clients.connect(), clients.connect(), clients.connect()]);
      const counts = [0, 0, 0];
      const seen: string[] = [];
      members.forEach((nc, i) =>
        nc.subscribe('oc.work', {
          queue: 'workers',
          callback: (_err, m) => {
            counts[i]++;
            seen.push(text(m));
          },
        }),
      );
      await Promise.all(members.map((nc) => nc.flush()));
      const pub = await clients.connect();
      const plain = await take(pub, 'oc.work', 30);
      for (let i = 0; i < 30; i++) pub.publish('oc.work', String(i).padStart(2, '0'));
      await pub.flush();
      const plainGot = (await plain.done).map(text);
      await Promise.all(members.map((nc) => nc.flush()));
      return { total: counts.reduce((a, b) => a + b, 0), distinct: [...new Set(seen)].sort(), plainCount: plainGot.length };
    },
  },

  'request/reply with headers round trip': {
    want: { data: 'echo:ping', multi: ['one', 'two'], lower: 'Value With Spaces', keys: ['Echo-X-Multi', 'Echo-lower-case-key'] },
    async run(clients) {
      const svc = await clients.connect();
      svc.subscribe('oc.echo', {
        callback: (_err, m) => {
          const h = headers();
          for (const [k, vs] of m.headers ?? []) for (const v of vs) h.append(`Echo-${k}`, v);
          m.respond(`echo:${text(m)}`, { headers: h });
        },
      });
      await svc.flush();
      const req = await clients.connect();
      const h = headers();
      h.append('X-Multi', 'one');
      h.append('X-Multi', 'two');
      h.set('lower-case-key', 'Value With Spaces');
      const reply = await req.request('oc.echo', 'ping', { timeout: 2000, headers: h });
      return {
        data: text(reply),
        multi: reply.headers?.values('Echo-X-Multi'),
        lower: reply.headers?.get('Echo-lower-case-key'),
        keys: [...(reply.headers?.keys() ?? [])].sort(),
      };
    },
  },

  'headers on a plain publish, and a status-less header block': {
    want: { first: { data: 'with', a: 'b', hasHeaders: true }, second: { data: 'without', hasHeaders: false } },
    async run(clients) {
      const nc = await clients.connect();
      const s = await take(nc, 'oc.hdr', 2);
      const h = headers();
      h.set('A', 'b');
      nc.publish('oc.hdr', 'with', { headers: h });
      nc.publish('oc.hdr', 'without');
      await nc.flush();
      const [a, b] = await s.done;
      return { first: { data: text(a), a: a.headers?.get('A'), hasHeaders: a.headers !== undefined }, second: { data: text(b), hasHeaders: b.headers !== undefined } };
    },
  },

  'request with no responders fails with the no-responders error': {
    want: { requestError: true, isNoResponders: true, cause: 'NoRespondersError', stillConnected: true },
    async run(clients) {
      const nc = await clients.connect();
      try {
        await nc.request('oc.nobody.home', 'x', { timeout: 2000 });
        return { error: null };
      } catch (err) {
        const e = err as Error;
        return {
          requestError: e instanceof errors.RequestError,
          isNoResponders: e instanceof errors.RequestError && e.isNoResponders(),
          cause: e.cause instanceof errors.NoRespondersError ? 'NoRespondersError' : String(e.cause),
          stillConnected: !nc.isClosed(),
        };
      }
    },
  },

  'noEcho: own messages are not delivered back': {
    want: { got: ['theirs'] },
    async run(clients) {
      const a = await clients.connect({ noEcho: true });
      const b = await clients.connect();
      const s = await take(a, 'oc.echo.off', 1);
      a.publish('oc.echo.off', 'mine');
      await a.flush();
      b.publish('oc.echo.off', 'theirs');
      await b.flush();
      return { got: (await s.done).map(text) };
    },
  },

  'a large payload round trip': {
    want: { length: 524288, same: true },
    async run(clients) {
      const nc = await clients.connect();
      const s = await take(nc, 'oc.big', 1);
      const body = new Uint8Array(512 * 1024).map((_, i) => i % 251);
      nc.publish('oc.big', body);
      const [m] = await s.done;
      return { length: m.data.length, same: Buffer.compare(Buffer.from(m.data), Buffer.from(body)) === 0 };
    },
  },

  'subscription drain delivers what is in flight, then closes': {
    want: { got: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], closed: true },
    async run(clients) {
      const nc = await clients.connect();
      const got: string[] = [];
      const sub = nc.subscribe('oc.drain', {
        callback: (_e, m) => {
          got.push(text(m));
        },
      });
      await nc.flush();
      for (let i = 0; i < 10; i++) nc.publish('oc.drain', String(i));
      await nc.flush();
      await sub.drain();
      nc.publish('oc.drain', 'late');
      await nc.flush();
      return { got, closed: sub.isClosed() };
    },
  },
};

const AUTH_CONF = `
authorization {
  users: [
    { user: alice, password: secret, permissions: { publish: { deny: ["oc.forbidden.>"] }, subscribe: { deny: ["oc.secret.>"] } } }
  ]
}
`;
const alice = { user: 'alice', pass: 'secret' };

const authCases: Record<string, Case> = {
  'wrong password: connect fails with AuthorizationError': {
    want: { error: 'AuthorizationError' },
    async run(clients) {
      try {
        await clients.connect({ user: 'alice', pass: 'wrong' });
        return { error: null };
      } catch (err) {
        return { error: err instanceof errors.AuthorizationError ? 'AuthorizationError' : String(err) };
      }
    },
  },

  'denied subscription closes with PermissionViolationError; the connection stays up': {
    want: { error: 'PermissionViolationError', operation: 'subscription', subject: 'oc.secret.x', stillConnected: true, echo: 'ok' },
    async run(clients) {
      const nc = await clients.connect(alice);
      const sub = nc.subscribe('oc.secret.x');
      const closed = await sub.closed;
      const ok = await take(nc, 'oc.fine', 1);
      nc.publish('oc.fine', 'ok');
      const [m] = await ok.done;
      return closed instanceof errors.PermissionViolationError
        ? { error: closed.name, operation: closed.operation, subject: closed.subject, stillConnected: !nc.isClosed(), echo: text(m) }
        : { error: String(closed) };
    },
  },

  'denied publish is reported as an error status': {
    want: { error: 'PermissionViolationError', operation: 'publish', subject: 'oc.forbidden.x', stillConnected: true },
    async run(clients) {
      const nc = await clients.connect(alice);
      const statuses = nc.status();
      nc.publish('oc.forbidden.x', 'no');
      for await (const st of statuses) {
        if (st.type !== 'error') continue;
        const e = st.error;
        return e instanceof errors.PermissionViolationError
          ? { error: e.name, operation: e.operation, subject: e.subject, stillConnected: !nc.isClosed() }
          : { error: String(e) };
      }
      return { error: null };
    },
  },
};

async function observe(port: number, run: Observer): Promise<unknown> {
  const clients = new Clients(port);
  try {
    return await run(clients);
  } finally {
    await clients.closeAll();
  }
}

function officialClientSuite(title: string, table: Record<string, Case>, conf?: string): void {
  describe(title, () => {
    const servers = serverPair(conf);
    for (const [name, { run, want }] of Object.entries(table)) {
      test(name, async () => {
        const { natsServer, leafgate } = servers();
        const fromNats = await observe(natsServer.port, run);
        const fromLeafgate = await observe(leafgate.port, run);
        assert.deepEqual({ natsServer: fromNats, leafgate: fromLeafgate }, { natsServer: want, leafgate: want });
      });
    }
  });
}

officialClientSuite('official client: leafgate vs nats-server', cases);
officialClientSuite('official client with authorization: leafgate vs nats-server', authCases, AUTH_CONF);
