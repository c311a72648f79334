// Lame duck in-process: the async INFO goes only to protocol-1 clients whose first PING was answered.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RawClient } from '../../helpers/raw-client.js';
import { startInProcess } from '../../helpers/in-process.js';

test('lame duck INFO (ldm:true) reaches only protocol-1 clients that finished their first PING', async (t) => {
  const srv = await startInProcess({ lameDuckDurationMs: 30_000, lameDuckGracePeriodMs: 60_000, clientAdvertise: '10.0.0.1:4222' });
  t.after(() => srv.stop());
  const { client: ready } = await RawClient.open(srv.port, '{"verbose":false,"protocol":1}');
  assert.equal(await ready.sync(), '');
  const { client: noPing } = await RawClient.open(srv.port, '{"verbose":false,"protocol":1}');
  const { client: proto0 } = await RawClient.open(srv.port, '{"verbose":false,"protocol":0}');
  assert.equal(await proto0.sync(), '');
  void srv.server.enterLameDuck();
  const line = await ready.readLine();
  const info = JSON.parse(line.replace(/^INFO /, '')) as Record<string, unknown>;
  assert.equal(info.ldm, true);
  assert.equal(info.connect_urls, undefined, 'this server no longer advertises itself');
  assert.equal(await noPing.sync(), '', 'no async INFO before the first PING was answered');
  assert.equal(await proto0.sync(), '', 'protocol 0 clients get no async INFO');
  for (const c of [ready, noPing, proto0]) c.close();
});
