// A client's PUBLISH, and PUBREL for its QoS 2 messages. QoS 0 and 1 are published at once; a QoS 1
// PUBACK waits until what the publish wrote (a persistent session's copy, a retained message) is
// durable. QoS 2 is stored and answered with PUBREC, and published at PUBREL (a repeated PUBLISH with
// the same packet id before that is not published twice [MQTT-4.3.3-9]).

import { Reason, encodeAck } from '../protocol/mqtt/index.js';
import type { IPublishPacket, IPubrelPacket } from '../protocol/mqtt/index.js';
import type { MqttConnection } from './mqtt-connection.js';
import { messageProperties } from './properties.js';
import type { StoredInbound, StoredMessage } from './store/index.js';
import type { Session } from './session.js';
import { keepBytes } from '../util/index.js';

export function handlePublish(conn: MqttConnection, p: IPublishPacket): void {
  const service = conn.service;
  const session = conn.session as Session;
  let topic = p.topic;
  const alias = p.properties?.topicAlias;
  if (conn.version === 5 && alias !== undefined) {
    if (alias === 0 || alias > service.topicAliasMaximum) return conn.protocolError(`topic alias ${alias} out of range`, Reason.TopicAliasInvalid); // [MQTT-3.3.2-9]
    if (topic === '') {
      const known = conn.topicAliases.get(alias);
      if (known === undefined) return conn.protocolError(`unknown topic alias ${alias}`, Reason.ProtocolError);
      topic = known;
    } else conn.topicAliases.set(alias, topic);
  }
  const qos = p.qos;
  // [MQTT-2.3.1-1]: QoS 1 and 2 carry a non-zero packet id.
  if (qos > 0 && !p.messageId) return conn.protocolError('PUBLISH without a packet id', Reason.ProtocolError);
  if (qos === 2 && service.config.rejectQos2Publish) return conn.protocolError('publish QoS=2 refused (reject_qos2_publish)', Reason.QosNotSupported);
  const subject = service.subjectOf(topic);
  if (subject === null) return conn.protocolError(`invalid topic ${JSON.stringify(topic)}`, Reason.TopicNameInvalid); // [MQTT-3.3.2-2]
  // A fast-path PUBLISH lends its payload for this call only: what is kept (retained, QoS 2 until PUBREL) is copied.
  const payload = 'borrowed' in p && (p.retain || qos === 2) ? keepBytes(p.payload as Buffer) : (p.payload as Buffer);
  conn.inMsgs++;
  conn.inBytes += payload.length;
  const props = conn.version === 5 ? p.properties : undefined;
  const expiry = props?.messageExpiryInterval ?? 0;
  const message: StoredMessage = { topic, payload, qos, properties: messageProperties(props), expiresAtMs: expiry > 0 ? Date.now() + expiry * 1000 : 0 };
  const id = p.messageId ?? 0;
  if (qos === 2) {
    if (!session.inbound.has(id)) {
      // The receive maximum announced in CONNACK bounds the QoS 2 messages awaiting PUBREL [MQTT-3.3.4-9]; a 3.1.1 client gets the same bound.
      if (session.inbound.size >= service.config.maxAckPending) return conn.protocolError(`more than ${service.config.maxAckPending} QoS 2 messages awaiting PUBREL`, Reason.ReceiveMaximumExceeded);
      const inbound: StoredInbound = { account: session.account.name, clientId: session.clientId, packetId: id, message, retain: p.retain };
      session.inbound.set(id, inbound);
      if (session.persistent) service.store.putInbound(inbound);
    }
    return ackWhenDurable(conn, encodeAck('pubrec', id), session.persistent);
  }
  const durable = service.publish(conn, subject, message, p.retain);
  if (qos === 1) ackWhenDurable(conn, encodeAck('puback', id), durable);
}

export function handlePubRel(conn: MqttConnection, p: IPubrelPacket): void {
  const service = conn.service;
  const session = conn.session as Session;
  const id = p.messageId ?? 0;
  if (id === 0) return conn.protocolError('PUBREL with packet id 0', Reason.ProtocolError); // [MQTT-2.3.1-1]
  const inbound = session.inbound.get(id);
  if (inbound === undefined) {
    if (conn.version === 5) {
      conn.sendPacket({ cmd: 'pubcomp', messageId: id, reasonCode: Reason.PacketIdentifierNotFound });
      return;
    }
    return conn.send(encodeAck('pubcomp', id));
  }
  session.inbound.delete(id);
  if (session.persistent) service.store.deleteInbound(session.account.name, session.clientId, id);
  const subject = service.subjectOf(inbound.message.topic) as string;
  const durable = service.publish(conn, subject, inbound.message, inbound.retain);
  ackWhenDurable(conn, encodeAck('pubcomp', id), durable || session.persistent);
}

/** Acknowledgements go in order; one that waits for the store holds back those after it. */
function ackWhenDurable(conn: MqttConnection, bytes: Buffer, waits: boolean): void {
  const entry = conn.queueAck(bytes, !waits);
  if (!waits) return;
  conn.service.store.whenDurable((err) => {
    if (err !== null) {
      conn.service.log.error(`${conn.label()} - MQTT store write failed: ${err.message}`);
      return conn.close('Store Failure', false);
    }
    entry.ready = true;
    conn.flushAcks();
  });
}
