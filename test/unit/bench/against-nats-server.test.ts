import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConnectionLostError,
  FrameBatch,
  FrameShapeError,
  RawConnection,
  ServerProcess,
  benchPayload,
  msgFrame,
  natsServerLauncher,
  pubFrame,
  requestReplyScenario,
  subFrame,
  throughputScenario,
  type ScenarioOutcome,
  type ScenarioResult,
} from '../../bench/index.js';
import { natsBinary, skip } from './installed-nats-server.js';


/** Polls until `done()` or the deadline; the test then asserts on the state itself. */
async function waitUntil(done: () => boolean, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!done() && Date.now() < deadline) await sleep(10);
}

let server: ServerProcess | null = null;
let secondServer: ServerProcess | null = null;

before(async () => {
  if (natsBinary === null) return;
  server = await ServerProcess.start('nats-server', natsServerLauncher(natsBinary));
  secondServer = await ServerProcess.start('nats-server', natsServerLauncher(natsBinary));
});

after(async () => {
  await server?.stop();
  await secondServer?.stop();
});

function port(): number {
  assert.ok(server !== null);
  return server.port;
}

function secondPort(): number {
  assert.ok(secondServer !== null);
  return secondServer.port;
}

test('pre-encoded PUB batches arrive as exactly as many counted MSG frames', { skip }, async () => {
  const payload = benchPayload(16);
  const subscriber = await RawConnection.open({
    port: port(),
    name: 'test-sub',
    expectedMsg: msgFrame('unit.bench', 1, payload),
    subscribe: subFrame('unit.bench', 1),
  });
  const publisher = await RawConnection.open({ port: port(), name: 'test-pub', expectedMsg: null, subscribe: null });
  try {
    const batch = new FrameBatch(pubFrame('unit.bench', payload), 4096);
    const total = 10_000;
    for (let sent = 0; sent < total; ) {
      const frames = Math.min(batch.frameCount, total - sent);
      await publisher.write(batch.slice(frames));
      sent += frames;
    }
    await publisher.flush();
    await waitUntil(() => subscriber.messages >= total || subscriber.error !== null);
    await subscriber.flush();
    assert.equal(subscriber.error, null);
    assert.equal(subscriber.messages, total);
    assert.ok(subscriber.lastMessageNs > 0n);
  } finally {
    publisher.close();
    subscriber.close();
  }
});

test('a subscriber expecting another payload size reports a frame-shape error', { skip }, async () => {
  const subscriber = await RawConnection.open({
    port: port(),
    name: 'test-wrong-shape',
    expectedMsg: msgFrame('unit.shape', 1, benchPayload(17)),
    subscribe: subFrame('unit.shape', 1),
  });
  const publisher = await RawConnection.open({ port: port(), name: 'test-pub', expectedMsg: null, subscribe: null });
  try {
    await publisher.write(pubFrame('unit.shape', benchPayload(16)));
    await publisher.flush();
    await waitUntil(() => subscriber.error !== null);
    assert.ok(subscriber.error instanceof FrameShapeError);
    assert.equal(subscriber.messages, 0);
  } finally {
    publisher.close();
    subscriber.close();
  }
});

/** The outcome for `name`, asserting it succeeded. */
function resultOf(outcomes: Map<string, ScenarioOutcome>, name: string): ScenarioResult {
  const outcome = outcomes.get(name);
  assert.ok(outcome !== undefined, `no outcome for ${name}`);
  assert.equal(outcome.error, null);
  assert.ok(outcome.result !== null);
  return outcome.result;
}

test('throughput scenarios deliver every message to each server in turns', { skip }, async () => {
  const ports = new Map([
    ['a', port()],
    ['b', secondPort()],
  ]);
  const common = { payloadSize: 16, count: 20_000, blocks: 4, warmup: 2_000, maxMs: 30_000, metrics: [], reportsPeakRss: false };
  const fanOut = await throughputScenario({ ...common, id: 'fan', title: 'fan', subscribers: 4 }).run(ports);
  for (const name of ['a', 'b']) {
    const result = resultOf(fanOut, name);
    assert.equal(result.messages, 20_000);
    assert.equal(result.delivered_messages, 80_000);
    assert.ok((result.delivered_msgs_per_s ?? 0) > 0);
    assert.ok((result.active_ms ?? 0) > 0);
  }

  const queue = await throughputScenario({ ...common, id: 'q', title: 'q', subscribers: 4, queue: 'unit.q' }).run(ports);
  assert.equal(resultOf(queue, 'a').delivered_messages, 20_000);
  assert.equal(resultOf(queue, 'b').delivered_messages, 20_000);

  const noInterest = await throughputScenario({ ...common, id: 'p', title: 'p', subscribers: 0 }).run(ports);
  const published = resultOf(noInterest, 'b');
  assert.equal(published.messages, 20_000);
  assert.equal(published.delivered_messages, undefined);
  assert.ok((published.published_msgs_per_s ?? 0) > 0);
});

test('request/reply measures one latency per round trip on each server', { skip }, async () => {
  const scenario = requestReplyScenario({ id: 'rr', title: 'rr', payloadSize: 16, count: 300, warmup: 20, block: 100 });
  const outcomes = await scenario.run(
    new Map([
      ['a', port()],
      ['b', secondPort()],
    ]),
  );
  for (const name of ['a', 'b']) {
    const result = resultOf(outcomes, name);
    assert.equal(result.requests, 300);
    const { p50_us: p50, p99_us: p99, max_us: max } = result;
    assert.ok(p50 !== undefined && p99 !== undefined && max !== undefined);
    assert.ok(p50 > 0 && p50 <= p99 && p99 <= max);
  }
});

test('request/reply with unique inboxes and hot subjects completes every round trip', { skip }, async () => {
  const scenario = requestReplyScenario({
    id: 'rrw', title: 'rrw', payloadSize: 16, count: 300, warmup: 20, block: 100, uniqueInboxes: true, hotSubjects: 50, hotPerRequest: 7,
  });
  const outcomes = await scenario.run(new Map([['a', port()], ['b', secondPort()]]));
  for (const name of ['a', 'b']) {
    const result = resultOf(outcomes, name);
    assert.equal(result.requests, 300);
    assert.ok((result.p50_us ?? 0) > 0);
  }
});

/** A fake server that completes the handshake and then hangs up on the first PUB. */
async function hangUpOnPublish(): Promise<{ port: number; close(): Promise<void> }> {
  const fake = createServer((socket) => {
    socket.write('INFO {"server_id":"FAKE","max_payload":1048576} \r\n');
    socket.on('data', (chunk: Buffer) => {
      if (chunk.includes('PUB ')) socket.destroy();
      else if (chunk.includes('PING\r\n')) socket.write('PONG\r\n');
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  const address = fake.address();
  assert.ok(typeof address === 'object' && address !== null);
  return { port: address.port, close: () => new Promise<void>((resolve) => fake.close(() => resolve())) };
}

test('a server that fails its turn drops out while the other goes on', { skip }, async () => {
  const failing = await hangUpOnPublish();
  try {
    const scenario = throughputScenario({
      id: 'drop',
      title: 'drop',
      payloadSize: 16,
      subscribers: 0,
      count: 1_000,
      blocks: 2,
      warmup: 100,
      maxMs: 5_000,
      metrics: [],
      reportsPeakRss: false,
    });
    const outcomes = await scenario.run(
      new Map([
        ['failing', failing.port],
        ['ok', port()],
      ]),
    );
    assert.equal(resultOf(outcomes, 'ok').messages, 1_000);
    const dropped = outcomes.get('failing');
    assert.ok(dropped !== undefined && dropped.result === null);
    assert.equal((dropped.error as Error & { code?: string }).code, 'BENCH_CONNECTION_LOST');
  } finally {
    await failing.close();
  }
});

test('a server that never greets fails the handshake instead of hanging', async () => {
  const silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  assert.ok(typeof address === 'object' && address !== null);
  try {
    await assert.rejects(
      RawConnection.open({ port: address.port, name: 'test-silent', expectedMsg: null, subscribe: null, handshakeTimeoutMs: 200 }),
      (error: unknown) => error instanceof ConnectionLostError,
    );
  } finally {
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test('the server process reports its memory and is gone after stop', { skip }, async () => {
  const own = await ServerProcess.start('nats-server', natsServerLauncher(natsBinary as string));
  const memory = own.memory();
  assert.ok(memory.rssKb > 0);
  assert.ok(memory.peakRssKb >= memory.rssKb);
  await own.stop();
  assert.equal(own.alive, false);
});

test('a PING from the server in the middle of MSG frames is answered and not counted', async () => {
  const payload = benchPayload(16);
  const msg = msgFrame('fake.x', 1, payload);
  const received: Buffer[] = [];
  let peer: Socket | null = null;
  const fake = createServer((socket) => {
    peer = socket;
    socket.write('INFO {"server_id":"FAKE","max_payload":1048576} \r\n');
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      if (chunk.includes('PING\r\n') && !Buffer.concat(received).includes('PONG')) socket.write('PONG\r\n');
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  const address = fake.address();
  assert.ok(typeof address === 'object' && address !== null);
  const subscriber = await RawConnection.open({
    port: address.port,
    name: 'test-ping',
    expectedMsg: msg,
    subscribe: subFrame('fake.x', 1),
  });
  try {
    assert.ok(peer !== null);
    (peer as Socket).write(Buffer.concat([msg, msg, Buffer.from('PING\r\n'), msg]));
    await waitUntil(() => Buffer.concat(received).includes('PONG\r\n') && subscriber.messages === 3);
    assert.equal(subscriber.messages, 3);
    assert.equal(subscriber.pingsAnswered, 1);
    assert.ok(Buffer.concat(received).includes('PONG\r\n'));
    assert.equal(subscriber.error, null);
  } finally {
    subscriber.close();
    await new Promise<void>((resolve) => fake.close(() => resolve()));
  }
});
