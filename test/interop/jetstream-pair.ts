// Both servers with JetStream on, each over its own temporary store directory, for differential
// JetStream suites: the same requests go to nats-server -js and leafgate -js and must be answered alike.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { connect } from '@nats-io/transport-node';
import type { ConnectionOptions, NatsConnection } from '@nats-io/transport-node';
import { writeTempConf } from '../helpers/conf-file.js';
import type { TempConf } from '../helpers/conf-file.js';
import { startLeafgate, startNatsServer } from '../helpers/processes.js';
import type { ServerProcess } from '../helpers/processes.js';

export interface JetStreamSide {
  readonly server: ServerProcess;
  readonly nc: NatsConnection;
  readonly storeDir: string;
}

export interface JetStreamPair {
  readonly natsServer: JetStreamSide;
  readonly leafgate: JetStreamSide;
}

export interface JetStreamPairOptions {
  /** Extra command-line arguments for both. */
  readonly args?: readonly string[];
  /** A configuration file for both (its store directory is overridden by each server's own `-sd`). */
  readonly conf?: string;
  /** Connection options of the client on each side (user and password, or an authenticator). */
  readonly connect?: Pick<ConnectionOptions, 'user' | 'pass' | 'authenticator'>;
}

/** Starts both servers with `-js -sd <tmp>` (plus the options) and a client on each, for the enclosing suite. */
export function jetStreamPair(opts: JetStreamPairOptions = {}): () => JetStreamPair {
  let pair: JetStreamPair | null = null;
  let conf: TempConf | null = null;
  before(async () => {
    const dirs = [fs.mkdtempSync(path.join(os.tmpdir(), 'js-nats-')), fs.mkdtempSync(path.join(os.tmpdir(), 'js-leafgate-'))];
    conf = opts.conf === undefined ? null : writeTempConf(opts.conf);
    const args = [...(conf === null ? [] : ['-c', conf.path]), ...(opts.args ?? [])];
    const [natsServer, leafgate] = await Promise.all([
      startNatsServer({ args: ['-js', '-sd', dirs[0], ...args] }),
      startLeafgate({ args: ['-js', '-sd', dirs[1], ...args] }),
    ]);
    const [ncN, ncL] = await Promise.all([connect({ port: natsServer.port, ...opts.connect }), connect({ port: leafgate.port, ...opts.connect })]);
    pair = { natsServer: { server: natsServer, nc: ncN, storeDir: dirs[0] }, leafgate: { server: leafgate, nc: ncL, storeDir: dirs[1] } };
  });
  after(async () => {
    if (pair === null) return;
    const sides = [pair.natsServer, pair.leafgate];
    await Promise.all(sides.map((s) => s.nc.close()));
    await Promise.all(sides.map((s) => s.server.stop()));
    for (const s of sides) fs.rmSync(s.storeDir, { recursive: true, force: true });
    conf?.remove();
  });
  return () => {
    if (pair === null) throw new Error('servers not started');
    return pair;
  };
}

/** Time and identity members that differ between any two servers, replaced so replies compare. */
const VOLATILE = /"(created|first_ts|last_ts|time|ts)":"[^"]*"/g;

/** A JSON reply with its times masked (a zero time stays visible: it says "never"). */
export function masked(json: string): string {
  return json.replace(VOLATILE, (m, key: string) => (m.endsWith('"0001-01-01T00:00:00Z"') ? m : `"${key}":"<time>"`));
}

/** Sends a raw API request and returns the reply's text, or null when none came within `timeoutMs`. */
export async function apiRequest(nc: NatsConnection, subject: string, body: string, timeoutMs = 2000): Promise<string | null> {
  try {
    const m = await nc.request(subject, body, { timeout: timeoutMs });
    return m.string();
  } catch {
    return null;
  }
}
