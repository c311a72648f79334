// Leaf node links with Debian's nats-server 2.9.10 in both roles: leafgate as the leaf (edge) of a
// nats-server hub, nats-server as the leaf of a leafgate hub, and leafgate on both ends. Driven by
// the official client on each side.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NatsConnection } from '@nats-io/transport-node';
import { closeAll } from '../helpers/nats-client.js';
import { freePort } from '../helpers/ports.js';
import { linkReady, startLeafPair } from './leaf-pair.js';
import type { LeafNode, LeafPair, ServerKind } from './leaf-pair.js';

const PAIRS: readonly (readonly [ServerKind, ServerKind])[] = [
  ['nats-server', 'leafgate'],
  ['leafgate', 'nats-server'],
  ['leafgate', 'leafgate'],
];

interface Joined {
  readonly pair: LeafPair;
  readonly hub: NatsConnection;
  readonly edge: NatsConnection;
}

async function joined(t: TestContext, hubKind: ServerKind, edgeKind: ServerKind, opts: Parameters<typeof startLeafPair>[3] = {}): Promise<Joined> {
  const pair = await startLeafPair(t, hubKind, edgeKind, opts);
  const hub = await pair.hub.connect();
  const edge = await pair.edge.connect();
  t.after(() => closeAll([hub, edge]));
  await linkReady(hub, edge);
  return { pair, hub, edge };
}

/** Counts what each subscription got, by payload. */
function counter(nc: NatsConnection, subject: string, queue?: string): Map<string, number> {
  const got = new Map<string, number>();
  nc.subscribe(subject, {
    ...(queue !== undefined && { queue }),
    callback: (_err, m) => {
      got.set(m.string(), (got.get(m.string()) ?? 0) + 1);
    },
  });
  return got;
}

function total(...maps: Map<string, number>[]): number {
  let n = 0;
  for (const m of maps) for (const v of m.values()) n += v;
  return n;
}

/** /leafz?subs=1 of a server: the subjects its links' other sides are interested in. */
async function leafSubjects(node: LeafNode): Promise<string[]> {
  const res = await fetch(`http://127.0.0.1:${node.proc.httpPort}/leafz?subs=1`);
  const body = (await res.json()) as { leafs: { subscriptions_list?: string[] }[] | null };
  return (body.leafs ?? []).flatMap((l) => l.subscriptions_list ?? []);
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`${what} did not happen within ${timeoutMs}ms`);
    await sleep(50);
  }
}

/** Round trips on both connections: what was published before has been delivered. */
async function settle(...conns: NatsConnection[]): Promise<void> {
  for (const nc of conns) await nc.flush();
  await sleep(100);
  for (const nc of conns) await nc.flush();
}

for (const [hubKind, edgeKind] of PAIRS) {
  describe(`leaf link: ${edgeKind} edge -> ${hubKind} hub`, { timeout: 90_000 }, () => {
    test('publish/subscribe and request/reply cross both ways, headers kept', async (t) => {
      const { hub, edge } = await joined(t, hubKind, edgeKind);
      const atHub = counter(hub, 'up.>');
      const atEdge = counter(edge, 'down.*');
      edge.subscribe('svc.edge', {
        callback: (_e, m) => {
          m.respond(`edge says ${m.string()}`);
        },
      });
      hub.subscribe('svc.hub', {
        callback: (_e, m) => {
          m.respond(`hub says ${m.string()}`, { headers: m.headers });
        },
      });
      await settle(hub, edge);
      await eventually('interest crossing', async () => (await hub.request('svc.edge', 'x', { timeout: 500 }).then(() => true, () => false)));
      for (let i = 0; i < 50; i++) edge.publish(`up.${i}`, `u${i}`);
      for (let i = 0; i < 50; i++) hub.publish(`down.${i}`, `d${i}`);
      await settle(edge, hub);
      assert.equal(total(atHub), 50);
      assert.equal(total(atEdge), 50);
      assert.equal((await hub.request('svc.edge', 'hi', { timeout: 2000 })).string(), 'edge says hi');
      const { headers } = await import('@nats-io/transport-node');
      const h = headers();
      h.set('X-Trace', 'abc');
      const answer = await edge.request('svc.hub', 'yo', { timeout: 2000, headers: h });
      assert.equal(answer.string(), 'hub says yo');
      assert.equal(answer.headers?.get('X-Trace'), 'abc');
    });

    test('queue groups: each message once per group, local members first, the other side when none is local', async (t) => {
      const { pair, hub, edge } = await joined(t, hubKind, edgeKind);
      const workersConn = await pair.edge.connect();
      t.after(() => closeAll([workersConn]));
      const edgeWorkers = [counter(workersConn, 'jobs', 'workers'), counter(workersConn, 'jobs', 'workers')];
      const hubWorkers = [counter(hub, 'jobs', 'workers'), counter(hub, 'jobs', 'workers')];
      const hubAudit = counter(hub, 'jobs', 'audit');
      await settle(hub, edge, workersConn);
      await eventually('the audit group known at the edge', async () => {
        hubAudit.clear();
        edge.publish('jobs', 'probe');
        await settle(edge, hub);
        return total(hubAudit) > 0;
      });
      for (const m of [...edgeWorkers, ...hubWorkers, hubAudit]) m.clear();
      for (let i = 0; i < 200; i++) edge.publish('jobs', `j${i}`);
      await settle(edge, workersConn, hub);
      assert.equal(total(...edgeWorkers), 200, 'the edge publisher prefers its local members');
      assert.equal(total(...hubWorkers), 0);
      assert.equal(total(hubAudit), 200, 'a group only the hub has gets each message once');
      assert.equal(hubAudit.size, 200);

      // With no member left at the edge, the hub's members take every message, once.
      await workersConn.close();
      await eventually('the hub members taking over', async () => {
        const before = total(...hubWorkers);
        edge.publish('jobs', 'probe');
        await settle(edge, hub);
        return total(...hubWorkers) > before;
      });
      for (const m of [...hubWorkers, hubAudit]) m.clear();
      for (let i = 0; i < 100; i++) edge.publish('jobs', `k${i}`);
      await settle(edge, hub);
      assert.equal(total(...hubWorkers), 100);
      assert.equal(new Set([...hubWorkers[0].keys(), ...hubWorkers[1].keys()]).size, 100, 'no message twice');
    });

    test('interest follows subscribers: announced when they come, withdrawn when they leave', async (t) => {
      const { pair, hub, edge } = await joined(t, hubKind, edgeKind);
      const edgeSub = edge.subscribe('only.edge.watch');
      const hubSub = hub.subscribe('only.hub.watch');
      await settle(hub, edge);
      await eventually('the edge subscription at the hub', async () => (await leafSubjects(pair.hub)).includes('only.edge.watch'));
      await eventually('the hub subscription at the edge', async () => (await leafSubjects(pair.edge)).includes('only.hub.watch'));
      edgeSub.unsubscribe();
      hubSub.unsubscribe();
      await settle(hub, edge);
      await eventually('the edge subscription withdrawn', async () => !(await leafSubjects(pair.hub)).includes('only.edge.watch'));
      await eventually('the hub subscription withdrawn', async () => !(await leafSubjects(pair.edge)).includes('only.hub.watch'));
    });

    test('the link comes back after the hub restarts, and after the edge restarts', async (t) => {
      const pair = await startLeafPair(t, hubKind, edgeKind);
      await pair.hub.restart();
      let hub = await pair.hub.connect();
      let edge = await pair.edge.connect();
      await linkReady(hub, edge);
      await closeAll([hub, edge]);
      await pair.edge.restart();
      hub = await pair.hub.connect();
      edge = await pair.edge.connect();
      t.after(() => closeAll([hub, edge]));
      await linkReady(hub, edge);
      const atHub = counter(hub, 'after.restart');
      await settle(hub);
      await eventually('interest after the restarts', async () => {
        edge.publish('after.restart', 'x');
        await settle(edge, hub);
        return total(atHub) > 0;
      });
    });
  });
}

describe('leaf link: logins and loops', { timeout: 90_000 }, () => {
  for (const [hubKind, edgeKind] of PAIRS) {
    test(`${edgeKind} edge logs in to a ${hubKind} hub with the user and password of its URL`, async (t) => {
      const { hub, edge } = await joined(t, hubKind, edgeKind, {
        hubLeaf: 'authorization { user: leafy, password: "s3cret" }',
        edgeUrlAuth: 'leafy:s3cret',
      });
      const atHub = counter(hub, 'authed');
      await settle(hub);
      await eventually('a message over the authenticated link', async () => {
        edge.publish('authed', 'x');
        await settle(edge, hub);
        return total(atHub) > 0;
      });
    });
  }

  test('a wrong password is refused by a nats-server hub: the leafgate edge logs it, retries, and keeps serving its clients', async (t) => {
    const pair = await startLeafPair(t, 'nats-server', 'leafgate', { hubLeaf: 'authorization { user: leafy, password: right }', edgeUrlAuth: 'leafy:wrong' });
    await eventually('the refusal in the edge log', async () => /Authorization Violation/.test(pair.edge.proc.output()));
    const nc = await pair.edge.connect();
    t.after(() => closeAll([nc]));
    const sub = nc.subscribe('local.only', { max: 1 });
    nc.publish('local.only', 'still here');
    for await (const m of sub) assert.equal(m.string(), 'still here');
    await eventually('a second attempt', async () => (pair.edge.proc.output().match(/Authorization Violation/g) ?? []).length >= 2);
  });

  test('a leafgate hub with min_version refuses an older nats-server leaf with nats-server\'s error', async (t) => {
    const pair = await startLeafPair(t, 'leafgate', 'nats-server', { hubLeaf: 'min_version: "2.10.0"' });
    await eventually('the refusal told to the edge', async () => /connection rejected since minimum version required is "2\.10\.0"/.test(pair.edge.proc.output()));
    assert.doesNotMatch(pair.hub.proc.output(), /Leafnode connection created/);
  });

  test('two leafgates that are each other\'s remote detect the loop and say so', async (t) => {
    const edgeLeafPort = await freePort();
    const pair = await startLeafPair(t, 'leafgate', 'leafgate', {
      edgeLeaf: `listen: 127.0.0.1:${edgeLeafPort}`,
      hubLeaf: `remotes: [ { url: "nats-leaf://127.0.0.1:${edgeLeafPort}" } ]`,
    });
    await eventually('a loop reported', async () => /Loop detected for leafnode account="\$G"/.test(pair.hub.proc.output() + pair.edge.proc.output()));
  });
});
