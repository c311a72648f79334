// One leafgate per test file (in-process for the defaults, a child process with -c for a config),
// raw clients on it, and a bystander that proves other clients are unaffected by a bad one.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { writeTempConf } from '../../helpers/conf-file.js';
import type { TempConf } from '../../helpers/conf-file.js';
import { startInProcess } from '../../helpers/in-process.js';
import { startLeafgate, startNatsServer } from '../../helpers/processes.js';
import { RawClient } from '../../helpers/raw-client.js';

/** nats.js style: no +OK, no pedantic checks. */
export const QUIET = '{"verbose":false,"pedantic":false}';
/** Quiet, with headers and no-responders as nats.js negotiates them. */
export const MODERN = '{"verbose":false,"pedantic":false,"headers":true,"no_responders":true}';

export interface WireServer {
  readonly port: number;
}

/**
 * WIRE_SERVER=nats-server runs these files against the real nats-server instead, to check that every
 * expectation written here is nats-server's behaviour.
 */
const AGAINST_NATS_SERVER = process.env.WIRE_SERVER === 'nats-server';

/**
 * Starts leafgate before the file's tests and stops it after them: in-process with default options,
 * or as the real bin with `-c <conf>` when a config text is given.
 */
export function leafgateForFile(conf?: string): () => WireServer {
  let port = 0;
  let stop: (() => Promise<void>) | null = null;
  let file: TempConf | null = null;
  before(async () => {
    if (AGAINST_NATS_SERVER) {
      file = conf === undefined ? null : writeTempConf(conf);
      const p = await startNatsServer({ args: file === null ? [] : ['-c', file.path] });
      port = p.port;
      stop = () => p.stop();
    } else if (conf === undefined) {
      const s = await startInProcess();
      port = s.port;
      stop = () => s.stop();
    } else {
      file = writeTempConf(conf);
      const p = await startLeafgate({ args: ['-c', file.path] });
      port = p.port;
      stop = () => p.stop();
    }
  });
  after(async () => {
    await stop?.();
    file?.remove();
  });
  return () => {
    if (port === 0) throw new Error('leafgate not started');
    return { port };
  };
}

/** Opens a client, sends CONNECT (unless `connect` is null) and round-trips a PING so the server has processed it. */
export async function connected(port: number, connect: string | null = QUIET): Promise<RawClient> {
  const { client } = await RawClient.open(port, connect ?? undefined);
  if (connect !== null) assert.equal(await client.sync(), '', `CONNECT ${connect} answered with more than PONG`);
  return client;
}

let bystanderSeq = 0;

/** A second, well-behaved client: check() proves it still publishes and receives. */
export class Bystander {
  private constructor(
    private readonly client: RawClient,
    private readonly subject: string,
  ) {}

  static async start(port: number, connect: string = QUIET): Promise<Bystander> {
    const subject = `bystander.${++bystanderSeq}`;
    const client = await connected(port, connect);
    client.send(`SUB ${subject} 1\r\n`);
    assert.equal(await client.sync(), '');
    return new Bystander(client, subject);
  }

  async check(): Promise<void> {
    assert.equal(this.client.closed, false, 'bystander was disconnected');
    this.client.send(`PUB ${this.subject} 5\r\nalive\r\n`);
    assert.equal(await this.client.sync(), `MSG ${this.subject} 1 5\r\nalive\r\n`, 'bystander stopped receiving');
  }

  close(): void {
    this.client.close();
  }
}

/** nats-server closes at once; this only bounds how long a failing test waits. */
const CLOSE_WITHIN_MS = 2000;

/** Asserts the server closed `client` after sending exactly `want`, and that a bystander kept working. */
export async function assertClosedWith(client: RawClient, want: string, bystander: Bystander): Promise<void> {
  assert.equal(await client.waitClosed(CLOSE_WITHIN_MS), want);
  await bystander.check();
}

/** Asserts the connection is still open and the server sent exactly `want` before answering a PING. */
export async function assertOpenAfter(client: RawClient, want: string): Promise<void> {
  assert.equal(await client.sync(), want);
  assert.equal(client.closed, false);
}
