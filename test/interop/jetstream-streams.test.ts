// The stream half of the $JS.API, differential: every request goes to nats-server -js (2.9.10) and to
// leafgate -js in the same order, and both must answer the same (times masked). Publishes go through
// the same requests, with the Nats-* headers a client sets.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetStreamPair, masked } from './jetstream-pair.js';

interface Step {
  readonly subject: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait this long for no answer (requests nats-server leaves unanswered). */
  readonly silentMs?: number;
  /**
   * nats-server 2.9.10's account `storage` drifts from the sum of its streams' bytes after roll-ups and
   * per-subject replacement; leafgate reports the sum (its streams' bytes are compared in the infos above).
   */
  readonly maskStorage?: boolean;
}

/** What a server answered, as comparable text: JSON masked, or the status and headers of a header reply. */
async function ask(nc: NatsConnection, step: Step): Promise<string> {
  let h: ReturnType<typeof natsHeaders> | undefined;
  if (step.headers !== undefined) {
    h = natsHeaders();
    for (const [k, v] of Object.entries(step.headers)) h.set(k, v);
  }
  try {
    const m = await nc.request(step.subject, step.body ?? '', { timeout: step.silentMs ?? 3000, ...(h !== undefined ? { headers: h } : {}) });
    if (m.headers !== undefined) {
      const fields = [...m.headers.keys()].sort().map((k) => `${k}: ${k === 'Nats-Time-Stamp' ? '<time>' : m.headers!.get(k)}`);
      return `status ${m.headers.code} ${m.headers.description} | ${fields.join(' | ')} | data ${m.string()}`;
    }
    const text = masked(m.string());
    return step.maskStorage === true ? text.replace(/"storage":\d+/, '"storage":<bytes>') : text;
  } catch (err) {
    return `no reply (${(err as Error).message})`;
  }
}

const steps: Array<[name: string, step: Step]> = [
  ['account info, nothing stored', { subject: '$JS.API.INFO' }],
  ['create', { subject: '$JS.API.STREAM.CREATE.orders', body: '{"name":"orders","subjects":["orders.*"],"storage":"file"}' }],
  ['create again, same config', { subject: '$JS.API.STREAM.CREATE.orders', body: '{"name":"orders","subjects":["orders.*"],"storage":"file"}' }],
  ['create again, other config', { subject: '$JS.API.STREAM.CREATE.orders', body: '{"name":"orders","subjects":["orders.*"],"max_msgs":5}' }],
  ['overlapping subjects', { subject: '$JS.API.STREAM.CREATE.other', body: '{"name":"other","subjects":["orders.new"]}' }],
  ['bad JSON', { subject: '$JS.API.STREAM.CREATE.other', body: '{"name":' }],
  ['publish', { subject: 'orders.new', body: 'one' }],
  ['publish another subject', { subject: 'orders.old', body: 'two' }],
  ['publish with a msg id', { subject: 'orders.new', body: 'three', headers: { 'Nats-Msg-Id': 'm1' } }],
  ['the same msg id again', { subject: 'orders.new', body: 'three again', headers: { 'Nats-Msg-Id': 'm1' } }],
  ['expected last sequence, wrong', { subject: 'orders.new', body: 'x', headers: { 'Nats-Expected-Last-Sequence': '1' } }],
  ['expected last sequence, right', { subject: 'orders.new', body: 'four', headers: { 'Nats-Expected-Last-Sequence': '3' } }],
  ['expected stream, wrong', { subject: 'orders.new', body: 'x', headers: { 'Nats-Expected-Stream': 'nope' } }],
  ['expected last subject sequence, wrong', { subject: 'orders.old', body: 'x', headers: { 'Nats-Expected-Last-Subject-Sequence': '7' } }],
  ['expected last subject sequence, right', { subject: 'orders.old', body: 'five', headers: { 'Nats-Expected-Last-Subject-Sequence': '2' } }],
  ['expected last msg id, wrong', { subject: 'orders.new', body: 'x', headers: { 'Nats-Expected-Last-Msg-Id': 'zz' } }],
  ['info', { subject: '$JS.API.STREAM.INFO.orders' }],
  ['info with subjects', { subject: '$JS.API.STREAM.INFO.orders', body: '{"subjects_filter":">"}' }],
  ['msg get by seq', { subject: '$JS.API.STREAM.MSG.GET.orders', body: '{"seq":3}' }],
  ['msg get last by subject', { subject: '$JS.API.STREAM.MSG.GET.orders', body: '{"last_by_subj":"orders.new"}' }],
  ['msg get next by subject', { subject: '$JS.API.STREAM.MSG.GET.orders', body: '{"seq":2,"next_by_subj":"orders.new"}' }],
  ['msg get last by wildcard', { subject: '$JS.API.STREAM.MSG.GET.orders', body: '{"last_by_subj":"orders.*"}' }],
  ['msg get miss', { subject: '$JS.API.STREAM.MSG.GET.orders', body: '{"seq":99}' }],
  ['msg get seq and last', { subject: '$JS.API.STREAM.MSG.GET.orders', body: '{"seq":1,"last_by_subj":"orders.new"}' }],
  ['msg get empty', { subject: '$JS.API.STREAM.MSG.GET.orders' }],
  ['msg delete', { subject: '$JS.API.STREAM.MSG.DELETE.orders', body: '{"seq":2}' }],
  ['msg delete again', { subject: '$JS.API.STREAM.MSG.DELETE.orders', body: '{"seq":2}' }],
  ['msg delete past the end', { subject: '$JS.API.STREAM.MSG.DELETE.orders', body: '{"seq":50}' }],
  ['info with deleted details', { subject: '$JS.API.STREAM.INFO.orders', body: '{"deleted_details":true}' }],
  ['names', { subject: '$JS.API.STREAM.NAMES' }],
  ['names by subject', { subject: '$JS.API.STREAM.NAMES', body: '{"subject":"orders.new"}' }],
  ['names by a subject no stream has', { subject: '$JS.API.STREAM.NAMES', body: '{"subject":"nothing"}' }],
  ['list', { subject: '$JS.API.STREAM.LIST' }],
  ['purge a subject', { subject: '$JS.API.STREAM.PURGE.orders', body: '{"filter":"orders.old"}' }],
  ['purge keeping one', { subject: '$JS.API.STREAM.PURGE.orders', body: '{"keep":1}' }],
  ['purge seq and keep', { subject: '$JS.API.STREAM.PURGE.orders', body: '{"seq":2,"keep":1}' }],
  ['info after purges', { subject: '$JS.API.STREAM.INFO.orders' }],
  ['purge all', { subject: '$JS.API.STREAM.PURGE.orders' }],
  ['info emptied', { subject: '$JS.API.STREAM.INFO.orders' }],
  ['update limits', { subject: '$JS.API.STREAM.UPDATE.orders', body: '{"name":"orders","subjects":["orders.*"],"max_msgs":2,"discard":"new"}' }],
  ['update storage, refused', { subject: '$JS.API.STREAM.UPDATE.orders', body: '{"name":"orders","subjects":["orders.*"],"storage":"memory"}' }],
  ['fill 1', { subject: 'orders.a', body: '1' }],
  ['fill 2', { subject: 'orders.a', body: '2' }],
  ['discard new refuses', { subject: 'orders.a', body: '3' }],
  ['max message size stream', { subject: '$JS.API.STREAM.CREATE.small', body: '{"name":"small","subjects":["small"],"max_msg_size":4,"storage":"memory"}' }],
  ['too big', { subject: 'small', body: 'toolong' }],
  ['fits', { subject: 'small', body: 'ok' }],
  ['rollup stream', { subject: '$JS.API.STREAM.CREATE.roll', body: '{"name":"roll","subjects":["roll.*"],"allow_rollup_hdrs":true}' }],
  ['roll 1', { subject: 'roll.a', body: '1' }],
  ['roll 2', { subject: 'roll.a', body: '2' }],
  ['roll other', { subject: 'roll.b', body: '3' }],
  ['roll up a subject', { subject: 'roll.a', body: 'r', headers: { 'Nats-Rollup': 'sub' } }],
  ['rolled subject info', { subject: '$JS.API.STREAM.INFO.roll', body: '{"subjects_filter":">"}' }],
  ['roll up all', { subject: 'roll.b', body: 'R', headers: { 'Nats-Rollup': 'all' } }],
  ['rolled all info', { subject: '$JS.API.STREAM.INFO.roll' }],
  ['rollup refused without allow', { subject: 'orders.b', body: 'r', headers: { 'Nats-Rollup': 'sub' } }],
  ['direct stream', { subject: '$JS.API.STREAM.CREATE.kv', body: '{"name":"kv","subjects":["kv.>"],"allow_direct":true,"max_msgs_per_subject":1}' }],
  ['kv put a', { subject: 'kv.a', body: 'A1' }],
  ['kv put a again', { subject: 'kv.a', body: 'A2', headers: { x: 'y' } }],
  ['kv put b', { subject: 'kv.b.c', body: 'B' }],
  ['direct get by seq', { subject: '$JS.API.DIRECT.GET.kv', body: '{"seq":3}' }],
  ['direct get last by subject', { subject: '$JS.API.DIRECT.GET.kv.kv.a' }],
  ['direct get next by subject', { subject: '$JS.API.DIRECT.GET.kv', body: '{"next_by_subj":"kv.>"}' }],
  ['direct get miss', { subject: '$JS.API.DIRECT.GET.kv', body: '{"seq":1}' }],
  ['direct get empty', { subject: '$JS.API.DIRECT.GET.kv', body: '{}' }],
  ['direct get malformed', { subject: '$JS.API.DIRECT.GET.kv', body: '{"seq":' }],
  ['direct get body on the subject form', { subject: '$JS.API.DIRECT.GET.kv.kv.a', body: '{"seq":1}' }],
  ['kv info', { subject: '$JS.API.STREAM.INFO.kv' }],
  ['non-ASCII subjects', { subject: '$JS.API.STREAM.CREATE.wörter', body: '{"name":"wörter","subjects":["ünï.>"]}' }],
  ['publish to a non-ASCII subject', { subject: 'ünï.straße', body: 'grüße' }],
  ['non-ASCII subject counts', { subject: '$JS.API.STREAM.INFO.wörter', body: '{"subjects_filter":"ünï.*"}' }],
  ['non-ASCII last by subject', { subject: '$JS.API.STREAM.MSG.GET.wörter', body: '{"last_by_subj":"ünï.straße"}' }],
  ['non-ASCII names filter', { subject: '$JS.API.STREAM.NAMES', body: '{"subject":"ünï.straße"}' }],
  ['delete with a body', { subject: '$JS.API.STREAM.DELETE.small', body: '{"x":1}' }],
  ['delete', { subject: '$JS.API.STREAM.DELETE.small' }],
  ['deleted is gone', { subject: '$JS.API.STREAM.INFO.small' }],
  ['unknown verb', { subject: '$JS.API.STREAM.FROB.orders', silentMs: 500 }],
  ['malformed create subject', { subject: '$JS.API.STREAM.CREATE.a.b', body: '{"name":"a"}', silentMs: 500 }],
  ['account info at the end', { subject: '$JS.API.INFO', maskStorage: true }],
];

describe('stream API, leafgate against nats-server -js', () => {
  const servers = jetStreamPair();
  for (const [name, step] of steps) {
    test(name, async () => {
      const { natsServer, leafgate } = servers();
      const [fromNats, fromLeafgate] = await Promise.all([ask(natsServer.nc, step), ask(leafgate.nc, step)]);
      assert.equal(fromLeafgate, fromNats);
    });
  }
});
