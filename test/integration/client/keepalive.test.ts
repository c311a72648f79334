// Server PINGs: a peer that never answers is closed as stale; the official client, which answers, stays.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient } from '../../helpers/raw-client.js';
import { serverWithClients } from '../../helpers/nats-client.js';

const FAST_PINGS = { pingIntervalMs: 150, pingMax: 2 };

test('a connection that never answers PING gets ping_max PINGs, then -ERR Stale Connection and is closed', async (t) => {
  const { srv } = await serverWithClients(t, FAST_PINGS);
  const { client: raw } = await RawClient.open(srv.port, '{"verbose":false,"pedantic":false}');
  t.after(() => raw.close());
  assert.equal(await raw.waitClosed(5000), "PING\r\nPING\r\n-ERR 'Stale Connection'\r\n");
});

test('a peer that answers every PING is kept', async (t) => {
  const { srv } = await serverWithClients(t, FAST_PINGS);
  const { client: raw } = await RawClient.open(srv.port, '{"verbose":false,"pedantic":false}');
  t.after(() => raw.close());
  for (let i = 0; i < 4; i++) {
    await raw.expect('PING\r\n', 3000);
    raw.send('PONG\r\n');
  }
  assert.equal(raw.closed, false);
  assert.equal(await raw.sync(), '');
});

test('the official client answers server PINGs and stays connected', async (t) => {
  const { client } = await serverWithClients(t, FAST_PINGS);
  const nc = await client();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal(nc.isClosed(), false);
  const sub = nc.subscribe('alive', { max: 1 });
  nc.publish('alive');
  await nc.flush();
  for await (const m of sub) assert.equal(m.subject, 'alive');
  assert.equal(sub.getReceived(), 1);
});
