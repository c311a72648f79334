// Bounded fuzzing of MQTT input: (a) the codec's MqttParser on its own, fed damaged streams of valid
// packets of both levels (CONNECT first, then the rest) whole and in random chunks; (b) a running
// leafgate's MQTT port fed the same kind of streams over a handful of sockets at a time, with a
// healthy client checked along the way. Replay one run with FUZZ_SEED=<n>.

import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt-packet';
import type { MqttParser } from '../../src/protocol/mqtt/index.js';
import { mqttConnect } from '../helpers/mqtt-client.js';
import type { TestMqttClient } from '../helpers/mqtt-client.js';
import { startMqttServer } from '../integration/mqtt/harness.js';
import { randomChunks } from './frames.js';
import { Prng, fuzzSeed } from './prng.js';
import { varint } from '../helpers/mqtt-wire.js';

const SEED = fuzzSeed(0x6d71_7474);
const PARSER_INPUTS = 3000;
/** Big enough for every valid packet made here, so only damage causes errors. */
const ROOMY = 1 << 20;
/** Small enough that many valid packets are over it. */
const TIGHT = 40;
const LIVE_ROUNDS = 30;
const LIVE_SOCKETS = 6;

type Version = 4 | 5;

// ---- valid packets ---------------------------------------------------------------------------

const TOPICS = ['a', 'a/b', 'fz/x/y', '/lead', 'trail/', 'a//b', 'dot.ted', '$sys/x', 'ünï/cødé', 'bystander/echo'];
const FILTERS = [...TOPICS, '#', '+', 'fz/#', '+/b', 'a/+/c', '$share/g/fz/#', '$share/g/+'];

function text(p: Prng, max: number): string {
  return p.bytes(p.int(max + 1)).toString('base64').slice(0, max);
}

function userProperties(p: Prng): Record<string, string> | undefined {
  return p.chance(0.3) ? { [`k${p.int(3)}`]: text(p, 8) } : undefined;
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function connectPacket(p: Prng, version: Version): Packet {
  const will = p.chance(0.3)
    ? {
        topic: p.pick(TOPICS),
        payload: p.bytes(p.int(16)),
        qos: p.int(3) as 0 | 1 | 2,
        retain: p.chance(0.3),
        ...(version === 5 && p.chance(0.5) && { properties: defined({ willDelayInterval: p.int(3), messageExpiryInterval: p.int(100), userProperties: userProperties(p) }) }),
      }
    : undefined;
  const clientId = p.chance(0.1) ? '' : `fz${p.int(1000)}`;
  const credentials = p.chance(0.2) ? { username: text(p, 6) || 'u', password: p.bytes(p.int(8)) } : {};
  return {
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: version,
    clientId,
    // mqtt-packet will not encode 3.1.1's empty id with clean=0; the integration tests send that one by hand.
    clean: version === 5 || clientId === '' || p.chance(0.8),
    keepalive: p.pick([0, 0, 30, 600]),
    ...(will !== undefined && { will }),
    ...credentials,
    ...(version === 5 &&
      p.chance(0.5) && {
        properties: defined({
          sessionExpiryInterval: p.pick([0, 10, undefined]),
          receiveMaximum: p.pick([1, 10, undefined]),
          maximumPacketSize: p.pick([64, 65536, undefined]),
          topicAliasMaximum: p.pick([0, 5, undefined]),
          userProperties: userProperties(p),
        }),
      }),
  } as Packet;
}

/** A packet a client may send after CONNECT, or (rarely) one only a server sends. */
function laterPacket(p: Prng, version: Version): Packet {
  const v5 = version === 5;
  const messageId = 1 + p.int(0xffff);
  switch (p.int(12)) {
    case 0:
    case 1:
    case 2: {
      const qos = p.int(3) as 0 | 1 | 2;
      const alias = v5 && p.chance(0.3) ? 1 + p.int(8) : undefined;
      const props = v5 && p.chance(0.5) ? defined({ topicAlias: alias, messageExpiryInterval: p.pick([1, 60, undefined]), contentType: p.chance(0.2) ? 'text/plain' : undefined, responseTopic: p.chance(0.2) ? 'fz/reply' : undefined, correlationData: p.chance(0.2) ? p.bytes(4) : undefined, userProperties: userProperties(p) }) : alias !== undefined ? { topicAlias: alias } : undefined;
      return {
        cmd: 'publish',
        topic: alias !== undefined && p.chance(0.5) ? '' : p.pick(TOPICS),
        payload: p.bytes(p.int(24)),
        qos,
        retain: p.chance(0.2),
        dup: qos > 0 && p.chance(0.2),
        ...(qos > 0 && { messageId }),
        ...(props !== undefined && { properties: props }),
      } as Packet;
    }
    case 3:
      return {
        cmd: 'subscribe',
        messageId,
        subscriptions: Array.from({ length: 1 + p.int(3) }, () => ({ topic: p.pick(FILTERS), qos: p.int(3) as 0 | 1 | 2, ...(v5 && { nl: p.chance(0.2), rap: p.chance(0.2), rh: p.int(3) as 0 | 1 | 2 }) })),
        ...(v5 && p.chance(0.3) && { properties: { subscriptionIdentifier: 1 + p.int(100) } }),
      } as Packet;
    case 4:
      return { cmd: 'unsubscribe', messageId, unsubscriptions: Array.from({ length: 1 + p.int(2) }, () => p.pick(FILTERS)) } as Packet;
    case 5:
    case 6:
      return { cmd: p.pick(['puback', 'pubrec', 'pubrel', 'pubcomp'] as const), messageId, ...(v5 && p.chance(0.3) && { reasonCode: p.pick([0, 0x10, 0x80, 0x92]) }) } as Packet;
    case 7:
    case 8:
      return { cmd: 'pingreq' };
    case 9:
      return { cmd: 'disconnect', ...(v5 && p.chance(0.5) && { reasonCode: p.pick([0, 4]) }) } as Packet;
    case 10:
      return v5 ? ({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'x' } } as Packet) : { cmd: 'pingreq' };
    default:
      return p.pick<Packet>([
        { cmd: 'connack', returnCode: 0, reasonCode: 0, sessionPresent: false },
        { cmd: 'suback', messageId, granted: [0, 1] },
        { cmd: 'unsuback', messageId, granted: [0] },
        { cmd: 'pingresp' },
      ]);
  }
}

/** CONNECT then `n` more packets, each encoded at `version`, with where each starts. */
function validStream(p: Prng, version: Version, n: number): { bytes: Buffer; starts: number[] } {
  const parts = [mqttPacket.generate(connectPacket(p, version), { protocolVersion: version })];
  for (let i = 0; i < n; i++) parts.push(mqttPacket.generate(laterPacket(p, version), { protocolVersion: version }));
  const starts: number[] = [];
  let at = 0;
  for (const part of parts) {
    starts.push(at);
    at += part.length;
  }
  return { bytes: Buffer.concat(parts), starts };
}

/**
 * Damage aimed at MQTT's framing as well as random: a packet's first byte (type and flags) or its
 * remaining length rewritten, bytes flipped, cut, inserted, deleted, repeated or appended.
 */
function mutate(p: Prng, valid: { bytes: Buffer; starts: readonly number[] }, skipFirst: boolean): Buffer {
  let b = Buffer.from(valid.bytes);
  const starts = skipFirst ? valid.starts.slice(1) : [...valid.starts];
  const from = skipFirst ? (valid.starts[1] ?? b.length) : 0;
  const rounds = 1 + p.int(3);
  for (let r = 0; r < rounds && b.length > from; r++) {
    const at = from + p.int(b.length - from);
    const start = starts.length > 0 ? (p.pick(starts) as number) : at;
    switch (p.int(10)) {
      case 0:
        b[at] = (b[at] as number) ^ (1 << p.int(8));
        break;
      case 1:
        b[at] = p.int(256);
        break;
      case 2:
        if (start < b.length) b[start] = p.int(256);
        break;
      case 3:
        if (start + 1 < b.length) b = Buffer.concat([b.subarray(0, start + 1), varint(p.pick([0, 1, 2, 127, 128, 16383, 16384, 268_435_455, p.int(4096)])), b.subarray(start + 2)]);
        break;
      case 4:
        if (start + 1 < b.length) b = Buffer.concat([b.subarray(0, start + 1), Buffer.from([0xff, 0xff, 0xff, 0xff, p.int(256)]), b.subarray(start + 2)]);
        break;
      case 5:
        b = b.subarray(0, at);
        break;
      case 6:
        b = Buffer.concat([b.subarray(0, at), p.bytes(1 + p.int(8)), b.subarray(at)]);
        break;
      case 7:
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + p.int(8)))]);
        break;
      case 8: {
        const end = Math.min(b.length, at + 1 + p.int(32));
        b = Buffer.concat([b.subarray(0, end), b.subarray(at, end), b.subarray(end)]);
        break;
      }
      default:
        b = Buffer.concat([b, p.bytes(1 + p.int(48))]);
    }
  }
  return b;
}

// ---- (a) the parser ----------------------------------------------------------------------------

type Codec = typeof import('../../src/protocol/mqtt/codec.js');

let instances = 0;

/**
 * A separate instance of the codec module. The codec keeps one mqtt-packet parser for the whole
 * process, so what one input leaves behind could otherwise reach the next input (and the live server
 * below): each property is checked on an instance known to read a valid stream correctly.
 */
async function freshCodec(): Promise<Codec> {
  const url = new URL('../../src/protocol/mqtt/codec.js', import.meta.url);
  url.search = `instance=${++instances}`;
  return (await import(url.href)) as Codec;
}

interface Run {
  /** Each packet as text, `error <message>` where the parser reported one, `throw:<message>` if feed threw. */
  readonly events: string[];
  readonly errors: number;
  /** A packet reported after the error. */
  readonly afterError: boolean;
  readonly oversize: string[];
}

/** What a packet says, as text, taken during the callback (a PUBLISH's payload is only lent for it). */
function describePacket(packet: Packet): string {
  if (packet.cmd === 'publish') {
    const props = packet.properties === undefined ? '' : ` ${JSON.stringify(packet.properties)}`;
    return `publish q${packet.qos}${packet.retain ? 'r' : ''}${packet.dup ? 'd' : ''} #${packet.messageId ?? '-'} ${JSON.stringify(packet.topic)} ${Buffer.from(packet.payload as Buffer).toString('hex')}${props}`;
  }
  const id = (packet as { messageId?: number }).messageId;
  return `${packet.cmd}${id === undefined ? '' : ` #${id}`}`;
}

/**
 * The remaining length a packet had: mqtt-packet records it; for a PUBLISH read by the codec's own
 * path (no properties) a lower bound is rebuilt from the fields (each U+FFFD the topic decoded to may
 * have been a single invalid byte), so that a packet that fit is never counted as too long.
 */
function remainingLength(packet: Packet, version: Version): number {
  const recorded = (packet as { length?: number }).length;
  if (typeof recorded === 'number' && recorded >= 0) return recorded;
  if (packet.cmd !== 'publish') return -1;
  const replaced = packet.topic.split('\ufffd').length - 1;
  const topicBytes = Buffer.byteLength(packet.topic) - 2 * replaced;
  return 2 + topicBytes + (packet.qos > 0 ? 2 : 0) + (version === 5 ? 1 : 0) + (packet.payload as Buffer).length;
}

/** `throwAt`: the handler throws on that packet (counting from 1), as a failing packet handler would. */
function parse(codec: Codec, chunks: readonly Buffer[], maxPacketSize: number, throwAt = 0): Run {
  const events: string[] = [];
  const oversize: string[] = [];
  let errors = 0;
  let afterError = false;
  let version: Version = 4;
  const parser: MqttParser = new codec.MqttParser(
    (packet) => {
      if (errors > 0) afterError = true;
      // As the connection does on CONNECT: the rest is read at the client's level.
      if (packet.cmd === 'connect' && (packet.protocolVersion === 4 || packet.protocolVersion === 5)) parser.version = version = packet.protocolVersion;
      const length = remainingLength(packet, version);
      if (length > maxPacketSize) oversize.push(`${packet.cmd} of ${length}`);
      events.push(describePacket(packet));
      if (events.length === throwAt) throw new Error('handler failed');
    },
    (message) => {
      errors++;
      events.push(`error ${message}`);
    },
    maxPacketSize,
  );
  // More valid input after the stream: a parser that failed must not deliver it.
  const trailer = [Buffer.from([0xc0, 0x00]), Buffer.from([0xc0, 0x00, 0xc0])];
  for (const chunk of [...chunks, ...trailer]) {
    try {
      parser.feed(chunk);
    } catch (err) {
      events.push(`throw:${(err as Error).message}`);
      // The connection closes after a handler failure: it feeds nothing more.
      break;
    }
  }
  return { events, errors, afterError, oversize };
}

/** Every packet type a client sends, at both levels, including ones past the codec's own fast paths. */
const CANARIES = ([4, 5] as const).map((v) =>
  Buffer.concat(
    [
      { cmd: 'connect', protocolId: 'MQTT', protocolVersion: v, clientId: 'canary', clean: true, keepalive: 30 },
      { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'c/#', qos: 1 }] },
      { cmd: 'pingreq' },
      { cmd: 'publish', topic: 'c/t', payload: Buffer.from('p'), qos: 1, messageId: 2, retain: false, dup: false, ...(v === 5 && { properties: { contentType: 'x' } }) },
      { cmd: 'publish', topic: 'c/t', payload: Buffer.from('q'), qos: 0, retain: false, dup: false },
      { cmd: 'puback', messageId: 7 },
      { cmd: 'unsubscribe', messageId: 3, unsubscriptions: ['c/#'] },
      { cmd: 'disconnect' },
    ].map((packet) => mqttPacket.generate(packet as Packet, { protocolVersion: v })),
  ),
);

/** What the canaries read as, from an instance nothing else has used. */
async function canaryReference(): Promise<string[][]> {
  const codec = await freshCodec();
  const ref = CANARIES.map((c) => parse(codec, [c], ROOMY).events);
  // The eight packets, then the two PINGREQs of parse()'s trailer.
  const cmds = ['connect', 'subscribe', 'pingreq', 'publish', 'publish', 'puback', 'unsubscribe', 'disconnect', 'pingreq', 'pingreq'];
  for (const events of ref) assert.deepEqual(events.map((e) => e.split(' ')[0]), cmds, `a fresh parser reads the canary: ${events.join(', ')}`);
  return ref;
}

/** `quick`: the 3.1.1 canary alone, which is enough to see what mqtt-packet was left holding. */
function readsCanaries(codec: Codec, reference: readonly string[][], quick = false): boolean {
  return CANARIES.every((c, k) => (quick && k > 0) || JSON.stringify(parse(codec, [c], ROOMY).events) === JSON.stringify(reference[k]));
}

/** A codec instance that still reads valid input correctly: the current one, or a new one if it no longer does. */
class CleanCodec {
  private codec: Codec | null = null;
  /** How many times the instance had to be replaced. */
  replaced = 0;

  constructor(private readonly reference: readonly string[][]) {}

  async get(): Promise<Codec> {
    if (this.codec === null || !readsCanaries(this.codec, this.reference, true)) {
      if (this.codec !== null) this.replaced++;
      this.codec = await freshCodec();
    }
    return this.codec;
  }
}

interface Input {
  readonly version: Version;
  readonly bytes: Buffer;
  readonly chunks: Buffer[];
}

function inputs(p: Prng, n: number): Input[] {
  return Array.from({ length: n }, () => {
    const version: Version = p.chance(0.5) ? 4 : 5;
    const valid = validStream(p, version, 1 + p.int(6));
    const bytes = p.chance(0.1) ? valid.bytes : mutate(p, valid, p.chance(0.5));
    return { version, bytes, chunks: randomChunks(p, bytes, 1 + p.int(6)) };
  });
}

function replay(i: number, input: Input, how: string): string {
  return `FUZZ_SEED=${SEED}, input ${i} (MQTT ${input.version}, ${how}): ${input.bytes.toString('hex').slice(0, 400)}`;
}

function cuts(input: Input): string {
  return `chunks ${input.chunks.map((c) => c.length).join('+')}`;
}

describe('MQTT parser fuzz (unit)', () => {
  const runs = inputs(new Prng(SEED), PARSER_INPUTS);

  test('damaged streams never make the parser throw, and after an error nothing more is delivered', async () => {
    const clean = new CleanCodec(await canaryReference());
    let errored = 0;
    let delivered = 0;
    for (const [i, input] of runs.entries()) {
      for (const limit of [ROOMY, TIGHT]) {
        for (const [how, chunks] of [
          ['whole', [input.bytes]],
          [cuts(input), input.chunks],
        ] as const) {
          const r = parse(await clean.get(), chunks, limit);
          const what = replay(i, input, `${how}, limit ${limit}`);
          assert.deepEqual(
            r.events.filter((e) => e.startsWith('throw:')),
            [],
            `feed threw; ${what}`,
          );
          assert.ok(r.errors <= 1, `${r.errors} errors reported; ${what}`);
          assert.equal(r.afterError, false, `a packet after the error (${r.events.join(', ')}); ${what}`);
          if (r.errors > 0) errored++;
          delivered += r.events.length - r.errors;
        }
      }
    }
    // The inputs reach both outcomes; a generator that produced only garbage (or only valid streams) would test little.
    assert.ok(errored > PARSER_INPUTS / 2, `only ${errored} runs ended in an error`);
    assert.ok(delivered > PARSER_INPUTS, `only ${delivered} packets delivered in all`);
  });

  test('what one parser was fed (or its handler threw on) does not change what another parser reads', async () => {
    const reference = await canaryReference();
    const p = new Prng((SEED ^ 0xca7) >>> 0);
    const leaks: string[] = [];
    let codec = await freshCodec();
    for (const [i, input] of runs.entries()) {
      const throwAt = p.chance(0.3) ? 1 + p.int(4) : 0;
      const whole = p.chance(0.5);
      const limit = p.chance(0.5) ? ROOMY : TIGHT;
      parse(codec, whole ? [input.bytes] : input.chunks, limit, throwAt);
      if (readsCanaries(codec, reference)) continue;
      leaks.push(replay(i, input, `${whole ? 'whole' : cuts(input)}, limit ${limit}${throwAt > 0 ? `, handler threw on packet ${throwAt}` : ''}`));
      // Counted once per input that does it, on an instance that was clean before it.
      codec = await freshCodec();
    }
    assert.deepEqual(leaks.slice(0, 3), [], `${leaks.length} of ${runs.length} inputs left the parser misreading a valid stream fed to a new parser after them`);
  });

  test('how the bytes are cut does not change what is parsed', async () => {
    const reference = await canaryReference();
    // One instance each, so that leftovers of one reading cannot pass for a difference in cutting.
    const wholeCodec = new CleanCodec(reference);
    const cutCodec = new CleanCodec(reference);
    for (const [i, input] of runs.entries()) {
      const whole = parse(await wholeCodec.get(), [input.bytes], ROOMY);
      const cut = parse(await cutCodec.get(), input.chunks, ROOMY);
      assert.deepEqual(cut.events, whole.events, replay(i, input, cuts(input)));
    }
  });

  test('a packet whose fixed header is cut across reads is delivered as soon as it is complete', async () => {
    // Found by the test above; kept as a fixed case. A 2-byte PINGREQ whose second byte arrives alone,
    // after a packet that spanned reads, must not wait for more bytes (the client would time out on it).
    const codec = await freshCodec();
    const connect = mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 0 });
    const publish = mqttPacket.generate({ cmd: 'publish', topic: 'a', payload: Buffer.alloc(300), qos: 0, retain: false, dup: false });
    const events: string[] = [];
    const parser = new codec.MqttParser(
      (packet) => void events.push(packet.cmd),
      (message) => void events.push(`error ${message}`),
      ROOMY,
    );
    parser.feed(connect);
    parser.feed(publish.subarray(0, 100));
    parser.feed(Buffer.concat([publish.subarray(100), Buffer.from([0xc0])]));
    parser.feed(Buffer.from([0x00]));
    assert.deepEqual(events, ['connect', 'publish', 'pingreq']);
  });

  test('no packet longer than maxPacketSize is delivered, however the bytes are cut', async () => {
    // Framing decides this before mqtt-packet sees a byte, so leftovers there cannot hide a failure.
    const codec = await freshCodec();
    // One packet over the limit that arrives in a single chunk (a WebSocket message carries a whole one).
    const big = mqttPacket.generate({ cmd: 'publish', topic: 'a', payload: Buffer.alloc(200), qos: 0, retain: false, dup: false });
    const connect = mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 0 });
    const single = parse(codec, [Buffer.concat([connect, big])], 100);
    assert.deepEqual(single.oversize, [], `a ${big.length}-byte PUBLISH in one chunk under a limit of 100: ${single.events.join(', ')}`);
    assert.equal(single.errors, 1, `refused: ${single.events.join(', ')}`);
    for (const [i, input] of runs.entries()) {
      for (const [how, chunks] of [
        ['whole', [input.bytes]],
        [cuts(input), input.chunks],
      ] as const) {
        const r = parse(codec, chunks, TIGHT);
        assert.deepEqual(r.oversize, [], replay(i, input, `${how}, limit ${TIGHT}`));
      }
    }
  });
});

// ---- (b) a live server -------------------------------------------------------------------------

/** A fuzz connection: CONNECT (valid or not), then damaged packets in random pieces, then gone. */
async function fuzzConnection(p: Prng, port: number): Promise<void> {
  const version: Version = p.chance(0.5) ? 4 : 5;
  const valid = validStream(p, version, 2 + p.int(8));
  const connectEnd = valid.starts[1] ?? valid.bytes.length;
  const damagedConnect = p.chance(0.15);
  const bytes = damagedConnect ? mutate(p, valid, false) : Buffer.concat([valid.bytes.subarray(0, connectEnd), mutate(p, valid, true).subarray(connectEnd)]);
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  let closed = false;
  const change = new Promise<void>((resolve) => {
    socket.once('data', () => resolve());
    socket.once('close', () => {
      closed = true;
      resolve();
    });
  });
  socket.resume();
  await new Promise<void>((resolve) => {
    socket.once('connect', () => resolve());
    socket.once('close', () => resolve());
  });
  if (!closed) {
    // CONNECT alone, then the rest once CONNACK is in: packets behind CONNECT in one write would all end at its check.
    socket.write(bytes.subarray(0, Math.min(connectEnd, bytes.length)));
    await Promise.race([change, sleep(200)]);
    const rest = bytes.subarray(Math.min(connectEnd, bytes.length));
    for (const chunk of randomChunks(p, rest, 1 + p.int(4))) {
      if (closed || socket.destroyed) break;
      socket.write(chunk);
      await sleep(p.int(3));
    }
    await Promise.race([new Promise<void>((resolve) => socket.once('close', () => resolve())), sleep(20 + p.int(30))]);
  }
  socket.destroy();
}

let checks = 0;

/** The bystander subscribes (through mqtt-packet), publishes at QoS 1 and receives; a new client gets CONNACK. */
async function bystanderWorks(t: TestContext, url: string, b: TestMqttClient, label: string): Promise<void> {
  assert.equal(b.client.connected, true, `bystander disconnected (${label})`);
  const topic = `bystander/${++checks}`;
  const bounded = <T>(what: string, work: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: nothing in 3 s (${label})`)), 3000);
    });
    // Cleared either way: a pending timer would hold the process open after the test.
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  };
  await bounded('bystander SUBSCRIBE', b.client.subscribeAsync(topic, { qos: 1 }));
  const n = b.received.length;
  await bounded('bystander PUBLISH', b.client.publishAsync(topic, label, { qos: 1 }));
  const got = await b.waitFor(n + 1, 3000);
  assert.deepEqual([got[n]?.topic, got[n]?.payload], [topic, label], `bystander echo (${label})`);
  const fresh = await mqttConnect(t, url, { protocolVersion: 4, clientId: `fuzz-fresh-${checks}`, connectTimeout: 3000 }).catch((err: Error) => err);
  assert.ok(!(fresh instanceof Error), `a new client could not connect (${label}): ${fresh instanceof Error ? fresh.message : ''}`);
  await fresh.client.endAsync();
}

test('MQTT port fuzz (live): damaged packets from a handful of sockets at a time never stop the server serving others', async (t) => {
  const uncaught: string[] = [];
  const onUncaught = (err: unknown): void => void uncaught.push(String((err as Error)?.stack ?? err));
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  t.after(() => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  });
  const s = await startMqttServer(t);
  const b = await mqttConnect(t, s.mqttUrl, { protocolVersion: 5, clientId: 'fuzz-bystander', keepalive: 0 });
  const p = new Prng((SEED ^ 0x11fe) >>> 0);
  const midRun: string[] = [];
  const startedAt = Date.now();
  for (let round = 0; round < LIVE_ROUNDS; round++) {
    await Promise.all(Array.from({ length: LIVE_SOCKETS }, () => fuzzConnection(p, s.server.mqttPort)));
    // Kept, not thrown: the checks below still report on the whole run.
    if (round % 10 === 9) await bystanderWorks(t, s.mqttUrl, b, `FUZZ_SEED=${SEED}, after round ${round}`).catch((err: Error) => void midRun.push(err.message));
  }
  const elapsed = Date.now() - startedAt;

  await t.test('the server is up, a client connected before still subscribes, publishes and receives, and a new one connects', async () => {
    assert.deepEqual(midRun, [], 'checks during the run');
    await bystanderWorks(t, s.mqttUrl, b, `FUZZ_SEED=${SEED}, at the end`);
    assert.ok(elapsed < 30_000, `the run took ${elapsed} ms`);
  });
  await t.test('no uncaught exception or unhandled rejection in the process', () => {
    assert.deepEqual(uncaught, [], `FUZZ_SEED=${SEED}`);
  });
  await t.test('no packet handler threw (an input is rejected, not crashed on: no "internal error" logged)', () => {
    const thrown = s.logs.filter((l) => l.includes('internal error')).map((l) => (l.split(/\n|\\n/)[0] as string).trim().slice(0, 300));
    assert.deepEqual([...new Set(thrown.map((l) => l.replace(/^.*? - mid:\S+ - /, '')))], [], `FUZZ_SEED=${SEED}; e.g. ${thrown[0] ?? ''}`);
  });
});
