// Message headers end to end through the official client, and what a subscriber without headers support gets.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headers } from '@nats-io/transport-node';
import { RawClient } from '../../helpers/raw-client.js';
import { closedWithin, serverWithClients, take } from '../../helpers/nats-client.js';

test('headers arrive intact: multiple values per key, case kept, payload unchanged', async (t) => {
  const { client } = await serverWithClients(t);
  const sub = await client();
  const pub = await client();
  const got = take(sub.subscribe('with.headers'), 1);
  await sub.flush();

  const h = headers();
  h.append('X-Trace', 'a');
  h.append('X-Trace', 'b');
  h.set('Content-Type', 'text/plain');
  h.set('Nats-Msg-Id', 'id-1');
  pub.publish('with.headers', 'body', { headers: h });
  const [m] = await got;
  assert.ok(m?.headers, 'message has headers');
  assert.deepEqual(m.headers.values('X-Trace'), ['a', 'b']);
  assert.equal(m.headers.get('Content-Type'), 'text/plain');
  assert.equal(m.headers.get('Nats-Msg-Id'), 'id-1');
  assert.equal(m.headers.hasError, false);
  assert.equal(m.string(), 'body');
});

test('a status line in the headers arrives as code and description', async (t) => {
  const { client } = await serverWithClients(t);
  const sub = await client();
  const pub = await client();
  const got = take(sub.subscribe('status.line'), 1);
  await sub.flush();

  const h = headers(408, 'Request Timeout');
  h.set('Nats-Pending-Messages', '7');
  pub.publish('status.line', undefined, { headers: h });
  const [m] = await got;
  assert.equal(m?.headers?.code, 408);
  assert.equal(m?.headers?.description, 'Request Timeout');
  assert.equal(m?.headers?.get('Nats-Pending-Messages'), '7');
  assert.equal(m?.data.length, 0);
});

test('headers travel on requests and replies', async (t) => {
  const { client } = await serverWithClients(t);
  const responder = await client();
  responder.subscribe('svc.hdr', {
    callback: (_e, m) => {
      const back = headers();
      back.set('Seen', m.headers?.get('Ask') ?? 'none');
      m.respond('ok', { headers: back });
    },
  });
  await responder.flush();
  const requester = await client();
  const ask = headers();
  ask.set('Ask', 'question');
  const answer = await requester.request('svc.hdr', 'q', { headers: ask, timeout: 2000 });
  assert.equal(answer.headers?.get('Seen'), 'question');
  assert.equal(answer.string(), 'ok');
});

test('a subscriber that did not ask for headers gets a plain MSG with the payload only', async (t) => {
  const { srv, client } = await serverWithClients(t);
  const { client: raw } = await RawClient.open(srv.port, '{"verbose":false,"pedantic":false,"headers":false}');
  t.after(() => raw.close());
  raw.send('SUB legacy 1\r\n');
  await raw.sync();

  const pub = await client();
  const h = headers();
  h.set('X-Dropped', 'yes');
  pub.publish('legacy', 'hello', { headers: h });
  await pub.flush();
  assert.equal(await raw.sync(), 'MSG legacy 1 5\r\nhello\r\n');
});

test('a subscriber with headers support sees the exact HMSG framing', async (t) => {
  const { srv, client } = await serverWithClients(t);
  const { client: raw } = await RawClient.open(srv.port, '{"verbose":false,"pedantic":false,"headers":true}');
  t.after(() => raw.close());
  raw.send('SUB framed 1\r\n');
  await raw.sync();

  const pub = await client();
  const h = headers();
  h.set('K', 'v');
  pub.publish('framed', 'xyz', { headers: h });
  await pub.flush();
  const hdr = 'NATS/1.0\r\nK: v\r\n\r\n';
  assert.equal(await raw.sync(), `HMSG framed 1 ${hdr.length} ${hdr.length + 3}\r\n${hdr}xyz\r\n`);
});

test('with no_header_support the INFO says headers:false and a headers publish closes the connection', async (t) => {
  // nats.js 3.4 builds but never throws its "headers are not available" error, so the HPUB reaches the
  // server, which closes a connection that did not negotiate headers (nats-server 2.9.10 does the same).
  const { client } = await serverWithClients(t, { noHeaderSupport: true });
  const nc = await client();
  assert.equal(nc.info?.headers, false);
  const h = headers();
  h.set('A', 'b');
  nc.publish('x', 'y', { headers: h });
  await closedWithin(nc);
  assert.equal(nc.isClosed(), true);
});
