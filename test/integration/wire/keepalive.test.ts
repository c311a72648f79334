// Server keepalive on the wire with ping_interval 1s: PINGs, the Stale Connection close, and a
// client that answers staying connected.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawClient } from '../../helpers/raw-client.js';
import { withoutServerPings } from '../../helpers/wire-frames.js';
import { connected, leafgateForFile } from './harness.js';

const server = leafgateForFile('ping_interval: "1s"\n');
const WAIT_MS = 8000;
const POLL_MS = 200;

/** Answers the server's PINGs on `c` until stop() is awaited. */
function answerPings(c: RawClient): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running && !c.closed) {
      try {
        await c.expect('PING\r\n', POLL_MS);
        c.send('PONG\r\n');
      } catch {
        // Nothing arrived in this poll; look again.
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

test('no PONGs: two PINGs, then Stale Connection and close; a client that answers stays', async () => {
  const by = await connected(server().port);
  const answering = answerPings(by);
  const c = await connected(server().port);
  assert.equal(await c.waitClosed(WAIT_MS), "PING\r\nPING\r\n-ERR 'Stale Connection'\r\n");
  await answering.stop();
  by.send('SUB k 1\r\nPUB k 1\r\nx\r\n');
  assert.equal(withoutServerPings(await by.sync()), 'MSG k 1 1\r\nx\r\n');
  assert.equal(by.closed, false);
  by.close();
});

test('answering every PING keeps the connection', async () => {
  const c = await connected(server().port);
  for (let i = 0; i < 3; i++) {
    assert.equal(await c.expect('PING\r\n', WAIT_MS), 'PING\r\n');
    c.send('PONG\r\n');
  }
  assert.equal(await c.expect('PING\r\n', WAIT_MS), 'PING\r\n', 'a fourth PING, not Stale Connection');
  c.send('PONG\r\nSUB k 1\r\nPUB k 1\r\nx\r\n');
  assert.equal(await c.expect('x\r\n'), 'MSG k 1 1\r\nx\r\n');
  c.close();
});
