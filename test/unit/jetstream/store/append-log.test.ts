// The append log's file: records read back as written, a write cut short anywhere loses its own
// records (all of them) and nothing before, and emptying it leaves nothing to replay.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';

import { NO_LIMITS } from '../../../../src/jetstream/store/index.js';
import { AppendLog } from '../../../../src/jetstream/store/sqlite/append-log.js';
import type { LoggedRecord } from '../../../../src/jetstream/store/sqlite/append-log.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { prng, randomBytes } from '../../core/prng.js';

function plain(records: LoggedRecord[]): unknown[] {
  return records.map((r) => (r.kind === 'append' ? { ...r, hdr: r.hdr === null ? null : r.hdr.toString('hex'), data: r.data.toString('hex') } : r));
}

function seqOf(r: LoggedRecord): number {
  return r.kind === 'limits' ? 0 : r.seq;
}

function someRecords(log: AppendLog, rnd: () => number, from: number, n: number): LoggedRecord[] {
  const out: LoggedRecord[] = [];
  for (let seq = from; seq < from + n; seq++) {
    const timeNs = 1_700_000_000_000_000_000n + BigInt(seq);
    if (rnd() < 0.1) {
      log.skip(seq, timeNs);
      out.push({ kind: 'skip', seq, timeNs });
      continue;
    }
    const subject = `s.${Math.floor(rnd() * 5)}.\u00e9`;
    const hdr = rnd() < 0.3 ? Buffer.from(`NATS/1.0\r\nNats-Msg-Id: ${seq}\r\n\r\n`) : null;
    // Empty, small and binary payloads, some past the log's first buffer.
    const data = randomBytes(rnd, rnd() < 0.05 ? 70_000 : Math.floor(rnd() * 40));
    log.append(seq, timeNs, seq * 10, subject, hdr, data);
    out.push({ kind: 'append', seq, timeNs, storedMs: seq * 10, subject, hdr, data });
  }
  return out;
}

/** `n` records, each in a write of its own. */
function writeEach(log: AppendLog, rnd: () => number, n: number): LoggedRecord[] {
  const written: LoggedRecord[] = [];
  for (let seq = 1; seq <= n; seq++) {
    written.push(...someRecords(log, rnd, seq, 1));
    log.write();
  }
  return written;
}

test('records read back as written: the limits, subjects, headers (and none), binary and empty data, skips', (t) => {
  const file = tempDir(t).path('S.db-appends');
  const log = new AppendLog(file);
  const rnd = prng(3);
  const limits = { ...NO_LIMITS, maxMsgsPerSubject: 5, discard: 'new' as const };
  assert.equal(log.empty, true);
  log.limits(limits);
  assert.equal(log.empty, false);
  const written: LoggedRecord[] = [{ kind: 'limits', limits }, ...someRecords(log, rnd, 1, 100)];
  assert.equal(log.size, 0, 'nothing is in the file before write()');
  log.write();
  written.push(...someRecords(log, rnd, 101, 50));
  log.write();
  log.close();
  const again = new AppendLog(file);
  t.after(() => again.close());
  assert.deepEqual(plain(again.read()), plain(written));
});

test('a write cut short at any byte: reading stops after the last whole write, and later writes go on from there', (t) => {
  const dir = tempDir(t);
  const file = dir.path('S.db-appends');
  const log = new AppendLog(file);
  const written = writeEach(log, prng(4), 6);
  log.close();
  const bytes = fs.readFileSync(file);
  const ends: number[] = [];
  for (let cut = 0; cut <= bytes.length; cut++) {
    const torn = dir.path(`torn-${cut}`);
    fs.writeFileSync(torn, bytes.subarray(0, cut));
    const reader = new AppendLog(torn);
    const read = reader.read();
    assert.deepEqual(plain(read), plain(written.slice(0, read.length)), `cut at ${cut}`);
    if (cut === bytes.length) assert.equal(read.length, written.length);
    if (read.length > 0 && !ends.includes(read.length)) ends.push(read.length);
    reader.append(99, 1n, 1, 'after', null, Buffer.from('x'));
    reader.write();
    reader.close();
    const after = new AppendLog(torn);
    const reread = after.read();
    after.close();
    assert.deepEqual(
      reread.map(seqOf),
      [...read.map(seqOf), 99],
      `cut at ${cut}: the next write replaces the torn tail`,
    );
  }
  assert.equal(ends.length, written.length, 'every write boundary was reached');
});

test("a write's records come back all together or not at all", (t) => {
  const dir = tempDir(t);
  const file = dir.path('S.db-appends');
  const log = new AppendLog(file);
  const first = someRecords(log, prng(9), 1, 3);
  log.write();
  someRecords(log, prng(10), 4, 3);
  log.write();
  log.close();
  const bytes = fs.readFileSync(file);
  for (let cut = bytes.length - 1; cut > 0 && cut > bytes.length - 200; cut--) {
    const torn = dir.path(`torn-${cut}`);
    fs.writeFileSync(torn, bytes.subarray(0, cut));
    const reader = new AppendLog(torn);
    const read = reader.read();
    reader.close();
    assert.deepEqual(plain(read), plain(first), `cut at ${cut}`);
  }
});

test("a damaged byte inside a write ends the reading there (the write's CRC fails)", (t) => {
  const file = tempDir(t).path('S.db-appends');
  const log = new AppendLog(file);
  const written = writeEach(log, prng(5), 3);
  log.close();
  const bytes = fs.readFileSync(file);
  // The last byte belongs to the third write.
  bytes[bytes.length - 1] ^= 0xff;
  fs.writeFileSync(file, bytes);
  const reader = new AppendLog(file);
  t.after(() => reader.close());
  assert.deepEqual(plain(reader.read()), plain(written.slice(0, 2)));
});

test('reset empties the file; records added but not written are dropped by discard', (t) => {
  const file = tempDir(t).path('S.db-appends');
  const log = new AppendLog(file);
  t.after(() => log.close());
  someRecords(log, prng(6), 1, 10);
  log.write();
  assert.ok(log.size > 0);
  someRecords(log, prng(7), 11, 5);
  assert.equal(log.pending, true);
  log.reset();
  assert.equal(log.pending, false);
  assert.equal(log.size, 0);
  assert.equal(fs.statSync(file).size, 0);
  someRecords(log, prng(8), 11, 2);
  log.discard();
  log.write();
  assert.equal(fs.statSync(file).size, 0);
  assert.deepEqual(log.read(), []);
});

test('synced says a sync covered some of what the file holds since it was emptied; after emptying, the limits come first again', async (t) => {
  const file = tempDir(t).path('S.db-appends');
  const log = new AppendLog(file);
  t.after(() => log.close());
  assert.equal(log.needsLimits, true);
  log.limits(NO_LIMITS);
  assert.equal(log.needsLimits, false);
  someRecords(log, prng(11), 1, 3);
  log.write();
  assert.equal(log.synced, false);
  const sync = (): Promise<void> => new Promise((resolve, reject) => log.sync((err) => (err === null ? resolve() : reject(err))));
  await sync();
  assert.equal(log.synced, true);
  log.reset();
  assert.equal(log.synced, false);
  assert.equal(log.needsLimits, true);
  await sync();
  assert.equal(log.synced, false, 'an empty file holds nothing to have synced');
});
