// SUBSCRIBE and UNSUBSCRIBE. SUBACK answers every filter in order, with the granted QoS or a failure
// code [MQTT-3.8.4-5], before the retained messages the new subscriptions match are sent
// [MQTT-3.3.1-6]; it takes its place among the acknowledgements waiting for the store. UNSUBACK always follows.

import { Reason, SUBACK_FAILURE, encodePacket } from '../protocol/mqtt/index.js';
import type { ISubscribePacket, IUnsubscribePacket } from '../protocol/mqtt/index.js';
import type { MqttConnection } from './mqtt-connection.js';
import type { Subscribed } from './service.js';
import type { Session } from './session.js';

export function handleSubscribe(conn: MqttConnection, p: ISubscribePacket): void {
  const service = conn.service;
  if (!p.messageId) return conn.protocolError('SUBSCRIBE without a packet id', Reason.ProtocolError); // [MQTT-2.3.1-1]
  if (p.subscriptions.length === 0) return conn.protocolError('SUBSCRIBE without a topic filter', Reason.ProtocolError); // [MQTT-3.8.3-3]
  const subId = conn.version === 5 ? (p.properties?.subscriptionIdentifier ?? 0) : 0;
  const done: Subscribed[] = [];
  const granted: number[] = [];
  for (const s of p.subscriptions) {
    const options = {
      filter: s.topic,
      qos: s.qos,
      noLocal: conn.version === 5 && s.nl === true,
      retainAsPublished: conn.version === 5 && s.rap === true,
      retainHandling: (conn.version === 5 ? (s.rh ?? 0) : 0) as 0 | 1 | 2,
      subscriptionId: Array.isArray(subId) ? (subId[0] ?? 0) : subId,
    };
    const result = service.subscribe(conn, options);
    if (conn.closed) return;
    if (typeof result === 'number') {
      granted.push(conn.version === 5 ? result : SUBACK_FAILURE);
      continue;
    }
    granted.push(result.granted);
    done.push(result);
  }
  const suback = encodePacket({ cmd: 'suback', messageId: p.messageId ?? 0, granted }, conn.version);
  const session = conn.session as Session;
  if (!session.persistent) {
    conn.queueAck(suback, true);
    for (const s of done) service.sendRetained(conn, s);
    return;
  }
  // A persistent session's subscriptions are granted once stored: a restart right after SUBACK keeps them.
  const entry = conn.queueAck(suback, false);
  service.store.whenDurable((err) => {
    if (conn.closed) return;
    if (err !== null) {
      service.log.error(`${conn.label()} - MQTT store write failed: ${err.message}`);
      return conn.close('Store Failure', false);
    }
    entry.ready = true;
    conn.flushAcks();
    for (const s of done) service.sendRetained(conn, s);
  });
}

export function handleUnsubscribe(conn: MqttConnection, p: IUnsubscribePacket): void {
  const service = conn.service;
  if (!p.messageId) return conn.protocolError('UNSUBSCRIBE without a packet id', Reason.ProtocolError); // [MQTT-2.3.1-1]
  if (p.unsubscriptions.length === 0) return conn.protocolError('UNSUBSCRIBE without a topic filter', Reason.ProtocolError); // [MQTT-3.10.3-2]
  const codes = p.unsubscriptions.map((filter) => (service.unsubscribe(conn, filter) ? Reason.Success : Reason.NoSubscriptionExisted));
  conn.sendPacket({ cmd: 'unsuback', messageId: p.messageId ?? 0, granted: conn.version === 5 ? codes : [] });
}
