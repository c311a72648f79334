// The `mqtt {}` block, read as nats-server's parseMQTT reads it (2.9.10, plus 2.10.4's QoS 2 switches
// and 2.11.3's js_api_timeout), and leafgate's own `bridges` (from-conf-mqtt-bridges.ts). Its own `authorization` and `no_auth_user` replace the top-level ones
// for MQTT clients. The keys that tune nats-server's
// JetStream-backed MQTT state are read for their type and ignored: leafgate keeps that state in SQLite.
// The checks that need other blocks (JetStream, users) are in validate.ts.

import type { Field, Issues } from './conf-reader.js';
import { fieldOf, lowerCased, readBoolean, readInteger, readString, typeError } from './conf-reader.js';
import type { ConfEntry } from './conf-tree.js';
import { DurationError, parseGoDurationMs } from './durations.js';
import { emptyListener, readListenerField } from './from-conf-listener.js';
import { readMqttBridges } from './from-conf-mqtt-bridges.js';
import type { MqttConfig } from './options.js';

/** nats-server's mqttDefaultAckWait, used when `ack_wait` is absent or 0. */
const DEFAULT_ACK_WAIT_MS = 30_000;
/** nats-server's mqttDefaultMaxAckPending, used when `max_ack_pending` is absent or 0. */
const DEFAULT_MAX_ACK_PENDING = 1024;
/** MQTT packet identifiers are 16 bits, so no more can be in flight. */
const MAX_ACK_PENDING_LIMIT = 0xffff;

export function readMqtt(issues: Issues, entry: ConfEntry): MqttConfig | undefined {
  if (entry.value.kind !== 'map') {
    issues.error(entry.pos, `Expected mqtt to be a map, got ${entry.value.kind === 'array' ? '[]interface {}' : entry.value.kind}`);
    return undefined;
  }
  const listener = emptyListener();
  let ackWaitMs = 0;
  let ackWaitPos = entry.pos;
  let maxAckPending = 0;
  let rejectQos2Publish = false;
  let downgradeQos2Subscribe = false;
  let bridges: MqttConfig['bridges'] = [];
  let maxKeepaliveSeconds = 0;
  let bridgesPos = entry.pos;
  for (const [key, child] of lowerCased(entry.value)) {
    if (readListenerField(issues, key, child, listener, 'mqtt')) continue;
    const field = fieldOf(child);
    switch (key) {
      case 'ack_wait':
      case 'ackwait':
        ackWaitMs = readDurationMs(issues, field, 'ack_wait') ?? ackWaitMs;
        ackWaitPos = child.pos;
        break;
      case 'max_ack_pending':
      case 'max_pending':
      case 'max_inflight': {
        const value = readInteger(issues, field);
        if (value !== undefined && (value < 0 || value > MAX_ACK_PENDING_LIMIT)) {
          issues.error(child.pos, `invalid value ${value}, should in [0..${MAX_ACK_PENDING_LIMIT}] range`);
        } else if (value !== undefined) {
          maxAckPending = value;
        }
        break;
      }
      case 'reject_qos2_publish':
        rejectQos2Publish = readBoolean(issues, field) ?? rejectQos2Publish;
        break;
      case 'downgrade_qos2_subscribe':
        downgradeQos2Subscribe = readBoolean(issues, field) ?? downgradeQos2Subscribe;
        break;
      // mosquitto's setting, leafgate's key: nats-server has none.
      case 'max_keepalive': {
        const value = readInteger(issues, field);
        if (value !== undefined && (value < 0 || value > 65_535)) issues.error(child.pos, `max_keepalive must be 0 to 65535 seconds, not ${value}`);
        else if (value !== undefined) maxKeepaliveSeconds = value;
        break;
      }
      case 'bridges':
        bridges = readMqttBridges(issues, child);
        bridgesPos = child.pos;
        break;
      case 'js_domain':
        if (readString(issues, field) !== undefined) ignoredStateKey(issues, child);
        break;
      case 'stream_replicas':
        if (readInteger(issues, field) !== undefined) ignoredStateKey(issues, child);
        break;
      // nats-server 2.10+ ignores it without reading its value.
      case 'consumer_replicas':
        ignoredStateKey(issues, child);
        break;
      case 'consumer_memory_storage':
        if (readBoolean(issues, field) !== undefined) ignoredStateKey(issues, child);
        break;
      case 'consumer_inactive_threshold':
      case 'consumer_auto_cleanup':
        if (readDurationMs(issues, field, 'consumer_inactive_threshold') !== undefined) ignoredStateKey(issues, child);
        break;
      case 'js_api_timeout':
      case 'api_timeout':
        if (readDurationMs(issues, field, 'js_api_timeout') !== undefined) ignoredStateKey(issues, child);
        break;
      default:
        issues.unknownField(child);
    }
  }
  const { host, port, tls, auth, noAuthUser } = listener;
  // Port 0 leaves MQTT off, whatever else the block says; nats-server checks nothing more then.
  if (port === 0) {
    if (bridges.length > 0) issues.error(bridgesPos, 'mqtt bridges need the mqtt block on: port 0 turns MQTT off');
    return undefined;
  }
  if (ackWaitMs < 0) issues.error(ackWaitPos, 'ack wait must be a positive value');
  return {
    host,
    port,
    ...(tls !== undefined && { tls }),
    ...(auth !== undefined && { auth }),
    ...(noAuthUser !== '' && { noAuthUser }),
    ackWaitMs: ackWaitMs === 0 ? DEFAULT_ACK_WAIT_MS : ackWaitMs,
    maxAckPending: maxAckPending === 0 ? DEFAULT_MAX_ACK_PENDING : maxAckPending,
    rejectQos2Publish,
    downgradeQos2Subscribe,
    maxKeepaliveSeconds,
    bridges,
  };
}

function ignoredStateKey(issues: Issues, entry: ConfEntry): void {
  issues.warn(entry.pos, `mqtt ${entry.key} is not used: leafgate keeps MQTT state in SQLite, ignored`);
}

/**
 * nats-server's parseDuration: a duration string, or (older form, with a warning) whole seconds.
 * `name` is the key nats-server names in its messages, the same for every alias.
 */
function readDurationMs(issues: Issues, field: Field, name: string): number | undefined {
  const node = field.node;
  if (node.kind === 'integer') {
    issues.warn(field.pos, `invalid use of field ${JSON.stringify(name)}: ${name} should be converted to a duration`);
    const seconds = readInteger(issues, field);
    return seconds === undefined ? undefined : seconds * 1000;
  }
  if (node.kind !== 'string') return typeError(issues, field, 'a duration string such as "30s"');
  try {
    return parseGoDurationMs(node.value);
  } catch (err) {
    if (!(err instanceof DurationError)) throw err;
    issues.error(field.pos, `error parsing ${name}: ${err.message}`);
    return undefined;
  }
}
