// The client acknowledging QoS 1/2 messages the server sent: PUBACK and PUBCOMP end a delivery,
// PUBREC is answered with PUBREL. An id not in flight is ignored by 3.1.1 and told by MQTT 5.

import { Reason, encodeAck } from '../protocol/mqtt/index.js';
import type { IPubackPacket, IPubcompPacket, IPubrecPacket } from '../protocol/mqtt/index.js';
import type { MqttConnection } from './mqtt-connection.js';

export function handlePubAck(conn: MqttConnection, p: IPubackPacket): void {
  if (!p.messageId) return conn.protocolError('PUBACK with packet id 0', Reason.ProtocolError);
  conn.session?.completed(p.messageId);
}

export function handlePubRec(conn: MqttConnection, p: IPubrecPacket): void {
  if (!p.messageId) return conn.protocolError('PUBREC with packet id 0', Reason.ProtocolError);
  // MQTT 5: a PUBREC with a failure reason ends the exchange; no PUBREL follows [MQTT-4.3.3-4].
  if (conn.version === 5 && (p.reasonCode ?? 0) >= 0x80) {
    conn.session?.completed(p.messageId);
    return;
  }
  const known = conn.session?.received(p.messageId) === true;
  if (known || conn.version === 4) return conn.send(encodeAck('pubrel', p.messageId));
  conn.sendPacket({ cmd: 'pubrel', messageId: p.messageId, reasonCode: Reason.PacketIdentifierNotFound });
}

export function handlePubComp(conn: MqttConnection, p: IPubcompPacket): void {
  if (!p.messageId) return conn.protocolError('PUBCOMP with packet id 0', Reason.ProtocolError);
  conn.session?.completed(p.messageId);
}
