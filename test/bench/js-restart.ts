/**
 * A big file stream, stored and served again after a restart: each server stores N messages of
 * 128 B with a windowed publisher (leafgate at sync_interval 2m, nats-server at its default, so the
 * build is quick), with its write_bytes and RSS on the way, then read back whole by a durable pull
 * consumer (fetches of 500, each message acked); then it is stopped and started again over the same
 * store a few times, each time measuring how long from spawn() until a client gets INFO, a
 * STREAM.INFO answer counting all N messages, a DIRECT.GET of the last one, and a message from a
 * fetch on a durable consumer made before the first restart (asked for in that order).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hrtime } from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchError } from './errors.js';
import { createDurablePull, createStream, directGet, streamState } from './js-api.js';
import { JsConnection } from './js-connection.js';
import { PullReader } from './js-pull.js';
import { WindowedPublisher, numberedPub } from './js-window.js';
import { benchPayload } from './nats-wire.js';
import { ServerProcess, processWriteBytes, withJetStream, type ServerLauncher, type SyncSetting } from './servers.js';
import type { SideSetup } from './sides.js';

export interface RestartSetup {
  messages: number;
  rounds: number;
  storeRoot: string;
}

/** What one server did: the build, then one sample per restart. */
export interface RestartRecord {
  side: string;
  label: string;
  /** leafgate's sync_interval during the build and restarts; null for nats-server (its default). */
  leafgateSync: SyncSetting | null;
  messages: number;
  buildMsgsPerS: number | null;
  writeBytesPerMsg: number | null;
  rssTenthKb: number | null;
  rssFullKb: number | null;
  /** Messages read and acked per second by the pull consumer after the build. */
  pullMsgsPerS: number | null;
  restarts: RestartSample[];
  error: string | null;
}

export interface RestartSample {
  round: number;
  infoMs: number | null;
  streamInfoMs: number | null;
  lastMessageMs: number | null;
  /** Until a fetch on the durable consumer made before the restart returned a message. */
  firstFetchMs: number | null;
  /** VmRSS once the last message was served. */
  rssKb: number | null;
  error: string | null;
}

const STREAM = 'RESTART';
const SUBJECT = 'bench.restart';
const PAYLOAD_SIZE = 128;
const WINDOW = 256;
/** Messages per publish call; progress and the 1/10 RSS reading fall on these boundaries. */
const CHUNK = 50_000;
const BUILD_SYNC: SyncSetting = '2m';
const READY_TIMEOUT_MS = 60_000;
const RETRY_MS = 2;
const PAYLOAD = benchPayload(PAYLOAD_SIZE);
/** The consumer the build's read-back goes through, and the one each restart fetches from. */
const READ_CONSUMER = 'READ';
const FETCH_CONSUMER = 'FETCH';
const PULL_BATCH = 500;
const FETCH_TIMEOUT_MS = 1000;

interface Subject {
  side: SideSetup;
  storeDir: string;
  launcher: ServerLauncher;
  record: RestartRecord;
}

function vmRssKb(server: ServerProcess): number {
  return server.memory().rssKb;
}

function msSince(began: bigint): number {
  return Number(hrtime.bigint() - began) / 1e6;
}

/** Stores `messages` on a fresh server and stops it gracefully; fills the build part of the record. */
async function build(subject: Subject, messages: number, progress: (line: string) => void): Promise<void> {
  const server = await ServerProcess.start(subject.side.label, subject.launcher);
  let connection: JsConnection | null = null;
  try {
    connection = await JsConnection.open(server.port, 'bench-restart-build');
    await createStream(connection, { name: STREAM, subjects: [SUBJECT], storage: 'file', allow_direct: true });
    const publisher = new WindowedPublisher(connection, numberedPub(SUBJECT, connection.inbox, PAYLOAD), WINDOW);
    const written = processWriteBytes(server.pid);
    let acked = 0;
    let ackNs = 0n;
    while (acked < messages) {
      const result = await publisher.publish(acked, Math.min(CHUNK, messages - acked));
      if (result.lostConnection !== null || result.refused > 0) {
        throw new BenchError('BENCH_BUILD', `${result.lostConnection ?? result.firstRefusal} after ${acked + result.acked} messages\n${server.recentOutput}`);
      }
      acked += result.acked;
      ackNs += result.endNs - result.startNs;
      if (subject.record.rssTenthKb === null && acked >= messages / 10) subject.record.rssTenthKb = vmRssKb(server);
      if (acked % (CHUNK * 10) === 0 || acked === messages) progress(`  ${subject.side.label}: ${acked.toLocaleString('en-US')} stored`);
    }
    subject.record.buildMsgsPerS = acked / (Number(ackNs) / 1e9);
    subject.record.writeBytesPerMsg = (processWriteBytes(server.pid) - written) / acked;
    subject.record.rssFullKb = vmRssKb(server);
    const state = await streamState(connection, STREAM);
    if (state.messages !== messages) throw new BenchError('BENCH_BUILD', `stream holds ${state.messages} messages after ${messages} PubAcks`);
    progress(`  ${subject.side.label}: reading them back through a pull consumer`);
    subject.record.pullMsgsPerS = await readBack(connection, messages);
    await createDurablePull(connection, STREAM, FETCH_CONSUMER);
  } finally {
    connection?.close();
    await server.stop();
  }
}

/** Reads the whole stream through a new durable pull consumer with explicit acks; returns msgs/s. */
async function readBack(connection: JsConnection, messages: number): Promise<number> {
  await createDurablePull(connection, STREAM, READ_CONSUMER);
  const result = await new PullReader(connection, STREAM, READ_CONSUMER, PULL_BATCH).read(messages);
  await connection.flush();
  return result.received / (Number(result.endNs - result.startNs) / 1e9);
}

/**
 * Fetches one message from the durable consumer until one comes; a status reply (no messages yet)
 * or no reply at all (the consumer not loaded yet) means try again.
 */
async function firstFetch(connection: JsConnection, deadline: number): Promise<void> {
  for (;;) {
    try {
      await new PullReader(connection, STREAM, FETCH_CONSUMER, 1).read(1, FETCH_TIMEOUT_MS);
      return;
    } catch (error) {
      if (Date.now() > deadline || connection.error !== null) throw error;
      await sleep(RETRY_MS);
    }
  }
}

/** Keeps connecting until the server answers with INFO; returns the open connection. */
async function connectWhenUp(server: ServerProcess, deadline: number): Promise<JsConnection> {
  for (;;) {
    try {
      return await JsConnection.open(server.port, 'bench-restart', 1000);
    } catch (error) {
      if (!server.alive) throw new BenchError('BENCH_RESTART', `exited (${server.exitStatus}) before listening\n${server.recentOutput}`);
      if (Date.now() > deadline) throw error;
      await sleep(RETRY_MS);
    }
  }
}

/** STREAM.INFO until it counts every message (JetStream may still be starting: no responders, or an error). */
async function streamWhenServed(connection: JsConnection, messages: number, deadline: number): Promise<number> {
  for (;;) {
    try {
      const state = await streamState(connection, STREAM, Math.max(1, deadline - Date.now()));
      if (state.messages === messages) return state.last_seq;
      throw new BenchError('BENCH_RESTART', `stream holds ${state.messages} messages, ${messages} expected`);
    } catch (error) {
      if (Date.now() > deadline || connection.error !== null || (error as BenchError).code === 'BENCH_RESTART') throw error;
      await sleep(RETRY_MS);
    }
  }
}

async function restartOnce(subject: Subject, round: number): Promise<RestartSample> {
  const sample: RestartSample = { round, infoMs: null, streamInfoMs: null, lastMessageMs: null, firstFetchMs: null, rssKb: null, error: null };
  const began = hrtime.bigint();
  const server = await ServerProcess.launch(subject.side.label, subject.launcher);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let connection: JsConnection | null = null;
  try {
    connection = await connectWhenUp(server, deadline);
    sample.infoMs = msSince(began);
    const lastSeq = await streamWhenServed(connection, subject.record.messages, deadline);
    sample.streamInfoMs = msSince(began);
    const last = await directGet(connection, STREAM, lastSeq);
    if (last === null || last.payload.length !== PAYLOAD_SIZE) throw new BenchError('BENCH_RESTART', `DIRECT.GET of the last message (${lastSeq}) found ${last === null ? 'nothing' : `${last.payload.length} bytes`}`);
    sample.lastMessageMs = msSince(began);
    await firstFetch(connection, deadline);
    sample.firstFetchMs = msSince(began);
    sample.rssKb = vmRssKb(server);
  } catch (error) {
    sample.error = `${(error as Error).message}\n${server.recentOutput}`;
  } finally {
    connection?.close();
    await server.stop();
  }
  return sample;
}

/** Builds the stream on every side, then restarts them in turns (order reversed each round). */
export async function measureRestart(sides: readonly SideSetup[], setup: RestartSetup, progress: (line: string) => void): Promise<RestartRecord[]> {
  const subjects: Subject[] = sides.map((side) => {
    const storeDir = mkdtempSync(join(setup.storeRoot, `leafgate-bench-restart-${side.key}-`));
    const leafgateSync = side.program === 'leafgate' ? BUILD_SYNC : null;
    return {
      side,
      storeDir,
      launcher: withJetStream(side.launcher, storeDir, leafgateSync),
      record: {
        side: side.key,
        label: side.label,
        leafgateSync,
        messages: setup.messages,
        buildMsgsPerS: null,
        writeBytesPerMsg: null,
        rssTenthKb: null,
        rssFullKb: null,
        pullMsgsPerS: null,
        restarts: [],
        error: null,
      },
    };
  });
  try {
    for (const subject of subjects) {
      try {
        await build(subject, setup.messages, progress);
      } catch (error) {
        subject.record.error = (error as Error).message;
      }
    }
    const built = subjects.filter((subject) => subject.record.error === null);
    for (let round = 0; round < setup.rounds; round++) {
      const parts: string[] = [];
      for (const subject of round % 2 === 0 ? built : [...built].reverse()) {
        const sample = await restartOnce(subject, round);
        subject.record.restarts.push(sample);
        parts.push(sample.error === null ? `${subject.side.label} ${sample.firstFetchMs?.toFixed(0)} ms` : `${subject.side.label} FAILED`);
      }
      progress(`  restart ${round + 1}/${setup.rounds}: ${parts.join(', ')}`);
    }
  } finally {
    for (const { storeDir } of subjects) rmSync(storeDir, { recursive: true, force: true });
  }
  return subjects.map((subject) => subject.record);
}
