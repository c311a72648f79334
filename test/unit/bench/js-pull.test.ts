import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  JsConnection,
  PullReader,
  ServerProcess,
  WindowedPublisher,
  benchPayload,
  createDurablePull,
  createStream,
  natsServerLauncher,
  numberedPub,
  withJetStream,
} from '../../bench/index.js';
import { natsBinary, skip } from './installed-nats-server.js';

const STREAM = 'PULLTEST';
const SUBJECT = 'pull.test';
const MESSAGES = 1_234;

let server: ServerProcess | null = null;
let connection: JsConnection | null = null;
let storeDir: string | null = null;

before(async () => {
  if (natsBinary === null) return;
  storeDir = mkdtempSync(join(tmpdir(), 'leafgate-bench-pull-test-'));
  server = await ServerProcess.start('nats-server', withJetStream(natsServerLauncher(natsBinary), storeDir, null));
  connection = await JsConnection.open(server.port, 'pull-test');
  await createStream(connection, { name: STREAM, subjects: [SUBJECT], storage: 'file' });
  const published = await new WindowedPublisher(connection, numberedPub(SUBJECT, connection.inbox, benchPayload(16)), 64).publish(0, MESSAGES);
  assert.equal(published.acked, MESSAGES);
});

after(async () => {
  connection?.close();
  await server?.stop();
  if (storeDir !== null) rmSync(storeDir, { recursive: true, force: true });
});

async function consumerState(open: JsConnection, durable: string): Promise<{ num_pending: number; num_ack_pending: number; ack_floor: { stream_seq: number } }> {
  const reply = await open.request(`$JS.API.CONSUMER.INFO.${STREAM}.${durable}`, '');
  return JSON.parse(reply.payload.toString('utf8')) as { num_pending: number; num_ack_pending: number; ack_floor: { stream_seq: number } };
}

test('a pull reader fetches a whole stream in batches (the last one partial) and acks every message', { skip }, async () => {
  assert.ok(connection !== null);
  await createDurablePull(connection, STREAM, 'ALL');
  const result = await new PullReader(connection, STREAM, 'ALL', 500).read(MESSAGES);
  assert.equal(result.received, MESSAGES);
  assert.ok(result.endNs > result.startNs);
  await connection.flush();
  let state = await consumerState(connection, 'ALL');
  for (let tries = 0; state.ack_floor.stream_seq !== MESSAGES && tries < 100; tries++) state = await consumerState(connection, 'ALL');
  assert.equal(state.num_pending, 0);
  assert.equal(state.num_ack_pending, 0);
  assert.equal(state.ack_floor.stream_seq, MESSAGES);
});

test('a pull on a consumer that is not there ends at its timeout', { skip }, async () => {
  assert.ok(connection !== null);
  await assert.rejects(new PullReader(connection, STREAM, 'MISSING', 1).read(1, 300), { code: 'BENCH_PULL' });
});
