// Bad input on the MQTT port (mqtt-mapping.md §8 and §9): each offending connection gets the answer
// the spec gives (often nothing, or an MQTT 5 DISCONNECT with a reason) and is closed, and a client
// that was connected before keeps publishing and receiving, since a bad input closes at most the
// connection it came from (ARCHITECTURE.md, Errors). Raw sockets speak the wire so that malformed
// bytes can be sent; mqtt.js is the healthy bystander.

import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import mqttPacket from 'mqtt-packet';
import type { IConnackPacket, IDisconnectPacket, IPubrecPacket, IPublishPacket, ISubackPacket, Packet } from 'mqtt-packet';
import { mqttConnect, settle } from '../../helpers/mqtt-client.js';
import type { TestMqttClient } from '../../helpers/mqtt-client.js';
import { startMqttServer } from './harness.js';
import type { MqttServer } from './harness.js';
import { varint } from '../../helpers/mqtt-wire.js';

/** How long an answer or a close may take; every wait here is bounded by it, except the one below. */
const WAIT_MS = 3000;
/** The default authenticator timeout is 2 s; a little more than twice that still proves it fires. */
const NO_CONNECT_WAIT_MS = 5000;

type Version = 4 | 5;

function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

function u16(n: number): Buffer {
  return Buffer.from([n >> 8, n & 0xff]);
}

/**
 * A CONNECT built by hand: mqtt-packet's generate refuses the levels and flag combinations these
 * tests need (level 6, an empty id with clean=0).
 */
function rawConnect(protocolId: string, level: number, clientId: string, clean: boolean): Buffer {
  const name = Buffer.from(protocolId);
  const id = Buffer.from(clientId);
  const props = level === 5 ? Buffer.from([0]) : Buffer.alloc(0);
  const body = Buffer.concat([u16(name.length), name, Buffer.from([level, clean ? 0x02 : 0x00]), u16(60), props, u16(id.length), id]);
  return Buffer.concat([Buffer.from([0x10]), varint(body.length), body]);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A raw MQTT peer: writes bytes, keeps what the server sends (bytes and parsed packets), sees the close. */
class RawMqtt {
  readonly packets: Packet[] = [];
  private readonly chunks: Buffer[] = [];
  private readonly parser: ReturnType<typeof mqttPacket.parser>;
  private read = 0;
  private closedFlag = false;
  private closedAt = 0;
  private parseError = '';
  private waiters: Array<() => void> = [];

  private constructor(
    readonly socket: net.Socket,
    version: Version,
  ) {
    this.parser = mqttPacket.parser({ protocolVersion: version });
    this.parser.on('packet', (p: Packet) => {
      this.packets.push(p);
      this.wake();
    });
    this.parser.on('error', (err: Error) => {
      this.parseError = err.message;
    });
    socket.on('data', (d: Buffer) => {
      this.chunks.push(d);
      this.parser.parse(d);
      this.wake();
    });
    socket.on('close', () => {
      this.closedFlag = true;
      this.closedAt = Date.now();
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static async open(t: TestContext, server: MqttServer, version: Version = 4): Promise<RawMqtt> {
    const raw = await RawMqtt.openWith(server, version);
    t.after(() => void raw.socket.destroy());
    return raw;
  }

  static openWith(server: MqttServer, version: Version): Promise<RawMqtt> {
    return withTimeout(
      new Promise((resolve, reject) => {
        const s = net.connect({ host: '127.0.0.1', port: server.server.mqttPort }, () => {
          const raw = new RawMqtt(s, version);
          raw.logs = server.logs;
          raw.logMark = server.logs.length;
          resolve(raw);
        });
        s.once('error', reject);
      }),
      WAIT_MS,
      'TCP connect',
    );
  }

  private logs: string[] = [];
  private logMark = 0;

  /** What the server logged since this connection opened (first line of each entry). */
  get log(): string[] {
    return this.logs.slice(this.logMark).map(firstLine);
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private until(done: () => boolean, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(done()), ms);
      const check = (): void => {
        if (done()) {
          clearTimeout(timer);
          resolve(true);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  send(data: Buffer | Packet, version: Version = 4): void {
    this.socket.write(Buffer.isBuffer(data) ? data : mqttPacket.generate(data, { protocolVersion: version }));
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  get closedAtMs(): number {
    return this.closedAt;
  }

  /** Every byte received, from the start. */
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Packets not yet taken by next(). */
  get unread(): Packet[] {
    return this.packets.slice(this.read);
  }

  /** The next packet the server sent; rejects if none comes (or the connection closes first). */
  async next(ms = WAIT_MS): Promise<Packet> {
    await this.until(() => this.packets.length > this.read || this.closedFlag, ms);
    if (this.packets.length > this.read) return this.packets[this.read++] as Packet;
    throw new Error(`no packet within ${ms} ms (${this.describe()})`);
  }

  /** True once the server has closed the connection, false if it is still open after `ms`. */
  closedWithin(ms = WAIT_MS): Promise<boolean> {
    return this.until(() => this.closedFlag, ms);
  }

  describe(): string {
    const bytes = this.bytes;
    const shown = bytes.length > 64 ? `${bytes.subarray(0, 64).toString('hex')}... (${bytes.length} bytes)` : bytes.toString('hex') || 'nothing';
    const log = this.log.filter((l) => !l.includes('[INF]'));
    return `received ${shown}, ${this.closedFlag ? 'closed' : 'still open'}${this.parseError === '' ? '' : `, unparseable: ${this.parseError}`}; log since open: ${log.join(' | ') || 'nothing'}`;
  }
}

let clientIds = 0;

/** A raw connection past CONNACK at `version`. */
async function connected(t: TestContext, s: MqttServer, version: Version): Promise<{ raw: RawMqtt; connack: IConnackPacket }> {
  const raw = await RawMqtt.open(t, s, version);
  raw.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clientId: `raw-${++clientIds}`, clean: true, keepalive: 0 }, version);
  const connack = (await raw.next()) as IConnackPacket;
  assert.equal(connack.cmd, 'connack', raw.describe());
  assert.equal(version === 5 ? connack.reasonCode : connack.returnCode, 0, raw.describe());
  return { raw, connack };
}

/** A log entry without the stack trace an internal error carries (escaped or not). */
function firstLine(entry: string): string {
  return (entry.split(/\n|\\n/)[0] as string).trim();
}

/** The last log lines, for failure messages about the server as a whole. */
function logTail(s: MqttServer, n = 4): string {
  return s.logs
    .slice(-n)
    .map(firstLine)
    .join(' | ');
}

/** A rejection is a protocol decision: a handler that threw (caught and logged as an internal error) is a bug. */
function assertNoInternalError(raw: RawMqtt, what: string): void {
  const thrown = raw.log.filter((l) => l.includes('internal error'));
  assert.deepEqual(thrown, [], `${what}: a handler threw instead of rejecting the input`);
}

/** Asserts the connection was closed with nothing (more) sent: 3.1.1 has no way to say why. */
async function assertClosedSilently(raw: RawMqtt, what: string): Promise<void> {
  const closed = await raw.closedWithin();
  assert.equal(closed, true, `${what}: not closed within ${WAIT_MS} ms (${raw.describe()})`);
  assert.deepEqual(
    raw.unread.map((p) => p.cmd),
    [],
    `${what}: expected nothing before the close (${raw.describe()})`,
  );
  assertNoInternalError(raw, what);
}

/** Asserts an MQTT 5 DISCONNECT with one of `reasons`, then the close [MQTT-4.13.1-1]. */
async function assertDisconnected(raw: RawMqtt, reasons: readonly number[], what: string): Promise<void> {
  const closed = await raw.closedWithin();
  const sent = raw.unread;
  const detail = `${what}: ${raw.describe()}`;
  assert.equal(closed, true, `not closed within ${WAIT_MS} ms - ${detail}`);
  assert.deepEqual(
    sent.map((p) => p.cmd),
    ['disconnect'],
    `expected one DISCONNECT - ${detail}`,
  );
  const reason = (sent[0] as IDisconnectPacket).reasonCode ?? 0;
  assert.ok(reasons.includes(reason), `DISCONNECT reason 0x${reason.toString(16)}, expected ${reasons.map((r) => `0x${r.toString(16)}`).join(' or ')} - ${detail}`);
  assertNoInternalError(raw, what);
}

/** A healthy MQTT 5 client connected before the bad input; its CONNACK carries the server's limits. */
async function bystander(t: TestContext, s: MqttServer): Promise<TestMqttClient> {
  return mqttConnect(t, s.mqttUrl, { protocolVersion: 5, clientId: `bystander-${++clientIds}`, keepalive: 0 });
}

let checks = 0;

/**
 * The server still serves everyone else: the bystander subscribes (a packet the codec hands to
 * mqtt-packet), publishes at QoS 1 and receives it, and a new client gets its CONNACK.
 */
async function assertBystanderWorks(b: TestMqttClient, s: MqttServer, after: string): Promise<void> {
  assert.equal(b.client.connected, true, `bystander disconnected after ${after} (log: ${logTail(s)})`);
  const topic = `bystander/${++checks}`;
  const granted = await withTimeout(b.client.subscribeAsync(topic, { qos: 1 }), WAIT_MS, `bystander SUBSCRIBE after ${after}`);
  assert.deepEqual(
    granted.map((g) => g.qos),
    [1],
    `bystander SUBACK after ${after}`,
  );
  const n = b.received.length;
  const payload = `after ${after}`;
  await withTimeout(b.client.publishAsync(topic, payload, { qos: 1 }), WAIT_MS, `bystander PUBLISH after ${after}`);
  // Polled, not counted: a catch-all subscription of the bystander may add copies.
  const deadline = Date.now() + WAIT_MS;
  while (!b.received.slice(n).some((m) => m.topic === topic && m.payload === payload) && Date.now() < deadline) await settle(10);
  assert.ok(
    b.received.slice(n).some((m) => m.topic === topic && m.payload === payload),
    `bystander did not receive its own message after ${after}`,
  );
  const fresh = await RawMqtt.openWith(s, 4);
  try {
    fresh.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: `fresh-${checks}`, clean: true, keepalive: 0 });
    const connack = await fresh.next().catch((err: Error) => err);
    assert.ok(!(connack instanceof Error) && connack.cmd === 'connack', `a new client after ${after} got no CONNACK: ${fresh.describe()}`);
  } finally {
    fresh.socket.destroy();
  }
}

// ---- malformed packets -------------------------------------------------------------------------

interface Malformed {
  readonly name: string;
  /** The bytes at each level: MQTT 5 puts a property length after the variable header. */
  readonly bytes: (v: Version) => Buffer;
  /** DISCONNECT reasons acceptable from an MQTT 5 server: 0x81 malformed, 0x82 protocol error. */
  readonly v5: readonly number[];
  /** A case for one level only (AUTH is a valid MQTT 5 packet). */
  readonly only?: Version;
}

const MALFORMED = 0x81;
const PROTOCOL_ERROR = 0x82;

function withLength(first: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([first]), varint(body.length), body]);
}

function noProps(v: Version): Buffer {
  return v === 5 ? Buffer.from([0]) : Buffer.alloc(0);
}

/** SUBSCRIBE with fixed-header byte `first`, packet id `pid`, and (filter, options byte) pairs. */
function subscribeBytes(v: Version, first: number, pid: number, filters: ReadonlyArray<readonly [string, number]>): Buffer {
  const payload = filters.map(([f, o]) => Buffer.concat([u16(Buffer.byteLength(f)), Buffer.from(f), Buffer.from([o])]));
  return withLength(first, Buffer.concat([u16(pid), noProps(v), ...payload]));
}

function unsubscribeBytes(v: Version, first: number, pid: number, filters: readonly string[]): Buffer {
  const payload = filters.map((f) => Buffer.concat([u16(Buffer.byteLength(f)), Buffer.from(f)]));
  return withLength(first, Buffer.concat([u16(pid), noProps(v), ...payload]));
}

/** PUBLISH topic `a`, payload `x`, with fixed-header byte `first` and (for QoS>0) packet id `pid`. */
function publishBytes(v: Version, first: number, pid: number | null): Buffer {
  return withLength(first, Buffer.concat([u16(1), Buffer.from('a'), pid === null ? Buffer.alloc(0) : u16(pid), noProps(v), Buffer.from('x')]));
}

const MALFORMED_PACKETS: readonly Malformed[] = [
  // [MQTT-2.2.2-1, 2.2.2-2]: reserved fixed-header flags must be as listed, else close.
  { name: 'SUBSCRIBE with fixed-header flags 0 instead of 2', bytes: (v) => subscribeBytes(v, 0x80, 1, [['a', 0]]), v5: [MALFORMED] },
  { name: 'UNSUBSCRIBE with fixed-header flags 0 instead of 2', bytes: (v) => unsubscribeBytes(v, 0xa0, 1, ['a']), v5: [MALFORMED] },
  { name: 'PUBREL with fixed-header flags 0 instead of 2', bytes: () => hex('60 02 0001'), v5: [MALFORMED] },
  { name: 'PINGREQ with a fixed-header flag set', bytes: () => hex('c1 00'), v5: [MALFORMED] },
  // [MQTT-3.3.1-4]
  { name: 'PUBLISH with QoS 3', bytes: (v) => publishBytes(v, 0x36, 1), v5: [MALFORMED] },
  // A remaining length has at most four bytes.
  { name: 'a remaining length with a fifth byte', bytes: () => hex('30 ff ff ff ff 01'), v5: [MALFORMED] },
  { name: 'a remaining length too short for the topic it holds', bytes: () => hex('30 03 0005 61'), v5: [MALFORMED] },
  // [MQTT-3.8.3-4]: requested QoS 3 closes.
  { name: 'SUBSCRIBE asking for QoS 3', bytes: (v) => subscribeBytes(v, 0x82, 1, [['a', 3]]), v5: [MALFORMED] },
  // [MQTT-3.8.3-3], [MQTT-3.10.3-2]: at least one filter.
  { name: 'SUBSCRIBE with no filter', bytes: (v) => subscribeBytes(v, 0x82, 1, []), v5: [MALFORMED, PROTOCOL_ERROR] },
  { name: 'UNSUBSCRIBE with no filter', bytes: (v) => unsubscribeBytes(v, 0xa2, 1, []), v5: [MALFORMED, PROTOCOL_ERROR] },
  // [MQTT-2.3.1-1]: SUBSCRIBE, UNSUBSCRIBE and QoS>0 PUBLISH carry a non-zero packet id.
  { name: 'SUBSCRIBE with packet id 0', bytes: (v) => subscribeBytes(v, 0x82, 0, [['a', 0]]), v5: [MALFORMED, PROTOCOL_ERROR] },
  { name: 'UNSUBSCRIBE with packet id 0', bytes: (v) => unsubscribeBytes(v, 0xa2, 0, ['a']), v5: [MALFORMED, PROTOCOL_ERROR] },
  { name: 'PUBLISH QoS 1 with packet id 0', bytes: (v) => publishBytes(v, 0x32, 0), v5: [MALFORMED, PROTOCOL_ERROR] },
  // Packet type 0 is reserved; the rest is noise.
  { name: 'garbage bytes (reserved type 0, then noise)', bytes: () => hex('00 04 de ad be ef ff ff ff'), v5: [MALFORMED, PROTOCOL_ERROR] },
  { name: 'a CONNACK from the client', bytes: () => hex('20 02 00 00'), v5: [MALFORMED, PROTOCOL_ERROR] },
  { name: 'AUTH on 3.1.1', bytes: () => hex('f0 00'), v5: [], only: 4 },
];

// First in the file: what it checks is state that outlives a connection (and a server in this process).
test("an input rejected inside a packet leaves later connections' packets intact", async (t) => {
  const s = await startMqttServer(t);
  const rejected: Array<[string, Version, Buffer]> = [
    ['SUBSCRIBE asking for QoS 3 (3.1.1)', 4, subscribeBytes(4, 0x82, 1, [['a', 3]])],
    ['PUBCOMP with reason 0x10, not a PUBCOMP reason (MQTT 5)', 5, hex('70 04 0001 10 00')],
    ['PUBLISH with an unknown property 0x7f (MQTT 5)', 5, withLength(0x30, Buffer.concat([u16(1), Buffer.from('a'), hex('02 7f 00'), Buffer.from('x')]))],
    // Parsed fine, but (at the time of writing) its handler throws while the parser is mid-packet.
    ['SUBSCRIBE with no filter (3.1.1)', 4, subscribeBytes(4, 0x82, 1, [])],
  ];
  for (const [name, version, bytes] of rejected) {
    await t.test(name, async (st) => {
      const { raw } = await connected(st, s, version);
      raw.send(bytes);
      assert.equal(await raw.closedWithin(), true, `${name}: ${raw.describe()}`);
      for (const v of [4, 5] as const) {
        const next = await RawMqtt.open(st, s, v);
        next.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: v, clientId: `next-${++clientIds}`, clean: true, keepalive: 0 }, v);
        const connack = await next.next().catch((err: Error) => err);
        assert.ok(!(connack instanceof Error) && connack.cmd === 'connack', `MQTT ${v} CONNECT after ${name}: ${next.describe()}`);
        next.send({ cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'next/t', qos: 1 }] }, v);
        const suback = await next.next();
        assert.deepEqual([suback.cmd, (suback as ISubackPacket).granted], ['suback', [1]], `MQTT ${v} SUBSCRIBE after ${name}: ${next.describe()}`);
        next.send(hex('c0 00'));
        assert.equal((await next.next()).cmd, 'pingresp', `MQTT ${v} PINGREQ after ${name}: ${next.describe()}`);
      }
    });
  }
});

for (const version of [4, 5] as const) {
  test(`MQTT ${version === 5 ? '5' : '3.1.1'}: malformed packets after CONNECT close only their connection`, async (t) => {
    const s = await startMqttServer(t);
    const b = await bystander(t, s);
    for (const c of MALFORMED_PACKETS.filter((m) => m.only === undefined || m.only === version)) {
      await t.test(c.name, async (st) => {
        const { raw } = await connected(st, s, version);
        raw.send(c.bytes(version));
        if (version === 4) await assertClosedSilently(raw, c.name);
        else await assertDisconnected(raw, c.v5, c.name);
        await assertBystanderWorks(b, s, c.name);
      });
    }
  });

  test(`MQTT ${version === 5 ? '5' : '3.1.1'}: a remaining length beyond the maximum packet size closes before the body arrives`, async (t) => {
    const s = await startMqttServer(t);
    const b = await bystander(t, s);
    const max = b.connack.properties?.maximumPacketSize;
    assert.equal(typeof max, 'number', 'the MQTT 5 CONNACK advertises maximumPacketSize');
    for (const claimed of [(max as number) + 1, 268_435_455]) {
      await t.test(`remaining length ${claimed}`, async (st) => {
        const { raw } = await connected(st, s, version);
        // The header and a sliver of the body: a server that buffered it all would still be waiting.
        const head = Buffer.concat([Buffer.from([0x30]), varint(claimed), u16(1), Buffer.from('a'), Buffer.alloc(1024)]);
        const sentAt = Date.now();
        raw.send(head);
        // MQTT 5 names this case: DISCONNECT 0x95 Packet too large (§3.2.2.3.6, §4.13).
        if (version === 4) await assertClosedSilently(raw, `remaining length ${claimed}`);
        else await assertDisconnected(raw, [0x95], `remaining length ${claimed}`);
        assert.ok(raw.closedAtMs - sentAt < 1000, `closed ${raw.closedAtMs - sentAt} ms after the header, not at once`);
        await assertBystanderWorks(b, s, `remaining length ${claimed}`);
      });
    }
  });
}

// ---- the first packet --------------------------------------------------------------------------

test('protocol levels: MQTT 3 and 6 get CONNACK rc 1 and are closed, 5 is accepted, MQIsdp 3 gets rc 1 and is closed', async (t) => {
  const s = await startMqttServer(t);
  const b = await bystander(t, s);
  const refused: Array<[string, Buffer]> = [
    ["'MQTT' level 3", rawConnect('MQTT', 3, 'lvl3', true)],
    ["'MQTT' level 6", rawConnect('MQTT', 6, 'lvl6', true)],
    // 3.1 is not supported: its CONNACK return code 1 also means unacceptable protocol version.
    ["'MQIsdp' level 3", rawConnect('MQIsdp', 3, 'lvl31', true)],
  ];
  for (const [name, bytes] of refused) {
    await t.test(name, async (st) => {
      const raw = await RawMqtt.open(st, s);
      raw.send(bytes);
      const closed = await raw.closedWithin();
      // [MQTT-3.1.2-2]: the 3.1.1 CONNACK, whatever level was asked for, so any client can read it.
      assert.equal(raw.bytes.toString('hex'), '20020001', `${name}: ${raw.describe()}`);
      assert.equal(closed, true, `${name}: ${raw.describe()}`);
      await assertBystanderWorks(b, s, name);
    });
  }
  await t.test("'MQTT' level 5 is accepted", async (st) => {
    const raw = await RawMqtt.open(st, s, 5);
    raw.send(rawConnect('MQTT', 5, 'lvl5', true));
    const connack = (await raw.next()) as IConnackPacket;
    assert.deepEqual([connack.cmd, connack.reasonCode], ['connack', 0], raw.describe());
    raw.send(hex('c0 00'));
    assert.equal((await raw.next()).cmd, 'pingresp', raw.describe());
    assert.equal(raw.closed, false);
  });
});

test('a first packet other than CONNECT closes the connection without CONNACK [MQTT-3.1.0-1]', async (t) => {
  const s = await startMqttServer(t);
  const b = await bystander(t, s);
  const firsts: Array<[string, Buffer]> = [
    ['PINGREQ', hex('c0 00')],
    ['PUBLISH', mqttPacket.generate({ cmd: 'publish', topic: 'early/bird', payload: Buffer.from('x'), qos: 0, retain: false, dup: false })],
    ['SUBSCRIBE', mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'early/#', qos: 0 }] })],
    ['DISCONNECT', hex('e0 00')],
    ['garbage', Buffer.from('\x00\xff\x13\x37 not mqtt at all', 'latin1')],
  ];
  for (const [name, bytes] of firsts) {
    await t.test(name, async (st) => {
      const raw = await RawMqtt.open(st, s);
      raw.send(bytes);
      await assertClosedSilently(raw, `${name} first`);
      assert.equal(raw.bytes.length, 0, raw.describe());
      await assertBystanderWorks(b, s, `${name} first`);
    });
  }
});

test('a client that never sends CONNECT is closed within the authenticator timeout', async (t) => {
  const s = await startMqttServer(t);
  const b = await bystander(t, s);
  const raw = await RawMqtt.open(t, s);
  const openedAt = Date.now();
  const closed = await raw.closedWithin(NO_CONNECT_WAIT_MS);
  assert.equal(closed, true, `still open after ${NO_CONNECT_WAIT_MS} ms (${raw.describe()})`);
  assert.equal(raw.bytes.length, 0, raw.describe());
  // Closed by the timer, not at once: an idle new connection is not itself an error.
  assert.ok(raw.closedAtMs - openedAt >= 500, `closed after ${raw.closedAtMs - openedAt} ms`);
  await assertBystanderWorks(b, s, 'a silent connection');
});

test('an HTTP upgrade request on the MQTT port is closed (WebSocket clients belong on the websocket port)', async (t) => {
  const s = await startMqttServer(t);
  const b = await bystander(t, s);
  const raw = await RawMqtt.open(t, s);
  raw.send(
    Buffer.from(
      'GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n',
    ),
  );
  await assertClosedSilently(raw, 'HTTP upgrade');
  assert.equal(raw.bytes.length, 0, `no HTTP answer either (${raw.describe()})`);
  await assertBystanderWorks(b, s, 'an HTTP upgrade');
});

for (const version of [4, 5] as const) {
  test(`MQTT ${version === 5 ? '5' : '3.1.1'}: a second CONNECT closes the connection [MQTT-3.1.0-2]`, async (t) => {
    const s = await startMqttServer(t);
    const b = await bystander(t, s);
    const { raw } = await connected(t, s, version);
    raw.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clientId: 'again', clean: true, keepalive: 0 }, version);
    if (version === 4) await assertClosedSilently(raw, 'second CONNECT');
    else await assertDisconnected(raw, [PROTOCOL_ERROR], 'second CONNECT');
    await assertBystanderWorks(b, s, 'a second CONNECT');
  });
}

// ---- topics and filters ------------------------------------------------------------------------

for (const version of [4, 5] as const) {
  test(`MQTT ${version === 5 ? '5' : '3.1.1'}: PUBLISH to a topic with a wildcard or a space closes the connection`, async (t) => {
    const s = await startMqttServer(t);
    const b = await bystander(t, s);
    // Whatever slipped through would reach a catch-all subscriber.
    await withTimeout(b.client.subscribeAsync('#', { qos: 0 }), WAIT_MS, 'bystander SUBSCRIBE #');
    const topics: Array<[string, Buffer, readonly number[]]> = [
      ...['a/+', 'a/#', '#', '+', 'a b'].map((tp): [string, Buffer, readonly number[]] => [JSON.stringify(tp), Buffer.from(tp), [0x90]]),
      // [MQTT-1.5.3-1], [MQTT-1.5.3-2]: ill-formed UTF-8 and U+0000 make the packet malformed.
      ['ill-formed UTF-8 (61 ff 62)', hex('61 ff 62'), [MALFORMED, 0x90]],
      ['U+0000 (61 00 62)', hex('61 00 62'), [MALFORMED, 0x90]],
    ];
    for (const [name, topic, reasons] of topics) {
      await t.test(name, async (st) => {
        const seen = b.received.length;
        const { raw } = await connected(st, s, version);
        raw.send(withLength(0x30, Buffer.concat([u16(topic.length), topic, noProps(version), Buffer.from('bad')])));
        // [MQTT-3.3.2-2]; MQTT 5 says 0x90 Topic Name invalid.
        if (version === 4) await assertClosedSilently(raw, `PUBLISH to ${name}`);
        else await assertDisconnected(raw, reasons, `PUBLISH to ${name}`);
        await assertBystanderWorks(b, s, `PUBLISH to ${name}`);
        assert.deepEqual(
          b.received
            .slice(seen)
            .filter((m) => m.payload === 'bad')
            .map((m) => m.topic),
          [],
          'nothing was published',
        );
      });
    }
  });

  test(`MQTT ${version === 5 ? '5' : '3.1.1'}: SUBSCRIBE with invalid filters fails those filters only, and the connection stays`, async (t) => {
    const s = await startMqttServer(t);
    const b = await bystander(t, s);
    const { raw } = await connected(t, s, version);
    raw.send(
      {
        cmd: 'subscribe',
        messageId: 5,
        subscriptions: [
          { topic: 'ok/1', qos: 1 },
          { topic: 'a/#/b', qos: 0 },
          { topic: 'a+', qos: 0 },
          { topic: 'a/b#', qos: 1 },
          { topic: 'ok/2', qos: 2 },
        ],
      },
      version,
    );
    const suback = (await raw.next()) as ISubackPacket;
    assert.equal(suback.cmd, 'suback', raw.describe());
    assert.equal(suback.messageId, 5);
    // [MQTT-3.9.3-1]: one code per filter in order; 3.1.1 fails with 0x80, MQTT 5 with 0x8F Topic Filter invalid.
    const bad = version === 4 ? 0x80 : 0x8f;
    assert.deepEqual(suback.granted, [1, bad, bad, bad, 2], `${raw.describe()}`);
    raw.send(hex('c0 00'));
    assert.equal((await raw.next()).cmd, 'pingresp', `the connection stays (${raw.describe()})`);
    // The granted filters work.
    await withTimeout(b.client.publishAsync('ok/2', 'granted', { qos: 0 }), WAIT_MS, 'publish to ok/2');
    const msg = (await raw.next()) as IPublishPacket;
    assert.deepEqual([msg.cmd, msg.topic, msg.payload.toString()], ['publish', 'ok/2', 'granted'], raw.describe());
    assert.equal(raw.closed, false);
    await assertBystanderWorks(b, s, 'invalid filters');
  });
}

// ---- packet ids ------------------------------------------------------------------------------

for (const version of [4, 5] as const) {
  test(`MQTT ${version === 5 ? '5' : '3.1.1'}: a QoS 2 packet id reused before PUBREL is not delivered twice; after PUBCOMP it is free again`, async (t) => {
    const s = await startMqttServer(t);
    const sub = await mqttConnect(t, s.mqttUrl, { protocolVersion: version, clientId: `q2sub-${version}` });
    await withTimeout(sub.client.subscribeAsync('q2/reuse', { qos: 2 }), WAIT_MS, 'subscriber SUBSCRIBE');
    const { raw } = await connected(t, s, version);
    const publish = (payload: string, dup: boolean): Packet => ({ cmd: 'publish', topic: 'q2/reuse', payload: Buffer.from(payload), qos: 2, messageId: 7, retain: false, dup });
    raw.send(publish('first', false), version);
    // The sender did not see PUBREC and tries again [MQTT-4.3.3-9, 4.3.3-10].
    raw.send(publish('first', true), version);
    const recs = [(await raw.next()) as IPubrecPacket, (await raw.next()) as IPubrecPacket];
    assert.deepEqual(
      recs.map((p) => [p.cmd, p.messageId]),
      [
        ['pubrec', 7],
        ['pubrec', 7],
      ],
      raw.describe(),
    );
    raw.send(hex('62 02 0007'));
    const comp = await raw.next();
    assert.deepEqual([comp.cmd, (comp as { messageId?: number }).messageId], ['pubcomp', 7], raw.describe());
    await sub.waitFor(1, WAIT_MS);
    // Id 7 is free again: a new message with it is a new message.
    raw.send(publish('second', false), version);
    const rec2 = await raw.next();
    assert.deepEqual([rec2.cmd, (rec2 as { messageId?: number }).messageId], ['pubrec', 7], raw.describe());
    raw.send(hex('62 02 0007'));
    assert.equal((await raw.next()).cmd, 'pubcomp', raw.describe());
    await sub.waitFor(2, WAIT_MS);
    await settle(300);
    assert.deepEqual(
      sub.received.map((m) => m.payload),
      ['first', 'second'],
      'one copy of each message',
    );
    assert.equal(raw.closed, false);
  });

  test(`MQTT ${version === 5 ? '5' : '3.1.1'}: PUBACK, PUBREC, PUBREL or PUBCOMP with packet id 0 closes the connection`, async (t) => {
    const s = await startMqttServer(t);
    const b = await bystander(t, s);
    for (const [name, first] of [
      ['PUBACK', 0x40],
      ['PUBREC', 0x50],
      ['PUBREL', 0x62],
      ['PUBCOMP', 0x70],
    ] as const) {
      await t.test(name, async (st) => {
        const { raw } = await connected(st, s, version);
        raw.send(Buffer.from([first, 0x02, 0x00, 0x00]));
        if (version === 4) await assertClosedSilently(raw, `${name} id 0`);
        else await assertDisconnected(raw, [PROTOCOL_ERROR, MALFORMED], `${name} id 0`);
        await assertBystanderWorks(b, s, `${name} with id 0`);
      });
    }
  });
}

// ---- MQTT 5 topic aliases ----------------------------------------------------------------------

test('MQTT 5: topic alias 0 or above the maximum is DISCONNECT 0x94; an empty topic without a known alias closes', async (t) => {
  const s = await startMqttServer(t);
  const b = await bystander(t, s);
  await withTimeout(b.client.subscribeAsync('alias/+', { qos: 0 }), WAIT_MS, 'bystander SUBSCRIBE alias/+');
  const probe = await connected(t, s, 5);
  const max = probe.connack.properties?.topicAliasMaximum;
  assert.equal(typeof max, 'number', `CONNACK advertises topicAliasMaximum (${JSON.stringify(probe.connack.properties)})`);
  const aliasMax = max as number;
  assert.ok(aliasMax >= 1);

  await t.test('a known alias works (control)', async () => {
    const raw = probe.raw;
    const n = b.received.length;
    raw.send({ cmd: 'publish', topic: 'alias/t', payload: Buffer.from('named'), qos: 0, retain: false, dup: false, properties: { topicAlias: aliasMax } }, 5);
    raw.send({ cmd: 'publish', topic: '', payload: Buffer.from('aliased'), qos: 0, retain: false, dup: false, properties: { topicAlias: aliasMax } }, 5);
    const got = await b.waitFor(n + 2, WAIT_MS);
    assert.deepEqual(
      got.slice(n).map((m) => [m.topic, m.payload]),
      [
        ['alias/t', 'named'],
        ['alias/t', 'aliased'],
      ],
    );
  });

  const cases: Array<[string, string, number | undefined, readonly number[]]> = [
    ['alias 0', 'alias/zero', 0, [0x94]],
    [`alias ${aliasMax + 1} (one above the maximum)`, 'alias/over', aliasMax + 1, [0x94]],
    // [MQTT-3.3.2-? / §3.3.2.3.4]: an alias never set has no topic: protocol error.
    ['an empty topic with an unknown alias', '', 3, [PROTOCOL_ERROR]],
    ['an empty topic with no alias', '', undefined, [PROTOCOL_ERROR, 0x90]],
  ];
  for (const [name, topic, alias, reasons] of cases) {
    await t.test(name, async (st) => {
      const seen = b.received.length;
      const { raw } = await connected(st, s, 5);
      raw.send({ cmd: 'publish', topic, payload: Buffer.from('bad alias'), qos: 0, retain: false, dup: false, ...(alias !== undefined && { properties: { topicAlias: alias } }) }, 5);
      await assertDisconnected(raw, reasons, name);
      await assertBystanderWorks(b, s, name);
      assert.deepEqual(
        b.received
          .slice(seen)
          .filter((m) => m.payload === 'bad alias')
          .map((m) => m.topic),
        [],
        'nothing was published',
      );
    });
  }
});

// ---- client ids --------------------------------------------------------------------------------

test('empty client id: 3.1.1 with clean=0 gets CONNACK rc 2, with clean=1 one is made up; MQTT 5 is told the one assigned', async (t) => {
  const s = await startMqttServer(t);
  const b = await bystander(t, s);
  await t.test('3.1.1, clean=0: CONNACK 20 02 00 02, then closed [MQTT-3.1.3-8]', async (st) => {
    const raw = await RawMqtt.open(st, s);
    raw.send(rawConnect('MQTT', 4, '', false));
    const closed = await raw.closedWithin();
    assert.equal(raw.bytes.toString('hex'), '20020002', `${raw.describe()}`);
    assert.equal(closed, true, raw.describe());
    await assertBystanderWorks(b, s, 'an empty id with clean=0');
  });
  await t.test('3.1.1, clean=1: accepted [MQTT-3.1.3-6]', async (st) => {
    const raw = await RawMqtt.open(st, s);
    raw.send(rawConnect('MQTT', 4, '', true));
    const connack = (await raw.next()) as IConnackPacket;
    assert.deepEqual([connack.cmd, connack.returnCode], ['connack', 0], raw.describe());
  });
  await t.test('MQTT 5: accepted with an assignedClientIdentifier', async (st) => {
    const raw = await RawMqtt.open(st, s, 5);
    raw.send(rawConnect('MQTT', 5, '', true));
    const connack = (await raw.next()) as IConnackPacket;
    assert.deepEqual([connack.cmd, connack.reasonCode], ['connack', 0], raw.describe());
    const assigned = connack.properties?.assignedClientIdentifier;
    assert.equal(typeof assigned, 'string', `assignedClientIdentifier in ${JSON.stringify(connack.properties)}`);
    assert.ok((assigned as string).length > 0);
    raw.send(hex('c0 00'));
    assert.equal((await raw.next()).cmd, 'pingresp', raw.describe());
  });
});

// ---- not bad input: pipelining -----------------------------------------------------------------

test('packets sent right behind CONNECT, in the same write, are served after CONNACK (a client need not wait for it)', async (t) => {
  const s = await startMqttServer(t);
  const b = await bystander(t, s);
  const raw = await RawMqtt.open(t, s);
  raw.send(
    Buffer.concat([
      mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'eager', clean: true, keepalive: 0 }),
      mqttPacket.generate({ cmd: 'subscribe', messageId: 9, subscriptions: [{ topic: 'eager/t', qos: 0 }] }),
      hex('c0 00'),
    ]),
  );
  const seen: string[] = [];
  for (let i = 0; i < 3; i++) {
    try {
      seen.push((await raw.next()).cmd);
    } catch {
      break;
    }
  }
  assert.deepEqual(seen, ['connack', 'suback', 'pingresp'], `${raw.describe()}`);
  assert.equal(raw.closed, false);
  await assertBystanderWorks(b, s, 'a pipelined CONNECT');
});

test('MQTT 5: more QoS 2 messages awaiting PUBREL than the receive maximum is DISCONNECT 0x93', async (t) => {
  const s = await startMqttServer(t, {}, { maxAckPending: 2 });
  const b = await bystander(t, s);
  const { raw, connack } = await connected(t, s, 5);
  assert.equal(connack.properties?.receiveMaximum, 2);
  for (const id of [1, 2]) raw.send({ cmd: 'publish', topic: 'q2/t', payload: Buffer.from('held'), qos: 2, messageId: id, retain: false, dup: false }, 5);
  const first = await raw.next();
  const second = await raw.next();
  assert.deepEqual([first.cmd, second.cmd, (second as IPubrecPacket).messageId], ['pubrec', 'pubrec', 2], 'both within the maximum are received');
  raw.send({ cmd: 'publish', topic: 'q2/t', payload: Buffer.from('one too many'), qos: 2, messageId: 3, retain: false, dup: false }, 5);
  await assertDisconnected(raw, [0x93], 'third QoS 2 publish');
  await assertBystanderWorks(b, s, 'after the receive maximum was exceeded');
});
