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
import type { JetStreamManager, StreamSourceInfo } from '@nats-io/jetstream';

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

/** One case of a stream reading another domain's stream over the link. */
interface ExternalCase {
  readonly hubKind: ServerKind;
  readonly edgeKind: ServerKind;
  /** The side whose stream reads the other side's (the origin is on the other side). */
  readonly reader: 'hub' | 'edge';
  readonly mirror: boolean;
  /** The side restarted midway, which drops the link. */
  readonly restart: 'hub' | 'edge';
}

const EXTERNAL_CASES: readonly ExternalCase[] = [
  { hubKind: 'nats-server', edgeKind: 'leafgate', reader: 'hub', mirror: false, restart: 'edge' },
  { hubKind: 'nats-server', edgeKind: 'leafgate', reader: 'edge', mirror: false, restart: 'hub' },
  { hubKind: 'nats-server', edgeKind: 'leafgate', reader: 'edge', mirror: false, restart: 'edge' },
  { hubKind: 'nats-server', edgeKind: 'leafgate', reader: 'edge', mirror: true, restart: 'hub' },
  { hubKind: 'leafgate', edgeKind: 'nats-server', reader: 'hub', mirror: false, restart: 'edge' },
  { hubKind: 'leafgate', edgeKind: 'nats-server', reader: 'hub', mirror: true, restart: 'hub' },
  { hubKind: 'leafgate', edgeKind: 'leafgate', reader: 'hub', mirror: false, restart: 'edge' },
  { hubKind: 'leafgate', edgeKind: 'leafgate', reader: 'edge', mirror: true, restart: 'edge' },
];

function caseName(c: ExternalCase): string {
  const kind = (side: 'hub' | 'edge'): ServerKind => (side === 'hub' ? c.hubKind : c.edgeKind);
  const origin = c.reader === 'hub' ? 'edge' : 'hub';
  return `a ${kind(c.reader)} ${c.reader} stream ${c.mirror ? 'mirrors' : 'sources'} a ${kind(origin)} ${origin} stream through $JS.${origin}.API and catches up after the ${c.restart} restarts`;
}

describe('streams reading another domain across a leaf link (external)', { timeout: 120_000 }, () => {
  for (const c of EXTERNAL_CASES) {
    test(caseName(c), async (t) => {
      const pair = await startLeafPair(t, c.hubKind, c.edgeKind, { hubConf: jetstreamConf('hub'), edgeConf: jetstreamConf('edge') });
      const originSide = c.reader === 'hub' ? 'edge' : 'hub';
      const conns = { hub: await pair.hub.connect(), edge: await pair.edge.connect() };
      t.after(() => closeAll([conns.hub, conns.edge]));
      await linkReady(conns.hub, conns.edge);
      const publish = async (from: number, to: number): Promise<void> => {
        const js = jetstream(conns[originSide]);
        for (let i = from; i < to; i++) await js.publish(`o.${i % 5}`, `m${i}`);
      };
      await (await jetstreamManager(conns[originSide])).streams.add({ name: 'ORIGIN', subjects: ['o.>'] });
      await publish(0, 50);
      const origin = { name: 'ORIGIN', external: { api: `$JS.${originSide}.API`, deliver: `deliver.${originSide}` } };
      await (await jetstreamManager(conns[c.reader])).streams.add(c.mirror ? { name: 'READER', mirror: origin } : { name: 'READER', sources: [origin] });
      const held = async (n: number): Promise<void> => {
        const deadline = Date.now() + 30_000;
        for (;;) {
          const info = await (await jetstreamManager(conns[c.reader])).streams.info('READER');
          if (info.state.messages >= n) return;
          assert.ok(Date.now() < deadline, `the reading stream held ${info.state.messages} of ${n} messages`);
          await sleep(200);
        }
      };
      await held(50);

      // The link drops with the restart; what the origin stores meanwhile arrives once it is back, once.
      await closeAll([conns[c.restart]]);
      await pair[c.restart].restart();
      conns[c.restart] = await pair[c.restart].connect();
      await publish(50, 80);
      await held(80);
      // Long enough for a stalled consumer to be replaced: anything it sent twice would show now.
      await sleep(3500);
      const jsm = await jetstreamManager(conns[c.reader]);
      const info = await jsm.streams.info('READER');
      assert.equal(info.state.messages, 80, 'no duplicates');
      if (c.mirror) assert.deepEqual([info.state.first_seq, info.state.last_seq], [1, 80], "a mirror keeps its origin's sequences");
      // The client's StreamSourceInfo type leaves out `external`, which the servers send.
      const read = (c.mirror ? info.mirror : info.sources?.[0]) as (StreamSourceInfo & { external?: { api: string } }) | undefined;
      assert.equal(read?.external?.api, `$JS.${originSide}.API`);
      assert.equal(read?.lag, 0);
      assert.ok(read !== undefined && read.active >= 0, 'the origin was heard from');
      const consumer = await jetstream(conns[c.reader]).consumers.get('READER');
      const seen: string[] = [];
      const subjects: string[] = [];
      for await (const m of await consumer.fetch({ max_messages: 80, expires: 5000 })) {
        seen.push(m.string());
        subjects.push(m.subject);
        if (!c.mirror) assert.match(m.headers?.get('Nats-Stream-Source') ?? '', /^ORIGIN:\w{8} \d+$/);
      }
      assert.deepEqual(seen, Array.from({ length: 80 }, (_, i) => `m${i}`), 'in order, no gap');
      assert.deepEqual(subjects, Array.from({ length: 80 }, (_, i) => `o.${i % 5}`), "each message keeps its origin's subject");
    });
  }
});

describe('a stream reading another domain before its origin exists', { timeout: 90_000 }, () => {
  test("a leafgate edge stream sourcing a nats-server hub stream shows the hub's error, then catches up once the origin is made", async (t) => {
    const pair = await startLeafPair(t, 'nats-server', 'leafgate', { hubConf: jetstreamConf('hub'), edgeConf: jetstreamConf('edge') });
    const hub = await pair.hub.connect();
    const edge = await pair.edge.connect();
    t.after(() => closeAll([hub, edge]));
    await linkReady(hub, edge);
    const edgeJsm = await jetstreamManager(edge);
    await edgeJsm.streams.add({ name: 'READER', sources: [{ name: 'LATER', external: { api: '$JS.hub.API', deliver: 'deliver.hub' } }] });
    type WithError = StreamSourceInfo & { error?: { code: number; err_code: number } };
    const sourceInfo = async (): Promise<WithError | undefined> => (await edgeJsm.streams.info('READER')).sources?.[0] as WithError | undefined;
    const deadline = Date.now() + 15_000;
    while ((await sourceInfo())?.error === undefined) {
      assert.ok(Date.now() < deadline, 'the hub never said the origin is missing');
      await sleep(200);
    }
    assert.deepEqual({ code: (await sourceInfo())?.error?.code, err_code: (await sourceInfo())?.error?.err_code }, { code: 404, err_code: 10059 });

    await (await jetstreamManager(hub)).streams.add({ name: 'LATER', subjects: ['later.>'] });
    for (let i = 0; i < 10; i++) await jetstream(hub).publish(`later.${i}`, `m${i}`);
    while ((await edgeJsm.streams.info('READER')).state.messages < 10) {
      assert.ok(Date.now() < deadline + 30_000, 'the edge stream never caught up');
      await sleep(200);
    }
    assert.equal((await sourceInfo())?.error, undefined, 'the error is gone once the origin answers');
  });
});
