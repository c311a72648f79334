// Server limits as the official client sees them: max_payload (INFO and enforcement) and max_subscriptions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient } from '../../helpers/raw-client.js';
import { gather, serverWithClients, waitForStatus } from '../../helpers/nats-client.js';

test('INFO max_payload carries the configured limit and the client refuses a bigger publish', async (t) => {
  const { client } = await serverWithClients(t, { maxPayload: 1024 });
  const sub = await client();
  const pub = await client();
  assert.equal(pub.info?.max_payload, 1024);
  const got = gather(sub.subscribe('big'));
  await sub.flush();

  pub.publish('big', new Uint8Array(1024).fill(97));
  assert.throws(() => pub.publish('big', new Uint8Array(1025)), /max_payload|payload/i);
  await pub.flush();
  await sub.flush();
  assert.equal(got.length, 1);
  assert.equal(got[0]?.length, 1024);
  assert.equal(pub.isClosed(), false);
});

test('a PUB over max_payload on the wire gets -ERR Maximum Payload Violation and the connection is closed', async (t) => {
  const { srv } = await serverWithClients(t, { maxPayload: 16 });
  const { client: raw, info } = await RawClient.open(srv.port, '{"verbose":false,"pedantic":false}');
  t.after(() => raw.close());
  assert.equal(info.max_payload, 16);
  raw.send(`PUB too.big 17\r\n${'x'.repeat(17)}\r\n`);
  const rest = await raw.waitClosed();
  assert.equal(rest, "-ERR 'Maximum Payload Violation'\r\n");
});

test('max_subscriptions: the subscription past the limit is refused with an error, the connection stays up', async (t) => {
  const { client } = await serverWithClients(t, { maxSubscriptions: 3 });
  const nc = await client();
  const pub = await client();
  const kept = ['a', 'b', 'c'].map((s) => gather(nc.subscribe(s)));
  await nc.flush();
  const error = waitForStatus(nc, (s) => s.type === 'error');
  const refused = gather(nc.subscribe('d'));
  await nc.flush();
  const status = await error;
  assert.equal(status.type, 'error');
  assert.match(status.type === 'error' ? status.error.message : '', /maximum subscriptions exceeded/);

  for (const s of ['a', 'b', 'c', 'd']) pub.publish(s, s);
  await pub.flush();
  await nc.flush();
  assert.deepEqual(kept, [['a'], ['b'], ['c']]);
  assert.deepEqual(refused, [], 'the refused subscription was not created on the server');
  assert.equal(nc.isClosed(), false);
});

test('max_subscriptions counts per connection: another client still gets its own quota', async (t) => {
  const { client } = await serverWithClients(t, { maxSubscriptions: 2 });
  const a = await client();
  const b = await client();
  a.subscribe('x');
  a.subscribe('y');
  await a.flush();
  const errors: string[] = [];
  void (async () => {
    for await (const s of b.status()) if (s.type === 'error') errors.push(s.error.message);
  })();
  const got = gather(b.subscribe('x'));
  b.subscribe('y');
  await b.flush();
  a.publish('x', '1');
  await a.flush();
  await b.flush();
  assert.deepEqual(errors, []);
  assert.deepEqual(got, ['1']);
});
