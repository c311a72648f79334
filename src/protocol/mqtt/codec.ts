// MQTT packets in and out. mqtt-packet parses (every packet type and MQTT 5 property) and encodes
// the rarer packets; PUBLISH without properties, the packet every message is, is encoded here in
// one buffer with no intermediate objects.

import { isUtf8 } from 'node:buffer';

import mqttPacket from 'mqtt-packet';
import type { IPublishPacket, Packet } from 'mqtt-packet';

import { Reason } from './reason-codes.js';

export type {
  IConnackPacket,
  IConnectPacket,
  IDisconnectPacket,
  IPubackPacket,
  IPubcompPacket,
  IPublishPacket,
  IPubrecPacket,
  IPubrelPacket,
  ISubackPacket,
  ISubscribePacket,
  IUnsubackPacket,
  IUnsubscribePacket,
  Packet,
  QoS,
} from 'mqtt-packet';

const EMPTY = Buffer.alloc(0);
const ACK_NAMES = ['puback', 'pubrec', 'pubrel', 'pubcomp'] as const;

/** The most an MQTT remaining length can say (four length bytes). */
export const MAX_REMAINING_LENGTH = 268_435_455;

/**
 * A PUBLISH read without mqtt-packet (3.1.1, or MQTT 5 without properties): one object reused for
 * every such packet, whose `payload` is a view of the bytes read. Both are valid only during the
 * callback; a handler copies what it keeps.
 */
export interface BorrowedPublish extends IPublishPacket {
  readonly borrowed: true;
}

/**
 * Bytes in, packets out. Packets are framed here (so a packet over `maxPacketSize` is refused from
 * its length, before its body is buffered); PUBLISH without properties and the four acknowledgements
 * are decoded here too, the rest by mqtt-packet. After CONNECT the owner sets `version` to the
 * client's protocol level; while it authenticates the client it holds the parser, and what arrives
 * meanwhile (the same read's later packets included) waits.
 */
export class MqttParser {
  version: 4 | 5 = 4;
  private failed = false;
  private holding = false;
  /** Bytes not yet delivered: an incomplete packet, or what arrived while held. */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** Bytes the carried packet needs in all; 0 while its header is incomplete. */
  private need = 0;
  private readonly publish: { -readonly [K in keyof BorrowedPublish]: BorrowedPublish[K] } = { cmd: 'publish', topic: '', payload: EMPTY, qos: 0, retain: false, dup: false, messageId: 0, borrowed: true };
  private readonly ack: { cmd: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'; messageId: number } = { cmd: 'puback', messageId: 0 };
  /** The last topic's bytes and text: a publisher usually repeats its topic. */
  private lastTopic: Buffer = EMPTY;

  constructor(
    private readonly onPacket: (packet: Packet) => void,
    /** Called once, for the first malformed or oversize packet; nothing is delivered after it. */
    private readonly onError: (message: string, reason: Reason) => void,
    private readonly maxPacketSize: number,
  ) {}

  /** Stops delivering packets after the current one until resume(). */
  hold(): void {
    this.holding = true;
  }

  resume(): void {
    this.holding = false;
    if (this.carryBytes > 0) this.feed(EMPTY);
  }

  feed(chunk: Buffer): void {
    if (this.failed) return;
    let data = chunk;
    if (this.carryBytes > 0) {
      if (chunk.length > 0) {
        this.carry.push(chunk);
        this.carryBytes += chunk.length;
      }
      if (this.holding || (this.need > 0 && this.carryBytes < this.need)) return;
      data = this.carry.length === 1 ? this.carry[0] : Buffer.concat(this.carry, this.carryBytes);
      this.carry = [];
      this.carryBytes = 0;
    }
    this.need = 0;
    let pos = 0;
    while (pos < data.length && !this.failed && !this.holding) {
      // Fixed header: the type byte, then the remaining length in 1-4 bytes of 7 bits.
      let length = 0;
      let mul = 1;
      let i = pos + 1;
      let lengthBytes = 0;
      for (; i < data.length; i++) {
        const b = data[i];
        length += (b & 0x7f) * mul;
        lengthBytes++;
        if ((b & 0x80) === 0) break;
        if (lengthBytes === 4) return this.fail('malformed remaining length', Reason.MalformedPacket);
        mul *= 128;
      }
      if (i >= data.length) break;
      const end = i + 1 + length;
      // The whole packet counts, fixed header included (MQTT 5's Maximum Packet Size).
      if (end - pos > this.maxPacketSize) return this.fail(`packet of ${end - pos} bytes exceeds the maximum of ${this.maxPacketSize}`, Reason.PacketTooLarge);
      if (end > data.length) {
        this.need = end - pos;
        break;
      }
      this.packet(data, pos, i + 1, end);
      pos = end;
    }
    if (pos < data.length && !this.failed) {
      const rest = Buffer.from(data.subarray(pos));
      this.carry = [rest];
      this.carryBytes = rest.length;
    }
  }

  private packet(data: Buffer, start: number, body: number, end: number): void {
    const first = data[start];
    const type = first >> 4;
    if (type === 3 && this.fastPublish(data, first, body, end)) return;
    // PUBACK, PUBREC, PUBREL, PUBCOMP with just a packet id (reason Success), flags as required [MQTT-2.2.2-1].
    if (type >= 4 && type <= 7 && end - body === 2 && (first & 0x0f) === (type === 6 ? 2 : 0)) {
      const ack = this.ack;
      ack.cmd = ACK_NAMES[type - 4];
      ack.messageId = data.readUInt16BE(body);
      return this.onPacket(ack as Packet);
    }
    if (type === 1) {
      const level = unsupportedLevel(data, body, end);
      // mqtt-packet refuses such a CONNECT outright; the owner answers it with CONNACK instead [MQTT-3.1.2-2].
      if (level !== null) return this.onPacket({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: level as 4, clientId: '' });
    }
    sharedParse(this, data.subarray(start, end));
  }

  /** Called by the shared mqtt-packet parser. */
  parsed(packet: Packet): void {
    this.onPacket(packet);
  }

  /** A PUBLISH without properties; false to leave it to mqtt-packet (properties, or anything odd). */
  private fastPublish(data: Buffer, first: number, body: number, end: number): boolean {
    const qos = (first >> 1) & 3;
    if (qos === 3 || end - body < 2) return false;
    const topicLen = data.readUInt16BE(body);
    let pos = body + 2 + topicLen;
    if (qos > 0) pos += 2;
    if (this.version === 5) pos += 1;
    if (pos > end || (this.version === 5 && data[pos - 1] !== 0)) return false;
    const p = this.publish;
    const topic = data.subarray(body + 2, body + 2 + topicLen);
    if (!topic.equals(this.lastTopic)) {
      // [MQTT-1.5.3-1]: a topic that is not UTF-8 is a malformed packet.
      if (!isUtf8(topic)) {
        this.fail('topic is not valid UTF-8', Reason.MalformedPacket);
        return true;
      }
      p.topic = topic.toString('utf8');
      this.lastTopic = Buffer.from(topic);
    }
    p.qos = qos as 0 | 1 | 2;
    p.dup = (first & 0x08) !== 0;
    p.retain = (first & 0x01) !== 0;
    p.messageId = qos > 0 ? data.readUInt16BE(body + 2 + topicLen) : undefined;
    p.payload = data.subarray(pos, end);
    this.onPacket(p);
    p.payload = EMPTY;
    return true;
  }

  fail(message: string, reason: Reason): void {
    if (this.failed) return;
    this.failed = true;
    this.carry = [];
    this.carryBytes = 0;
    this.onError(message, reason);
  }
}

/**
 * One mqtt-packet parser for every connection: it is handed one whole packet at a time, so it holds
 * nothing between packets, and an idle connection does not carry a parser of its own. After anything
 * but a clean parse (an error, a handler that threw, bytes left over) it is dropped and the next
 * packet gets a new one, so nothing of one connection's packet reaches another's.
 */
let shared: ReturnType<typeof mqttPacket.parser> | null = null;
let target: MqttParser | null = null;

type PacketParser = ReturnType<typeof mqttPacket.parser> & { settings: { protocolVersion: number }; _list: { length: number }; _stateCounter: number; error: Error | null };

function sharedParse(owner: MqttParser, frame: Buffer): void {
  const parser = (shared ??= newParser()) as PacketParser;
  parser.settings = { protocolVersion: owner.version };
  const outer = target;
  target = owner;
  let clean = false;
  try {
    parser.parse(frame);
    clean = parser.error === null && parser._list.length === 0 && parser._stateCounter === 0;
  } finally {
    target = outer;
    if (!clean) shared = null;
  }
}

function newParser(): ReturnType<typeof mqttPacket.parser> {
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  parser.on('packet', (p: Packet) => target?.parsed(p));
  parser.on('error', (err: Error) => target?.fail(`malformed packet: ${err.message}`, Reason.MalformedPacket));
  return parser;
}

/** A CONNECT naming MQTT with a level mqtt-packet does not take: that level; null otherwise. */
function unsupportedLevel(data: Buffer, body: number, end: number): number | null {
  if (end - body < 7 || data.readUInt16BE(body) !== 4 || data.toString('latin1', body + 2, body + 6) !== 'MQTT') return null;
  const level = data[body + 6];
  return (level & 0x7f) >= 3 && (level & 0x7f) <= 5 ? null : level;
}

/** Any packet, for protocol level `version`. */
export function encodePacket(packet: Packet, version: number): Buffer {
  return mqttPacket.generate(packet, { protocolVersion: version });
}

/** The size of a PUBLISH without properties, or with only a topic alias (see writePlainPublish). */
export function plainPublishSize(topic: Buffer, payloadLength: number, qos: number, version: number, alias = 0): number {
  const remaining = 2 + topic.length + (qos > 0 ? 2 : 0) + (version === 5 ? (alias > 0 ? 4 : 1) : 0) + payloadLength;
  return 1 + (remaining < 128 ? 1 : remaining < 16384 ? 2 : remaining < 2097152 ? 3 : 4) + remaining;
}

/**
 * A PUBLISH without MQTT 5 properties (for level 5 an empty property block is written, or one with
 * just the topic alias `alias` when it is not 0), in a new buffer. `topic` is the topic's UTF-8 bytes
 * (empty for an alias the receiver knows); `packetId` is ignored at QoS 0.
 */
export function encodePlainPublish(topic: Buffer, payload: Uint8Array, qos: number, retain: boolean, dup: boolean, packetId: number, version: number, alias = 0): Buffer {
  const out = Buffer.allocUnsafe(plainPublishSize(topic, payload.length, qos, version, alias));
  writePlainPublish(out, 0, topic, payload, qos, retain, dup, packetId, version, alias);
  return out;
}

/** Writes that PUBLISH into `out` at `at` (room for plainPublishSize bytes); returns the offset after it. */
export function writePlainPublish(out: Buffer, at: number, topic: Buffer, payload: Uint8Array, qos: number, retain: boolean, dup: boolean, packetId: number, version: number, alias = 0): number {
  const idLen = qos > 0 ? 2 : 0;
  const propLen = version === 5 ? (alias > 0 ? 4 : 1) : 0;
  const remaining = 2 + topic.length + idLen + propLen + payload.length;
  out[at] = 0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0);
  let pos = at + 1;
  let n = remaining;
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n > 0) b |= 0x80;
    out[pos++] = b;
  } while (n > 0);
  out.writeUInt16BE(topic.length, pos);
  pos += 2;
  pos += topic.copy(out, pos);
  if (idLen > 0) {
    out.writeUInt16BE(packetId, pos);
    pos += 2;
  }
  if (propLen === 1) out[pos++] = 0;
  else if (propLen === 4) {
    // Property length 3: Topic Alias (0x23) and its two bytes.
    out[pos] = 3;
    out[pos + 1] = 0x23;
    out.writeUInt16BE(alias, pos + 2);
    pos += 4;
  }
  out.set(payload, pos);
  return pos + payload.length;
}

/** PUBACK, PUBREC, PUBREL or PUBCOMP with reason Success and no properties: the same four bytes in every level. */
export function encodeAck(type: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp', packetId: number): Buffer {
  const first = type === 'puback' ? 0x40 : type === 'pubrec' ? 0x50 : type === 'pubrel' ? 0x62 : 0x70;
  return Buffer.from([first, 2, packetId >> 8, packetId & 0xff]);
}

export const PINGRESP = Buffer.from([0xd0, 0x00]);
