// Differential: subject mappings, top-level and per account, against nats-server with the same file.
// Weighted destinations are random on both sides: what is compared is where messages may go and that
// none is lost, not how many each destination got.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { RawClient } from '../helpers/raw-client.js';
import { observedAlike, serverPair } from './differential.js';

const CONF = `
mappings {
  "orders.new": "orders.created"
  "a.*.b.*": "b.$2.a.$1"
  "w.>": "wild.>"
  "re.*.*": "re.{{wildcard(2)}}.{{wildcard(1)}}"
  "split": [ { destination: "left", weight: "50%" }, { destination: "right", weight: 50 } ]
  "part": [ { destination: "part.a", weight: 30 } ]
  "lossy": [ { destination: "lossy", weight: 0 }, { destination: "kept", weight: 40 } ]
  "part.*.*": "parted.{{partition(7,1,2)}}.$1"
  "sp.*": "sp.{{split(1,-)}}"
  "sl.*": "sl.{{ SplitFromLeft(1, 2) }}"
  "sr.*": "sr.{{splitFromRight(1,2)}}"
  "cl.*": "cl.{{sliceFromLeft(1,2)}}"
  "cr.*": "cr.{{sliceFromRight(1,2)}}"
}
accounts {
  A: {
    users: [ { user: a, password: a, permissions: { publish: { allow: ["mapped.>"] } } } ]
    mappings: { "src": "mapped.x", "denied": "other" }
  }
  B: { users: [ { user: b, password: b } ] }
}
authorization { users: [ { user: g, password: g } ] }
`;

const N = 400;

/** Subscribes to `>` as `user`, publishes `pubs` as `publisher` (another client), and counts deliveries per subject. */
async function deliveries(port: number, user: string, publisher: string, pubs: readonly string[]): Promise<{ got: Record<string, number>; errors: string }> {
  const { client: sub } = await RawClient.open(port, `{"verbose":false,"user":"${user}","pass":"${user}"}`);
  const { client: pub } = await RawClient.open(port, `{"verbose":false,"user":"${publisher}","pass":"${publisher}"}`);
  try {
    sub.send('SUB > 1\r\n');
    await sub.sync();
    pub.send(pubs.map((s) => `PUB ${s} 1\r\nx\r\n`).join(''));
    const errors = await pub.sync();
    const got: Record<string, number> = {};
    for (const line of (await sub.sync()).split('\r\n')) {
      const m = /^MSG (\S+) 1 1$/.exec(line);
      if (m !== null) got[m[1] as string] = (got[m[1] as string] ?? 0) + 1;
    }
    return { got, errors };
  } finally {
    sub.close();
    pub.close();
  }
}

describe('subject mappings: leafgate vs nats-server', () => {
  const servers = serverPair(CONF, { monitoring: true });
  const both = observedAlike(servers);

  test('literal, wildcard ($n and {{wildcard(n)}}) and > mappings; other subjects untouched', async () => {
    const want = { got: { 'orders.created': 1, 'b.2.a.1': 1, 'wild.q.r': 1, 're.y.x': 1, 'a.1.c.2': 1, 'orders.old': 1 }, errors: '' };
    await both(want, (port) => deliveries(port, 'g', 'g', ['orders.new', 'a.1.b.2', 'w.q.r', 're.x.y', 'a.1.c.2', 'orders.old']));
  });

  test('functions: partition (nats-server\'s hash), split, splitFromLeft/Right, sliceFromLeft/Right', async () => {
    const pubs = ['part.a.b', 'part.order-1.eu', 'part.order-2.eu', 'part.x.y', 'part.\u00e9t\u00e9.z', 'sp.a-b--c-', 'sp.---', 'sl.abcde', 'sl.a', 'sr.abcde', 'cl.abcdefg', 'cl.ab', 'cr.abcdefg', 'cr.abcdef'];
    const { natsServer, leafgate } = servers();
    const fromNats = await deliveries(natsServer.port, 'g', 'g', pubs);
    const fromLeafgate = await deliveries(leafgate.port, 'g', 'g', pubs);
    assert.deepEqual(fromLeafgate, fromNats);
    assert.equal(fromNats.errors, '');
    assert.ok(Object.keys(fromNats.got).some((s) => s.startsWith('parted.')) && fromNats.got['sl.ab.cde'] === 1, JSON.stringify(fromNats.got));
  });

  test('weighted destinations: every message goes to one of them; weights under 100 leave the rest on the source unless it is listed', async () => {
    const observe = async (port: number) => {
      const { got } = await deliveries(port, 'g', 'g', [...Array<string>(N).fill('split'), ...Array<string>(N).fill('part'), ...Array<string>(N).fill('lossy')]);
      return {
        split: { total: (got.left ?? 0) + (got.right ?? 0), both: (got.left ?? 0) > 0 && (got.right ?? 0) > 0, unmapped: got.split ?? 0 },
        part: { total: (got['part.a'] ?? 0) + (got.part ?? 0), both: (got['part.a'] ?? 0) > 0 && (got.part ?? 0) > 0 },
        lossy: { someDropped: (got.kept ?? 0) + (got.lossy ?? 0) < N, kept: (got.kept ?? 0) > 0, toSource: got.lossy ?? 0 },
      };
    };
    await both({ split: { total: N, both: true, unmapped: 0 }, part: { total: N, both: true }, lossy: { someDropped: true, kept: true, toSource: 0 } }, observe);
  });

  test("an account's mappings apply to its clients only, and publish permissions see the mapped subject", async () => {
    const want = {
      inA: { got: { 'mapped.x': 1 }, errors: `-ERR 'Permissions Violation for Publish to "other"'\r\n` },
      fromG: { got: { src: 1 }, errors: '' },
      inB: { got: { src: 1 }, errors: '' },
    };
    await both(want, async (port) => ({
      inA: await deliveries(port, 'a', 'a', ['src', 'denied']),
      fromG: await deliveries(port, 'g', 'g', ['src']),
      inB: await deliveries(port, 'b', 'b', ['src']),
    }));
  });

  test('/accountz lists each account\'s mappings as nats-server does (sources sorted, weights cumulative, the rest on the source)', async () => {
    const { httpPort } = servers();
    const mappingsOf = async (port: number, acc: string): Promise<unknown> => {
      const res = await fetch(`http://127.0.0.1:${port}/accountz?acc=${encodeURIComponent(acc)}`);
      return ((await res.json()) as { account_detail: { mappings?: unknown } }).account_detail.mappings ?? null;
    };
    for (const acc of ['$G', 'A', 'B']) {
      const fromNats = await mappingsOf(httpPort.natsServer, acc);
      const fromLeafgate = await mappingsOf(httpPort.leafgate, acc);
      assert.deepEqual(fromLeafgate, fromNats, acc);
      assert.equal(fromNats === null, acc === 'B', `${acc}: mappings listed only where there are some`);
    }
    assert.deepEqual(await mappingsOf(httpPort.leafgate, 'A'), { denied: [{ subject: 'other', weight: 100 }], src: [{ subject: 'mapped.x', weight: 100 }] });
  });
});
