import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RFC3339, SYSTEM_IMPORT_SUBSCRIPTIONS, startMonitored } from './harness.js';

test('/healthz answers ok compactly, with JSONP on request', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  const ok = await m.raw('/healthz');
  assert.equal(ok.status, 200);
  assert.equal(ok.type, 'application/json');
  assert.equal(ok.text, '{"status":"ok"}');
  const withJs = await m.raw('/healthz?js-enabled-only=true&js-server-only=1');
  assert.equal(withJs.text, '{"status":"ok"}');
  const jsonp = await m.raw('/healthz?callback=handle');
  assert.equal(jsonp.type, 'application/javascript');
  assert.equal(jsonp.text, 'handle({"status":"ok"})');
  const bad = await m.raw('/healthz?js-enabled-only=x');
  assert.equal(bad.status, 400);
  assert.equal(bad.text, `Error decoding boolean for 'js-enabled-only': strconv.ParseBool: parsing "x": invalid syntax`);
});

test('JSONP wraps any JSON endpoint and refuses a callback that is not a name', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  const res = await m.raw('/connz?callback=my.cb_1');
  assert.equal(res.type, 'application/javascript');
  assert.match(res.text, /^my\.cb_1\(\{\n {2}"server_id": /);
  assert.ok(res.text.endsWith('})'));
  const evil = await m.raw('/varz?callback=alert(1)');
  assert.equal(evil.status, 400);
});

test('JSON is indented by two spaces and escapes <, > and & as Go does', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  const nc = await m.client({ name: 'a<b>&c' });
  nc.subscribe('wild.>');
  await nc.flush();
  const res = await m.raw('/connz?subs=1');
  assert.ok(res.text.startsWith('{\n  "server_id": '));
  assert.ok(res.text.includes('"name": "a\\u003cb\\u003e\\u0026c"'));
  assert.ok(res.text.includes('"wild.\\u003e"'));
});

test('/accountz lists accounts, and acc= gives the detail', async (t) => {
  const m = await startMonitored({ accounts: [{ name: 'A', users: [{ user: 'u', password: 'p', account: 'A' }] }] });
  t.after(() => m.stop());
  const nc = await m.client({ user: 'u', pass: 'p' });
  nc.subscribe('in.a');
  await nc.flush();

  const list = await m.json<{ accounts: string[]; system_account: string; now: string }>('/accountz');
  assert.deepEqual(Object.keys(list), ['server_id', 'now', 'system_account', 'accounts']);
  assert.deepEqual([...list.accounts].sort(), ['$G', '$SYS', 'A']);
  assert.equal(list.system_account, '$SYS');
  assert.match(list.now, RFC3339);

  const detail = await m.json<{ account_detail: Record<string, unknown> }>('/accountz?acc=A');
  const d = detail.account_detail;
  assert.equal(d.account_name, 'A');
  assert.match(d.update_time as string, RFC3339);
  assert.equal(d.expired, false);
  assert.equal(d.complete, true);
  assert.equal(d.jetstream_enabled, false);
  assert.equal(d.client_connections, 1);
  assert.equal(d.leafnode_connections, 0);
  assert.equal(d.subscriptions, 1 + SYSTEM_IMPORT_SUBSCRIPTIONS, "the client's and the account's system imports");
  assert.equal((d.sublist_stats as Record<string, unknown>).num_subscriptions, 1 + SYSTEM_IMPORT_SUBSCRIPTIONS);
  assert.deepEqual(
    (d.imports as { subject: string; account: string; to: string }[]).map((i) => `${i.subject} -> ${i.account} ${i.to}`),
    ['$SYS.REQ.ACCOUNT.PING.CONNZ -> $SYS $SYS.REQ.ACCOUNT.A.CONNZ', '$SYS.REQ.SERVER.PING.CONNZ -> $SYS $SYS.REQ.ACCOUNT.A.CONNZ', '$SYS.REQ.ACCOUNT.PING.STATZ -> $SYS $SYS.REQ.ACCOUNT.A.STATZ', '$SYS.REQ.USER.INFO -> $SYS $SYS.REQ.USER.A.INFO'],
  );
  assert.equal(d.is_system, undefined);

  const sys = await m.json<{ account_detail: Record<string, unknown> }>('/accountz?acc=$SYS');
  assert.equal(sys.account_detail.is_system, true);

  const missing = await m.raw('/accountz?acc=NOPE');
  assert.equal(missing.status, 400);
  assert.equal(missing.text, 'Account NOPE does not exist');
});

test('/routez, /leafz, /gatewayz and /jsz answer as a standalone server without those features', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  const routez = await m.json('/routez');
  assert.deepEqual(Object.keys(routez), ['server_id', 'now', 'num_routes', 'routes']);
  assert.equal(routez.num_routes, 0);
  assert.deepEqual(routez.routes, []);
  const leafz = await m.json('/leafz');
  assert.deepEqual(Object.keys(leafz), ['server_id', 'now', 'leafnodes', 'leafs']);
  assert.equal(leafz.leafs, null);
  const gatewayz = await m.json('/gatewayz');
  assert.deepEqual(gatewayz.outbound_gateways, {});
  assert.deepEqual(gatewayz.inbound_gateways, {});
  const jsz = await m.json('/jsz');
  assert.equal(jsz.server_id, m.server.id);
  assert.equal(jsz.disabled, true);
  assert.deepEqual(jsz.config, { max_memory: 0, max_storage: 0 });
  assert.deepEqual(jsz.api, { total: 0, errors: 0 });
  const leader = await m.raw('/jsz?leader-only=true');
  assert.equal(leader.status, 400);
  assert.equal(leader.text, 'filtered response: not leader');
  const badSubs = await m.raw('/routez?subs=nope');
  assert.equal(badSubs.status, 400);
});

test('the root page links every endpoint; unknown paths are 404; only GET and HEAD are served', async (t) => {
  const m = await startMonitored();
  t.after(() => m.stop());
  const root = await m.raw('/');
  assert.equal(root.status, 200);
  assert.equal(root.type, 'text/html; charset=utf-8');
  for (const path of ['varz', 'connz', 'subsz', 'accountz', 'routez', 'leafz', 'gatewayz', 'jsz', 'healthz']) {
    assert.ok(root.text.includes(`href="./${path}"`), path);
  }
  const missing = await m.raw('/varz/');
  assert.equal(missing.status, 404);
  assert.equal(missing.text, '404 page not found\n');
  const post = await m.raw('/varz', { method: 'POST' });
  assert.equal(post.status, 405);
  const head = await fetch(m.url('/healthz'), { method: 'HEAD' });
  assert.equal(head.status, 200);
});

test('http_base_path prefixes every endpoint', async (t) => {
  const m = await startMonitored({ httpBasePath: 'mon/' });
  t.after(() => m.stop());
  assert.equal((await m.raw('/mon/healthz')).text, '{"status":"ok"}');
  assert.equal((await m.raw('/healthz')).status, 404);
  const root = await m.raw('/mon');
  assert.equal(root.status, 200);
  assert.ok(root.text.includes('href="./mon/connz"'));
  const v = await m.json('/mon/varz');
  assert.equal(v.http_base_path, 'mon/');
});
