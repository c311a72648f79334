// The store-and-forward uplink into a hub stream, against a nats-server 2.9.10 hub and a leafgate
// hub: exactly once in order per subject, through a hub restart after an outage longer than the
// hub's duplicate window, a kill -9 of the edge mid-flow, and a hub that has no such stream yet.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import { closeAll } from '../helpers/nats-client.js';
import { startLeafPair } from './leaf-pair.js';
import type { LeafPair, ServerKind } from './leaf-pair.js';

const stores = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-uplink-'));
after(() => fs.rmSync(stores, { recursive: true, force: true }));

function jetstreamConf(domain: string): string {
  return `jetstream { store_dir: "${fs.mkdtempSync(path.join(stores, `${domain}-`))}", domain: ${domain} }`;
}

const UPLINK = 'uplink { subjects: ["telemetry.>"], stream: EDGE_DATA, domain: hub, name: edge1 }';

async function uplinkPair(t: Parameters<typeof startLeafPair>[0], hubKind: ServerKind): Promise<LeafPair> {
  return startLeafPair(t, hubKind, 'leafgate', { hubConf: jetstreamConf('hub'), edgeConf: `${jetstreamConf('edge')}\n${UPLINK}` });
}

async function hubStream(nc: NatsConnection, duplicateWindowMs = 120_000): Promise<JetStreamManager> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'EDGE_DATA', subjects: ['edge1.>'], duplicate_window: duplicateWindowMs * 1_000_000 });
  return jsm;
}

/** Publishes `from`..`to`-1 as JetStream messages on the edge, three subjects in turn. */
async function publish(edge: NatsConnection, from: number, to: number): Promise<void> {
  const js = jetstream(edge);
  for (let i = from; i < to; i++) await js.publish(`telemetry.t${i % 3}`, `m${i}`);
}

/** Waits until the hub stream holds `n` messages, then reads them all: each subject's in order, none twice. */
async function holdsExactly(hub: NatsConnection, n: number, timeoutMs = 30_000): Promise<void> {
  const jsm = await jetstreamManager(hub);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const held = (await jsm.streams.info('EDGE_DATA')).state.messages;
    if (held >= n) break;
    assert.ok(Date.now() < deadline, `the hub stream holds ${held} of ${n} messages`);
    await sleep(200);
  }
  await sleep(1000);
  assert.equal((await jsm.streams.info('EDGE_DATA')).state.messages, n, 'nothing more arrived: no duplicates');
  const consumer = await jetstream(hub).consumers.get('EDGE_DATA');
  const bodies: string[] = [];
  const subjects: string[] = [];
  for await (const m of await consumer.fetch({ max_messages: n, expires: 5000 })) {
    bodies.push(m.string());
    subjects.push(m.subject);
    if (bodies.length === n) break;
  }
  assert.equal(new Set(bodies).size, n, 'each message once');
  for (let s = 0; s < 3; s++) {
    const mine = bodies.filter((_, i) => subjects[i] === `edge1.telemetry.t${s}`).map((b) => Number(b.slice(1)));
    assert.deepEqual(mine, [...mine].sort((a, b) => a - b), `edge1.telemetry.t${s} in order`);
  }
}

for (const hubKind of ['nats-server', 'leafgate'] as const) {
  describe(`uplink into a ${hubKind} hub stream`, { timeout: 120_000 }, () => {
    test('messages on the captured subjects reach the hub stream once each, in order, under the prefix', async (t) => {
      const pair = await uplinkPair(t, hubKind);
      const hub = await pair.hub.connect();
      const edge = await pair.edge.connect();
      t.after(() => closeAll([hub, edge]));
      await hubStream(hub);
      await publish(edge, 0, 300);
      await holdsExactly(hub, 300);
      const backlog = (await (await jetstreamManager(edge)).streams.info('UPLINK_edge1')).state.messages;
      assert.equal(backlog, 0, 'nothing left in the local backlog');
      // Monitoring: /varz and /healthz show the uplink (the backlog is measured every second).
      await sleep(1500);
      const varz = (await (await fetch(`http://127.0.0.1:${pair.edge.proc.httpPort}/varz`)).json()) as { uplink: Record<string, unknown> };
      assert.equal(varz.uplink.name, 'edge1');
      assert.equal(varz.uplink.connected, true);
      assert.equal(varz.uplink.backlog_msgs, 0);
      assert.equal(varz.uplink.acked_msgs, 300);
      assert.equal(varz.uplink.forwarded_msgs, 300);
      const health = (await (await fetch(`http://127.0.0.1:${pair.edge.proc.httpPort}/healthz`)).json()) as { status: string; uplink: { stream: string } };
      assert.deepEqual([health.status, health.uplink.stream], ['ok', 'EDGE_DATA']);
    });

    test('an outage longer than the duplicate window: the backlog is kept and sent once when the hub is back', async (t) => {
      const pair = await uplinkPair(t, hubKind);
      let hub = await pair.hub.connect();
      const edge = await pair.edge.connect();
      t.after(() => closeAll([edge]));
      await hubStream(hub, 500);
      await publish(edge, 0, 100);
      await holdsExactly(hub, 100);
      await closeAll([hub]);
      // Stopped while messages flow: some the hub stored may never have been acknowledged.
      const flowing = publish(edge, 100, 400);
      await sleep(50);
      await pair.hub.proc.stop();
      await flowing;
      await sleep(1500);
      await pair.hub.restart();
      hub = await pair.hub.connect();
      t.after(() => closeAll([hub]));
      await holdsExactly(hub, 400);
    });

    test('the edge killed -9 mid-flow and restarted: still once each', async (t) => {
      const pair = await uplinkPair(t, hubKind);
      const hub = await pair.hub.connect();
      t.after(() => closeAll([hub]));
      await hubStream(hub, 500);
      let edge = await pair.edge.connect();
      await publish(edge, 0, 300);
      pair.edge.proc.proc.kill('SIGKILL');
      await pair.edge.proc.exited();
      await closeAll([edge]);
      await sleep(1000);
      await pair.edge.restart();
      edge = await pair.edge.connect();
      t.after(() => closeAll([edge]));
      await publish(edge, 300, 350);
      await holdsExactly(hub, 350);
    });

    test('a hub without the stream: logged and retried, the backlog waits, then arrives once the stream exists', async (t) => {
      const pair = await uplinkPair(t, hubKind);
      const hub = await pair.hub.connect();
      const edge = await pair.edge.connect();
      t.after(() => closeAll([hub, edge]));
      await publish(edge, 0, 50);
      const deadline = Date.now() + 10_000;
      const varzOf = async (): Promise<Record<string, unknown>> => ((await (await fetch(`http://127.0.0.1:${pair.edge.proc.httpPort}/varz`)).json()) as { uplink: Record<string, unknown> }).uplink;
      while (!/Uplink edge1: .*(stream not found|no responders)/.test(pair.edge.proc.output())) {
        assert.ok(Date.now() < deadline, 'no log line about the missing stream');
        await sleep(100);
      }
      assert.equal((await (await jetstreamManager(edge)).streams.info('UPLINK_edge1')).state.messages, 50);
      await sleep(1200);
      const waiting = await varzOf();
      assert.equal(waiting.backlog_msgs, 50, 'the backlog shows in /varz');
      assert.match(String(waiting.last_error), /stream not found|no responders/);
      assert.ok(Number(waiting.oldest_msg_age) > 0);
      await hubStream(hub);
      await holdsExactly(hub, 50);
    });
  });
}
