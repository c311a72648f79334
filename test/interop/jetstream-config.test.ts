// Replays the stream and consumer config tables of test/unit/jetstream against the real nats-server -js, so
// the table (and with it leafgate's config layer, which the unit tests hold to the table) stays what 2.9.10
// answers: the same `error`, or the same `config` byte for byte.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { startNatsServer } from '../helpers/processes.js';
import type { ServerProcess } from '../helpers/processes.js';
import { consumerCases } from '../unit/jetstream/consumer-cases.js';
import { streamCases } from '../unit/jetstream/stream-cases.js';
import type { ApiCase } from '../unit/jetstream/stream-cases.js';
import { NO_REPLY } from '../unit/jetstream/api-flow.js';

// How long a request that nats-server never answers is given before counting as "no reply".
const NO_REPLY_WAIT_MS = 1000;

/** The text of the member `key` of a JSON object text (strings with braces inside are skipped whole). */
function memberText(json: string, key: string): string | null {
  const start = json.indexOf(`"${key}":`);
  if (start < 0) return null;
  const i = start + key.length + 3;
  let depth = 0;
  let inString = false;
  for (let j = i; j < json.length; j++) {
    const c = json[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return json.slice(i, j + 1);
  }
  return null;
}

describe('JetStream config tables against nats-server 2.9.10', () => {
  let server: ServerProcess | null = null;
  let nc: NatsConnection | null = null;
  let storeDir = '';

  before(async () => {
    storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-jsconfig-'));
    server = await startNatsServer({ args: ['-js', '-sd', storeDir] });
    nc = await connect({ servers: `127.0.0.1:${server.port}`, reconnect: false });
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
    fs.rmSync(storeDir, { recursive: true, force: true });
  });

  async function request(subject: string, body: string): Promise<string> {
    if (nc === null) throw new Error('not connected');
    try {
      const m = await nc.request(subject, Buffer.from(body, 'utf8'), { timeout: NO_REPLY_WAIT_MS });
      return m.string();
    } catch (e) {
      if ((e as Error).name === 'TimeoutError' || /timeout/i.test((e as Error).message)) return NO_REPLY;
      throw e;
    }
  }

  async function deleteAllStreams(): Promise<void> {
    const names = JSON.parse(await request('$JS.API.STREAM.NAMES', '')) as { streams: string[] | null };
    for (const name of names.streams ?? []) await request(`$JS.API.STREAM.DELETE.${name}`, '');
  }

  async function observe(c: ApiCase): Promise<string> {
    await deleteAllStreams();
    for (const [subject, body] of c.setup ?? []) await request(subject, body);
    const reply = await request(c.subject, c.body);
    if (reply === NO_REPLY) return reply;
    return memberText(reply, 'error') ?? memberText(reply, 'config') ?? reply;
  }

  for (const [kind, cases] of [['stream', streamCases], ['consumer', consumerCases]] as const) {
    for (const c of cases) {
      test(`${kind} config: ${c.name}`, async () => {
        assert.equal(await observe(c), c.want);
      });
    }
  }
});
