/**
 * One kill -9 cycle: leafgate -js with a file stream takes a sustained windowed publish; at a random
 * moment the server is killed with SIGKILL; it is started again over the same store, and the stream
 * is read back by sequence. Every publish carries its number in its payload and as its Nats-Msg-Id,
 * so what is stored can be matched against the PubAcks the publisher received.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchError } from '../bench/errors.js';
import { createStream, directMessage, streamState, type StoredMessage } from '../bench/js-api.js';
import { JsConnection } from '../bench/js-connection.js';
import { WindowedPublisher, publishNumberOf, selfNumberedPub } from '../bench/js-window.js';
import { ServerProcess, leafgateLauncher, withJetStream, type SyncSetting } from '../bench/servers.js';

export interface KillCycleOptions {
  /** Parent of the cycle's store directory (removed afterwards). */
  storeRoot: string;
  /** Publishes in flight. */
  window: number;
  payloadSize: number;
  /** The kill comes this long after the first PubAck: uniformly between the two bounds. */
  killAfterMs: readonly [number, number];
  /** leafgate's sync_interval; null runs it at its default. */
  sync: SyncSetting | null;
}

/** What one cycle saw. Only the first three counts are failures. */
export interface CycleReport {
  killAfterMs: number;
  sent: number;
  acked: number;
  /** Messages in the stream after the restart. */
  stored: number;
  /** Acked publishes not in the stream, or not at the sequence their PubAck gave. */
  lostAcked: number;
  /** Acked publishes stored more than once. */
  duplicatedAcked: number;
  /** Acked publishes stored after a later publish. */
  outOfOrder: number;
  /** Stored publishes whose PubAck never arrived (allowed: the kill came before the ack). */
  storedUnacked: number;
  /** The first few problems, for the log. */
  problems: string[];
}

const STREAM = 'FAULT';
const SUBJECT = 'fault.data';
const READ_WINDOW = 256;
const READY_TIMEOUT_MS = 30_000;
const PROBLEMS_KEPT = 5;
const SEQ_IN_ACK = /"seq":(\d+)/;

async function whenJetStreamServes(port: number): Promise<JsConnection> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const connection = await JsConnection.open(port, 'fault-check');
  for (;;) {
    try {
      await streamState(connection, STREAM, 2000);
      return connection;
    } catch (error) {
      if (Date.now() > deadline || connection.error !== null) {
        connection.close();
        throw error;
      }
      await sleep(20);
    }
  }
}

/** Publishes until the server dies; returns the PubAcks received (publish number -> stream sequence). */
async function publishUntilKilled(server: ServerProcess, options: KillCycleOptions): Promise<{ acks: Map<number, number>; sent: number; killAfterMs: number }> {
  const connection = await JsConnection.open(server.port, 'fault-publisher');
  await createStream(connection, { name: STREAM, subjects: [SUBJECT], storage: 'file', allow_direct: true });
  const acks = new Map<number, number>();
  let firstAck: () => void = () => undefined;
  const acked = new Promise<void>((resolve) => (firstAck = resolve));
  const publisher = new WindowedPublisher(connection, selfNumberedPub(SUBJECT, connection.inbox, options.payloadSize), options.window, (n, payload) => {
    const seq = SEQ_IN_ACK.exec(payload.toString('latin1'));
    acks.set(n, seq === null ? -1 : Number(seq[1]));
    firstAck();
  });
  const run = publisher.publish(0, Number.MAX_SAFE_INTEGER);
  const [low, high] = options.killAfterMs;
  const killAfterMs = Math.round(low + Math.random() * (high - low));
  await Promise.race([acked, run]);
  await sleep(killAfterMs);
  server.kill();
  const result = await run;
  connection.close();
  // Already dead: stop() only waits for the exit, so the restart never meets the old process.
  await server.stop();
  if (result.refused > 0) throw new BenchError('FAULT_REFUSED', `${result.refused} publishes refused, the first with ${result.firstRefusal}`);
  return { acks, sent: result.sent, killAfterMs };
}

/** Every message from first_seq to last_seq by DIRECT.GET, READ_WINDOW requests in flight. */
async function readStream(connection: JsConnection): Promise<StoredMessage[]> {
  const state = await streamState(connection, STREAM);
  const messages: StoredMessage[] = [];
  let next = state.first_seq;
  const worker = async () => {
    while (next <= state.last_seq && state.messages > 0) {
      const seq = next++;
      const reply = await connection.request(`$JS.API.DIRECT.GET.${STREAM}`, JSON.stringify({ seq }));
      const message = directMessage(reply);
      if (message !== null) messages.push(message);
    }
  };
  await Promise.all(Array.from({ length: READ_WINDOW }, worker));
  if (messages.length !== state.messages) {
    throw new BenchError('FAULT_READ', `read ${messages.length} messages, STREAM.INFO counts ${state.messages}`);
  }
  return messages.sort((a, b) => a.seq - b.seq);
}

/** Compares what was acked with what is stored. */
export function checkStored(acks: ReadonlyMap<number, number>, stored: readonly StoredMessage[]): Omit<CycleReport, 'killAfterMs' | 'sent' | 'acked'> {
  const problems: string[] = [];
  const note = (text: string) => {
    if (problems.length < PROBLEMS_KEPT) problems.push(text);
  };
  const bySeq = new Map<number, number>();
  const copies = new Map<number, number>();
  let lastAckedNumber = -1;
  let outOfOrder = 0;
  let storedUnacked = 0;
  for (const message of stored) {
    const n = publishNumberOf(message.payload);
    bySeq.set(message.seq, n);
    copies.set(n, (copies.get(n) ?? 0) + 1);
    if (!acks.has(n)) {
      storedUnacked++;
      continue;
    }
    if (n < lastAckedNumber) {
      outOfOrder++;
      note(`publish ${n} stored at ${message.seq}, after publish ${lastAckedNumber}`);
    }
    lastAckedNumber = Math.max(lastAckedNumber, n);
  }
  let lostAcked = 0;
  let duplicatedAcked = 0;
  for (const [n, seq] of acks) {
    const atSeq = bySeq.get(seq);
    if (atSeq !== n) {
      lostAcked++;
      note(`publish ${n} acked as sequence ${seq}, which holds ${atSeq === undefined ? 'nothing' : `publish ${atSeq}`}`);
    }
    const count = copies.get(n) ?? 0;
    if (count > 1) {
      duplicatedAcked++;
      note(`publish ${n} stored ${count} times`);
    }
  }
  return { stored: stored.length, lostAcked, duplicatedAcked, outOfOrder, storedUnacked, problems };
}

/** Runs one cycle; the store directory is removed whatever happens. */
export async function runKillCycle(options: KillCycleOptions): Promise<CycleReport> {
  const storeDir = mkdtempSync(join(options.storeRoot, 'leafgate-fault-'));
  const launcher = withJetStream(leafgateLauncher(), storeDir, options.sync);
  let server: ServerProcess | null = null;
  try {
    server = await ServerProcess.start('leafgate', launcher);
    const { acks, sent, killAfterMs } = await publishUntilKilled(server, options);
    server = await ServerProcess.start('leafgate', launcher);
    const restarted = server;
    const connection = await whenJetStreamServes(server.port).catch((error: Error) => {
      throw new BenchError('FAULT_RESTART', `${error.message}\nserver output after the restart:\n${restarted.recentOutput}`);
    });
    try {
      const stored = await readStream(connection);
      return { killAfterMs, sent, acked: acks.size, ...checkStored(acks, stored) };
    } finally {
      connection.close();
    }
  } finally {
    await server?.stop();
    rmSync(storeDir, { recursive: true, force: true });
  }
}
