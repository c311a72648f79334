// Non-ASCII subjects, differential against nats-server: permissions written in a UTF-8 config file
// apply to the UTF-8 bytes the official client sends, monitoring shows the subjects as text (bytes
// that are not UTF-8 as U+FFFD), and delivery keeps the subject intact.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { connect, errors } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { take } from '../helpers/nats-client.js';
import { RawClient } from '../helpers/raw-client.js';
import { serverPair } from './differential.js';

const CONF = `
authorization {
  users: [
    { user: alice, password: secret, permissions: { publish: { deny: ["föö.>"] }, subscribe: { deny: ["bär.*"] } } }
  ]
}
`;
const alice = { user: 'alice', pass: 'secret' };

interface Endpoints {
  readonly port: number;
  readonly httpPort: number;
}

type Observer = (at: Endpoints, connect: (name: string) => Promise<NatsConnection>) => Promise<unknown>;

interface Case {
  readonly run: Observer;
  /** What nats-server is observed to give; leafgate must give the same. */
  readonly want: unknown;
}

interface SubDetail {
  subject: string;
  qgroup?: string;
  sid: string;
}

interface ConnzEntry {
  name?: string;
  subscriptions_list?: string[];
  subscriptions_list_detail?: SubDetail[];
}

async function monitor<T>(at: Endpoints, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${at.httpPort}${path}`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

async function connzEntry(at: Endpoints, query: string, name: string): Promise<ConnzEntry | undefined> {
  const body = await monitor<{ connections: ConnzEntry[] | null }>(at, `/connz?${query}`);
  return (body.connections ?? []).find((c) => c.name === name);
}

/** Subjects /subsz lists (optionally those a publish to `test` reaches) that start with `prefix`, sorted. */
async function subszSubjects(at: Endpoints, prefix: string, test?: string): Promise<string[]> {
  const query = test === undefined ? '' : `&test=${encodeURIComponent(test)}`;
  const body = await monitor<{ subscriptions_list?: SubDetail[] }>(at, `/subsz?subs=1${query}`);
  return (body.subscriptions_list ?? []).map((s) => s.subject).filter((s) => s.startsWith(prefix)).sort();
}

/** The promise's value, or `fallback` when it has not settled within 5 s (so a missing answer fails, not hangs). */
async function within<T, F>(promise: Promise<T>, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), 5000)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls a closed connection's entry; the server records it after the socket closes. */
async function closedEntry(at: Endpoints, name: string): Promise<ConnzEntry> {
  for (let i = 0; i < 200; i++) {
    const entry = await connzEntry(at, 'state=closed&subs=1', name);
    if (entry !== undefined) return entry;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`closed connection ${name} not listed`);
}

const cases: Record<string, Case> = {
  'publish to föö.x: PermissionViolationError, the connection stays up': {
    want: { error: 'PermissionViolationError', operation: 'publish', subject: 'föö.x', stillConnected: true },
    async run(_at, open) {
      const nc = await open('pub-deny');
      const firstError = (async () => {
        for await (const st of nc.status()) if (st.type === 'error') return st.error;
        return null;
      })();
      nc.publish('föö.x', 'no');
      const e = await within(firstError, 'no error reported');
      return e instanceof errors.PermissionViolationError
        ? { error: e.name, operation: e.operation, subject: e.subject, stillConnected: !nc.isClosed() }
        : { error: String(e) };
    },
  },

  'publish deny föö.> and the delivery filter of subscribe deny bär.* apply to the UTF-8 bytes': {
    want: ['föö=fine', 'bär.x.y=deeper'],
    async run(_at, open) {
      const watcher = await open('watcher');
      const got: string[] = [];
      const sub = watcher.subscribe('>');
      const done = (async () => {
        for await (const m of sub) {
          if (m.subject === 'end') break;
          got.push(`${m.subject}=${m.string()}`);
        }
      })();
      await watcher.flush();
      const nc = await open('publisher');
      nc.publish('föö.x', 'denied');
      nc.publish('föö', 'fine');
      nc.publish('bär.x', 'filtered');
      nc.publish('bär.x.y', 'deeper');
      nc.publish('end');
      await nc.flush();
      await done;
      return got;
    },
  },

  'SUB to bär.x is refused': {
    want: { error: 'PermissionViolationError', operation: 'subscription', subject: 'bär.x', stillConnected: true },
    async run(_at, open) {
      const nc = await open('sub-deny');
      const closed = await within(nc.subscribe('bär.x').closed, 'still subscribed');
      return closed instanceof errors.PermissionViolationError
        ? { error: closed.name, operation: closed.operation, subject: closed.subject, stillConnected: !nc.isClosed() }
        : { error: String(closed) };
    },
  },

  'a message to ünï.x is delivered with its subject and reply intact': {
    want: { subject: 'ünï.x', reply: 'ünï.antwort', data: 'grüße' },
    async run(_at, open) {
      const nc = await open('deliver');
      const sub = nc.subscribe('ünï.>', { max: 1 });
      await nc.flush();
      nc.publish('ünï.x', 'grüße', { reply: 'ünï.antwort' });
      const [m] = await take(sub, 1);
      return { subject: m.subject, reply: m.reply, data: m.string() };
    },
  },

  'monitoring shows ünï.> (and its queue group) as text': {
    want: {
      list: ['ünï.*', 'ünï.>'],
      detail: [
        { subject: 'ünï.>', sid: '1' },
        { subject: 'ünï.*', qgroup: 'grüppe', sid: '2' },
      ],
      subsz: ['ünï.*', 'ünï.>'],
      subszTest: ['ünï.*', 'ünï.>'],
      subszTestMiss: [],
      closed: ['ünï.*', 'ünï.>'],
    },
    async run(at, open) {
      const nc = await open('monitored');
      nc.subscribe('ünï.>');
      nc.subscribe('ünï.*', { queue: 'grüppe' });
      await nc.flush();
      const listed = await connzEntry(at, 'subs=1', 'monitored');
      const detailed = await connzEntry(at, 'subs=detail', 'monitored');
      const observed = {
        list: listed?.subscriptions_list?.sort(),
        detail: detailed?.subscriptions_list_detail?.map(({ subject, qgroup, sid }) => ({ subject, ...(qgroup !== undefined && { qgroup }), sid })).sort((a, b) => a.sid.localeCompare(b.sid)),
        subsz: await subszSubjects(at, 'ünï'),
        subszTest: await subszSubjects(at, 'ünï', 'ünï.x'),
        subszTestMiss: await subszSubjects(at, 'ünï', 'uni.x'),
      };
      await nc.close();
      return { ...observed, closed: (await closedEntry(at, 'monitored')).subscriptions_list?.sort() };
    },
  },

  'bytes that are not UTF-8 show as U+FFFD, one per byte': {
    want: ['inv.a\uFFFD.\uFFFD\uFFFD.b'],
    async run(at) {
      const { client } = await RawClient.open(at.port, JSON.stringify({ ...alice, verbose: false }));
      try {
        client.send(Buffer.concat([Buffer.from('SUB inv.a'), Buffer.from([0xff, 0x2e, 0xe2, 0x82]), Buffer.from('.b 1\r\nPING\r\n')]));
        await client.expect('PONG\r\n');
        return await subszSubjects(at, 'inv.');
      } finally {
        client.close();
      }
    },
  },
};

async function observe(at: Endpoints, run: Observer): Promise<unknown> {
  const open: NatsConnection[] = [];
  const connectAs = async (name: string): Promise<NatsConnection> => {
    const nc = await connect({ servers: `127.0.0.1:${at.port}`, reconnect: false, name, ...alice });
    open.push(nc);
    return nc;
  };
  try {
    return await run(at, connectAs);
  } finally {
    await Promise.all(open.filter((nc) => !nc.isClosed()).map((nc) => nc.close()));
  }
}

describe('non-ASCII subjects: leafgate vs nats-server', () => {
  const servers = serverPair(CONF, { monitoring: true });
  for (const [name, { run, want }] of Object.entries(cases)) {
    test(name, async () => {
      const { natsServer, leafgate, httpPort } = servers();
      const fromNats = await observe({ port: natsServer.port, httpPort: httpPort.natsServer }, run);
      const fromLeafgate = await observe({ port: leafgate.port, httpPort: httpPort.leafgate }, run);
      assert.deepEqual({ natsServer: fromNats, leafgate: fromLeafgate }, { natsServer: want, leafgate: want });
    });
  }
});
