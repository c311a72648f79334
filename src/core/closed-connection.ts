// What a closed connection leaves for /connz?state=closed: its identity, times, counters and
// subscriptions as plain values. Up to 10,000 are kept, so none holds the live connection's
// socket, buffers, parser, permission caches or credentials.

import type { ConnectOptions } from '../protocol/nats/index.js';
import type { Account } from './account.js';
import type { ConnectionKind } from './connection.js';
import type { ConnectionType } from './transport.js';

/** The CONNECT fields monitoring shows. */
export type ConnectSummary = Pick<ConnectOptions, 'name' | 'lang' | 'version' | 'nkey' | 'user' | 'auth_token' | 'jwt'>;

/** Stands for a token login's token: monitoring shows only that one was used, and the secret is not kept. */
export const REDACTED_TOKEN = '[REDACTED]';

export interface ClosedSubscription {
  readonly subject: string;
  readonly queue: string | null;
  readonly sid: string;
  readonly delivered: number;
  readonly max: number;
}

const NO_SUBS: ReadonlyMap<string, ClosedSubscription> = new Map();

/**
 * A client connection as monitoring lists it: a NATS client, a client of another protocol the router
 * lists without running its protocol (MQTT), or what a closed one left.
 */
export interface ListedClient {
  readonly cid: number;
  readonly kind: ConnectionKind;
  readonly type: ConnectionType;
  readonly ip: string;
  readonly port: number;
  readonly start: Date;
  readonly stop: Date | null;
  readonly lastActivity: number;
  readonly closeReason: string;
  readonly rttMs: number;
  readonly pendingBytes: number;
  readonly inMsgs: number;
  readonly outMsgs: number;
  readonly inBytes: number;
  readonly outBytes: number;
  readonly opts: ConnectSummary;
  readonly user: string;
  readonly issuerKey: string;
  readonly nameTag: string;
  readonly tags: readonly string[];
  readonly account: Account | null;
  readonly tlsVersion: string;
  readonly tlsCipher: string;
  readonly subs: ReadonlyMap<string, ClosedSubscription>;
  /** An MQTT client's client id. */
  readonly mqttClient?: string;
}

/** A client of another protocol (MQTT): listed like a NATS client, and told of a reloaded configuration. */
export interface DeviceClient extends ListedClient {
  /** With `reauthorize`, the client is checked against the users and permissions now in force. */
  reconfigured(reauthorize: boolean): void;
  /** Closed because its account's connection limit was lowered below its clients. */
  closeAccountFull(): void;
}

/** What a connection leaves when it closes: its listing as plain values, holding nothing live. */
export function closedConnection(conn: ListedClient): ListedClient {
  const o = conn.opts;
  return {
    cid: conn.cid,
    kind: conn.kind,
    type: conn.type,
    ip: conn.ip,
    port: conn.port,
    start: conn.start,
    stop: conn.stop ?? new Date(),
    lastActivity: conn.lastActivity,
    closeReason: conn.closeReason,
    rttMs: conn.rttMs,
    pendingBytes: conn.pendingBytes,
    inMsgs: conn.inMsgs,
    outMsgs: conn.outMsgs,
    inBytes: conn.inBytes,
    outBytes: conn.outBytes,
    opts: { name: o.name, lang: o.lang, version: o.version, nkey: o.nkey, user: o.user, auth_token: o.auth_token ? REDACTED_TOKEN : undefined, jwt: o.jwt },
    user: conn.user,
    issuerKey: conn.issuerKey,
    nameTag: conn.nameTag,
    tags: conn.tags,
    account: conn.account,
    tlsVersion: conn.tlsVersion,
    tlsCipher: conn.tlsCipher,
    subs: conn.subs.size === 0 ? NO_SUBS : closedSubs(conn),
    mqttClient: conn.mqttClient ?? '',
  };
}

function closedSubs(conn: ListedClient): Map<string, ClosedSubscription> {
  const out = new Map<string, ClosedSubscription>();
  for (const s of conn.subs.values()) out.set(s.sid, { subject: s.subject, queue: s.queue, sid: s.sid, delivered: s.delivered, max: s.max });
  return out;
}
