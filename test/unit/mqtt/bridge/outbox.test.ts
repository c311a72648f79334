// A bridge's outbox on the real MQTT store: order, a window paged from the file, messages given back
// after a lost link, the bounds (oldest dropped, counted), and what a restart finds.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestContext } from 'node:test';

import { BridgeOutbox } from '../../../../src/mqtt/bridge/outbox.js';
import { openMqttStore } from '../../../../src/mqtt/store/index.js';
import type { MqttStore } from '../../../../src/mqtt/store/index.js';
import { tempDir } from '../../../helpers/temp-dir.js';

function store(t: TestContext, file = tempDir(t).path('mqtt.db')): MqttStore {
  const s = openMqttStore({ file, sync: 'always' });
  t.after(() => s.close());
  return s;
}

function takeAll(o: BridgeOutbox, now = Date.now()): string[] {
  const out: string[] = [];
  for (let m = o.take(now); m !== undefined; m = o.take(now)) {
    out.push(m.payload.toString());
    o.done(m);
  }
  o.flushDone();
  return out;
}

test('messages come out in order, past the in-memory window, and leave the store when done with', (t) => {
  const s = store(t);
  const o = new BridgeOutbox(s, 'b', 1 << 30, 0);
  const payload = Buffer.alloc(8);
  for (let i = 0; i < 3000; i++) {
    payload.write(String(i).padStart(8, '0'));
    o.put('t', payload, 1, false, null, Date.now());
  }
  // The payload buffer was reused: what is kept is a copy.
  assert.equal(o.count, 3000);
  assert.equal(o.bytes, 3000 * 9);
  const got = takeAll(o);
  assert.deepEqual(got, Array.from({ length: 3000 }, (_, i) => String(i).padStart(8, '0')));
  assert.deepEqual([o.count, o.bytes, s.outboxSummary('b').count], [0, 0, 0]);
});

test('messages taken and not done with go first again, in order', (t) => {
  const o = new BridgeOutbox(store(t), 'b', 1 << 30, 0);
  for (const p of ['a', 'b', 'c', 'd']) o.put('t', Buffer.from(p), 1, false, null, 0);
  const a = o.take(0);
  const b = o.take(0);
  assert.ok(a !== undefined && b !== undefined);
  o.giveBack([b, a]);
  assert.deepEqual(takeAll(o, 0), ['a', 'b', 'c', 'd']);
});

test('beyond max_bytes the oldest are dropped and counted; one in flight then changes nothing when done', (t) => {
  const o = new BridgeOutbox(store(t), 'b', 30, 0);
  o.put('t', Buffer.from('000000000'), 1, false, null, 0);
  const inFlight = o.take(0);
  for (const p of ['111111111', '222222222', '333333333']) o.put('t', Buffer.from(p), 1, false, null, 0);
  assert.deepEqual([o.count, o.bytes, o.dropped], [3, 30, 1]);
  o.done(inFlight!);
  assert.deepEqual([o.count, o.bytes], [3, 30]);
  o.put('t', Buffer.from('444444444'), 1, false, null, 0);
  assert.deepEqual(takeAll(o, 0), ['222222222', '333333333', '444444444']);
  assert.equal(o.dropped, 2);
});

test('max_age drops what is older, when taken and when expired', (t) => {
  const o = new BridgeOutbox(store(t), 'b', 1 << 30, 1000);
  o.put('t', Buffer.from('old'), 1, false, null, 1_000);
  o.put('t', Buffer.from('older'), 1, false, null, 1_500);
  o.put('t', Buffer.from('new'), 1, false, null, 5_000);
  o.expire(2_600);
  assert.deepEqual([o.count, o.dropped], [1, 2]);
  o.put('t', Buffer.from('later'), 1, false, null, 5_500);
  assert.deepEqual(takeAll(o, 6_200), ['later']);
  assert.equal(o.dropped, 3);
});

test('a restart finds the outbox as it was, and other bridges\' outboxes are apart', (t) => {
  const file = tempDir(t).path('mqtt.db');
  const first = openMqttStore({ file, sync: 'always' });
  const a = new BridgeOutbox(first, 'a', 1 << 30, 0);
  const b = new BridgeOutbox(first, 'b', 1 << 30, 0);
  for (const p of ['1', '2', '3']) a.put('x', Buffer.from(p), 1, true, { contentType: 'text/plain' }, 7);
  b.put('y', Buffer.from('other'), 0, false, null, 7);
  a.done(a.take(0)!);
  a.flushDone();
  first.close();
  const s = store(t, file);
  const again = new BridgeOutbox(s, 'a', 1 << 30, 0);
  assert.deepEqual([again.count, again.bytes], [2, 4]);
  const m = again.take(0);
  assert.deepEqual([m?.topic, m?.payload.toString(), m?.qos, m?.retain, m?.properties, m?.storedAtMs], ['x', '2', 1, true, { contentType: 'text/plain' }, 7]);
  assert.deepEqual(s.dropOtherOutboxes(['a']), [{ bridge: 'b', count: 1 }]);
  assert.equal(s.outboxSummary('b').count, 0);
  assert.equal(s.outboxSummary('a').count, 2);
});
