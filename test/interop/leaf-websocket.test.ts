// Leaf links over WebSocket (networks that only let HTTPS out), with Debian's nats-server 2.9.10 in
// both roles, and through an HTTP CONNECT proxy (leafgate's own `proxy`, plain and WebSocket links).

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { closeAll } from '../helpers/nats-client.js';
import { freePort } from '../helpers/ports.js';
import { startLeafgate } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startHttpProxy } from '../helpers/http-proxy.js';
import { createTestPki } from '../helpers/tls-certs.js';
import { linkReady, startLeafPair } from './leaf-pair.js';
import type { LeafPair, ServerKind } from './leaf-pair.js';

const PAIRS: readonly (readonly [ServerKind, ServerKind])[] = [
  ['nats-server', 'leafgate'],
  ['leafgate', 'nats-server'],
  ['leafgate', 'leafgate'],
];

const pki = createTestPki();
after(() => pki.remove());

async function carries(t: Parameters<typeof startLeafPair>[0], pair: LeafPair): Promise<void> {
  const hub = await pair.hub.connect();
  const edge = await pair.edge.connect();
  t.after(() => closeAll([hub, edge]));
  await linkReady(hub, edge);
}

describe('leaf links over WebSocket', { timeout: 90_000 }, () => {
  for (const [hubKind, edgeKind] of PAIRS) {
    test(`${edgeKind} edge -> ${hubKind} hub over ws://`, async (t) => {
      const wsPort = await freePort();
      const pair = await startLeafPair(t, hubKind, edgeKind, {
        hubConf: `websocket { listen: "127.0.0.1:${wsPort}", no_tls: true }`,
        edgeUrl: `ws://127.0.0.1:${wsPort}`,
      });
      await carries(t, pair);
    });
  }

  test('leafgate edge -> leafgate hub over wss://, the hub verified against its CA', async (t) => {
    const wsPort = await freePort();
    const pair = await startLeafPair(t, 'leafgate', 'leafgate', {
      hubConf: `websocket { listen: "127.0.0.1:${wsPort}", tls { cert_file: "${pki.serverCert}", key_file: "${pki.serverKey}" } }`,
      edgeUrl: `wss://127.0.0.1:${wsPort}`,
      edgeRemote: `tls { ca_file: "${pki.caFile}" }`,
    });
    await carries(t, pair);
  });

  test('a websocket listener of a server without a leafnodes port takes no leaf', async (t) => {
    const dir = tempDir(t);
    const wsPort = await freePort();
    const lone = await startLeafgate({ args: ['-c', dir.write('lone.conf', `websocket { listen: "127.0.0.1:${wsPort}", no_tls: true }\n`)] });
    t.after(() => lone.stop());
    const edge = await startLeafgate({ args: ['-c', dir.write('edge.conf', `leafnodes { reconnect: 1, remotes: [ { url: "ws://127.0.0.1:${wsPort}" } ] }\n`)] });
    t.after(() => edge.stop());
    const deadline = Date.now() + 10_000;
    while ((edge.output().match(/closed before the handshake finished/g) ?? []).length < 2) {
      assert.ok(Date.now() < deadline, `the edge never saw its link refused:\n${edge.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.doesNotMatch(edge.output() + lone.output(), /Leafnode connection created/);
  });
});

describe('leaf links through an HTTP CONNECT proxy', { timeout: 90_000 }, () => {
  for (const hubKind of ['nats-server', 'leafgate'] as const) {
    test(`leafgate edge -> ${hubKind} hub, plain leaf port, proxy with Basic credentials`, async (t) => {
      const proxy = await startHttpProxy(t, { username: 'px', password: 'secret' });
      const pair = await startLeafPair(t, hubKind, 'leafgate', { edgeRemote: `proxy { url: "http://127.0.0.1:${proxy.port}", username: px, password: secret }` });
      await carries(t, pair);
      assert.deepEqual(proxy.tunnels, [`127.0.0.1:${pair.leafPort}`]);
    });

    test(`leafgate edge -> ${hubKind} hub over ws:// through the proxy`, async (t) => {
      const proxy = await startHttpProxy(t);
      const wsPort = await freePort();
      const pair = await startLeafPair(t, hubKind, 'leafgate', {
        hubConf: `websocket { listen: "127.0.0.1:${wsPort}", no_tls: true }`,
        edgeUrl: `ws://127.0.0.1:${wsPort}`,
        edgeRemote: `proxy { url: "http://127.0.0.1:${proxy.port}" }`,
      });
      await carries(t, pair);
      assert.deepEqual(proxy.tunnels, [`127.0.0.1:${wsPort}`]);
    });
  }

  test('a proxy that refuses the credentials: logged and retried, local clients served', async (t) => {
    const proxy = await startHttpProxy(t, { username: 'px', password: 'secret' });
    const pair = await startLeafPair(t, 'nats-server', 'leafgate', { edgeRemote: `proxy { url: "http://127.0.0.1:${proxy.port}", username: px, password: wrong }` });
    const deadline = Date.now() + 10_000;
    while ((pair.edge.proc.output().match(/HTTP 407/g) ?? []).length < 2) {
      assert.ok(Date.now() < deadline, `no retried refusal in the edge log:\n${pair.edge.proc.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const nc = await pair.edge.connect();
    t.after(() => closeAll([nc]));
    const sub = nc.subscribe('local', { max: 1 });
    nc.publish('local', 'ok');
    for await (const m of sub) assert.equal(m.string(), 'ok');
  });
});
