// A mirror and a source across kill -9: killed while they may still be copying, then more is published
// to the origin after the restart; in the end the mirror holds exactly the origin's messages under the
// same sequences, and the source each origin message once, in order (its Nats-Stream-Source headers).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { restartAfterKill, startLeafgate } from '../../helpers/processes.js';
import { tempDir } from '../../helpers/temp-dir.js';

interface Msg {
  subject: string;
  seq: number;
  hdrs?: string;
  data?: string;
}

async function api(nc: NatsConnection, subject: string, body = ''): Promise<Record<string, unknown>> {
  return JSON.parse((await nc.request(subject, body, { timeout: 5000 })).string()) as Record<string, unknown>;
}

async function lastSeq(nc: NatsConnection, stream: string): Promise<number> {
  return ((await api(nc, `$JS.API.STREAM.INFO.${stream}`)).state as { last_seq: number }).last_seq;
}

async function settle(nc: NatsConnection, stream: string, last: number): Promise<void> {
  for (let i = 0; i < 400 && (await lastSeq(nc, stream)) < last; i++) await new Promise((r) => setTimeout(r, 50));
}

async function read(nc: NatsConnection, stream: string, last: number): Promise<Msg[]> {
  const out: Msg[] = [];
  for (let seq = 1; seq <= last; seq++) {
    const r = await api(nc, `$JS.API.STREAM.MSG.GET.${stream}`, JSON.stringify({ seq }));
    if (r.message !== undefined) out.push(r.message as Msg);
  }
  return out;
}

const sourceHeader = (m: Msg): string => /Nats-Stream-Source: ([^\r]*)/.exec(Buffer.from(m.hdrs ?? '', 'base64').toString('latin1'))?.[1] ?? '';

test('after kill -9 a mirror and a source go on without gaps or duplicates', async (t) => {
  const tmp = tempDir(t);
  const first = await startLeafgate({ args: ['-js', '-sd', tmp.dir] });
  t.after(() => first.stop());
  let nc = await connect({ port: first.port });
  await api(nc, '$JS.API.STREAM.CREATE.ORIG', JSON.stringify({ name: 'ORIG', subjects: ['o.>'] }));
  await api(nc, '$JS.API.STREAM.CREATE.MIR', JSON.stringify({ name: 'MIR', mirror: { name: 'ORIG' } }));
  await api(nc, '$JS.API.STREAM.CREATE.SRC', JSON.stringify({ name: 'SRC', subjects: ['own'], sources: [{ name: 'ORIG' }] }));
  const acks: Promise<unknown>[] = [];
  for (let i = 1; i <= 400; i++) acks.push(nc.request(`o.${i % 3}`, `m${i}`, { timeout: 5000 }));
  await Promise.all(acks);
  await nc.close();

  const second = await restartAfterKill(t, first, ['-js', '-sd', tmp.dir]);
  nc = await connect({ port: second.port });
  t.after(() => nc.close());
  for (let i = 401; i <= 450; i++) await nc.request(`o.${i % 3}`, `m${i}`, { timeout: 5000 });
  await settle(nc, 'MIR', 450);
  await settle(nc, 'SRC', 450);

  const origin = await read(nc, 'ORIG', 450);
  assert.equal(origin.length, 450);
  const mirror = await read(nc, 'MIR', 450);
  assert.deepEqual(
    mirror.map((m) => [m.seq, m.subject, m.data]),
    origin.map((m) => [m.seq, m.subject, m.data]),
  );
  const sourced = await read(nc, 'SRC', 460);
  assert.deepEqual(
    sourced.map((m) => [m.subject, m.data, sourceHeader(m)]),
    origin.map((m) => [m.subject, m.data, `ORIG ${m.seq}`]),
  );
});

test('an origin created after its source, then deleted and created again, is picked up each time', async (t) => {
  const tmp = tempDir(t);
  const server = await startLeafgate({ args: ['-js', '-sd', tmp.dir] });
  t.after(() => server.stop());
  const nc = await connect({ port: server.port });
  t.after(() => nc.close());
  await api(nc, '$JS.API.STREAM.CREATE.SRC', JSON.stringify({ name: 'SRC', sources: [{ name: 'LATE' }] }));
  const missing = await api(nc, '$JS.API.STREAM.INFO.SRC');
  assert.deepEqual((missing.sources as Array<{ error?: unknown }>)[0].error, { code: 404, err_code: 10059, description: 'stream not found' });
  await api(nc, '$JS.API.STREAM.CREATE.LATE', JSON.stringify({ name: 'LATE', subjects: ['late'] }));
  await nc.request('late', 'one', { timeout: 5000 });
  await settle(nc, 'SRC', 1);
  await api(nc, '$JS.API.STREAM.DELETE.LATE');
  await api(nc, '$JS.API.STREAM.CREATE.LATE', JSON.stringify({ name: 'LATE', subjects: ['late'] }));
  await nc.request('late', 'two', { timeout: 5000 });
  await nc.request('late', 'three', { timeout: 5000 });
  await settle(nc, 'SRC', 3);
  const sourced = await read(nc, 'SRC', 3);
  assert.deepEqual(
    sourced.map((m) => [Buffer.from(m.data ?? '', 'base64').toString(), sourceHeader(m)]),
    [
      ['one', 'LATE 1'],
      ['two', 'LATE 1'],
      ['three', 'LATE 2'],
    ],
  );
});
