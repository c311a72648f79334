// Differential: a KV bucket of one account used from another through imports, configured the way
// nats-server's users share JetStream: the owner exports its JetStream API and the bucket's subjects
// as services, the other account imports the parts of the API it uses under a prefix of its own.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { jetStreamPair } from './jetstream-pair.js';

const CONF = `
accounts {
  OWNER: {
    jetstream: enabled
    users: [ { user: owner, password: owner } ]
    exports: [
      { service: "$JS.API.>" }
      { service: "$KV.shared.>" }
    ]
  }
  GUEST: {
    users: [ { user: guest, password: guest } ]
    imports: [
      { service: { account: OWNER, subject: "$JS.API.STREAM.INFO.*" }, to: "JS.owner.API.STREAM.INFO.*" }
      { service: { account: OWNER, subject: "$JS.API.DIRECT.GET.>" }, to: "JS.owner.API.DIRECT.GET.>" }
      { service: { account: OWNER, subject: "$JS.API.STREAM.MSG.GET.*" }, to: "JS.owner.API.STREAM.MSG.GET.*" }
      # With an API prefix of its own the KV client writes under it too.
      { service: { account: OWNER, subject: "$KV.shared.>" }, to: "JS.owner.API.$KV.shared.>" }
    ]
  }
}
`;

async function guestSession(port: number): Promise<unknown> {
  const nc = await connect({ port, user: 'guest', pass: 'guest', reconnect: false });
  try {
    const kv = await new Kvm(jetstream(nc, { apiPrefix: 'JS.owner.API' })).open('shared');
    const put = await kv.put('k1', 'one');
    const put2 = await kv.put('k1', 'two');
    const created = await kv.create('k2', 'new');
    const updated = await kv.update('k2', 'newer', created);
    const conflict = await kv.update('k2', 'stale', created).then(
      () => 'updated',
      (err: Error) => err.message,
    );
    const k1 = await kv.get('k1');
    const k2 = await kv.get('k2');
    await kv.delete('k1');
    const deleted = await kv.get('k1');
    const status = await kv.status();
    return {
      revisions: [put, put2, created, updated],
      conflict,
      k1: { value: k1?.string(), revision: k1?.revision },
      k2: { value: k2?.string(), revision: k2?.revision },
      deleted: deleted?.operation,
      values: status.values,
    };
  } finally {
    await nc.close();
  }
}

describe('JetStream across imports: leafgate vs nats-server', () => {
  const pair = jetStreamPair({ conf: CONF, connect: { user: 'owner', pass: 'owner' } });

  test("a KV bucket of one account, used from another through its imports", async () => {
    const { natsServer, leafgate } = pair();
    for (const side of [natsServer, leafgate]) await new Kvm(side.nc).create('shared', { history: 5 });
    const fromNats = await guestSession(natsServer.server.port);
    const fromLeafgate = await guestSession(leafgate.server.port);
    assert.deepEqual(fromLeafgate, fromNats);
    assert.deepEqual((fromNats as { revisions: number[] }).revisions, [1, 2, 3, 4]);
    assert.deepEqual((fromNats as { k1: unknown }).k1, { value: 'two', revision: 2 });
    // What the guest wrote is in the owner's bucket.
    for (const side of [natsServer, leafgate]) {
      const owner = await new Kvm(side.nc).open('shared');
      assert.equal((await owner.get('k2'))?.string(), 'newer');
    }
  });
});
