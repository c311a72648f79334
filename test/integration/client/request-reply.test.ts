// Request/reply through the official client: _INBOX replies, the no-responders status, many replies.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NoRespondersError, RequestError } from '@nats-io/transport-node';
import { serverWithClients } from '../../helpers/nats-client.js';

test('request/reply: the reply subject is an _INBOX and the answer comes back to the requester', async (t) => {
  const { client } = await serverWithClients(t);
  const responder = await client();
  const requester = await client();
  const replies: string[] = [];
  responder.subscribe('svc.echo', {
    callback: (err, msg) => {
      assert.equal(err, null);
      replies.push(msg.reply ?? '');
      msg.respond(`echo:${msg.string()}`);
    },
  });
  await responder.flush();

  for (let i = 0; i < 5; i++) {
    const answer = await requester.request('svc.echo', `ping-${i}`, { timeout: 2000 });
    assert.equal(answer.string(), `echo:ping-${i}`);
  }
  assert.equal(replies.length, 5);
  for (const reply of replies) assert.match(reply, /^_INBOX\./);
  assert.equal(new Set(replies).size, 5, 'each request has its own reply subject');
});

test('request with noMux uses a dedicated _INBOX subscription', async (t) => {
  const { client } = await serverWithClients(t);
  const responder = await client();
  const requester = await client();
  responder.subscribe('svc.time', { callback: (_err, msg) => void msg.respond(msg.reply ?? '') });
  await responder.flush();
  const answer = await requester.request('svc.time', '', { timeout: 2000, noMux: true });
  assert.match(answer.string(), /^_INBOX\.[^.]+$/);
});

test('a request nobody listens to fails at once with the no-responders error', async (t) => {
  const { client } = await serverWithClients(t);
  const requester = await client();
  await assert.rejects(requester.request('nobody.home', 'x', { timeout: 5000 }), (err: unknown) => {
    assert.ok(err instanceof RequestError, `expected RequestError, got ${String(err)}`);
    assert.equal(err.isNoResponders(), true);
    assert.ok(err.cause instanceof NoRespondersError);
    assert.equal(err.cause.subject, 'nobody.home');
    return true;
  });
  await assert.rejects(requester.request('nobody.home', 'x', { timeout: 5000, noMux: true }), (err: unknown) => {
    assert.ok(err instanceof RequestError && err.isNoResponders(), `expected no responders, got ${String(err)}`);
    return true;
  });
});

test('the no-responders status is a 503 with an empty body on the reply subject', async (t) => {
  const { client } = await serverWithClients(t);
  const nc = await client();
  const inbox = '_INBOX.manual';
  const status = nc.subscribe(inbox, { max: 1 });
  await nc.flush();
  nc.publish('nobody.home', 'x', { reply: inbox });
  for await (const m of status) {
    assert.equal(m.headers?.code, 503);
    assert.equal(m.data.length, 0);
  }
  assert.equal(status.getReceived(), 1);
});

test('requestMany gathers the replies of every responder', async (t) => {
  const { client } = await serverWithClients(t);
  const responders = await Promise.all([client(), client(), client()]);
  responders.forEach((nc, i) => nc.subscribe('census', { callback: (_e, m) => void m.respond(`r${i}`) }));
  await Promise.all(responders.map((nc) => nc.flush()));
  const requester = await client();
  const got: string[] = [];
  for await (const m of await requester.requestMany('census', '', { maxMessages: 3, maxWait: 5000 })) got.push(m.string());
  assert.deepEqual(got.sort(), ['r0', 'r1', 'r2']);
});

test('a queue-group service answers each request once', async (t) => {
  const { client } = await serverWithClients(t);
  const workers = await Promise.all([client(), client()]);
  let handled = 0;
  workers.forEach((nc) =>
    nc.subscribe('svc.q', {
      queue: 'svc',
      callback: (_e, m) => {
        handled++;
        m.respond(m.data);
      },
    }),
  );
  await Promise.all(workers.map((nc) => nc.flush()));
  const requester = await client();
  for (let i = 0; i < 20; i++) assert.equal((await requester.request('svc.q', String(i), { timeout: 2000 })).string(), String(i));
  await Promise.all(workers.map((nc) => nc.flush()));
  assert.equal(handled, 20);
});
