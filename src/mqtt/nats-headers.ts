// What an MQTT message carries as NATS headers, both ways. An MQTT publish reaches NATS subscribers
// with nats-server's header `Nmqtt-Pub:<qos>` (exactly `NATS/1.0\r\nNmqtt-Pub:1\r\n\r\n` for a
// message without MQTT 5 properties, as nats-server sends it). MQTT 5 user properties become headers
// of their own name, the content type `Content-Type`, the correlation data `Nmqtt-Corr` (base64);
// the response topic is the NATS reply subject. Toward an MQTT 5 subscriber the same headers become
// those properties again, and any other NATS header a user property.

import type { MessageProperties } from './store/index.js';

const PUB_HEADER = 'Nmqtt-Pub';
const CORRELATION_HEADER = 'Nmqtt-Corr';
const CONTENT_TYPE_HEADER = 'Content-Type';
const PLAIN = [0, 1, 2].map((qos) => Buffer.from(`NATS/1.0\r\n${PUB_HEADER}:${qos}\r\n\r\n`, 'latin1'));

/** The header block of an MQTT publish at `qos` with these properties (response topic excluded: it is the reply). */
export function mqttHeaders(qos: number, props: MessageProperties | null): Buffer {
  if (props === null || (props.contentType === undefined && props.correlationData === undefined && props.userProperties === undefined)) return PLAIN[qos];
  let text = `NATS/1.0\r\n${PUB_HEADER}:${qos}\r\n`;
  if (props.contentType !== undefined) text += `${CONTENT_TYPE_HEADER}: ${headerText(props.contentType)}\r\n`;
  if (props.correlationData !== undefined) text += `${CORRELATION_HEADER}: ${props.correlationData.toString('base64')}\r\n`;
  for (const [name, value] of props.userProperties ?? []) {
    const key = headerName(name);
    if (key !== '') text += `${key}: ${headerText(value)}\r\n`;
  }
  return Buffer.from(text + '\r\n', 'utf8');
}

/** What a NATS message's headers say for MQTT: the QoS it was published with (0 from NATS publishers) and MQTT 5 properties. */
export interface FromHeaders {
  qos: 0 | 1 | 2;
  properties: MessageProperties | null;
}

/** Reads a header block (`NATS/1.0…\r\n\r\n`); `wantProperties` false reads only the QoS. */
export function fromHeaders(block: Buffer, wantProperties: boolean): FromHeaders {
  const out: FromHeaders = { qos: 0, properties: null };
  const lines = block.toString('utf8').split('\r\n');
  let contentType: string | undefined;
  let correlation: Buffer | undefined;
  const user: Array<[string, string]> = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (name === PUB_HEADER) {
      const q = Number(value);
      if (q === 1 || q === 2) out.qos = q;
      continue;
    }
    if (!wantProperties) continue;
    if (name === CONTENT_TYPE_HEADER) contentType = value;
    else if (name === CORRELATION_HEADER) correlation = Buffer.from(value, 'base64');
    else user.push([name, value]);
  }
  if (wantProperties && (contentType !== undefined || correlation !== undefined || user.length > 0)) {
    out.properties = { ...(contentType !== undefined && { contentType }), ...(correlation !== undefined && { correlationData: correlation }), ...(user.length > 0 && { userProperties: user }) };
  }
  return out;
}

/** A header name keeps printable characters other than `:` (a user property's name may hold anything). */
function headerName(name: string): string {
  return name.replace(/[^\x21-\x39\x3b-\x7e]/g, '');
}

/** Header values end at a line break: one inside a value would start a header of its own. */
function headerText(value: string): string {
  return value.replace(/[\r\n]/g, ' ');
}
