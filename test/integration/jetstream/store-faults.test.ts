// Faults of the store as a running server meets them: a damaged stream file at start, and a disk that
// fills up under publishes. leafgate runs as a real process over a real store directory.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { startLeafgate } from '../../helpers/processes.js';
import { tempDir } from '../../helpers/temp-dir.js';

async function request(nc: NatsConnection, subject: string, body = ''): Promise<Record<string, unknown>> {
  return JSON.parse((await nc.request(subject, body, { timeout: 3000 })).string()) as Record<string, unknown>;
}

async function createStream(nc: NatsConnection, name: string): Promise<void> {
  const created = await request(nc, `$JS.API.STREAM.CREATE.${name}`, JSON.stringify({ name, subjects: [`${name}.>`] }));
  assert.equal(created.error, undefined, JSON.stringify(created.error));
}

test('a damaged stream file is named in the log and left alone; the other streams start', async (t) => {
  const tmp = tempDir(t);
  const first = await startLeafgate({ args: ['-js', '-sd', tmp.dir] });
  const nc = await connect({ port: first.port });
  await createStream(nc, 'good');
  await createStream(nc, 'bad');
  for (const name of ['good', 'bad']) for (let i = 0; i < 5; i++) assert.equal((await request(nc, `${name}.x`, `m${i}`)).error, undefined);
  await nc.close();
  await first.stop();

  const bad = path.join(tmp.dir, 'jetstream', '$G', 'bad.db');
  const size = fs.statSync(bad).size;
  fs.truncateSync(bad, Math.floor(size / 3));
  const damagedBytes = fs.readFileSync(bad);

  const second = await startLeafgate({ args: ['-js', '-sd', tmp.dir] });
  t.after(() => second.stop());
  const nc2 = await connect({ port: second.port });
  t.after(() => nc2.close());
  const good = await request(nc2, '$JS.API.STREAM.INFO.good');
  assert.equal((good.state as { messages: number }).messages, 5);
  const missing = await request(nc2, '$JS.API.STREAM.INFO.bad');
  assert.equal((missing.error as { err_code: number }).err_code, 10059);
  assert.match(second.output(), new RegExp(`\\[ERR\\] .*${bad.replace(/[$.]/g, '\\$&')}`), 'the log names the damaged file');
  assert.deepEqual(fs.readFileSync(bad), damagedBytes, 'the damaged file is left as it was, for inspection');
  // The good stream keeps taking publishes.
  assert.equal((await request(nc2, 'good.x', 'after')).seq, 6);
});

const isRoot = process.getuid?.() === 0;

test('a full disk refuses publishes with an error; reads and core messaging go on; space back, publishes work', { skip: isRoot ? false : 'needs root to mount a small tmpfs as the store directory' }, async (t) => {
  const mount = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount]);
  t.after(() => {
    execFileSync('umount', ['-l', mount]);
    fs.rmSync(mount, { recursive: true, force: true });
  });
  const server = await startLeafgate({ args: ['-js', '-sd', mount] });
  t.after(() => server.stop());
  const nc = await connect({ port: server.port });
  t.after(() => nc.close());
  await createStream(nc, 'fill');
  const filler = path.join(mount, 'filler');
  // Leave little room, then publish until the disk refuses.
  const free = fs.statfsSync(mount).bavail * fs.statfsSync(mount).bsize;
  fs.writeFileSync(filler, Buffer.alloc(Math.max(free - 96 * 1024, 0)));
  const body = 'x'.repeat(4096);
  let stored = 0;
  let refusal: Record<string, unknown> | null = null;
  for (let i = 0; i < 200 && refusal === null; i++) {
    const ack = await request(nc, 'fill.x', body);
    if (ack.error !== undefined) refusal = ack;
    else stored++;
  }
  assert.ok(refusal !== null, 'the full disk refused a publish');
  assert.equal(refusal.stream, 'fill');
  const err = refusal.error as { code: number; err_code: number; description: string };
  assert.ok((err.err_code === 10077 && /disk full/.test(err.description)) || err.err_code === 10023, JSON.stringify(err));
  assert.ok(stored > 0);
  const info = await request(nc, '$JS.API.STREAM.INFO.fill');
  assert.equal((info.state as { messages: number }).messages, stored, 'what was acknowledged is all there');
  const last = await request(nc, '$JS.API.STREAM.MSG.GET.fill', JSON.stringify({ seq: stored }));
  assert.equal((last.message as { seq: number }).seq, stored, 'reads are served');
  const sub = nc.subscribe('core.ping', { max: 1 });
  nc.publish('core.ping', 'pong');
  for await (const m of sub) assert.equal(m.string(), 'pong', 'core messaging is served');

  fs.rmSync(filler);
  const after = await request(nc, 'fill.x', 'space is back');
  assert.equal(after.error, undefined, JSON.stringify(after.error));
  assert.equal(after.seq, stored + 1);
});
