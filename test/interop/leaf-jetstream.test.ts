// JetStream across a leaf link with Debian's nats-server 2.9.10 in both roles: each side has its
// own domain, a client on one side manages and reads the other side's streams through
// `$JS.<domain>.API`, and the plain `$JS.API` of each side stays its own.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';

import { closeAll } from '../helpers/nats-client.js';
import { linkReady, startLeafPair } from './leaf-pair.js';
import type { ServerKind } from './leaf-pair.js';

const PAIRS: readonly (readonly [ServerKind, ServerKind])[] = [
  ['nats-server', 'leafgate'],
  ['leafgate', 'nats-server'],
  ['leafgate', 'leafgate'],
];

const stores = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-leaf-js-'));
after(() => fs.rmSync(stores, { recursive: true, force: true }));

function jetstreamConf(domain: string): string {
  return `jetstream { store_dir: "${fs.mkdtempSync(path.join(stores, `${domain}-`))}", domain: ${domain} }`;
}

/** A domain's API may take a moment to be announced over a fresh link: retried until it answers. */
async function managerOf(nc: Parameters<typeof jetstreamManager>[0], domain: string): Promise<JetStreamManager> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await jetstreamManager(nc, { domain, timeout: 1000 });
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(200);
    }
  }
}

describe('JetStream domains across a leaf link', { timeout: 90_000 }, () => {
  for (const [hubKind, edgeKind] of PAIRS) {
    test(`${edgeKind} edge (domain edge) <-> ${hubKind} hub (domain hub): each side's streams managed and read from the other`, async (t) => {
      const pair = await startLeafPair(t, hubKind, edgeKind, { hubConf: jetstreamConf('hub'), edgeConf: jetstreamConf('edge') });
      const hub = await pair.hub.connect();
      const edge = await pair.edge.connect();
      t.after(() => closeAll([hub, edge]));
      await linkReady(hub, edge);

      // The hub's client creates a stream in the edge's domain; the edge's own clients see it there.
      const edgeFromHub = await managerOf(hub, 'edge');
      await edgeFromHub.streams.add({ name: 'AT_EDGE', subjects: ['edge.data'] });
      const edgeLocal = await jetstreamManager(edge);
      assert.equal((await edgeLocal.streams.info('AT_EDGE')).config.name, 'AT_EDGE');
      const js = jetstream(edge);
      for (let i = 0; i < 3; i++) await js.publish('edge.data', `m${i}`);
      assert.equal((await edgeFromHub.streams.info('AT_EDGE')).state.messages, 3);

      // And the reverse: the edge's client reaches the hub's domain.
      const hubFromEdge = await managerOf(edge, 'hub');
      await hubFromEdge.streams.add({ name: 'AT_HUB', subjects: ['hub.data'] });
      const hubLocal = await jetstreamManager(hub);
      assert.equal((await hubLocal.streams.info('AT_HUB')).config.name, 'AT_HUB');

      // Each side's plain API is its own: neither lists the other's stream.
      const edgeNames: string[] = [];
      for await (const name of edgeLocal.streams.names()) edgeNames.push(name);
      const hubNames: string[] = [];
      for await (const name of hubLocal.streams.names()) hubNames.push(name);
      assert.deepEqual(edgeNames, ['AT_EDGE']);
      assert.deepEqual(hubNames, ['AT_HUB']);
    });
  }
});

describe('stream sources across a leaf link (external)', { timeout: 90_000 }, () => {
  test('a nats-server hub stream sources a leafgate edge stream through $JS.edge.API and catches up after the link drops', async (t) => {
    const pair = await startLeafPair(t, 'nats-server', 'leafgate', { hubConf: jetstreamConf('hub'), edgeConf: jetstreamConf('edge') });
    const hub = await pair.hub.connect();
    let edge = await pair.edge.connect();
    t.after(() => closeAll([hub, edge]));
    await linkReady(hub, edge);
    await (await jetstreamManager(edge)).streams.add({ name: 'EDGE_S', subjects: ['e.>'] });
    for (let i = 0; i < 50; i++) await jetstream(edge).publish(`e.${i % 5}`, `m${i}`);
    const hubJsm = await jetstreamManager(hub);
    await hubJsm.streams.add({ name: 'AGG', sources: [{ name: 'EDGE_S', external: { api: '$JS.edge.API', deliver: 'deliver.edge' } }] });
    const held = async (n: number): Promise<void> => {
      const deadline = Date.now() + 20_000;
      while ((await hubJsm.streams.info('AGG')).state.messages < n) {
        assert.ok(Date.now() < deadline, `the hub stream never held ${n} messages`);
        await sleep(200);
      }
    };
    await held(50);
    // The edge restarts (the link drops); what it stores meanwhile arrives once it is back, once.
    await closeAll([edge]);
    await pair.edge.restart();
    edge = await pair.edge.connect();
    for (let i = 50; i < 80; i++) await jetstream(edge).publish(`e.${i % 5}`, `m${i}`);
    await held(80);
    await sleep(1500);
    const info = await hubJsm.streams.info('AGG');
    assert.equal(info.state.messages, 80, 'no duplicates');
    const sub = await jetstream(hub).consumers.get('AGG');
    const seen: string[] = [];
    const batch = await sub.fetch({ max_messages: 80, expires: 5000 });
    for await (const m of batch) seen.push(m.string());
    assert.deepEqual(seen, Array.from({ length: 80 }, (_, i) => `m${i}`), 'in order, no gap');
  });
});
