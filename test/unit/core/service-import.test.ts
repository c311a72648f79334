// The lifetime of an answer through a service import: a streamed reply is kept until its threshold
// passes, and one whose requester stops listening is dropped at once.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { linkAccounts, ResponseType } from '../../../src/util/index.js';
import type { Router } from '../../../src/core/index.js';
import { memoryClient, messagesIn, routerConfig, testRouter, usersAuthenticator } from './socketless.js';
import type { MemoryClient } from './socketless.js';

async function setUp(t: { after(fn: () => void): void }, thresholdMs: number): Promise<{ router: Router; requester: MemoryClient; responder: MemoryClient }> {
  const { accounts: links } = linkAccounts([
    { name: 'A', serviceExports: [{ subject: 'svc', responseType: ResponseType.Streamed, responseThresholdMs: thresholdMs }] },
    { name: 'B', serviceImports: [{ account: 'A', subject: 'svc' }] },
  ]);
  const router = testRouter(t, { ...routerConfig(), authenticator: usersAuthenticator({ A: undefined, B: undefined }, (user) => user), accountNames: ['A', 'B'], links });
  const responder = await memoryClient(router, '{"verbose":false,"user":"A"}');
  const requester = await memoryClient(router, '{"verbose":false,"user":"B"}');
  responder.send('SUB svc 1\r\nPING\r\n');
  requester.send('SUB inbox 1\r\nPING\r\n');
  assert.match(await responder.received(), /PONG/);
  assert.match(await requester.received(), /PONG/);
  return { router, requester, responder };
}

test('a streamed reply passes answers until the threshold, then nothing', async (t) => {
  const { router, requester, responder } = await setUp(t, 100);
  requester.send('PUB svc inbox 1\r\nq\r\n');
  const [request] = messagesIn(await responder.received());
  assert.ok(request !== undefined && request.reply.startsWith('_R_.'));
  responder.send(`PUB ${request.reply} 1\r\na\r\nPUB ${request.reply} 1\r\nb\r\n`);
  assert.deepEqual(messagesIn(await requester.received()).map((m) => m.body), ['a', 'b']);
  assert.equal(router.findAccount('A')?.responses.size, 1);
  await sleep(400);
  assert.equal(router.findAccount('A')?.responses.size, 0, 'dropped once the threshold passed');
  responder.send(`PUB ${request.reply} 1\r\nc\r\n`);
  await responder.received();
  assert.deepEqual(messagesIn(await requester.received()), []);
});

test("an answer whose requester no longer listens is dropped at once", async (t) => {
  const { router, requester, responder } = await setUp(t, 120_000);
  requester.send('PUB svc inbox 1\r\nq\r\n');
  const [request] = messagesIn(await responder.received());
  assert.ok(request !== undefined);
  assert.equal(router.findAccount('A')?.responses.size, 1);
  requester.send('UNSUB 1\r\nPING\r\n');
  assert.match(await requester.received(), /PONG/);
  assert.equal(router.findAccount('A')?.responses.size, 0);
  assert.equal(router.findAccount('B')?.awaitedReplies.size, 0);
});
