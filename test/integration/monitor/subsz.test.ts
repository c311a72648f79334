import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RFC3339, SERVER_SUBSCRIPTIONS, SYSTEM_REQUEST_SUBSCRIPTIONS, startMonitored } from './harness.js';

const STATS_KEYS = ['num_subscriptions', 'num_cache', 'num_inserts', 'num_removes', 'num_matches', 'cache_hit_rate', 'max_fanout', 'avg_fanout'];

interface Subsz {
  [key: string]: unknown;
  total: number;
  subscriptions_list: Record<string, unknown>[];
}

test('/subsz without subs is the sublist statistics alone', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  const nc = await m.client();
  nc.subscribe('a.b');
  nc.subscribe('a.*');
  await nc.flush();
  const s = await m.json('/subsz');
  assert.deepEqual(Object.keys(s), STATS_KEYS);
  assert.equal(s.num_subscriptions, 2 + SERVER_SUBSCRIPTIONS);
  assert.equal(s.num_inserts, 2 + SERVER_SUBSCRIPTIONS);
});

test('/subsz?subs=1 lists subscriptions with account, and filters with test', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  const nc = await m.client();
  nc.subscribe('foo.bar');
  nc.subscribe('foo.*', { queue: 'workers' });
  nc.subscribe('other');
  await nc.flush();

  const s = await m.json<Subsz>('/subsz?subs=1');
  assert.deepEqual(Object.keys(s), ['server_id', 'now', ...STATS_KEYS, 'total', 'offset', 'limit', 'subscriptions_list']);
  assert.equal(s.server_id, m.server.id);
  assert.match(s.now as string, RFC3339);
  assert.equal(s.total, 3 + SERVER_SUBSCRIPTIONS);
  assert.equal(s.limit, 1024);
  const subjects = s.subscriptions_list.filter((d) => d.account === '$G' && !String(d.subject).startsWith('$SYS.')).map((d) => d.subject).sort();
  assert.deepEqual(subjects, ['foo.*', 'foo.bar', 'other']);
  const queued = s.subscriptions_list.find((d) => d.subject === 'foo.*');
  assert.deepEqual(Object.keys(queued ?? {}), ['account', 'subject', 'qgroup', 'sid', 'msgs', 'cid']);
  assert.equal(queued?.account, '$G');
  assert.equal(queued?.qgroup, 'workers');

  const matching = await m.json<Subsz>('/subsz?subs=1&test=foo.bar');
  assert.deepEqual(matching.subscriptions_list.map((d) => d.subject).sort(), ['foo.*', 'foo.bar']);

  const paged = await m.json<Subsz>('/subsz?subs=1&test=foo.bar&offset=1&limit=5');
  assert.equal(paged.subscriptions_list.length, 1);
  assert.equal(paged.total, 1, 'nats-server 2.9 counts the page');
  assert.equal(paged.offset, 1);
  assert.equal(paged.limit, 5);

  const empty = await m.json('/subsz?subs=1&test=nothing.here');
  assert.deepEqual(Object.keys(empty), STATS_KEYS, 'an empty list gives the statistics alone');

  const otherAccount = await m.json<Subsz>('/subsz?subs=1&acc=$SYS');
  assert.equal(otherAccount.num_subscriptions, SYSTEM_REQUEST_SUBSCRIPTIONS, 'only the server\'s own requests there');
  assert.ok(otherAccount.subscriptions_list.every((d) => d.account === '$SYS' && /^\$SYS\.REQ\.(SERVER|ACCOUNT|USER)\./.test(String(d.subject))));

  const alias = await m.json<Subsz>('/subscriptionsz?subs=true');
  assert.equal(alias.total, 3 + SERVER_SUBSCRIPTIONS);
});

test('/subsz rejects a wildcard test subject and bad flags', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  const wild = await m.raw('/subsz?subs=1&test=foo.*');
  assert.equal(wild.status, 400);
  assert.equal(wild.text, 'invalid test subject, must be valid publish subject: foo.*');
  const bad = await m.raw('/subsz?subs=yes');
  assert.equal(bad.status, 400);
  assert.equal(bad.text, `Error decoding boolean for 'subs': strconv.ParseBool: parsing "yes": invalid syntax`);
});
