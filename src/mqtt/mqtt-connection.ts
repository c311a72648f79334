// One MQTT client connection: bytes in through the codec to the packet handlers, packets out
// through the outbound buffer (flushed once per turn), the CONNECT deadline, keepalive, the will,
// and the session it is attached to. MQTT state that outlives the connection lives in its Session.

import { ConnectionKind, Outbound, scheduleFlush } from '../core/index.js';
import type { Account, ClosedSubscription, ConnectionType, ConnectSummary, DeviceClient, Flushable, Permissions, TransportSocket } from '../core/index.js';
import { MqttParser, PINGRESP, Reason, encodeAck, encodePacket, plainPublishSize, writePlainPublish } from '../protocol/mqtt/index.js';
import type { IPublishPacket, Packet } from '../protocol/mqtt/index.js';
import type { ConnectOptions } from '../protocol/nats/index.js';
import { handleConnect } from './handle-connect.js';
import { handlePubAck, handlePubComp, handlePubRec } from './handle-acks.js';
import { handlePublish, handlePubRel } from './handle-publish.js';
import { handleSubscribe, handleUnsubscribe } from './handle-subscribe.js';
import type { CertIdentity } from '../util/index.js';
import type { MqttService } from './service.js';
import type { OutboundMessage, Session } from './session.js';
import type { MessageProperties } from './store/index.js';

const EMPTY = Buffer.alloc(0);

export const MqttState = { AwaitConnect: 0, Authenticating: 1, Connected: 2, Closed: 3 } as const;
export type MqttState = (typeof MqttState)[keyof typeof MqttState];

/** A will as CONNECT gave it, its topic already converted. */
export interface Will {
  readonly topic: string;
  readonly subject: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  readonly properties: MessageProperties | null;
  readonly expirySeconds: number;
  readonly delaySeconds: number;
  /** The publishing client's permissions: a will is a publish of that client [MQTT-3.1.2-8]. */
  readonly perms: Permissions | null;
}

/** What an mqtts handshake told. */
export interface MqttTls {
  readonly version: string;
  readonly cipher: string;
  readonly peerIdentity: CertIdentity | null;
}

export class MqttConnection implements Flushable, DeviceClient {
  readonly cid: number;
  readonly kind = ConnectionKind.Client;
  state: MqttState = MqttState.AwaitConnect;
  /** 4 (3.1.1) or 5, from CONNECT. */
  version: 4 | 5 = 4;
  clientId = '';
  account: Account | null = null;
  user = '';
  perms: Permissions | null = null;
  session: Session | null = null;
  will: Will | null = null;
  /** QoS 1/2 messages the client accepts in flight (the server's max_ack_pending, lowered by MQTT 5's receive maximum). */
  maxInflight: number;
  /** MQTT 5: the largest packet the client takes (its CONNECT's maximum packet size); a larger PUBLISH is not sent [MQTT-3.1.2-24]. */
  maxPacketOut = Infinity;
  /** What the client logged in with, checked again after a reload. */
  login: ConnectOptions | null = null;
  /** MQTT 5: how many topic aliases the client takes from us (its CONNECT's topic alias maximum), and those given. */
  aliasMaxOut = 0;
  private readonly aliasesOut = new Map<string, number>();
  /** MQTT 5 topic aliases the client set, by alias. */
  readonly topicAliases = new Map<number, string>();
  readonly ip: string;
  readonly port: number;
  readonly start = new Date();
  stop: Date | null = null;
  lastActivity = Date.now();
  readonly rttMs = 0;
  /** What /connz shows of the login (the user name). */
  opts: ConnectSummary = {};
  issuerKey = '';
  nameTag = '';
  tags: readonly string[] = [];
  readonly tlsVersion: string;
  readonly tlsCipher: string;
  /** Who the client certificate names (for the mqtt block's verify_and_map); null without one. */
  readonly tlsIdentity: CertIdentity | null;
  /** Listed by the router (from CONNACK on). */
  private listed = false;
  inMsgs = 0;
  outMsgs = 0;
  inBytes = 0;
  outBytes = 0;
  closeReason = '';
  readonly outbound = new Outbound();
  /** PUBACKs and PUBRECs in the order their publishes came, each sent once what it waits for is durable [MQTT-4.6.0-2]. */
  private readonly acks: Array<{ bytes: Buffer; ready: boolean }> = [];
  readonly parser: MqttParser;
  private keepaliveMs = 0;
  private timer: NodeJS.Timeout | null = null;
  /** 3.1.1: resends what waited ack_wait for its acknowledgement. */
  private redelivery: NodeJS.Timeout | null = null;

  constructor(
    readonly service: MqttService,
    readonly socket: TransportSocket,
    readonly type: ConnectionType,
    remoteAddress: string,
    tls: MqttTls | null,
  ) {
    this.cid = service.router.newDeviceCid();
    this.tlsVersion = tls?.version ?? '';
    this.tlsCipher = tls?.cipher ?? '';
    this.tlsIdentity = tls?.peerIdentity ?? null;
    this.ip = remoteAddress;
    this.port = socket.remotePort ?? 0;
    this.maxInflight = service.config.maxAckPending;
    this.parser = new MqttParser(
      (p) => this.onPacket(p),
      (message, reason) => this.protocolError(message, reason),
      service.maxPacketSize,
    );
    socket.on('data', (chunk) => this.onData(chunk));
    // A connection lost without DISCONNECT sends the will [MQTT-3.1.2-8].
    socket.on('error', () => this.close('Client Closed', true));
    socket.on('close', () => this.close('Client Closed', true));
    this.timer = setTimeout(() => this.guard(() => this.noConnect()), service.connectTimeoutMs);
  }

  get closed(): boolean {
    return this.state === MqttState.Closed;
  }

  get mqttClient(): string {
    return this.clientId;
  }

  get pendingBytes(): number {
    return this.outbound.pendingBytes + this.socket.writableLength;
  }

  /** The session's NATS subscriptions, as /connz lists a client's. */
  get subs(): ReadonlyMap<string, ClosedSubscription> {
    const out = new Map<string, ClosedSubscription>();
    for (const sub of this.session?.subs.values() ?? []) for (const s of sub.nats) out.set(s.sid, s);
    return out;
  }

  reconfigured(reauthorize: boolean): void {
    if (reauthorize) this.service.recheck(this);
  }

  closeAccountFull(): void {
    this.sendDisconnect(Reason.QuotaExceeded);
    this.close('Maximum Account Connections Exceeded', false);
  }

  label(): string {
    return `${this.ip}:${this.port} - mid:${this.clientId === '' ? '?' : this.clientId}`;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.lastActivity = Date.now();
    this.guard(() => this.parser.feed(chunk));
  }

  /** Runs work of this connection's (its input, its timers): a bug there closes this client, not the server. */
  guard(work: () => void): void {
    try {
      work();
    } catch (err) {
      this.service.log.error(`${this.label()} - internal error: ${(err as Error).stack ?? String(err)}`);
      this.close('Internal Error', false);
    }
  }

  private onPacket(p: Packet): void {
    if (this.closed) return;
    if (this.state === MqttState.AwaitConnect && p.cmd !== 'connect') return this.protocolError(`${p.cmd} before CONNECT`, Reason.ProtocolError); // [MQTT-3.1.0-1]
    switch (p.cmd) {
      case 'connect':
        if (this.state !== MqttState.AwaitConnect) return this.protocolError('second CONNECT', Reason.ProtocolError); // [MQTT-3.1.0-2]
        return handleConnect(this, p);
      case 'publish':
        return handlePublish(this, p);
      case 'puback':
        return handlePubAck(this, p);
      case 'pubrec':
        return handlePubRec(this, p);
      case 'pubrel':
        return handlePubRel(this, p);
      case 'pubcomp':
        return handlePubComp(this, p);
      case 'subscribe':
        return handleSubscribe(this, p);
      case 'unsubscribe':
        return handleUnsubscribe(this, p);
      case 'pingreq':
        return this.send(PINGRESP);
      case 'disconnect':
        // A clean DISCONNECT discards the will, except MQTT 5's "disconnect with will message" (0x04).
        if (this.version !== 5 || p.reasonCode !== 0x04) this.will = null;
        if (this.version === 5 && this.session !== null && p.properties?.sessionExpiryInterval !== undefined) this.service.changeExpiry(this, p.properties.sessionExpiryInterval);
        return this.close('Client Closed', this.will !== null);
      default:
        return this.protocolError(`unexpected ${p.cmd}`, Reason.ProtocolError);
    }
  }

  /** CONNECT is being authenticated: input waits, and the socket is not read meanwhile (a client cannot pile bytes up behind a slow login). */
  holdInput(): void {
    this.parser.hold();
    this.socket.pause();
  }

  /** Logged in: listed among the server's connections, the keepalive starts and held input is read. */
  connected(keepaliveSeconds: number): void {
    this.state = MqttState.Connected;
    this.listed = true;
    this.service.router.listDevice(this);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    // A client silent for one and a half keepalives is gone [MQTT-3.1.2-24].
    this.keepaliveMs = keepaliveSeconds > 0 ? Math.floor(keepaliveSeconds * 1.5) * 1000 : 0;
    if (this.keepaliveMs > 0) this.armKeepalive(this.keepaliveMs);
    if (this.version === 4) {
      const ackWait = this.service.config.ackWaitMs;
      this.redelivery = setInterval(() => this.guard(() => this.session?.redeliver(Date.now(), ackWait)), Math.max(100, ackWait / 4));
      this.redelivery.unref();
    }
    this.releaseInput();
  }

  releaseInput(): void {
    this.socket.resume();
    this.parser.resume();
  }

  private armKeepalive(ms: number): void {
    this.timer = setTimeout(() => this.guard(() => this.checkKeepalive()), ms);
  }

  private checkKeepalive(): void {
    if (this.closed) return;
    const idle = Date.now() - this.lastActivity;
    if (idle >= this.keepaliveMs) {
      if (this.service.log.debugEnabled) this.service.log.debug(`${this.label()} - keepalive timeout`);
      this.sendDisconnect(Reason.KeepAliveTimeout);
      return this.close('Stale Connection', true);
    }
    this.armKeepalive(this.keepaliveMs - idle);
  }

  private noConnect(): void {
    if (this.state !== MqttState.AwaitConnect) return;
    if (this.service.log.debugEnabled) this.service.log.debug(`${this.label()} - no CONNECT in time`);
    this.close('Authentication Timeout', false);
  }

  // ---- output ----------------------------------------------------------------------------------

  /** Queues bytes for the end of the turn's flush. */
  send(bytes: Buffer): void {
    if (this.closed) return;
    this.outBytes += bytes.length;
    this.outbound.append(bytes);
    this.queued();
  }

  /** A PUBLISH without properties, written straight into the outbound buffer; false when it is over the client's maximum packet size. */
  sendPlainPublish(topic: string, payload: Uint8Array, qos: number, retain: boolean, dup: boolean, packetId: number): boolean {
    if (this.closed) return true;
    const [alias, known] = this.aliasOf(topic);
    const bytes = known ? EMPTY : this.service.topicBytes(topic);
    const size = plainPublishSize(bytes, payload.length, qos, this.version, alias);
    if (size > this.maxPacketOut) return false;
    if (alias > 0 && !known) this.aliasesOut.set(topic, alias);
    const out = this.outbound;
    out.ensure(size);
    out.len = writePlainPublish(out.buf, out.len, bytes, payload, qos, retain, dup, packetId, this.version, alias);
    this.outMsgs++;
    this.outBytes += size;
    this.queued();
    return true;
  }

  private queued(): void {
    const pending = this.outbound.pendingBytes + this.socket.writableLength;
    const router = this.service.router;
    if (pending <= router.limits.maxPending) return scheduleFlush(this);
    this.service.log.error(`${this.label()} - Slow Consumer Detected: WriteDeadline of ${router.limits.writeDeadlineMs}ms exceeded with ${pending} pending bytes`);
    router.stats.slowConsumers++;
    this.outbound.discard();
    this.close('Slow Consumer (Pending Bytes)', true);
  }

  flushOutbound(): void {
    if (this.closed && this.socket.destroyed) return this.outbound.discard();
    this.outbound.flushTo(this.socket);
  }

  /** A PUBLISH with MQTT 5 properties, its topic replaced by an alias the client knows, or given one while they last. */
  sendPublishPacket(packet: IPublishPacket): boolean {
    const topic = packet.topic;
    const [alias, known] = this.aliasOf(topic);
    if (alias > 0) packet = { ...packet, topic: known ? '' : topic, properties: { ...packet.properties, topicAlias: alias } };
    if (!this.sendPacket(packet)) return false;
    if (alias > 0 && !known) this.aliasesOut.set(topic, alias);
    this.outMsgs++;
    return true;
  }

  /**
   * The alias a PUBLISH to the client carries: one it knows (true), a new one while the client's
   * topic alias maximum allows (false: the topic goes with it once), or 0. Aliases are never
   * reassigned, so a client is never told two topics for one alias.
   */
  private aliasOf(topic: string): [number, boolean] {
    if (this.aliasMaxOut === 0) return [0, false];
    const alias = this.aliasesOut.get(topic);
    if (alias !== undefined) return [alias, true];
    return this.aliasesOut.size < this.aliasMaxOut ? [this.aliasesOut.size + 1, false] : [0, false];
  }

  /** False for a packet over the client's maximum packet size, not sent. */
  sendPacket(packet: Packet): boolean {
    const bytes = encodePacket(packet, this.version);
    if (bytes.length > this.maxPacketOut) return false;
    this.send(bytes);
    return true;
  }

  /** A QoS 1/2 message of the session (again, with DUP, after a reconnect); a released QoS 2 one is a PUBREL. */
  sendPublish(m: OutboundMessage, dup: boolean): void {
    m.sentAtMs = Date.now();
    if (m.state === 1) return this.send(encodeAck('pubrel', m.packetId));
    const msg = m.message;
    const packet = this.service.publishPacket(this, msg, m.retain, m.subscriptionIds, m.packetId, dup);
    const sent = packet !== null ? this.sendPublishPacket(packet) : this.sendPlainPublish(msg.topic, msg.payload, msg.qos, m.retain, dup, m.packetId);
    // Too large for the client: done with as if delivered [MQTT-3.1.2-25]; after this call, as the session may be sending in a loop.
    if (!sent) queueMicrotask(() => this.session?.completed(m.packetId));
  }

  /** Queues an acknowledgement; one not `ready` holds back those after it until it is made ready and flushAcks() runs. */
  queueAck(bytes: Buffer, ready: boolean): { ready: boolean; bytes: Buffer } {
    const entry = { bytes, ready };
    this.acks.push(entry);
    if (ready) this.flushAcks();
    return entry;
  }

  flushAcks(): void {
    while (this.acks.length > 0 && this.acks[0].ready) this.send((this.acks.shift() as { bytes: Buffer }).bytes);
  }

  sendDisconnect(reason: Reason): void {
    if (this.version === 5 && this.state === MqttState.Connected) this.sendPacket({ cmd: 'disconnect', reasonCode: reason });
  }

  /** A protocol violation: MQTT 5 clients are told why [MQTT-4.13.1-1], then the connection closes (the will goes). */
  protocolError(why: string, reason: Reason): void {
    if (this.closed) return;
    this.service.log.error(`${this.label()} - ${why}`);
    this.sendDisconnect(reason);
    this.close('Protocol Error', true);
  }

  /** Closes the connection; `publishWill` says whether its will (if any) goes out. */
  close(reason: string, publishWill: boolean): void {
    if (this.closed) return;
    this.state = MqttState.Closed;
    this.closeReason = reason;
    this.stop = new Date();
    if (this.listed) this.service.router.delistDevice(this);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.redelivery !== null) clearInterval(this.redelivery);
    this.redelivery = null;
    // What was queued (a CONNACK refusal, a DISCONNECT) goes before the end.
    this.flushOutbound();
    this.socket.end();
    // A peer that never reads would keep the socket half-open.
    setTimeout(() => this.socket.destroy(), 1000).unref();
    this.service.closed(this, publishWill);
  }
}
