// Differential: JetStream across accounts, configured the way nats-server's users share it. The owner
// exports parts of its JetStream API, a bucket's subjects and a consumer's next/ack subjects as
// services, and the other account imports them under an API prefix of its own; and a stream of the
// other account stores what it imports from the owner.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
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
      { service: "$JS.API.CONSUMER.MSG.NEXT.ORDERS.C", response: stream }
      { service: "$JS.ACK.ORDERS.C.>" }
      { stream: "telemetry.>" }
    ]
  }
  GUEST: {
    jetstream: enabled
    users: [ { user: guest, password: guest } ]
    imports: [
      { service: { account: OWNER, subject: "$JS.API.STREAM.INFO.*" }, to: "JS.owner.API.STREAM.INFO.*" }
      { service: { account: OWNER, subject: "$JS.API.DIRECT.GET.>" }, to: "JS.owner.API.DIRECT.GET.>" }
      { service: { account: OWNER, subject: "$JS.API.STREAM.MSG.GET.*" }, to: "JS.owner.API.STREAM.MSG.GET.*" }
      # With an API prefix of its own the KV client writes under it too.
      { service: { account: OWNER, subject: "$KV.shared.>" }, to: "JS.owner.API.$KV.shared.>" }
      # A pull consumer of the owner's: its info, its next messages (a streamed reply) and its acks.
      { service: { account: OWNER, subject: "$JS.API.CONSUMER.INFO.ORDERS.C" }, to: "JS.owner.API.CONSUMER.INFO.ORDERS.C" }
      { service: { account: OWNER, subject: "$JS.API.CONSUMER.MSG.NEXT.ORDERS.C" }, to: "JS.owner.API.CONSUMER.MSG.NEXT.ORDERS.C" }
      { service: { account: OWNER, subject: "$JS.ACK.ORDERS.C.>" } }
      { stream: { account: OWNER, subject: "telemetry.>" }, prefix: "owner" }
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

  test("a pull consumer of one account, fetched and acked from another through its imports", async () => {
    const { natsServer, leafgate } = pair();
    const observe = async (side: typeof natsServer): Promise<unknown> => {
      const jsm = await jetstreamManager(side.nc);
      await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'] });
      await jsm.consumers.add('ORDERS', { durable_name: 'C', ack_policy: AckPolicy.Explicit });
      const js = jetstream(side.nc);
      for (let i = 1; i <= 4; i++) await js.publish(`orders.${i}`, `order ${i}`);
      const nc = await connect({ port: side.server.port, user: 'guest', pass: 'guest', reconnect: false });
      try {
        const consumer = await jetstream(nc, { apiPrefix: 'JS.owner.API' }).consumers.get('ORDERS', 'C');
        const got: string[] = [];
        const batch = await consumer.fetch({ max_messages: 3, expires: 2000 });
        for await (const m of batch) {
          got.push(`${m.subject}: ${m.string()}`);
          await m.ackAck();
        }
        const info = await jsm.consumers.info('ORDERS', 'C');
        return { got, pending: info.num_pending, ackPending: info.num_ack_pending, delivered: info.delivered.stream_seq, acked: info.ack_floor.stream_seq };
      } finally {
        await nc.close();
      }
    };
    const fromNats = await observe(natsServer);
    const fromLeafgate = await observe(leafgate);
    assert.deepEqual(fromLeafgate, fromNats);
    assert.deepEqual(fromNats, { got: ['orders.1: order 1', 'orders.2: order 2', 'orders.3: order 3'], pending: 1, ackPending: 0, delivered: 3, acked: 3 });
  });

  test("a stream of one account stores what it imports from another, under the imported subjects", async () => {
    const { natsServer, leafgate } = pair();
    const observe = async (side: typeof natsServer): Promise<unknown> => {
      const nc = await connect({ port: side.server.port, user: 'guest', pass: 'guest', reconnect: false });
      try {
        const jsm = await jetstreamManager(nc);
        await jsm.streams.add({ name: 'IMPORTED', subjects: ['owner.telemetry.>'] });
        for (let i = 1; i <= 3; i++) side.nc.publish(`telemetry.dev${i}.temp`, `${20 + i}`);
        side.nc.publish('other.subject', 'not exported');
        await side.nc.flush();
        // nats-server stores a stream's messages on a goroutine of its own: wait for them (2 s at most).
        for (let i = 0; i < 40 && (await jsm.streams.info('IMPORTED')).state.messages < 3; i++) await sleep(50);
        const stored: string[] = [];
        for (let seq = 1; seq <= 3; seq++) {
          const m = await jsm.streams.getMessage('IMPORTED', { seq });
          stored.push(`${m?.subject} ${m?.string()}`);
        }
        const info = await jsm.streams.info('IMPORTED');
        return { stored, messages: info.state.messages };
      } finally {
        await nc.close();
      }
    };
    const fromNats = await observe(natsServer);
    const fromLeafgate = await observe(leafgate);
    assert.deepEqual(fromLeafgate, fromNats);
    assert.deepEqual(fromNats, { stored: ['owner.telemetry.dev1.temp 21', 'owner.telemetry.dev2.temp 22', 'owner.telemetry.dev3.temp 23'], messages: 3 });
  });
});
