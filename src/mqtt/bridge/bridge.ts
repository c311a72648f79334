// A bridge to another MQTT broker: leafgate connects to it as an MQTT client over its own socket
// (TCP, TLS or WebSocket), subscribes to the `in` rules' filters there and publishes what arrives into
// the local account, and sends what the `out` rules' subjects receive locally through the outbox.
//
// Delivery is at least once, QoS 1 end to end: a local QoS 1 publish into an out rule is acknowledged
// once its outbox copy is durable, and the copy leaves the outbox only at the remote's PUBACK; a
// message from the remote is PUBACKed once what its local publish wrote is durable. Messages in flight
// when the link drops are sent again, first and with DUP, when it is back; the outbox keeps its order.
//
// A message that came in over a bridge is never sent out over one (its local publish is marked while
// it is routed), and MQTT 5's no-local keeps the remote from sending back what the bridge published.
// The link reconnects after a failure with exponential backoff and jitter.

import type { Duplex } from 'node:stream';

import { Outbound, scheduleFlush } from '../../core/index.js';
import type { Account, CoreLog, Flushable, Subscription } from '../../core/index.js';
import type { PubFrame } from '../../protocol/nats/index.js';
import { MqttParser, encodeAck, encodePacket, plainPublishSize, topicToSubject, writePlainPublish } from '../../protocol/mqtt/index.js';
import type { IConnackPacket, IConnectPacket, IPublishPacket, ISubackPacket, ISubscribePacket, Packet } from '../../protocol/mqtt/index.js';
import { dial } from '../../transports/index.js';
import type { DialOptions } from '../../transports/index.js';
import { fromHeaders } from '../nats-headers.js';
import { messageProperties, packetProperties } from '../properties.js';
import type { MessageProperties, MqttStore, OutboxMessage, StoredMessage } from '../store/index.js';
import { BridgeOutbox } from './outbox.js';
import { InRule, OutRule } from './rules.js';
import type { InRuleSpec, OutRuleSpec } from './rules.js';
import { keepBytes } from '../../util/index.js';

export interface BridgeOptions {
  readonly name: string;
  /** For logs and monitoring: the configured URL without credentials. */
  readonly url: string;
  readonly target: DialOptions;
  readonly account: Account;
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
  readonly clean: boolean;
  readonly keepaliveSeconds: number;
  readonly protocolVersion: 4 | 5;
  readonly in: readonly InRuleSpec[];
  readonly out: readonly OutRuleSpec[];
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  readonly maxInflight: number;
  readonly reconnectDelayMs: number;
  readonly maxReconnectDelayMs: number;
}

/** What the MQTT service lends a bridge. */
export interface BridgeHost {
  readonly store: MqttStore;
  readonly log: CoreLog;
  readonly maxPacketSize: number;
  topicOf(subject: string): string;
  topicBytes(topic: string): Buffer;
  subscribeIn(account: Account, subject: string, handler: (f: PubFrame) => void): Subscription;
  unsubscribeIn(account: Account, sub: Subscription): void;
  /** Publishes a message that came in over a bridge; true when it wrote to the store. */
  publishBridged(account: Account, subject: string, message: StoredMessage, retain: boolean): boolean;
  /** Whether `f` is a message that came in over a bridge, being routed now. */
  isBridged(f: PubFrame): boolean;
  /** The delivery being made wrote to the store: the publish it belongs to is acknowledged once that is durable. */
  noteStoreWrite(): void;
}

/** A bridge as /varz and /healthz show it. */
export interface BridgeStatus {
  readonly name: string;
  readonly url: string;
  readonly connected: boolean;
  /** Successful connections since start. */
  readonly connects: number;
  readonly lastError: string;
  readonly backlogMsgs: number;
  readonly backlogBytes: number;
  /** Outbox messages dropped by max_bytes or max_age, and refused by the remote. */
  readonly droppedMsgs: number;
  readonly inMsgs: number;
  readonly outMsgs: number;
}

/** How long the remote has to answer CONNECT. */
const CONNACK_TIMEOUT_MS = 10_000;
/** Outbox messages written per turn: a long backlog of QoS 0 messages is sent in slices. */
const BATCH = 1024;
const PINGREQ = Buffer.from([0xc0, 0x00]);
const DISCONNECT = Buffer.from([0xe0, 0x00]);
/** Topic conversions remembered per bridge; they start over when full. */
const CACHE_MAX = 10_000;

export class MqttBridge implements Flushable {
  readonly name: string;
  private readonly inRules: readonly InRule[];
  private readonly outRules: readonly OutRule[];
  private readonly outbox: BridgeOutbox;
  private subs: Subscription[] = [];
  private stream: Duplex | null = null;
  private connected = false;
  private stopped = false;
  /** Attempts since the last successful connect: the backoff's exponent. */
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private connackTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private ageTimer: NodeJS.Timeout | null = null;
  private lastHeardMs = 0;
  private keepaliveMs: number;
  private inflightLimit = 1;
  /** What the remote's CONNACK allows (MQTT 5): a message it would refuse is not sent, or sent as it takes it. */
  private remoteMaxQos = 1;
  private remoteRetain = true;
  private remoteMaxPacket = Infinity;
  /** QoS 1 messages sent and not yet PUBACKed, by packet id. */
  private readonly inflight = new Map<number, OutboxMessage>();
  /** Seqs given back after a lost link: they go again with DUP [MQTT-3.3.1-1]. */
  private readonly resend = new Set<number>();
  private nextId = 0;
  private pumpScheduled = false;
  /** A PUBACK arrived in the read being parsed. */
  private acked = false;
  /** What is written this turn, handed to the link at its end (core's write coalescing, as clients have). */
  readonly outbound = new Outbound();
  /** The link is past its high-water mark: the outbox waits for 'drain'. */
  private blocked = false;
  /** Local subject -> remote topic per out rule; null: the subject has no valid topic. */
  private readonly topics = new Map<OutRule, Map<string, string | null>>();
  private connects = 0;
  private lastError = '';
  private refused = 0;
  private inMsgs = 0;
  private outMsgs = 0;

  constructor(
    private readonly host: BridgeHost,
    private readonly opts: BridgeOptions,
  ) {
    this.name = opts.name;
    this.inRules = opts.in.map((r) => new InRule(opts.name, r));
    this.outRules = opts.out.map((r) => new OutRule(opts.name, r));
    this.keepaliveMs = opts.keepaliveSeconds * 1000;
    this.outbox = new BridgeOutbox(host.store, opts.name, opts.maxBytes, opts.maxAgeMs);
  }

  start(): void {
    for (const rule of this.outRules) {
      this.topics.set(rule, new Map());
      this.subs.push(this.host.subscribeIn(this.opts.account, rule.subject, (f) => this.onLocal(rule, f)));
    }
    if (this.opts.maxAgeMs > 0) {
      this.ageTimer = setInterval(() => this.guard(() => this.outbox.expire(Date.now())), Math.min(60_000, Math.max(1000, this.opts.maxAgeMs / 4)));
      this.ageTimer.unref();
    }
    this.connect();
  }

  /** Closes the link (DISCONNECT first); what the outbox holds stays for the next start. */
  stop(): void {
    this.stopped = true;
    for (const sub of this.subs) this.host.unsubscribeIn(this.opts.account, sub);
    this.subs = [];
    for (const t of [this.retryTimer, this.ageTimer]) if (t !== null) clearTimeout(t);
    this.outbox.flushDone();
    const stream = this.stream;
    const connected = this.connected;
    // What this turn wrote (PUBACKs) goes before DISCONNECT.
    if (connected) this.flushOutbound();
    this.drop();
    if (stream === null) return;
    if (connected) stream.end(DISCONNECT);
    else stream.destroy();
  }

  status(): BridgeStatus {
    return {
      name: this.name,
      url: this.opts.url,
      connected: this.connected,
      connects: this.connects,
      lastError: this.lastError,
      backlogMsgs: this.outbox.count,
      backlogBytes: this.outbox.bytes,
      droppedMsgs: this.outbox.dropped + this.refused,
      inMsgs: this.inMsgs,
      outMsgs: this.outMsgs,
    };
  }

  /** Runs the bridge's own work (its input, its timers): a bug there drops the link, which is tried again; the server carries on. */
  private guard(work: () => void): void {
    try {
      work();
    } catch (err) {
      this.host.log.error(`MQTT bridge "${this.name}" - internal error: ${(err as Error).stack ?? String(err)}`);
      if (this.stream !== null) this.lost(this.stream, 'internal error');
    }
  }

  // ---- the link --------------------------------------------------------------------------------

  private connect(): void {
    this.retryTimer = null;
    if (this.stopped) return;
    dial(this.opts.target).then(
      (d) => {
        if (this.stopped) d.stream.destroy();
        else this.attach(d.stream);
      },
      (err: Error) => this.retry(err.message),
    );
  }

  private attach(stream: Duplex): void {
    this.stream = stream;
    const o = this.opts;
    const parser = new MqttParser(
      (p) => {
        if (this.stream === stream) this.onPacket(p);
      },
      (message) => this.lost(stream, `bad packet from the remote: ${message}`),
      this.host.maxPacketSize,
    );
    parser.version = o.protocolVersion;
    this.lastHeardMs = Date.now();
    stream.on('data', (chunk: Buffer) =>
      this.guard(() => {
        this.lastHeardMs = Date.now();
        parser.feed(chunk);
        // The PUBACKs of a read free their slots together: one store write and one socket write for them all.
        if (this.acked) {
          this.acked = false;
          this.outbox.flushDone();
          this.pump();
        }
      }),
    );
    stream.on('error', (err: Error) => this.lost(stream, err.message));
    stream.on('close', () => this.lost(stream, 'connection closed by the remote'));
    const connect: IConnectPacket = {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: o.protocolVersion,
      clean: o.clean,
      clientId: o.clientId,
      keepalive: o.keepaliveSeconds,
      ...(o.username !== undefined && { username: o.username }),
      ...(o.password !== undefined && { password: Buffer.from(o.password, 'utf8') }),
      ...(o.protocolVersion === 5 && { properties: { sessionExpiryInterval: o.clean ? 0 : 0xffffffff, maximumPacketSize: this.host.maxPacketSize } }),
    };
    this.send(encodePacket(connect, o.protocolVersion));
    this.connackTimer = setTimeout(() => this.lost(stream, `no CONNACK within ${CONNACK_TIMEOUT_MS / 1000} s`), CONNACK_TIMEOUT_MS);
  }

  /** The link failed or ended: what was in flight goes back to the outbox, and a new one is tried later. */
  private lost(stream: Duplex, reason: string): void {
    if (this.stream !== stream) return;
    const wasConnected = this.connected;
    this.drop();
    stream.destroy();
    if (this.stopped) return;
    if (wasConnected) this.host.log.warn(`MQTT bridge "${this.name}" to ${this.opts.url} lost: ${reason}`);
    this.retry(reason);
  }

  private drop(): void {
    this.stream = null;
    this.outbound.discard();
    this.connected = false;
    this.blocked = false;
    for (const t of [this.connackTimer, this.pingTimer]) if (t !== null) clearTimeout(t);
    this.connackTimer = this.pingTimer = null;
    const back = [...this.inflight.values()];
    for (const m of back) this.resend.add(m.seq);
    this.outbox.giveBack(back);
    this.inflight.clear();
  }

  private retry(reason: string): void {
    if (this.stopped) return;
    if (reason !== this.lastError) this.host.log.error(`MQTT bridge "${this.name}" to ${this.opts.url}: ${reason}`);
    this.lastError = reason;
    const o = this.opts;
    const delay = Math.min(o.maxReconnectDelayMs, o.reconnectDelayMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    // Half fixed, half random: gateways cut off together do not all come back at the same instant.
    this.retryTimer = setTimeout(() => this.guard(() => this.connect()), delay / 2 + (Math.random() * delay) / 2);
    this.retryTimer.unref();
  }

  private onPacket(p: Packet): void {
    switch (p.cmd) {
      case 'connack':
        return this.onConnack(p);
      case 'publish':
        return this.onRemotePublish(p);
      case 'puback':
        return this.onPuback(p.messageId ?? 0, p.reasonCode ?? 0);
      case 'suback':
        return this.onSuback(p);
      case 'pingresp':
        return;
      case 'disconnect':
        return this.lost(this.stream as Duplex, `the remote disconnected: reason ${hex(p.reasonCode ?? 0)}${p.properties?.reasonString !== undefined ? ` (${p.properties.reasonString})` : ''}`);
      default:
        return this.lost(this.stream as Duplex, `unexpected ${p.cmd.toUpperCase()} from the remote`);
    }
  }

  private onConnack(p: IConnackPacket): void {
    const stream = this.stream as Duplex;
    if (this.connected) return this.lost(stream, 'a second CONNACK from the remote');
    clearTimeout(this.connackTimer as NodeJS.Timeout);
    this.connackTimer = null;
    const code = this.opts.protocolVersion === 5 ? (p.reasonCode ?? 0) : (p.returnCode ?? 0);
    if (code !== 0) return this.lost(stream, `the remote refused the connection: ${connackText(this.opts.protocolVersion, code, p.properties?.reasonString)}`);
    this.connected = true;
    this.failures = 0;
    this.connects++;
    this.host.log.info(`MQTT bridge "${this.name}" connected to ${this.opts.url}${p.sessionPresent ? ' (session present)' : ''}`);
    const receiveMaximum = p.properties?.receiveMaximum ?? 0xffff;
    this.inflightLimit = Math.max(1, Math.min(this.opts.maxInflight, receiveMaximum));
    this.remoteMaxQos = p.properties?.maximumQoS === 0 ? 0 : 1;
    this.remoteRetain = p.properties?.retainAvailable !== false;
    this.remoteMaxPacket = p.properties?.maximumPacketSize ?? Infinity;
    const serverKeepalive = p.properties?.serverKeepAlive;
    if (serverKeepalive !== undefined) this.keepaliveMs = serverKeepalive * 1000;
    if (this.keepaliveMs > 0) this.pingTimer = setInterval(() => this.guard(() => this.ping(stream)), this.keepaliveMs);
    if (this.inRules.length > 0) this.subscribeRemote();
    this.pump();
  }

  /** A PINGREQ each keepalive; a remote silent for 1.5 of them is gone. */
  private ping(stream: Duplex): void {
    if (Date.now() - this.lastHeardMs > this.keepaliveMs * 1.5) return this.lost(stream, `no packet from the remote for ${(this.keepaliveMs * 1.5) / 1000} s`);
    this.send(PINGREQ);
  }

  private subscribeRemote(): void {
    const v5 = this.opts.protocolVersion === 5;
    const subscribe: ISubscribePacket = {
      cmd: 'subscribe',
      messageId: this.allocateId(),
      // Retain-as-published: the remote's retained messages stay retained here, as a mirror.
      subscriptions: this.inRules.map((r) => (v5 ? { topic: r.filter, qos: r.qos, nl: true, rap: true, rh: 0 } : { topic: r.filter, qos: r.qos })),
    };
    this.send(encodePacket(subscribe, this.opts.protocolVersion));
  }

  private onSuback(p: ISubackPacket): void {
    p.granted.forEach((g, i) => {
      const code = typeof g === 'number' ? g : (g as { qos: number }).qos;
      if (code >= 0x80 && i < this.inRules.length) {
        const reason = `the remote refused the subscription to ${JSON.stringify(this.inRules[i].filter)}: reason ${hex(code)}`;
        this.host.log.error(`MQTT bridge "${this.name}": ${reason}`);
        this.lastError = reason;
      }
    });
  }

  // ---- in: remote -> local ---------------------------------------------------------------------

  private onRemotePublish(p: IPublishPacket): void {
    const stream = this.stream as Duplex;
    const qos = p.qos;
    if (qos === 2) return this.lost(stream, 'the remote sent QoS 2 above the QoS subscribed');
    const id = p.messageId ?? 0;
    if (qos === 1 && id === 0) return this.lost(stream, 'the remote sent PUBLISH without a packet id');
    const rule = this.inRules.find((r) => r.matches(p.topic));
    const subject = rule?.subjectOf(p.topic) ?? null;
    let wrote = false;
    if (subject !== null) {
      this.inMsgs++;
      // A retained message is kept: the fast path's payload is only lent for this call.
      const payload = 'borrowed' in p && p.retain ? keepBytes(p.payload as Buffer) : (p.payload as Buffer);
      const props = this.opts.protocolVersion === 5 ? p.properties : undefined;
      const expiry = props?.messageExpiryInterval ?? 0;
      const message: StoredMessage = { topic: this.host.topicOf(subject), payload, qos, properties: messageProperties(props), expiresAtMs: expiry > 0 ? Date.now() + expiry * 1000 : 0 };
      wrote = this.host.publishBridged(this.opts.account, subject, message, p.retain);
    }
    if (qos === 0) return;
    // Every PUBACK waits for the store, written or not, so they leave in the order the messages came.
    if (!wrote) this.host.store.whenDurable(() => this.ack(stream, id));
    else {
      this.host.store.whenDurable((err) => {
        if (err !== null) return this.lost(stream, `the MQTT store failed: ${err.message}`);
        this.ack(stream, id);
      });
    }
  }

  private ack(stream: Duplex, id: number): void {
    if (this.stream === stream) this.send(encodeAck('puback', id));
  }

  // ---- out: local -> remote --------------------------------------------------------------------

  private onLocal(rule: OutRule, f: PubFrame): void {
    if (this.host.isBridged(f)) return;
    const topic = this.remoteTopic(rule, f.receivedSubject);
    if (topic === null) return;
    const body = f.data.subarray(f.start + f.hdrLen, f.end);
    const props = this.opts.protocolVersion === 5 && f.hdrLen > 0 ? fromHeaders(f.data.subarray(f.start, f.start + f.hdrLen), true).properties : null;
    if (rule.qos === 0 && this.connected && !this.blocked && this.outbox.empty) {
      if (this.writePublish(topic, body, 0, rule.retain, props, 0, false)) this.outMsgs++;
      return;
    }
    this.outbox.put(topic, body, rule.qos, rule.retain, props, Date.now());
    this.host.noteStoreWrite();
    if (this.connected && !this.pumpScheduled) {
      this.pumpScheduled = true;
      setImmediate(this.pumpLater);
    }
  }

  private remoteTopic(rule: OutRule, subject: string): string | null {
    const cache = this.topics.get(rule) as Map<string, string | null>;
    let topic = cache.get(subject);
    if (topic === undefined) {
      const t = rule.topicOf(subject);
      // A topic MQTT cannot publish to (wildcards, empty) would make the remote drop the link at every try.
      topic = typeof topicToSubject(t) === 'string' ? t : null;
      if (topic === null) this.host.log.error(`MQTT bridge "${this.name}": subject "${subject}" has no MQTT topic, not sent`);
      if (cache.size >= CACHE_MAX) cache.clear();
      cache.set(subject, topic);
    }
    return topic;
  }

  private readonly pumpLater = (): void => {
    this.pumpScheduled = false;
    this.guard(() => this.pump());
  };

  /** Sends what waits in the outbox, as far as the in-flight limit and the link allow. */
  private pump(): void {
    if (!this.connected || this.blocked) return;
    const now = Date.now();
    let sent = 0;
    while (this.inflight.size < this.inflightLimit && sent < BATCH) {
      const m = this.outbox.take(now);
      if (m === undefined) break;
      sent++;
      const dup = this.resend.delete(m.seq);
      const qos = m.qos === 1 && this.remoteMaxQos === 1 ? 1 : 0;
      const id = qos === 1 ? this.allocateId() : 0;
      if (!this.writePublish(m.topic, m.payload, qos, m.retain, m.properties, id, qos === 1 && dup)) this.outbox.done(m);
      else if (qos === 1) this.inflight.set(id, m);
      else {
        this.outbox.done(m);
        this.outMsgs++;
      }
    }
    this.outbox.flushDone();
    if (sent === BATCH && !this.pumpScheduled) {
      this.pumpScheduled = true;
      setImmediate(this.pumpLater);
    }
  }

  flushOutbound(): void {
    const stream = this.stream;
    if (stream === null) return this.outbound.discard();
    if (this.outbound.flushTo(stream) || this.blocked) return;
    this.blocked = true;
    stream.once('drain', () => {
      if (this.stream !== stream) return;
      this.blocked = false;
      this.guard(() => this.pump());
    });
  }

  private onPuback(id: number, reason: number): void {
    const m = this.inflight.get(id);
    if (m === undefined) return;
    this.inflight.delete(id);
    this.outbox.done(m);
    this.acked = true;
    // Sending it again would be refused again: it is given up.
    if (reason >= 0x80) this.giveUp(m.topic, `the remote refused it: reason ${hex(reason)}`);
    else this.outMsgs++;
  }

  /** A message that cannot go: counted as dropped, said once for each different cause. */
  private giveUp(topic: string, why: string): void {
    this.refused++;
    const text = `a message on ${JSON.stringify(topic)} was dropped: ${why}`;
    if (text !== this.lastError) this.host.log.error(`MQTT bridge "${this.name}": ${text}`);
    this.lastError = text;
  }

  /**
   * Writes a PUBLISH, as the remote takes it (retain only where available). False, and given up, when
   * it is over the remote's maximum packet size: the remote would drop the link over it at every try.
   */
  private writePublish(topic: string, payload: Uint8Array, qos: 0 | 1, retain: boolean, props: MessageProperties | null, id: number, dup: boolean): boolean {
    const v = this.opts.protocolVersion;
    const keepRetain = retain && this.remoteRetain;
    if (v === 5 && props !== null) {
      const packet: IPublishPacket = { cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: keepRetain, dup, ...(qos > 0 && { messageId: id }), properties: packetProperties(props) };
      const bytes = encodePacket(packet, v);
      if (bytes.length > this.remoteMaxPacket) return this.tooLarge(topic);
      this.send(bytes);
      return true;
    }
    const topicBytes = this.host.topicBytes(topic);
    const size = plainPublishSize(topicBytes, payload.length, qos, v);
    if (size > this.remoteMaxPacket) return this.tooLarge(topic);
    const out = this.outbound;
    out.ensure(size);
    out.len = writePlainPublish(out.buf, out.len, topicBytes, payload, qos, keepRetain, dup, id, v);
    scheduleFlush(this);
    return true;
  }

  private tooLarge(topic: string): false {
    this.giveUp(topic, "it is larger than the remote's maximum packet size");
    return false;
  }

  /** A packet id not in flight (MQTT's ids are 1..65535). */
  private allocateId(): number {
    do this.nextId = (this.nextId % 0xffff) + 1;
    while (this.inflight.has(this.nextId));
    return this.nextId;
  }

  /** Writes made in one turn leave together at its end: PUBACKs settle a commit's worth at a time. */
  private send(bytes: Buffer): void {
    if (this.stream === null) return;
    this.outbound.append(bytes);
    scheduleFlush(this);
  }
}

function hex(code: number): string {
  return `0x${code.toString(16).padStart(2, '0')}`;
}

const CONNACK_V4 = ['', 'unacceptable protocol version', 'identifier rejected', 'server unavailable', 'bad user name or password', 'not authorized'];

function connackText(version: 4 | 5, code: number, reasonString: string | undefined): string {
  const text = version === 4 ? (CONNACK_V4[code] ?? `return code ${code}`) : `reason ${hex(code)}`;
  return reasonString === undefined ? text : `${text} (${reasonString})`;
}
