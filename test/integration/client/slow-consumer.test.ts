// Slow consumer: a subscriber that stops reading is cut once its pending bytes pass max_pending, while a
// normal subscriber of the same subject keeps receiving everything.

import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { serverWithClients } from '../../helpers/nats-client.js';

/** A subscriber on a plain socket that stops reading as soon as its subscription is confirmed. */
class StalledSubscriber {
  private readonly socket: net.Socket;
  private received = '';
  private readonly closed: Promise<void>;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (this.received += d));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async subscribe(port: number, subject: string): Promise<StalledSubscriber> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
      s.once('error', reject);
    });
    const sub = new StalledSubscriber(socket);
    socket.write(`CONNECT {"verbose":false,"pedantic":false}\r\nSUB ${subject} 1\r\nPING\r\n`);
    await sub.until(() => sub.received.includes('PONG\r\n'));
    socket.pause();
    return sub;
  }

  private async until(done: () => boolean): Promise<void> {
    for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    if (!done()) throw new Error(`condition not reached; got ${JSON.stringify(this.received.slice(0, 200))}`);
  }

  /** Reads again and resolves, once the server has closed the socket, with the number of MSGs that arrived. */
  async drainUntilClosed(timeoutMs: number): Promise<number> {
    this.socket.resume();
    const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the stalled subscriber was not disconnected')), timeoutMs).unref());
    await Promise.race([this.closed, timer]);
    return this.received.split('MSG ').length - 1;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

interface FirehoseResult {
  readonly healthyCount: number;
  readonly healthyBytes: number;
  readonly healthyOpen: boolean;
  readonly publisherOpen: boolean;
  readonly stalledGot: number;
}

const TOTAL = 1500;
const PAYLOAD = new Uint8Array(32 * 1024).fill(120);

/**
 * One stalled and one healthy subscriber on a server with max_pending 256 KiB; TOTAL messages of 32 KiB
 * (far more than the kernel socket buffers can hide) published with a flush every `batch` messages.
 */
async function firehose(t: TestContext, batch: number): Promise<FirehoseResult> {
  const { srv, client } = await serverWithClients(t, { maxPending: 256 * 1024, maxPayload: 64 * 1024 });
  const stalled = await StalledSubscriber.subscribe(srv.port, 'firehose');
  t.after(() => stalled.destroy());
  const healthy = await client();
  let healthyCount = 0;
  let healthyBytes = 0;
  healthy.subscribe('firehose', {
    callback: (_e, m) => {
      healthyCount++;
      healthyBytes += m.data.length;
    },
  });
  await healthy.flush();

  const pub = await client();
  try {
    for (let i = 0; i < TOTAL; i++) {
      pub.publish('firehose', PAYLOAD);
      if (i % batch === batch - 1) await pub.flush();
    }
    await pub.flush();
    await healthy.flush();
  } catch {
    // A connection closed under us: the assertions below say which.
  }
  return {
    healthyCount,
    healthyBytes,
    healthyOpen: !healthy.isClosed(),
    publisherOpen: !pub.isClosed(),
    stalledGot: await stalled.drainUntilClosed(10_000),
  };
}

function assertOnlyStalledCut(r: FirehoseResult): void {
  assert.equal(r.healthyOpen, true, 'the normal subscriber stays connected');
  assert.equal(r.publisherOpen, true, 'the publisher stays connected');
  assert.equal(r.healthyCount, TOTAL, 'the normal subscriber got every message');
  assert.equal(r.healthyBytes, TOTAL * PAYLOAD.length);
  assert.ok(r.stalledGot < TOTAL, `the stalled subscriber was cut before the end (got ${r.stalledGot} of ${TOTAL})`);
}

test('a subscriber that stops reading is disconnected; a normal subscriber gets every message', async (t) => {
  // A flush every 4 messages keeps each burst (128 KiB) under max_pending.
  assertOnlyStalledCut(await firehose(t, 4));
});

test('a publisher bursting several MiB between flushes does not get the normal subscriber cut', async (t) => {
  // nats-server 2.9.10 passes this with the same numbers: it stalls a fast producer while a subscriber's
  // pending bytes are above half of max_pending, so only the subscriber that never reads is cut.
  assertOnlyStalledCut(await firehose(t, 100));
});

test('a subscriber whose socket stays blocked past write_deadline is cut, though under max_pending', async (t) => {
  const { srv, client } = await serverWithClients(t, { writeDeadlineMs: 300, maxPayload: 64 * 1024 });
  const stalled = await StalledSubscriber.subscribe(srv.port, 'deadline');
  t.after(() => stalled.destroy());
  const pub = await client();
  // 16 MiB: well past what loopback socket buffers hold, well under the default 64 MiB max_pending.
  for (let i = 0; i < 512; i++) pub.publish('deadline', PAYLOAD);
  await pub.flush();
  // Keep not reading until the server gives up on the blocked socket (bounded wait, no timing asserted).
  const router = srv.server.router;
  for (let i = 0; i < 200 && router.closedConns.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  const got = await stalled.drainUntilClosed(10_000);
  assert.ok(got < 512, `the blocked subscriber was cut (got ${got} of 512)`);
  const closed = router.closedConns.map((c) => c.closeReason);
  assert.ok(closed.includes('Slow Consumer (Write Deadline)'), `closed for: ${closed.join(', ')}`);
  assert.equal(router.stats.slowConsumers, 1);
  assert.equal(pub.isClosed(), false, 'the publisher stays connected');
});
