// What the monitor reads from the server. The server satisfies this structurally; the monitor
// never imports it (server.ts is the composition root) and never changes anything it reads.

import type { Options } from '../config/index.js';
import type { Router } from '../core/index.js';
import type { AccountJwtInfo } from '../util/index.js';
import type { JetStreamMonitorSource } from './jetstream-source.js';

export interface MonitorLog {
  error(msg: string): void;
}

/** An MQTT bridge to another broker, as leafgate's MQTT service reports it. */
export interface MqttBridgeState {
  readonly name: string;
  readonly url: string;
  readonly connected: boolean;
  readonly connects: number;
  readonly lastError: string;
  readonly backlogMsgs: number;
  readonly backlogBytes: number;
  readonly droppedMsgs: number;
  readonly inMsgs: number;
  readonly outMsgs: number;
}

/** A leaf node link, as the leaf module reports it. */
export interface LeafLinkState {
  /** The other server's name. */
  readonly name: string;
  /** This side is the link's spoke. */
  readonly isSpoke: boolean;
  readonly account: string;
  readonly ip: string;
  readonly port: number;
  readonly rttMs: number;
  readonly inMsgs: number;
  readonly outMsgs: number;
  readonly inBytes: number;
  readonly outBytes: number;
  /** The subjects (and `subject queue` pairs) the other side is interested in. */
  readonly subjects: readonly string[];
}

/** The store-and-forward uplink, as the leaf module reports it. */
export interface UplinkMonitorState {
  readonly name: string;
  readonly stream: string;
  readonly connected: boolean;
  /** The carrying link's round trip, ms (0 while down). */
  readonly rttMs: number;
  readonly backlogMsgs: number;
  readonly backlogBytes: number;
  readonly oldestMs: number;
  readonly forwarded: number;
  readonly acked: number;
  readonly rateMsgs: number;
  readonly etaSeconds: number;
  readonly lastError: string;
}

export interface MonitorSource {
  readonly id: string;
  readonly startTime: Date;
  readonly opts: Options;
  readonly router: Router;
  readonly configLoadTime: Date;
  /** Bound client port; 0 until the client listener is up. */
  readonly port: number;
  /** Bound WebSocket and MQTT ports; 0 without the listener. */
  readonly websocketPort: number;
  readonly mqttPort: number;
  readonly mqttBridges: readonly MqttBridgeState[];
  /** The leaf node links that finished their handshake. */
  readonly leafLinks: readonly LeafLinkState[];
  /** The uplink; null without one. */
  readonly uplink: UplinkMonitorState | null;
  readonly lameDuck: boolean;
  readonly log: MonitorLog;
  /** The running JetStream service; null while JetStream is off or could not start. */
  readonly jetStreamSource: JetStreamMonitorSource | null;
  /** An account's JWT in operator mode; null for an account without one. */
  accountJwt(name: string): AccountJwtInfo | null;
}
