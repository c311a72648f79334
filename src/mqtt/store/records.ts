// Records <-> rows. What is not a plain column is JSON text, readable by any SQLite tool: a session's
// subscriptions, an outbound message's subscription ids, and a message's MQTT 5 properties, with the
// correlation data (bytes) as base64. Only the known fields are written, whatever else the objects
// handed in carry, and only the present ones are read back, so a record round-trips as it was.

import type {
  MessageProperties,
  OutboundState,
  OutboxMessage,
  StoredInbound,
  StoredMessage,
  StoredOutbound,
  StoredRetained,
  StoredSession,
  StoredSubscription,
} from './types.js';

/** Columns as better-sqlite3 returns them: TEXT as string, INTEGER as number, BLOB as Buffer. */
export interface SessionRow {
  account: string;
  client_id: string;
  protocol_version: number;
  expiry_seconds: number;
  disconnected_at_ms: number;
  subscriptions: string;
}

interface MessageRow {
  topic: string;
  payload: Buffer;
  qos: number;
  properties: string | null;
  expires_at_ms: number;
}

export interface RetainedRow extends MessageRow {
  account: string;
}

export interface OutboundRow extends MessageRow {
  account: string;
  client_id: string;
  seq: number;
  packet_id: number;
  state: number;
  retain: number;
  subscription_ids: string;
}

export interface InboundRow extends MessageRow {
  account: string;
  client_id: string;
  packet_id: number;
  retain: number;
}

export interface OutboxRow {
  seq: number;
  topic: string;
  payload: Buffer;
  qos: number;
  retain: number;
  properties: string | null;
  stored_at_ms: number;
}

/** MessageProperties as stored. */
interface PropertiesJson {
  payloadFormatIndicator?: boolean;
  contentType?: string;
  responseTopic?: string;
  correlationData?: string;
  userProperties?: Array<[string, string]>;
}

export function encodeProperties(p: MessageProperties | null): string | null {
  if (p === null) return null;
  const json: PropertiesJson = {};
  if (p.payloadFormatIndicator !== undefined) json.payloadFormatIndicator = p.payloadFormatIndicator;
  if (p.contentType !== undefined) json.contentType = p.contentType;
  if (p.responseTopic !== undefined) json.responseTopic = p.responseTopic;
  if (p.correlationData !== undefined) json.correlationData = p.correlationData.toString('base64');
  if (p.userProperties !== undefined) json.userProperties = p.userProperties.map(([k, v]) => [k, v]);
  return JSON.stringify(json);
}

export function decodeProperties(text: string | null): MessageProperties | null {
  if (text === null) return null;
  const json = JSON.parse(text) as PropertiesJson;
  const p: { -readonly [K in keyof MessageProperties]: MessageProperties[K] } = {};
  if (json.payloadFormatIndicator !== undefined) p.payloadFormatIndicator = json.payloadFormatIndicator;
  if (json.contentType !== undefined) p.contentType = json.contentType;
  if (json.responseTopic !== undefined) p.responseTopic = json.responseTopic;
  if (json.correlationData !== undefined) p.correlationData = Buffer.from(json.correlationData, 'base64');
  if (json.userProperties !== undefined) p.userProperties = json.userProperties;
  return p;
}

export function encodeSubscriptions(subscriptions: readonly StoredSubscription[]): string {
  return JSON.stringify(
    subscriptions.map((s): StoredSubscription => ({
      filter: s.filter,
      qos: s.qos,
      noLocal: s.noLocal,
      retainAsPublished: s.retainAsPublished,
      retainHandling: s.retainHandling,
      subscriptionId: s.subscriptionId,
    })),
  );
}

export function encodeSubscriptionIds(ids: readonly number[]): string {
  return JSON.stringify(ids);
}

export function sessionOf(row: SessionRow): StoredSession {
  return {
    account: row.account,
    clientId: row.client_id,
    protocolVersion: row.protocol_version as 4 | 5,
    expirySeconds: row.expiry_seconds,
    disconnectedAtMs: row.disconnected_at_ms,
    subscriptions: JSON.parse(row.subscriptions) as StoredSubscription[],
  };
}

function messageOf(row: MessageRow): StoredMessage {
  return { topic: row.topic, payload: row.payload, qos: row.qos as 0 | 1 | 2, properties: decodeProperties(row.properties), expiresAtMs: row.expires_at_ms };
}

export function retainedOf(row: RetainedRow): StoredRetained {
  return { account: row.account, ...messageOf(row) };
}

export function outboundOf(row: OutboundRow): StoredOutbound {
  return {
    account: row.account,
    clientId: row.client_id,
    seq: row.seq,
    packetId: row.packet_id,
    state: row.state as OutboundState,
    message: messageOf(row),
    retain: row.retain !== 0,
    subscriptionIds: JSON.parse(row.subscription_ids) as number[],
  };
}

export function inboundOf(row: InboundRow): StoredInbound {
  return { account: row.account, clientId: row.client_id, packetId: row.packet_id, message: messageOf(row), retain: row.retain !== 0 };
}

export function outboxOf(row: OutboxRow): OutboxMessage {
  return { seq: row.seq, topic: row.topic, payload: row.payload, qos: row.qos as 0 | 1, retain: row.retain !== 0, properties: decodeProperties(row.properties), storedAtMs: row.stored_at_ms };
}
