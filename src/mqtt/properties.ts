// MQTT 5 message properties between mqtt-packet's shape and the one leafgate keeps.

import type { MessageProperties } from './store/index.js';

/** The properties mqtt-packet reads off a PUBLISH or a will that travel with the message. */
export interface PacketMessageProperties {
  payloadFormatIndicator?: boolean;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Buffer;
  userProperties?: { [name: string]: string | string[] };
}

export function messageProperties(p: PacketMessageProperties | undefined): MessageProperties | null {
  if (p === undefined) return null;
  const user: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(p.userProperties ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) user.push([name, v]);
  }
  const out: MessageProperties = {
    ...(p.payloadFormatIndicator !== undefined && { payloadFormatIndicator: p.payloadFormatIndicator }),
    ...(p.contentType !== undefined && { contentType: p.contentType }),
    ...(p.responseTopic !== undefined && { responseTopic: p.responseTopic }),
    ...(p.correlationData !== undefined && { correlationData: Buffer.from(p.correlationData) }),
    ...(user.length > 0 && { userProperties: user }),
  };
  return Object.keys(out).length === 0 ? null : out;
}

/** mqtt-packet's shape again, for a PUBLISH to an MQTT 5 client. */
export function packetProperties(p: MessageProperties): PacketMessageProperties {
  let user: { [name: string]: string | string[] } | undefined;
  for (const [name, value] of p.userProperties ?? []) {
    user ??= {};
    const had = user[name];
    user[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return {
    ...(p.payloadFormatIndicator !== undefined && { payloadFormatIndicator: p.payloadFormatIndicator }),
    ...(p.contentType !== undefined && { contentType: p.contentType }),
    ...(p.responseTopic !== undefined && { responseTopic: p.responseTopic }),
    ...(p.correlationData !== undefined && { correlationData: p.correlationData }),
    ...(user !== undefined && { userProperties: user }),
  };
}
