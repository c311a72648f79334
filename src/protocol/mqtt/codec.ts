// MQTT packets in and out. mqtt-packet parses (every packet type and MQTT 5 property) and encodes
// the rarer packets; PUBLISH without properties, the packet every message is, is encoded here in
// one buffer with no intermediate objects.

import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt-packet';

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

/** The most an MQTT remaining length can say (four length bytes). */
export const MAX_REMAINING_LENGTH = 268_435_455;

/**
 * Bytes in, packets out. After CONNECT the parser reads the rest with that packet's protocol level
 * (mqtt-packet switches by itself). `maxPacketSize` bounds what is buffered for one packet.
 */
export class MqttParser {
  private readonly parser: ReturnType<typeof mqttPacket.parser>;
  private failed = false;

  constructor(
    onPacket: (packet: Packet) => void,
    private readonly onError: (message: string) => void,
    private readonly maxPacketSize: number,
  ) {
    this.parser = mqttPacket.parser({ protocolVersion: 4 });
    this.parser.on('packet', onPacket);
    this.parser.on('error', (err: Error) => this.fail(err.message));
  }

  feed(chunk: Buffer): void {
    if (this.failed) return;
    this.parser.parse(chunk);
    // The length is known before the body arrives: refuse a packet that would not fit before it is buffered.
    const length = (this.parser as unknown as { packet: { length: number } }).packet.length;
    if (!this.failed && length > this.maxPacketSize) this.fail(`packet of ${length} bytes exceeds the maximum of ${this.maxPacketSize}`);
  }

  private fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.onError(message);
  }
}

/** Any packet, for protocol level `version`. */
export function encodePacket(packet: Packet, version: number): Buffer {
  return mqttPacket.generate(packet, { protocolVersion: version });
}

/**
 * A PUBLISH without MQTT 5 properties (for level 5 an empty property block is written). `topic` is
 * the topic's UTF-8 bytes; `packetId` is ignored at QoS 0.
 */
export function encodePlainPublish(topic: Buffer, payload: Uint8Array, qos: number, retain: boolean, dup: boolean, packetId: number, version: number): Buffer {
  const idLen = qos > 0 ? 2 : 0;
  const propLen = version === 5 ? 1 : 0;
  const remaining = 2 + topic.length + idLen + propLen + payload.length;
  const lenBytes = remaining < 128 ? 1 : remaining < 16384 ? 2 : remaining < 2097152 ? 3 : 4;
  const out = Buffer.allocUnsafe(1 + lenBytes + remaining);
  out[0] = 0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0);
  let pos = 1;
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
  if (propLen > 0) out[pos++] = 0;
  out.set(payload, pos);
  return out;
}

/** PUBACK, PUBREC, PUBREL or PUBCOMP with reason Success and no properties: the same four bytes in every level. */
export function encodeAck(type: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp', packetId: number): Buffer {
  const first = type === 'puback' ? 0x40 : type === 'pubrec' ? 0x50 : type === 'pubrel' ? 0x62 : 0x70;
  return Buffer.from([first, 2, packetId >> 8, packetId & 0xff]);
}

export const PINGRESP = Buffer.from([0xd0, 0x00]);
