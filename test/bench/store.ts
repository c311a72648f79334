/**
 * Store micro-benchmark (not part of `npm run bench`): `node dist/test/bench/store.js [--msgs N] [--dir DIR]`.
 * Prints the figures behind the file layout and sync_interval choices: acked appends/s for one hot
 * stream (1, 16 and 1000 subjects) and for four streams written in the same turn, with an fsync per commit and with a sync
 * interval; bytes written to disk per stored message (from /proc/self/io); a store of N messages
 * (default 1M) reopened: time to open and serve a load, RSS while building and after opening.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { openSqliteStore } from '../../src/jetstream/store/index.js';
import type { SqliteStore } from '../../src/jetstream/store/index.js';

const BATCH = 256;
const TURNS = 300;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function writeBytes(): number {
  const m = /write_bytes:\s*(\d+)/.exec(fs.readFileSync('/proc/self/io', 'latin1'));
  return m === null ? Number.NaN : Number(m[1]);
}

function mib(n: number): string {
  return `${(n / 1048576).toFixed(1)} MiB`;
}

/** One turn: BATCH appends to each store, then the wait for every store's commit listener. */
function turn(stores: SqliteStore[], payload: Buffer, subjects: number, turnNo: number): Promise<void> {
  let waiting = stores.length;
  return new Promise((resolve, reject) => {
    for (const store of stores) {
      for (let i = 0; i < BATCH; i++) {
        const r = store.append(`bench.${(turnNo * BATCH + i) % subjects}`, null, payload);
        if (typeof r !== 'number') reject(new Error(`append refused: ${r.refused}`));
      }
      pending.set(store, () => {
        if (--waiting === 0) resolve();
      });
    }
  });
}

const pending = new Map<SqliteStore, () => void>();

function listen(store: SqliteStore): void {
  store.onCommitted((_seq, err) => {
    if (err !== null) throw err;
    pending.get(store)?.();
  });
}

async function throughput(dir: string, label: string, sync: 'always' | number, streams: number, size: number, subjects: number): Promise<void> {
  const stores = Array.from({ length: streams }, (_, i) => openSqliteStore({ dir, name: `tp-${label}-${size}-${subjects}-${i}`, sync }));
  stores.forEach(listen);
  const payload = Buffer.alloc(size, 0x61);
  for (let i = 0; i < 10; i++) await turn(stores, payload, subjects, i);
  const w0 = writeBytes();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < TURNS; i++) await turn(stores, payload, subjects, i);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const msgs = TURNS * BATCH * streams;
  // Closing checkpoints the WAL into the database: those writes are part of each message's cost.
  for (const s of stores) s.close();
  const written = writeBytes() - w0;
  for (const s of stores) fs.rmSync(s.file);
  console.log(
    `  ${label.padEnd(7)} ${String(streams).padStart(2)} stream(s) ${String(size).padStart(4)} B ${String(subjects).padStart(5)} subjects: ${Math.round(msgs / seconds).toLocaleString('en-US').padStart(9)} acked msgs/s, ${(written / msgs).toFixed(0).padStart(4)} bytes written per msg`,
  );
}

async function reopen(dir: string, total: number): Promise<void> {
  const name = 'big';
  const build = openSqliteStore({ dir, name, sync: 120_000 });
  listen(build);
  const payload = Buffer.alloc(128, 0x62);
  const rss0 = process.memoryUsage().rss;
  let rssTenth = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i * BATCH < total; i++) {
    await turn([build], payload, 1000, i);
    if (rssTenth === 0 && (i + 1) * BATCH >= total / 10) rssTenth = process.memoryUsage().rss;
  }
  const buildSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rssFull = process.memoryUsage().rss;
  const msgs = build.state().msgs;
  build.close();
  const fileBytes = fs.statSync(path.join(dir, `${name}.db`)).size;
  console.log(`  built ${msgs.toLocaleString('en-US')} msgs of 128 B on 1000 subjects in ${buildSeconds.toFixed(1)} s; file ${mib(fileBytes)}`);
  console.log(`  RSS: ${mib(rss0)} before, ${mib(rssTenth)} at ${Math.round(msgs / 10).toLocaleString('en-US')} msgs, ${mib(rssFull)} at ${msgs.toLocaleString('en-US')}`);

  const o0 = process.hrtime.bigint();
  const store = openSqliteStore({ dir, name });
  const opened = process.hrtime.bigint();
  const first = store.loadNext('', 0);
  const lastOfSubject = store.loadLast('bench.7');
  const filtered = store.loadNext('bench.99', Math.floor(msgs / 2));
  const pendingCount = store.numPending('bench.5', 1, false);
  const served = process.hrtime.bigint();
  const ms = (a: bigint, b: bigint): string => (Number(b - a) / 1e6).toFixed(1);
  if (first === null || lastOfSubject === null || filtered === null) throw new Error('reopened store does not serve loads');
  console.log(`  reopen: open ${ms(o0, opened)} ms, first loads served ${ms(o0, served)} ms after (state ${store.state().msgs.toLocaleString('en-US')} msgs, ${pendingCount} pending on one subject); RSS ${mib(process.memoryUsage().rss)}`);
  store.destroy();
}

async function main(): Promise<void> {
  const total = Number(arg('--msgs', '1000000'));
  const base = arg('--dir', os.tmpdir());
  const dir = fs.mkdtempSync(path.join(base, 'leafgate-store-bench-'));
  try {
    console.log(`store bench in ${dir} (${os.cpus().length} CPUs, node ${process.version}); ${BATCH} appends per turn`);
    for (const size of [16, 128]) {
      await throughput(dir, 'always', 'always', 1, size, 1);
      await throughput(dir, '2m', 120_000, 1, size, 1);
    }
    for (const subjects of [16, 1000]) {
      await throughput(dir, 'always', 'always', 1, 128, subjects);
      await throughput(dir, '2m', 120_000, 1, 128, subjects);
    }
    await throughput(dir, 'always', 'always', 4, 128, 1);
    await throughput(dir, '2m', 120_000, 4, 128, 1);
    await reopen(dir, total);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
