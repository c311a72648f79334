import { performance } from 'node:perf_hooks';
import { hrtime } from 'node:process';
import { BenchError } from './errors.js';
import { createStream, directMessage } from './js-api.js';
import { JsConnection } from './js-connection.js';
import { benchPayload } from './nats-wire.js';
import { serveCommands } from './worker-rpc.js';

export interface KvTarget {
  name: string;
  port: number;
}

export interface KvSetup {
  targets: KvTarget[];
  /** The bucket's stream is KV_<bucket>, as the KV clients name it. */
  bucket: string;
  valueSize: number;
  /** Keys written and read in turn. */
  keys: number;
}

export interface KvRun {
  warmup: number;
  /** Measured puts, and as many gets, per target. */
  count: number;
  /** Puts (then as many gets) on one target before the next one's turn. */
  block: number;
  timeoutMs: number;
}

/** Per target: the latency of each measured put and get (µs), or why it dropped out. */
export type KvOutcome =
  | { putUs: Float64Array; getUs: Float64Array; error: null; activeMs: number }
  | { putUs: null; getUs: null; error: string; activeMs: number };

interface Target {
  connection: JsConnection;
  /** Round trips done so far, warm-up included: the next key to use. */
  done: number;
}

let setup: KvSetup | null = null;
let targets = new Map<string, Target>();

/** One put (publish to $KV.<bucket>.<key>, wait for the PubAck) per key in turn; returns its latency in µs. */
async function put(target: Target, value: Buffer, config: KvSetup, timeoutMs: number): Promise<number> {
  const began = hrtime.bigint();
  const reply = await target.connection.request(`$KV.${config.bucket}.k${target.done % config.keys}`, value, timeoutMs);
  const us = Number(hrtime.bigint() - began) / 1000;
  const text = reply.payload.toString('utf8');
  if (!text.includes('"seq"') || text.includes('"error"')) throw new BenchError('BENCH_PUBLISH_REFUSED', `put refused: ${reply.headers.trim()} ${text}`);
  return us;
}

/** DIRECT.GET of the key's last value (subject form, as the KV clients send it); latency in µs. */
async function get(target: Target, n: number, config: KvSetup, timeoutMs: number): Promise<number> {
  const began = hrtime.bigint();
  const reply = await target.connection.request(`$JS.API.DIRECT.GET.KV_${config.bucket}.$KV.${config.bucket}.k${n % config.keys}`, '', timeoutMs);
  const us = Number(hrtime.bigint() - began) / 1000;
  const message = directMessage(reply);
  if (message === null || message.payload.length !== config.valueSize) throw new BenchError('BENCH_KV_GET', `get of key k${n % config.keys} found ${message === null ? 'nothing' : `${message.payload.length} bytes`}`);
  return us;
}

/** `count` puts, then gets of the same keys; latencies to sinks[offset...] when given. */
async function putsThenGets(target: Target, count: number, timeoutMs: number, sinks: { put: Float64Array; get: Float64Array } | null, offset: number): Promise<void> {
  const config = setup as KvSetup;
  const value = benchPayload(config.valueSize);
  const first = target.done;
  for (let i = 0; i < count; i++) {
    const us = await put(target, value, config, timeoutMs);
    if (sinks !== null) sinks.put[offset + i] = us;
    target.done++;
  }
  for (let i = 0; i < count; i++) {
    const us = await get(target, first + i, config, timeoutMs);
    if (sinks !== null) sinks.get[offset + i] = us;
  }
}

const kvClientApi = {
  async open(kv: KvSetup): Promise<void> {
    setup = kv;
    const opened = await Promise.all(
      kv.targets.map(async ({ name, port }) => {
        const connection = await JsConnection.open(port, 'bench-kv');
        await createStream(connection, {
          name: `KV_${kv.bucket}`,
          subjects: [`$KV.${kv.bucket}.>`],
          storage: 'file',
          max_msgs_per_subject: 1,
          discard: 'new',
          allow_direct: true,
          allow_rollup_hdrs: true,
          deny_delete: true,
        });
        return [name, { connection, done: 0 }] as const;
      }),
    );
    targets = new Map(opened);
  },

  /** Warms every target up, then takes blocks in turns (order reversed each round) until each has `count`. */
  async run(run: KvRun): Promise<Record<string, KvOutcome>> {
    const sinks = new Map<string, { put: Float64Array; get: Float64Array }>();
    const errors = new Map<string, string>();
    const activeMs = new Map<string, number>();
    const attempt = async (name: string, work: () => Promise<void>) => {
      if (errors.has(name)) return;
      const began = performance.now();
      try {
        await work();
      } catch (error) {
        errors.set(name, (error as Error).message);
      }
      activeMs.set(name, (activeMs.get(name) ?? 0) + performance.now() - began);
    };
    for (const [name, target] of targets) {
      sinks.set(name, { put: new Float64Array(run.count), get: new Float64Array(run.count) });
      await attempt(name, () => putsThenGets(target, run.warmup, run.timeoutMs, null, 0));
    }
    const names = [...targets.keys()];
    for (let done = 0, round = 0; done < run.count; done += run.block, round++) {
      const size = Math.min(run.block, run.count - done);
      for (const name of round % 2 === 0 ? names : [...names].reverse()) {
        await attempt(name, () => putsThenGets(targets.get(name) as Target, size, run.timeoutMs, sinks.get(name) ?? null, done));
      }
    }
    const outcomes: Record<string, KvOutcome> = {};
    for (const name of names) {
      const error = errors.get(name);
      const sink = sinks.get(name);
      const active = activeMs.get(name) ?? 0;
      outcomes[name] =
        error === undefined && sink !== undefined
          ? { putUs: sink.put, getUs: sink.get, error: null, activeMs: active }
          : { putUs: null, getUs: null, error: error ?? 'not run', activeMs: active };
    }
    return outcomes;
  },

  close(): void {
    for (const { connection } of targets.values()) connection.close();
    targets = new Map();
  },
};

export type KvClientApi = typeof kvClientApi;

serveCommands(kvClientApi);
