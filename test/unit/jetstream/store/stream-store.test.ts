// One table of expectations, run against the memory store and the SQLite store alike.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { AppendRefusal, COMMIT_POINT_APPENDS, StorageBudget } from '../../../../src/jetstream/store/index.js';
import type { ConsumerState, StreamStore } from '../../../../src/jetstream/store/index.js';
import { FakeClock, YEAR_MS } from './fake-clock.js';
import { CommitLog, nextTurn, put, seqs, STORE_KINDS, text } from './stores.js';

/** Sequences 1..6 on these subjects. */
const SEED = ['a.1', 'a.2', 'b.1', 'a.1', 'b.2', 'a.1'];

function seed(store: StreamStore): void {
  SEED.forEach((s, i) => put(store, s, `m${i + 1}`));
}

for (const kind of STORE_KINDS) {
  describe(`${kind.name} store`, () => {
    test('headersBetween: the messages of a range that carry headers, without payloads, in order', (t) => {
      const store = kind.open(t);
      for (let i = 1; i <= 12; i++) put(store, `s.${i % 3}`, `m${i}`, i % 4 === 0 ? null : `NATS/1.0\r\nNats-Msg-Id: id${i}\r\n\r\n`);
      assert.equal(store.remove(6), true);
      const got = store.headersBetween(3, 10);
      assert.deepEqual(got.map((h) => h.seq), [3, 5, 7, 9, 10]);
      assert.deepEqual(got.map((h) => text(h.hdr)), [3, 5, 7, 9, 10].map((i) => `NATS/1.0\r\nNats-Msg-Id: id${i}\r\n\r\n`));
      for (const h of got) assert.equal(h.timeNs, store.load(h.seq)?.timeNs);
      assert.deepEqual(store.headersBetween(13, 20), []);
      assert.deepEqual(store.headersBetween(0, 2).map((h) => h.seq), [1, 2]);
    });

    test('append hands out sequences; load returns a copy of what was stored', (t) => {
      const clock = new FakeClock();
      const store = kind.open(t, { clock });
      const hdr = Buffer.from('NATS/1.0\r\nA: 1\r\n\r\n', 'latin1');
      const data = Buffer.from('hello', 'latin1');
      assert.equal(store.append('orders.new', hdr, data), 1);
      assert.equal(store.append('orders.new', null, Buffer.alloc(0)), 2);
      hdr.fill(0);
      data.fill(0);
      const m = store.load(1);
      assert.ok(m !== null);
      assert.equal(m.seq, 1);
      assert.equal(m.subject, 'orders.new');
      assert.equal(text(m.hdr), 'NATS/1.0\r\nA: 1\r\n\r\n');
      assert.equal(text(m.data), 'hello');
      assert.equal(m.timeNs, clock.wallNs());
      const empty = store.load(2);
      assert.ok(empty !== null);
      assert.equal(empty.hdr, null);
      assert.equal(empty.data.length, 0);
      assert.equal(store.load(3), null);
      assert.equal(store.load(0), null);
    });

    test('state counts messages, bytes as nats-server does, subjects, first and last', (t) => {
      const clock = new FakeClock();
      const store = kind.open(t, { clock });
      assert.deepEqual(store.state(), { msgs: 0, bytes: 0, firstSeq: 0, firstTimeNs: 0n, lastSeq: 0, lastTimeNs: 0n, numSubjects: 0, numDeleted: 0 });
      const t1 = clock.wallNs();
      put(store, 'a', 'xyz', 'NATS/1.0\r\n\r\n');
      clock.advance(5);
      put(store, 'b', '12345678');
      put(store, 'a', '');
      const expectedBytes = kind.size('a', Buffer.from('NATS/1.0\r\n\r\n'), Buffer.from('xyz')) + kind.size('b', null, Buffer.from('12345678')) + kind.size('a', null, Buffer.alloc(0));
      assert.deepEqual(store.state(), { msgs: 3, bytes: expectedBytes, firstSeq: 1, firstTimeNs: t1, lastSeq: 3, lastTimeNs: clock.wallNs(), numSubjects: 2, numDeleted: 0 });
    });

    test('skip uses a sequence without storing: an empty store moves its first sequence, a non-empty one counts a gap', async (t) => {
      const clock = new FakeClock();
      const store = kind.open(t, { clock });
      const log = new CommitLog(store);
      assert.equal(store.skip(), 1);
      assert.equal(store.skip(), 2);
      await log.heardCount(1);
      assert.deepEqual(log.heard, [[2, null]]);
      const empty = store.state();
      assert.deepEqual([empty.msgs, empty.firstSeq, empty.lastSeq, empty.lastTimeNs, empty.numDeleted], [0, 3, 2, clock.wallNs(), 0]);
      assert.equal(put(store, 'a'), 3);
      assert.equal(store.skip(), 4);
      assert.equal(put(store, 'b'), 5);
      const s = store.state();
      assert.deepEqual([s.msgs, s.firstSeq, s.lastSeq, s.numDeleted], [2, 3, 5, 1]);
      assert.deepEqual(store.deletedSeqs(), [4]);
      assert.deepEqual(seqs(store), [3, 5]);
      assert.equal(store.numPending('', 4, false), 1);
    });

    test('loadNext with literal and wildcard filters, loadLast, lastSeqOfSubject', (t) => {
      const store = kind.open(t);
      seed(store);
      const cases: Array<[string, number, number | null]> = [
        ['', 0, 1],
        ['>', 3, 3],
        ['a.1', 2, 4],
        ['b.*', 4, 5],
        ['*.2', 3, 5],
        ['a.>', 7, null],
        ['c', 1, null],
        ['*', 1, null],
      ];
      for (const [filter, from, want] of cases) assert.equal(store.loadNext(filter, from)?.seq ?? null, want, `loadNext(${filter}, ${from})`);
      assert.equal(store.loadNext('b.*', 4)?.subject, 'b.2');
      assert.equal(text(store.loadNext('a.1', 5)?.data), 'm6');
      const last: Array<[string, number | null]> = [
        ['', 6],
        ['>', 6],
        ['b.*', 5],
        ['a.2', 2],
        ['*.1', 6],
        ['x', null],
      ];
      for (const [filter, want] of last) assert.equal(store.loadLast(filter)?.seq ?? null, want, `loadLast(${filter})`);
      assert.equal(store.lastSeqOfSubject('b.1'), 3);
      assert.equal(store.lastSeqOfSubject('a.1'), 6);
      assert.equal(store.lastSeqOfSubject('zz'), 0);
    });

    test('remove keeps counters, first sequence, deleted sequences and subjects right', (t) => {
      const store = kind.open(t);
      seed(store);
      assert.equal(store.remove(6), true);
      assert.equal(store.lastSeqOfSubject('a.1'), 4);
      assert.equal(store.remove(3), true);
      assert.equal(store.remove(3), false);
      assert.equal(store.remove(99), false);
      assert.equal(store.remove(1), true);
      const s = store.state();
      assert.equal(s.msgs, 3);
      assert.equal(s.firstSeq, 2);
      assert.equal(s.lastSeq, 6);
      assert.equal(s.numDeleted, 2);
      assert.equal(s.numSubjects, 3);
      assert.deepEqual(store.deletedSeqs(), [3, 6]);
      assert.deepEqual(seqs(store), [2, 4, 5]);
      assert.equal(store.loadLast('b.*')?.seq, 5);
      assert.deepEqual([...store.subjectsState('>')].sort(), [['a.1', 1], ['a.2', 1], ['b.2', 1]]);
      for (const seq of [2, 4, 5]) store.remove(seq);
      assert.deepEqual({ ...store.state(), firstTimeNs: 0n, lastTimeNs: 0n }, { msgs: 0, bytes: 0, firstSeq: 7, firstTimeNs: 0n, lastSeq: 6, lastTimeNs: 0n, numSubjects: 0, numDeleted: 0 });
      assert.equal(put(store, 'a.1'), 7);
    });

    const purges: Array<[string, Parameters<StreamStore['purge']>[0], number, number[]]> = [
      ['everything', {}, 6, []],
      ['one subject', { filter: 'a.1' }, 3, [2, 3, 5]],
      ['a wildcard keeping the newest', { filter: 'a.*', keep: 1 }, 3, [3, 5, 6]],
      ['below a sequence', { seq: 4 }, 3, [4, 5, 6]],
      ['keeping the last two', { keep: 2 }, 4, [5, 6]],
      ['a wildcard below a sequence', { filter: 'b.*', seq: 5 }, 1, [1, 2, 4, 5, 6]],
      ['keeping more than there are', { keep: 10 }, 0, [1, 2, 3, 4, 5, 6]],
      ['a subject not stored', { filter: 'x' }, 0, [1, 2, 3, 4, 5, 6]],
    ];
    for (const [name, req, purged, left] of purges) {
      test(`purge ${name}`, (t) => {
        const store = kind.open(t);
        seed(store);
        assert.equal(store.purge(req), purged);
        assert.deepEqual(seqs(store), left);
        const s = store.state();
        assert.equal(s.msgs, left.length);
        assert.equal(s.lastSeq, 6);
        assert.equal(s.firstSeq, left.length === 0 ? 7 : left[0]);
        assert.equal(s.numDeleted, left.length === 0 ? 0 : 6 - left[0] + 1 - left.length);
        assert.equal(s.numSubjects, new Set(left.map((q) => SEED[q - 1])).size);
        assert.equal(s.bytes, left.reduce((n, q) => n + kind.size(SEED[q - 1], null, Buffer.from(`m${q}`)), 0));
      });
    }

    test('purging a never-written stream starts it at sequence 1, as nats-server does', (t) => {
      const store = kind.open(t);
      assert.equal(store.state().firstSeq, 0);
      assert.equal(store.purge({}), 0);
      assert.equal(store.state().firstSeq, 1);
      assert.equal(put(store, 'a'), 1);
      assert.equal(store.state().firstSeq, 1);
    });

    test('numPending from a sequence, filtered, and last per subject', (t) => {
      const store = kind.open(t);
      seed(store);
      const cases: Array<[string, number, boolean, number]> = [
        ['', 1, false, 6],
        ['', 4, false, 3],
        ['', 6, false, 1],
        ['', 7, false, 0],
        ['a.*', 1, false, 4],
        ['a.*', 3, false, 2],
        ['a.1', 2, false, 2],
        ['>', 1, true, 4],
        ['', 4, true, 2],
        ['a.*', 3, true, 1],
        ['b.1', 1, true, 1],
        ['b.1', 4, true, 0],
      ];
      for (const [filter, seq, lps, want] of cases) assert.equal(store.numPending(filter, seq, lps), want, `numPending(${filter}, ${seq}, ${lps})`);
      store.remove(6);
      assert.equal(store.numPending('a.1', 1, false), 2);
      assert.equal(store.numPending('', 4, true), 2);
      assert.equal(store.numPending('', 5, true), 1);
    });

    test('subjectsState by filter', (t) => {
      const store = kind.open(t);
      seed(store);
      const sorted = (m: Map<string, number>): Array<[string, number]> => [...m].sort();
      assert.deepEqual(sorted(store.subjectsState('>')), [['a.1', 3], ['a.2', 1], ['b.1', 1], ['b.2', 1]]);
      assert.deepEqual(sorted(store.subjectsState('a.*')), [['a.1', 3], ['a.2', 1]]);
      assert.deepEqual(sorted(store.subjectsState('b.2')), [['b.2', 1]]);
      assert.deepEqual(sorted(store.subjectsState('c.*')), []);
    });

    test('subjects are byte strings: non-ASCII bytes survive filters and state', (t) => {
      const store = kind.open(t);
      const subject = Buffer.from('föö.x', 'utf8').toString('latin1');
      put(store, subject);
      put(store, 'plain.x');
      assert.equal(store.loadNext('*.x', 0)?.subject, subject);
      assert.equal(store.lastSeqOfSubject(subject), 1);
      assert.deepEqual([...store.subjectsState(Buffer.from('föö.>', 'utf8').toString('latin1'))], [[subject, 1]]);
    });

    test('a wildcard filter sees subjects that come and go after its first use', async (t) => {
      const store = kind.open(t);
      put(store, 'x.1');
      put(store, 'y.1');
      assert.equal(store.loadNext('y.*', 0)?.seq, 2);
      assert.equal(store.numPending('x.*', 0, false), 1);
      store.remove(2);
      await nextTurn();
      // A new subject may take the id the removed one had: the filter must not see it as y.*.
      put(store, 'x.2');
      put(store, 'y.2');
      assert.equal(store.loadNext('y.*', 0)?.subject, 'y.2');
      assert.deepEqual(seqs(store, 'x.*'), [1, 3]);
      assert.equal(store.numPending('x.*', 0, false), 2);
      assert.equal(store.loadLast('x.*')?.seq, 3);
    });

    test('a wildcard over many subjects (past the few tracked one by one)', (t) => {
      const store = kind.open(t);
      put(store, 'other');
      for (let i = 0; i < 100; i++) put(store, `k.${i}`);
      put(store, 'other');
      for (let i = 0; i < 100; i++) put(store, `k.${i}`);
      assert.equal(store.loadNext('k.*', 0)?.seq, 2);
      assert.equal(store.loadNext('k.*', 102)?.seq, 103);
      assert.equal(store.loadLast('k.*')?.seq, 202);
      assert.equal(store.numPending('k.*', 0, false), 200);
      assert.equal(store.numPending('k.*', 150, false), 53);
      assert.equal(store.numPending('k.*', 150, true), 53);
      put(store, 'k.new');
      assert.equal(store.loadNext('k.*', 203)?.subject, 'k.new');
      assert.equal(store.purge({ filter: 'k.*', keep: 5 }), 196);
      assert.deepEqual(seqs(store), [1, 102, 199, 200, 201, 202, 203]);
      assert.equal(store.state().numSubjects, 6);
    });

    test('large removals: lowered limits, keep and filtered purges past one batch', (t) => {
      const store = kind.open(t);
      for (let seq = 1; seq <= 1000; seq++) put(store, seq % 2 === 0 ? 'even' : 'odd');
      assert.equal(store.purge({ filter: 'odd', seq: 901 }), 450);
      assert.equal(store.state().msgs, 550);
      assert.equal(store.state().firstSeq, 2);
      store.setLimits({ maxMsgs: 100, maxBytes: -1, maxAgeMs: 0, maxMsgsPerSubject: -1, discard: 'old', discardNewPerSubject: false });
      assert.equal(store.state().msgs, 100);
      assert.equal(store.state().firstSeq, 901);
      assert.equal(store.numPending('odd', 0, false), 50);
      assert.equal(store.purge({ filter: 'even', keep: 10 }), 40);
      assert.deepEqual(seqs(store, 'even'), [982, 984, 986, 988, 990, 992, 994, 996, 998, 1000]);
      assert.equal(store.state().numSubjects, 2);
    });

    test('max_msgs and max_bytes with discard old drop the oldest', (t) => {
      const msgs = kind.open(t, { limits: { maxMsgs: 3 } });
      for (let i = 0; i < 5; i++) put(msgs, 'a');
      assert.deepEqual(seqs(msgs), [3, 4, 5]);
      assert.equal(msgs.state().firstSeq, 3);
      const size = kind.size('a', null, Buffer.from('x'));
      const bytes = kind.open(t, { limits: { maxBytes: 3 * size } });
      for (let i = 0; i < 5; i++) put(bytes, 'a');
      assert.deepEqual(seqs(bytes), [3, 4, 5]);
      assert.equal(bytes.state().bytes, 3 * size);
    });

    test('max_msgs_per_subject drops the subject\'s oldest', (t) => {
      const store = kind.open(t, { limits: { maxMsgsPerSubject: 2 } });
      for (const s of ['a', 'b', 'a', 'a', 'b', 'a']) put(store, s);
      assert.deepEqual(seqs(store), [2, 4, 5, 6]);
      assert.deepEqual(seqs(store, 'a'), [4, 6]);
      assert.equal(store.state().numDeleted, 1);
    });

    test('discard new refuses past max_msgs and max_bytes', (t) => {
      const msgs = kind.open(t, { limits: { maxMsgs: 2, discard: 'new' } });
      put(msgs, 'a');
      put(msgs, 'b');
      assert.deepEqual(msgs.append('c', null, Buffer.from('x')), { refused: AppendRefusal.MaxMsgs });
      assert.equal(msgs.state().msgs, 2);
      assert.equal(msgs.state().lastSeq, 2);
      // Header and payload lengths alone are compared with >=, as nats-server does.
      const ten = Buffer.from('0123456789');
      const bytes = kind.open(t, { limits: { maxBytes: 2 * kind.size('a', null, ten) + 5, discard: 'new' } });
      put(bytes, 'a', '0123456789');
      put(bytes, 'a', '0123456789');
      assert.deepEqual(bytes.append('a', null, ten), { refused: AppendRefusal.MaxBytes });
      assert.equal(bytes.state().msgs, 2);
    });

    test('discard new: a subject at its limit replaces its oldest unless discard_new_per_subject', (t) => {
      const replaces = kind.open(t, { limits: { maxMsgs: 1, maxMsgsPerSubject: 1, discard: 'new' } });
      put(replaces, 'a', 'one');
      assert.equal(replaces.append('a', null, Buffer.from('two')), 2);
      assert.deepEqual(seqs(replaces), [2]);
      assert.deepEqual(replaces.append('b', null, Buffer.from('x')), { refused: AppendRefusal.MaxMsgs });
      const refuses = kind.open(t, { limits: { maxMsgsPerSubject: 1, discard: 'new', discardNewPerSubject: true } });
      put(refuses, 'a');
      assert.deepEqual(refuses.append('a', null, Buffer.from('x')), { refused: AppendRefusal.MaxMsgsPerSubject });
      assert.equal(put(refuses, 'b'), 2);
    });

    test('setLimits applies lowered limits at once', (t) => {
      const store = kind.open(t);
      seed(store);
      store.setLimits({ maxMsgs: 4, maxBytes: -1, maxAgeMs: 0, maxMsgsPerSubject: 1, discard: 'old', discardNewPerSubject: false });
      assert.deepEqual(seqs(store), [2, 3, 5, 6]);
      assert.equal(store.state().numSubjects, 4);
      store.setLimits({ maxMsgs: 2, maxBytes: -1, maxAgeMs: 0, maxMsgsPerSubject: 1, discard: 'old', discardNewPerSubject: false });
      assert.deepEqual(seqs(store), [5, 6]);
    });

    test('a shared storage budget refuses with StorageFull and is given back on removal', (t) => {
      const size = kind.size('a', null, Buffer.from('x'));
      const budget = new StorageBudget(2 * size);
      const one = kind.open(t, { budget });
      const two = kind.open(t, { budget });
      put(one, 'a');
      put(two, 'a');
      assert.deepEqual(one.append('a', null, Buffer.from('x')), { refused: AppendRefusal.StorageFull });
      assert.equal(budget.used, 2 * size);
      two.purge({});
      assert.equal(put(one, 'a'), 2);
    });

    test('max_age counts stored time: a wall clock jump expires nothing, the backlog still expires', (t) => {
      const clock = new FakeClock();
      const store = kind.open(t, { clock, limits: { maxAgeMs: 60_000 } });
      put(store, 'a');
      put(store, 'a');
      clock.advance(30_000);
      put(store, 'b');
      assert.equal(store.expire(), 30_000);
      clock.wall += YEAR_MS;
      assert.equal(store.expire(), 30_000);
      assert.equal(store.state().msgs, 3);
      clock.mono += 30_000;
      assert.equal(store.expire(), 30_000);
      assert.deepEqual(seqs(store), [3]);
      clock.mono += 30_000;
      assert.equal(store.expire(), -1);
      assert.equal(store.state().msgs, 0);
      assert.equal(store.state().firstSeq, 4);
    });

    test('consumer configuration and state round trip, incrementally and whole', async (t) => {
      const store = kind.open(t);
      store.saveConsumer('c1', '{"durable_name":"c1"}', 123n);
      store.consumerDelivered('c1', 1, 1, 1000, 1);
      store.consumerDelivered('c1', 2, 2, 1001, 1);
      store.consumerDelivered('c1', 3, 3, 1002, 1);
      store.consumerDelivered('c1', 2, 4, 2000, 2);
      store.consumerAcked('c1', 1, 1, 1);
      await nextTurn();
      const want: ConsumerState = {
        deliveredStreamSeq: 3,
        deliveredConsumerSeq: 4,
        ackFloorStreamSeq: 1,
        ackFloorConsumerSeq: 1,
        pending: new Map([
          [2, { consumerSeq: 4, timeMs: 2000 }],
          [3, { consumerSeq: 3, timeMs: 1002 }],
        ]),
        redelivered: new Map([[2, 2]]),
      };
      assert.deepEqual(store.loadConsumers(), [{ name: 'c1', configJson: '{"durable_name":"c1"}', createdNs: 123n, state: want }]);
      store.consumerAcked('c1', 0, 3, 4);
      store.saveConsumer('c2', '{}', 5n);
      store.saveConsumerState('c2', { ...want, pending: new Map([[9, { consumerSeq: 9, timeMs: 9 }]]), redelivered: new Map() });
      await nextTurn();
      const [c1, c2] = store.loadConsumers().sort((x, y) => x.name.localeCompare(y.name));
      assert.equal(c1.state?.pending.size, 0);
      assert.equal(c1.state?.redelivered.size, 0);
      assert.equal(c1.state?.ackFloorStreamSeq, 3);
      assert.deepEqual([...(c2.state?.pending ?? [])], [[9, { consumerSeq: 9, timeMs: 9 }]]);
      store.removeConsumer('c1');
      await nextTurn();
      assert.deepEqual(store.loadConsumers().map((c) => c.name), ['c2']);
    });

    test('config is kept with the stream', (t) => {
      const store = kind.open(t);
      assert.equal(store.loadConfig(), null);
      store.saveConfig('{"name":"S"}', 42n);
      assert.deepEqual(store.loadConfig(), { json: '{"name":"S"}', createdNs: 42n });
    });

    test('commit listeners hear the last sequence of each turn, after the turn', async (t) => {
      const store = kind.open(t);
      const log = new CommitLog(store);
      for (let i = 0; i < 50; i++) put(store, 'a');
      assert.deepEqual(log.heard, []);
      await log.heardCount(1);
      assert.deepEqual(log.heard, [[50, null]]);
      put(store, 'b');
      await log.heardCount(2);
      assert.deepEqual(log.heard, [
        [50, null],
        [51, null],
      ]);
    });

    test('a turn of many appends is heard in parts of COMMIT_POINT_APPENDS at its commit points', async (t) => {
      const store = kind.open(t);
      const log = new CommitLog(store);
      const total = 2 * COMMIT_POINT_APPENDS + 44;
      for (let i = 0; i < total; i++) {
        put(store, 's');
        store.commitPoint();
      }
      // Without commit points, one report for the whole turn.
      for (let i = 0; i < 10; i++) put(store, 's');
      await log.heardCount(3);
      assert.deepEqual(log.heard, [COMMIT_POINT_APPENDS, 2 * COMMIT_POINT_APPENDS, total + 10].map((seq) => [seq, null]));
    });
  });
}
