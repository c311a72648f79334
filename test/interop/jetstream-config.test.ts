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
import { apiError } from '../../src/jetstream/errors.js';
import type { ApiError } from '../../src/jetstream/errors.js';
import { ResponseType, apiErrorResponse } from '../../src/jetstream/api-envelope.js';

/** Whole error replies (type, error and the zero members of that reply type), byte for byte. */
const envelopeCases: readonly (readonly [subject: string, body: string, type: ResponseType, error: ApiError])[] = [
  ['$JS.API.STREAM.INFO.NOPE', '', ResponseType.StreamInfo, apiError('StreamNotFound')],
  ['$JS.API.STREAM.PURGE.NOPE', '', ResponseType.StreamPurge, apiError('StreamNotFound')],
  ['$JS.API.STREAM.LIST', '{"offset":"x"}', ResponseType.StreamList, apiError('InvalidJSON')],
  ['$JS.API.STREAM.NAMES', '{"offset":"x"}', ResponseType.StreamNames, apiError('InvalidJSON')],
  ['$JS.API.STREAM.DELETE.NOPE', '', ResponseType.StreamDelete, apiError('StreamNotFound')],
  ['$JS.API.STREAM.MSG.GET.NOPE', '{"seq":1}', ResponseType.StreamMsgGet, apiError('StreamNotFound')],
  ['$JS.API.STREAM.MSG.DELETE.NOPE', '{"seq":1}', ResponseType.StreamMsgDelete, apiError('StreamNotFound')],
  ['$JS.API.STREAM.CREATE.A', '{"name":"B"}', ResponseType.StreamCreate, apiError('StreamMismatch')],
  ['$JS.API.STREAM.UPDATE.NOPE', '{"name":"NOPE"}', ResponseType.StreamUpdate, apiError('StreamNotFound')],
  ['$JS.API.CONSUMER.NAMES.NOPE', '', ResponseType.ConsumerNames, apiError('StreamNotFound')],
  ['$JS.API.CONSUMER.LIST.NOPE', '', ResponseType.ConsumerList, apiError('StreamNotFound')],
  ['$JS.API.CONSUMER.INFO.NOPE.X', '', ResponseType.ConsumerInfo, apiError('StreamNotFound')],
  ['$JS.API.CONSUMER.DELETE.NOPE.X', '', ResponseType.ConsumerDelete, apiError('StreamNotFound')],
  ['$JS.API.CONSUMER.CREATE.NOPE', '{"stream_name":"NOPE"}', ResponseType.ConsumerCreate, apiError('StreamNotFound')],
];

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

  for (const [subject, body, type, error] of envelopeCases) {
    test(`error reply of ${subject} ${body}`, async () => {
      await deleteAllStreams();
      assert.equal(await request(subject, body), apiErrorResponse(type, error));
    });
  }

  for (const [kind, cases] of [['stream', streamCases], ['consumer', consumerCases]] as const) {
    for (const c of cases) {
      test(`${kind} config: ${c.name}`, async () => {
        assert.equal(await observe(c), c.want);
      });
    }
  }
});
