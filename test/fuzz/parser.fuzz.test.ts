// Bounded fuzzing of the NATS client protocol: (a) the parser on its own, fed random bytes and
// damaged valid streams in arbitrary chunks; (b) a running leafgate fed garbage by many connections.

import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { startLeafgate } from '../helpers/processes.js';
import { mutate, randomChunks, validFrame, validStream } from './frames.js';
import { Prng, fuzzSeed } from './prng.js';
import { parseChunks } from './recorder.js';
import type { ParserLimits } from './recorder.js';

const SEED = fuzzSeed(0x5eed_2910);
const ROOMY: ParserLimits = { maxControlLine: 4096, maxPayload: 1024 };
/** Small limits so damaged input reaches the control-line and payload checks often. */
const TIGHT: ParserLimits = { maxControlLine: 48, maxPayload: 40 };
const DAMAGED_INPUTS = 10_000;

function replay(what: string, iteration: number, input: Buffer): string {
  return `${what} (FUZZ_SEED=${SEED}, iteration ${iteration}, input ${JSON.stringify(input.toString('latin1'))})`;
}

/** Feeds whole and as chunks; neither may throw. */
function assertNoThrow(input: Buffer, chunks: readonly Buffer[], limits: ParserLimits, iteration: number): void {
  assert.doesNotThrow(() => parseChunks([input], limits), replay('parser threw on the whole input', iteration, input));
  assert.doesNotThrow(() => parseChunks(chunks, limits), replay(`parser threw on chunks ${chunks.map((c) => c.length).join('+')}`, iteration, input));
}

/** Random bytes, damaged valid streams, and valid streams with duplicated chunks, with how to cut each. */
function damagedInputs(p: Prng, n: number): { input: Buffer; chunks: Buffer[]; limits: ParserLimits }[] {
  return Array.from({ length: n }, () => {
    let input: Buffer;
    let chunks: Buffer[];
    switch (p.int(4)) {
      case 0:
        input = p.bytes(p.int(200));
        chunks = randomChunks(p, input, 1 + p.int(6));
        break;
      case 1:
        input = Buffer.concat([validStream(p, 1 + p.int(3), 30), p.bytes(p.int(80))]);
        chunks = randomChunks(p, input, 1 + p.int(6));
        break;
      case 2:
        input = mutate(p, validStream(p, 1 + p.int(6), 48));
        chunks = randomChunks(p, input, 1 + p.int(8));
        break;
      default: {
        chunks = randomChunks(p, validStream(p, 2 + p.int(5), 48), 2 + p.int(4));
        const k = p.int(chunks.length);
        chunks.splice(k, 0, chunks[k]);
        input = Buffer.concat(chunks);
      }
    }
    return { input, chunks, limits: p.chance(0.5) ? ROOMY : TIGHT };
  });
}

describe('parser fuzz (unit)', () => {
  test('random bytes never make the parser throw, whole or in chunks', () => {
    const p = new Prng(SEED);
    for (let i = 0; i < 2000; i++) {
      const input = p.bytes(p.int(300));
      assertNoThrow(input, randomChunks(p, input, 1 + p.int(6)), p.chance(0.5) ? ROOMY : TIGHT, i);
    }
  });

  test('damaged valid streams (bit flips, truncation, inserted/deleted/duplicated bytes) never make it throw', () => {
    const p = new Prng(SEED + 1);
    damagedInputs(p, DAMAGED_INPUTS).forEach(({ input, chunks, limits }, i) => assertNoThrow(input, chunks, limits, i));
  });

  test('valid streams: one operation per frame, no error, identical when split at every single point', () => {
    const p = new Prng(SEED + 2);
    for (let i = 0; i < 150; i++) {
      const frames = Array.from({ length: 1 + p.int(8) }, () => validFrame(p, 64));
      const input = Buffer.concat(frames);
      const whole = parseChunks([input], ROOMY);
      assert.ok(!whole.some((op) => op.startsWith('ERROR')), replay(`valid stream reported ${whole.join(' | ')}`, i, input));
      const opFrames = frames.filter((f) => !/^(\+OK|INFO)/i.test(f.toString('latin1'))).length;
      assert.equal(whole.length, opFrames, replay('not one operation per frame', i, input));
      for (let at = 0; at <= input.length; at++) {
        assert.deepEqual(parseChunks([input.subarray(0, at), input.subarray(at)], ROOMY), whole, replay(`split at ${at} differs from whole`, i, input));
      }
    }
  });

  test('valid streams fed one byte at a time, or in random chunks, give the same operations', () => {
    const p = new Prng(SEED + 3);
    for (let i = 0; i < 200; i++) {
      const input = validStream(p, 1 + p.int(6), 64);
      const whole = parseChunks([input], ROOMY);
      assert.deepEqual(parseChunks([...input].map((b) => Buffer.from([b])), ROOMY), whole, replay('byte at a time differs from whole', i, input));
      const chunks = randomChunks(p, input, 1 + p.int(8));
      assert.deepEqual(parseChunks(chunks, ROOMY), whole, replay(`split at ${chunks.map((c) => c.length).join('+')} differs from whole`, i, input));
    }
  });

  test('damaged input: the operations and the error reported do not depend on how the reads were split', () => {
    const p = new Prng(SEED + 4);
    damagedInputs(p, DAMAGED_INPUTS).forEach(({ input, chunks, limits }, i) => {
      const whole = parseChunks([input], limits);
      const split = parseChunks(chunks, limits);
      assert.deepEqual(split, whole, replay(`split at ${chunks.map((c) => c.length).join('+')} differs from whole (limits ${JSON.stringify(limits)})`, i, input));
    });
  });
});

const GARBAGE_CONNECTIONS = 200;
const CONCURRENCY = 20;
const LINGER_MS = 150;

/** Connects, writes `chunks` with a yield between them, and ends the connection after a short linger. */
function sendGarbage(port: number, chunks: readonly Buffer[]): Promise<void> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('error', () => undefined);
    s.on('data', () => undefined);
    s.once('close', () => resolve());
    s.once('connect', async () => {
      for (const c of chunks) {
        if (s.destroyed) break;
        s.write(c);
        await new Promise((r) => setImmediate(r));
      }
      setTimeout(() => s.destroy(), LINGER_MS);
    });
  });
}

describe('server fuzz (process)', () => {
  test(`leafgate survives ${GARBAGE_CONNECTIONS} connections of garbage and still serves a well-behaved client`, async () => {
    const server = await startLeafgate();
    try {
      const p = new Prng(SEED + 6);
      const inputs = Array.from({ length: GARBAGE_CONNECTIONS }, () => {
        const kind = p.int(3);
        const input = kind === 0 ? p.bytes(1 + p.int(2000)) : kind === 1 ? mutate(p, validStream(p, 1 + p.int(10), 2000)) : Buffer.concat([validStream(p, 1 + p.int(4), 200), p.bytes(p.int(500))]);
        return randomChunks(p, input, p.int(5));
      });
      for (let i = 0; i < inputs.length; i += CONCURRENCY) {
        await Promise.all(inputs.slice(i, i + CONCURRENCY).map((chunks) => sendGarbage(server.port, chunks)));
      }
      assert.equal(server.proc.exitCode, null, `leafgate exited:\n${server.output()}`);

      const nc = await connect({ servers: `127.0.0.1:${server.port}`, reconnect: false });
      const svc = await connect({ servers: `127.0.0.1:${server.port}`, reconnect: false });
      try {
        svc.subscribe('fuzz.echo', {
          callback: (_e, m) => {
            m.respond(`re:${m.string()}`);
          },
        });
        const sub = nc.subscribe('fuzz.sub', { max: 2 });
        await Promise.all([svc.flush(), nc.flush()]);
        nc.publish('fuzz.sub', 'one');
        nc.publish('fuzz.sub', 'two');
        const got: string[] = [];
        for await (const m of sub) got.push(m.string());
        assert.deepEqual(got, ['one', 'two']);
        const reply = await nc.request('fuzz.echo', 'ping', { timeout: 2000 });
        assert.equal(reply.string(), 're:ping');
      } finally {
        await Promise.all([nc.close(), svc.close()]);
      }
      assert.equal(server.proc.exitCode, null, `leafgate exited:\n${server.output()}`);
    } finally {
      await server.stop();
    }
  });
});
