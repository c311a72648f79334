// Records of every kind, with the awkward cases in them: MQTT 5 properties with binary correlation
// data and repeated user properties, an empty payload, the same client id in two accounts, text
// beyond ASCII. SAMPLES lists them in the order load() returns them; writeSamples() writes them
// in another.

import { OutboundState } from '../../../../src/mqtt/store/index.js';
import type { MessageProperties, MqttState, MqttStore, StoredInbound, StoredOutbound, StoredRetained, StoredSession } from '../../../../src/mqtt/store/index.js';

/** Every byte value, so that no encoding of the correlation data can pass by luck. */
export const CORRELATION = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

export const FULL_PROPERTIES: MessageProperties = {
  payloadFormatIndicator: true,
  contentType: 'application/json; charset=utf-8',
  responseTopic: 'replies/ü/1',
  correlationData: CORRELATION,
  userProperties: [
    ['k', 'v'],
    ['k', 'v2'],
    ['ключ', '値 🚀'],
  ],
};

export function session(account: string, clientId: string, over: Partial<StoredSession> = {}): StoredSession {
  return { account, clientId, protocolVersion: 5, expirySeconds: 3600, disconnectedAtMs: 0, subscriptions: [], ...over };
}

export function retained(account: string, topic: string, payload: string, over: Partial<StoredRetained> = {}): StoredRetained {
  return { account, topic, payload: Buffer.from(payload), qos: 1, properties: null, expiresAtMs: 0, ...over };
}

export function outbound(account: string, clientId: string, seq: number, over: Partial<StoredOutbound> = {}): StoredOutbound {
  return {
    account,
    clientId,
    seq,
    packetId: 0,
    state: OutboundState.Publish,
    message: { topic: `to/${clientId}`, payload: Buffer.from(`message ${seq}`), qos: 1, properties: null, expiresAtMs: 0 },
    retain: false,
    subscriptionIds: [],
    ...over,
  };
}

export function inbound(account: string, clientId: string, packetId: number, over: Partial<StoredInbound> = {}): StoredInbound {
  return {
    account,
    clientId,
    packetId,
    message: { topic: `from/${clientId}`, payload: Buffer.from(`packet ${packetId}`), qos: 2, properties: null, expiresAtMs: 0 },
    retain: false,
    ...over,
  };
}

export const SAMPLES: MqttState = {
  sessions: [
    session('A', 'dev-1', {
      disconnectedAtMs: 1_700_000_000_123,
      subscriptions: [
        { filter: 'sensors/+/temp', qos: 1, noLocal: false, retainAsPublished: true, retainHandling: 1, subscriptionId: 7 },
        { filter: '$share/g/cmd/#', qos: 2, noLocal: true, retainAsPublished: false, retainHandling: 2, subscriptionId: 0 },
      ],
    }),
    session('A', 'dev-2', { protocolVersion: 4, expirySeconds: 0xffffffff }),
    session('B', 'dev-1'),
  ],
  retained: [
    retained('A', 'sensors/ü/temp', '21.5', { properties: FULL_PROPERTIES, expiresAtMs: 1_800_000_000_000 }),
    retained('A', 'status', '', { qos: 0, properties: {} }),
    retained('B', 'sensors/x/temp', '\u0000\u00ff', { qos: 2 }),
  ],
  outbound: [
    outbound('A', 'dev-1', 1, { retain: true, subscriptionIds: [7, 9], message: { topic: 'sensors/ü/temp', payload: Buffer.from('21.5'), qos: 1, properties: FULL_PROPERTIES, expiresAtMs: 5 } }),
    outbound('A', 'dev-1', 2, { packetId: 65535 }),
    outbound('A', 'dev-1', 10, { packetId: 4, state: OutboundState.Released }),
    outbound('B', 'dev-1', 1),
  ],
  inbound: [inbound('A', 'dev-1', 3, { retain: true, message: { topic: 'cmd/1', payload: Buffer.alloc(0), qos: 2, properties: { userProperties: [['a', '']] }, expiresAtMs: 9 } }), inbound('B', 'dev-1', 1)],
};

export function writeSamples(store: MqttStore): void {
  for (const s of [...SAMPLES.sessions].reverse()) store.putSession(s);
  for (const r of [...SAMPLES.retained].reverse()) store.putRetained(r);
  for (const o of [...SAMPLES.outbound].reverse()) store.putOutbound(o);
  for (const i of [...SAMPLES.inbound].reverse()) store.putInbound(i);
}

export function durable(store: MqttStore): Promise<Error | null> {
  return new Promise((resolve) => store.whenDurable(resolve));
}
