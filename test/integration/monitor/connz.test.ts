import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NatsConnection } from '@nats-io/transport-node';
import { RawClient } from '../../helpers/raw-client.js';
import { RFC3339, UPTIME, startMonitored } from './harness.js';
import type { Monitored } from './harness.js';

interface ConnInfo {
  [key: string]: unknown;
  cid: number;
  name?: string;
  subscriptions: number;
  subscriptions_list?: string[];
  subscriptions_list_detail?: Record<string, unknown>[];
}

interface Connz {
  server_id: string;
  now: string;
  num_connections: number;
  total: number;
  offset: number;
  limit: number;
  connections: ConnInfo[] | null;
}

async function client(m: Monitored, name: string, extra: Record<string, unknown> = {}): Promise<NatsConnection> {
  return m.client({ name, ...extra });
}

const names = (c: Connz): (string | undefined)[] => (c.connections ?? []).map((x) => x.name);

test('/connz lists open connections with nats-server fields', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  const a = await client(m, 'alpha');
  const b = await client(m, 'beta');
  a.subscribe('foo.bar');
  a.subscribe('foo.*', { queue: 'q1' });
  a.subscribe('baz', { max: 5 });
  b.subscribe('foo.>');
  await Promise.all([a.flush(), b.flush()]);

  const c = await m.json<Connz>('/connz');
  assert.equal(c.server_id, m.server.id);
  assert.match(c.now, RFC3339);
  assert.equal(c.num_connections, 2);
  assert.equal(c.total, 2);
  assert.equal(c.offset, 0);
  assert.equal(c.limit, 1024);
  assert.deepEqual(names(c), ['alpha', 'beta']);
  const first = (c.connections as ConnInfo[])[0];
  assert.deepEqual(Object.keys(first), ['cid', 'kind', 'type', 'ip', 'port', 'start', 'last_activity', 'rtt', 'uptime', 'idle',
    'pending_bytes', 'in_msgs', 'out_msgs', 'in_bytes', 'out_bytes', 'subscriptions', 'name', 'lang', 'version']);
  assert.equal(first.kind, 'Client');
  assert.equal(first.type, 'nats');
  assert.equal(first.ip, '127.0.0.1');
  assert.equal(first.lang, 'nats.js');
  assert.equal(first.subscriptions, 3);
  assert.match(first.start as string, RFC3339);
  assert.match(first.last_activity as string, RFC3339);
  assert.match(first.uptime as string, UPTIME);
  assert.match(first.idle as string, UPTIME);
  assert.match(first.rtt as string, /^\d+(\.\d+)?(ns|µs|ms|s)$/);
});

/** Go duration text of a non-zero RTT, in nanoseconds. */
function rttNs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ns|µs|ms|s)$/.exec(text);
  assert.ok(m !== null, `rtt ${JSON.stringify(text)} is a Go duration`);
  return Number(m[1]) * { ns: 1, µs: 1e3, ms: 1e6, s: 1e9 }[m[2] as 'ns' | 'µs' | 'ms' | 's'];
}

test('/connz rtt is set once an official client has connected', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  const nc = await client(m, 'timed');
  await nc.flush();
  const c = await m.until<Connz>('/connz', (body) => body.connections?.[0]?.rtt !== '0s');
  assert.ok(rttNs((c.connections as ConnInfo[])[0].rtt as string) > 0);
});

test('/connz rtt: estimated from INFO to CONNECT, then measured by the server PING and its PONG', async (t) => {
  const m = await startMonitored({ pingIntervalMs: 100, pingMax: 100 });
  t.after(() => m.stop());
  const { client: raw } = await RawClient.open(m.server.port);
  t.after(() => raw.close());
  // Both delays are lower bounds by causality: the server cannot see either reply sooner.
  await new Promise((resolve) => setTimeout(resolve, 50));
  raw.send('CONNECT {"verbose":false,"lang":"raw"}\r\n');
  await raw.sync();
  const estimated = await m.json<Connz>('/connz');
  assert.ok(rttNs((estimated.connections as ConnInfo[])[0].rtt as string) >= 50e6);

  await raw.expect('PING\r\n');
  await new Promise((resolve) => setTimeout(resolve, 300));
  raw.send('PONG\r\n');
  const measured = await m.until<Connz>('/connz', (body) => rttNs(body.connections?.[0]?.rtt as string) >= 300e6);
  assert.equal(measured.num_connections, 1);
});

test('/connz subs=1 lists subjects, subs=detail lists subscription details', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  const a = await client(m, 'alpha');
  a.subscribe('foo.bar');
  a.subscribe('foo.*', { queue: 'q1' });
  a.subscribe('baz', { max: 5 });
  a.publish('foo.bar', 'x');
  await a.flush();

  const list = await m.json<Connz>('/connz?subs=1');
  assert.deepEqual((list.connections as ConnInfo[])[0].subscriptions_list, ['foo.bar', 'foo.*', 'baz']);
  const viaTrue = await m.json<Connz>('/connz?subs=true');
  assert.deepEqual((viaTrue.connections as ConnInfo[])[0].subscriptions_list, ['foo.bar', 'foo.*', 'baz']);

  const detail = await m.json<Connz>('/connz?subs=detail');
  const conn = (detail.connections as ConnInfo[])[0];
  assert.equal(conn.subscriptions_list, undefined);
  assert.deepEqual(conn.subscriptions_list_detail, [
    { subject: 'foo.bar', sid: '1', msgs: 1, cid: conn.cid },
    { subject: 'foo.*', qgroup: 'q1', sid: '2', msgs: 1, cid: conn.cid },
    { subject: 'baz', sid: '3', msgs: 0, max: 5, cid: conn.cid },
  ]);
});

test('/connz pages with offset and limit, and cid picks one connection', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  for (const name of ['c1', 'c2', 'c3']) await client(m, name);

  const page = await m.json<Connz>('/connz?offset=1&limit=1');
  assert.equal(page.total, 3);
  assert.equal(page.num_connections, 1);
  assert.equal(page.offset, 1);
  assert.equal(page.limit, 1);
  assert.deepEqual(names(page), ['c2']);

  const past = await m.json<Connz>('/connz?offset=10');
  assert.deepEqual(past.connections, []);
  assert.equal(past.num_connections, 0);

  const sane = await m.json<Connz>('/connz?offset=-4&limit=0');
  assert.equal(sane.offset, 0);
  assert.equal(sane.limit, 1024);

  const all = await m.json<Connz>('/connz');
  const cid = (all.connections as ConnInfo[])[2].cid;
  const one = await m.json<Connz>(`/connz?cid=${cid}`);
  assert.equal(one.limit, 1);
  assert.deepEqual(names(one), ['c3']);
  const none = await m.json<Connz>('/connz?cid=9999');
  assert.deepEqual(none.connections, []);
});

test('/connz sorts descending by traffic and subscriptions, ascending by cid', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  const quiet = await client(m, 'quiet');
  const chatty = await client(m, 'chatty');
  const middle = await client(m, 'middle');
  for (let i = 0; i < 5; i++) chatty.publish('x', 'payload');
  middle.publish('x', 'p');
  middle.subscribe('a');
  middle.subscribe('b');
  quiet.subscribe('c');
  await Promise.all([quiet.flush(), chatty.flush(), middle.flush()]);

  assert.deepEqual(names(await m.json<Connz>('/connz?sort=msgs_from')), ['chatty', 'middle', 'quiet']);
  assert.deepEqual(names(await m.json<Connz>('/connz?sort=bytes_from')), ['chatty', 'middle', 'quiet']);
  assert.deepEqual(names(await m.json<Connz>('/connz?sort=subs')), ['middle', 'quiet', 'chatty']);
  assert.deepEqual(names(await m.json<Connz>('/connz?sort=cid')), ['quiet', 'chatty', 'middle']);
  assert.deepEqual(names(await m.json<Connz>('/connz?sort=start')), ['quiet', 'chatty', 'middle']);
  for (const order of ['pending', 'msgs_to', 'bytes_to', 'last', 'idle', 'uptime']) {
    const c = await m.json<Connz>(`/connz?sort=${order}`);
    assert.equal(c.num_connections, 3, order);
  }
});

test('/connz keeps closed connections with stop and reason', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  await client(m, 'stays');
  const leaves = await client(m, 'leaves');
  leaves.publish('bye', 'now');
  await leaves.flush();
  await leaves.close();

  const closed = await m.until<Connz>('/connz?state=closed', (c) => c.num_connections === 1);
  const gone = (closed.connections as ConnInfo[])[0];
  assert.equal(gone.name, 'leaves');
  assert.equal(gone.reason, 'Client Closed');
  assert.match(gone.stop as string, RFC3339);
  assert.equal(gone.in_msgs, 1);
  assert.deepEqual(Object.keys(gone).slice(0, 10), ['cid', 'kind', 'type', 'ip', 'port', 'start', 'last_activity', 'stop', 'reason', 'rtt']);

  const open = await m.json<Connz>('/connz');
  assert.deepEqual(names(open), ['stays']);
  const any = await m.json<Connz>('/connz?state=any');
  assert.equal(any.total, 2);
  assert.deepEqual(names(any), ['stays', 'leaves']);
  const all = await m.json<Connz>('/connz?state=ALL');
  assert.equal(all.total, 2);

  const byStop = await m.json<Connz>('/connz?state=closed&sort=stop');
  assert.deepEqual(names(byStop), ['leaves']);
  const byReason = await m.json<Connz>('/connz?state=closed&sort=reason');
  assert.deepEqual(names(byReason), ['leaves']);
  const byCid = await m.json<Connz>(`/connz?state=closed&cid=${gone.cid}`);
  assert.deepEqual(names(byCid), ['leaves']);
});

test('/connz?state=closed reports a closed connection as it was when open', async (t) => {
  const m = await startMonitored({ accounts: [{ name: 'A', users: [{ user: 'ua', password: 'pa', account: 'A' }] }] });
  t.after(() => m.stop());
  const nc = await client(m, 'closing', { user: 'ua', pass: 'pa' });
  nc.subscribe('foo.*', { queue: 'q1' });
  nc.subscribe('baz', { max: 5 });
  nc.publish('baz', 'x');
  await nc.flush();
  const query = 'subs=detail&auth=1';
  const open = await m.until<Connz>(`/connz?${query}`, (c) => c.connections?.[0]?.out_msgs === 1);
  const before = (open.connections as ConnInfo[])[0];
  await nc.close();

  const closed = await m.until<Connz>(`/connz?state=closed&${query}`, (c) => c.num_connections === 1);
  const after = (closed.connections as ConnInfo[])[0];
  assert.equal(after.reason, 'Client Closed');
  assert.match(after.stop as string, RFC3339);
  assert.deepEqual(after.subscriptions_list_detail, before.subscriptions_list_detail?.map((d) => ({ account: 'A', ...d })));
  const unchanged = (info: ConnInfo): Record<string, unknown> => {
    const { stop: _stop, reason: _reason, uptime: _uptime, idle: _idle, last_activity: _last, subscriptions_list_detail: _subs, ...rest } = info;
    return rest;
  };
  assert.deepEqual(unchanged(after), unchanged(before));
  const listed = await m.json<Connz>('/connz?state=closed&subs=1');
  assert.deepEqual((listed.connections as ConnInfo[])[0].subscriptions_list, ['foo.*', 'baz']);
});

test('/connz auth=1 shows users and accounts; user and acc filter', async (t) => {
  const m = await startMonitored({
    accounts: [
      { name: 'A', users: [{ user: 'ua', password: 'pa', account: 'A' }] },
      { name: 'B', users: [{ user: 'ub', password: 'pb', account: 'B' }] },
    ],
  });
  t.after(() => m.stop());
  await client(m, 'in-a', { user: 'ua', pass: 'pa' });
  await client(m, 'in-b', { user: 'ub', pass: 'pb' });

  const plain = await m.json<Connz>('/connz');
  assert.equal((plain.connections as ConnInfo[])[0].authorized_user, undefined);
  const auth = await m.json<Connz>('/connz?auth=true');
  const infos = auth.connections as ConnInfo[];
  assert.deepEqual(infos.map((c) => [c.authorized_user, c.account]), [['ua', 'A'], ['ub', 'B']]);

  assert.deepEqual(names(await m.json<Connz>('/connz?user=ub')), ['in-b']);
  assert.deepEqual(names(await m.json<Connz>('/connz?auth=1&user=nobody')), []);
  const inA = await m.json<Connz>('/connz?acc=A');
  assert.deepEqual(names(inA), ['in-a']);
  assert.equal(inA.total, 1);

  const unknown = await m.json<Connz>('/connz?acc=NOPE');
  assert.equal(unknown.connections, null, 'nats-server answers an unknown account with a null list');
  assert.equal(unknown.total, 0);
});

test('/connz rejects bad parameters with nats-server texts', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  const cases: [string, string][] = [
    ['/connz?sort=foo', 'invalid sorting option: foo'],
    ['/connz?sort=stop', 'sort by stop only valid on closed connections'],
    ['/connz?sort=reason&state=any', 'sort by reason only valid on closed connections'],
    ['/connz?subs=maybe', `Error decoding boolean for 'subs': strconv.ParseBool: parsing "maybe": invalid syntax`],
    ['/connz?auth=2', `Error decoding boolean for 'auth': strconv.ParseBool: parsing "2": invalid syntax`],
    ['/connz?state=weird', 'Error decoding state for weird'],
    ['/connz?offset=x', `Error decoding int for 'offset': strconv.Atoi: parsing "x": invalid syntax`],
    ['/connz?limit=1.5', `Error decoding int for 'limit': strconv.Atoi: parsing "1.5": invalid syntax`],
    ['/connz?cid=-1', `Error decoding uint64 for 'cid': strconv.ParseUint: parsing "-1": invalid syntax`],
    ['/connz?limit=99999999999999999999', `Error decoding int for 'limit': strconv.Atoi: parsing "99999999999999999999": value out of range`],
  ];
  for (const [path, text] of cases) {
    const res = await m.raw(path);
    assert.equal(res.status, 400, path);
    assert.equal(res.type, 'text/plain; charset=utf-8', path);
    assert.equal(res.text, text, path);
  }
});
