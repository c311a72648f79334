// The SQLite store serves in-order reads from rows read ahead: whatever happens between the reads
// (appends, removals, purges, limits, other readers, a rolled-back turn), every read must give what
// the memory store gives for the same history.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MemoryStore } from '../../../../src/jetstream/store/index.js';
import { READ_AHEAD_ROWS } from '../../../../src/jetstream/store/sqlite/read-ahead.js';
import { fileStoreMsgSize } from '../../../../src/jetstream/store/sqlite/store-file.js';
import { prng, randomBytes } from '../../core/prng.js';
import { limits, put, STORE_KINDS } from './stores.js';

const sqlite = STORE_KINDS.find((k) => k.name === 'sqlite')!;

for (const seed of [1, 2, 3]) {
  test(`readers walking the stream in step see what the memory store shows (seed ${seed})`, (t) => {
    const rnd = prng(seed);
    const maxMsgs = 400;
    const file = sqlite.open(t, { limits: { maxMsgs } });
    const memory = new MemoryStore({ limits: limits({ maxMsgs }) });
    t.after(() => memory.close());
    // Readers' next sequences: three walking in step, restarted at random places now and then.
    const readers = [0, 0, 0];
    let reads = 0;
    for (let step = 0; step < 3000; step++) {
      const r = rnd();
      if (r < 0.25) {
        const subject = `s.${Math.floor(rnd() * 5)}`;
        assert.equal(put(file, subject, `m${step}`), put(memory, subject, `m${step}`));
      } else if (r < 0.35) {
        // Bytes of every value (zero, invalid UTF-8), empty data, and headers present, empty or absent.
        const data = randomBytes(rnd, Math.floor(rnd() * 40));
        const h = rnd();
        const hdr = h < 0.4 ? null : h < 0.5 ? Buffer.alloc(0) : Buffer.from(`NATS/1.0\r\nK: \u00ff${step}\r\n\r\n`, 'latin1');
        const at = BigInt(step) * 1_000_000_007n + 1_700_000_000_000_000_000n;
        assert.equal(file.append('bin', hdr, data, at), memory.append('bin', hdr, data, at));
      } else if (r < 0.4) {
        const state = memory.state();
        const seq = state.firstSeq + Math.floor(rnd() * Math.max(1, state.lastSeq - state.firstSeq + 1));
        assert.equal(file.remove(seq), memory.remove(seq));
      } else if (r < 0.405) {
        const keep = Math.floor(rnd() * 50);
        assert.equal(file.purge({ keep }), memory.purge({ keep }));
      } else if (r < 0.42) {
        // What a reader has read, purged behind it (as the uplink does): its reading goes on.
        const seq = readers[Math.floor(rnd() * readers.length)];
        assert.equal(file.purge({ seq }), memory.purge({ seq }), `purge below ${seq} at step ${step}`);
        const [fs, ms] = [file.state(), memory.state()];
        assert.deepEqual([fs.msgs, fs.firstSeq, fs.lastSeq], [ms.msgs, ms.firstSeq, ms.lastSeq], `state after the purge at step ${step}`);
        assert.deepEqual([...file.subjectsState('>')].sort(), [...memory.subjectsState('>')].sort());
        // The two kinds count bytes as nats-server's two stores do: the file store's, summed anew.
        let bytes = 0;
        for (let m = memory.loadNext('', 0); m !== null; m = memory.loadNext('', m.seq + 1)) bytes += fileStoreMsgSize(m.subject, m.hdr, m.data);
        assert.equal(fs.bytes, bytes, `bytes after the purge at step ${step}`);
      } else {
        const i = Math.floor(rnd() * readers.length);
        if (rnd() < 0.02) readers[i] = Math.floor(rnd() * (memory.state().lastSeq + 2));
        const want = memory.loadNext('', readers[i]);
        const got = file.loadNext('', readers[i]);
        assert.equal(got?.seq ?? null, want?.seq ?? null, `reader ${i} from ${readers[i]} at step ${step}`);
        assert.equal(got?.data.toString('hex') ?? null, want?.data.toString('hex') ?? null);
        assert.equal(got?.hdr?.toString('hex') ?? null, want?.hdr?.toString('hex') ?? null);
        assert.equal(got?.subject ?? null, want?.subject ?? null);
        if (got?.subject === 'bin') assert.equal(got.timeNs, want?.timeNs);
        readers[i] = want === null ? readers[i] : want.seq + 1;
        reads++;
      }
    }
    assert.ok(reads > READ_AHEAD_ROWS * 20, 'enough reads to go through windows');
  });
}
