// Routes published messages to the subscriptions of the publisher's account. Every connection kind
// attaches here; accounts keep their subject spaces apart.

import type { PubFrame, ServerInfo } from '../protocol/nats/index.js';
import { WireError } from '../protocol/nats/index.js';
import { GLOBAL_ACCOUNT, MappingError, SubjectMappings, subjectToText } from '../util/index.js';
import type { LinkedAccount, MappingSpec } from '../util/index.js';
import { Account } from './account.js';
import { closedConnection } from './closed-connection.js';
import type { DeviceClient, ListedClient } from './closed-connection.js';
import { ClientConnection } from './client-connection.js';
import { ConnectionKind } from './connection.js';
import type { Connection } from './connection.js';
import { InternalClient } from './internal-client.js';
import { LinkTargets } from './link-connection.js';
import type { LinkConnection } from './link-connection.js';
import { ServiceExport, ServiceImport } from './service-import.js';
import { ServiceRouting } from './service-routing.js';
import { StreamImport } from './stream-import.js';
import { writeLinkMsg, writeMsg } from './msg-writer.js';
import type { Subscription } from './subscription.js';
import type { AcceptedSocket, ClientAuthenticator, ClientEvents, ConnectionType, CoreLog } from './transport.js';

export interface Limits {
  maxControlLine: number;
  maxPayload: number;
  maxPending: number;
  maxConnections: number;
  maxSubscriptions: number;
  maxSubTokens: number;
  pingIntervalMs: number;
  pingMax: number;
  writeDeadlineMs: number;
}

export interface RouterConfig {
  readonly limits: Limits;
  readonly authenticator: ClientAuthenticator;
  /** WebSocket clients' own login when the websocket block sets one (nats-server's authOverride), with INFO's auth_required for them. */
  readonly websocketAuth?: { readonly authenticator: ClientAuthenticator; readonly authRequired: boolean };
  /** MQTT clients' own login when the mqtt block sets one (over TCP and WebSocket alike). */
  readonly mqttAuth?: ClientAuthenticator;
  readonly log: CoreLog;
  /** INFO fields common to every client; client_id and client_ip are added per connection. */
  readonly info: Omit<ServerInfo, 'client_id' | 'client_ip'>;
  readonly accountNames: readonly string[];
  /** Each account's subject mappings, in the order they apply (accounts without any are absent). */
  readonly mappings: ReadonlyMap<string, readonly MappingSpec[]>;
  /** Each account's exports and imports, linked (accounts without any may be absent). */
  readonly links: ReadonlyMap<string, LinkedAccount>;
  /** Each account's client limit (an account JWT's `conn`); accounts without one are absent. */
  readonly accountConnectionLimits?: ReadonlyMap<string, number>;
  readonly systemAccount: string;
  readonly noHeaderSupport: boolean;
  readonly maxTracedMsgLen: number;
  readonly useSublistCache: boolean;
}

export interface RouterStats {
  inMsgs: number;
  outMsgs: number;
  inBytes: number;
  outBytes: number;
  slowConsumers: number;
  totalConnections: number;
}

/** Closed connections kept for /connz?state=closed. */
const CLOSED_RING = 10000;

export class Router {
  limits!: Limits;
  authenticator!: ClientAuthenticator;
  private websocketAuth: RouterConfig['websocketAuth'];
  private mqttAuth: ClientAuthenticator | undefined;
  log!: CoreLog;
  noHeaderSupport!: boolean;
  maxTracedMsgLen!: number;
  /** Set during shutdown and lame duck: no new clients complete CONNECT. */
  closing = false;
  /** The system account's client events; null without a system account. */
  events: ClientEvents | null = null;
  readonly stats: RouterStats = { inMsgs: 0, outMsgs: 0, inBytes: 0, outBytes: 0, slowConsumers: 0, totalConnections: 0 };
  /** Client connections (code inside the server is not listed). */
  readonly conns = new Map<number, ClientConnection>();
  readonly closedConns: ListedClient[] = [];
  /** Clients of other protocols (MQTT): listed and counted here, their protocol run elsewhere. */
  readonly devices = new Map<number, DeviceClient>();
  readonly accounts = new Map<string, Account>();
  systemAccount!: string;

  private info!: RouterConfig['info'];
  private nextCid = 1;
  private useSublistCache: boolean;
  private readonly services: ServiceRouting;
  /** Each account's internal client for its import and response subscriptions, made on first need. */
  private readonly accountClients = new Map<Account, InternalClient>();
  /** The bound links as text: a reload that leaves them as they were rebinds nothing. */
  private linksKey = '[]';
  /** Spare LinkTargets: a routing pass that reaches links takes one and gives it back. */
  private readonly spareTargets: LinkTargets[] = [];

  constructor(cfg: RouterConfig) {
    this.useSublistCache = cfg.useSublistCache;
    this.services = new ServiceRouting(this);
    this.adopt(cfg);
  }

  /**
   * Applies a reloaded configuration; connections stay up. With `reauthorize`, every client is checked
   * against the new users and permissions: one no longer allowed in is closed, subscriptions the new
   * permissions forbid are removed.
   */
  reconfigure(cfg: RouterConfig, reauthorize = false): void {
    if (cfg.useSublistCache !== this.useSublistCache) {
      this.useSublistCache = cfg.useSublistCache;
      for (const acc of this.accounts.values()) acc.sublist.setCacheEnabled(cfg.useSublistCache);
    }
    this.adopt(cfg);
    for (const conn of this.conns.values()) conn.reconfigured(reauthorize);
    for (const device of this.devices.values()) device.reconfigured(reauthorize);
  }

  private adopt(cfg: RouterConfig): void {
    this.limits = { ...cfg.limits };
    this.authenticator = cfg.authenticator;
    this.websocketAuth = cfg.websocketAuth;
    this.mqttAuth = cfg.mqttAuth;
    this.log = cfg.log;
    this.info = cfg.info;
    this.noHeaderSupport = cfg.noHeaderSupport;
    this.maxTracedMsgLen = cfg.maxTracedMsgLen;
    this.systemAccount = cfg.systemAccount;
    this.syncAccounts(cfg.accountNames);
    for (const acc of this.accounts.values()) {
      acc.mappings = mappingsOf(acc.name, cfg.mappings.get(acc.name));
      acc.maxConnections = cfg.accountConnectionLimits?.get(acc.name) ?? -1;
      this.enforceConnectionLimit(acc);
    }
    const linksKey = JSON.stringify([...cfg.links]);
    if (linksKey !== this.linksKey) {
      this.linksKey = linksKey;
      this.bindLinks(cfg.links);
    }
  }

  /**
   * Binds the accounts' exports and imports: service imports subscribe their subjects in the importer,
   * and every subscription gets the shadows the stream imports call for (none left when none are).
   */
  private bindLinks(links: ReadonlyMap<string, LinkedAccount>): void {
    let shadowed = false;
    for (const acc of this.accounts.values()) shadowed ||= acc.streamImports.length > 0;
    const exportsOf = new Map<Account, Map<string, ServiceExport>>();
    for (const acc of this.accounts.values()) {
      const linked = links.get(acc.name);
      const own = new Map<string, ServiceExport>();
      for (const e of linked?.serviceExports ?? []) own.set(e.subject, new ServiceExport(acc, e.subject, e.responseType, e.responseThresholdMs, e.accounts));
      exportsOf.set(acc, own);
      acc.serviceExports = [...own.values()];
      acc.streamExports = linked?.streamExports ?? [];
    }
    for (const acc of this.accounts.values()) {
      for (const si of acc.serviceImports) if (si.sub !== null) this.accountClient(acc).unsubscribe(si.sub);
      const linked = links.get(acc.name);
      const streams: StreamImport[] = [];
      const services: ServiceImport[] = [];
      for (const im of linked?.streamImports ?? []) {
        const exporter = this.accounts.get(im.exporter);
        if (exporter !== undefined) streams.push(new StreamImport(exporter, im));
      }
      for (const im of linked?.serviceImports ?? []) {
        const exporter = this.accounts.get(im.exporter);
        if (exporter === undefined) continue;
        // One object per export: the chain check compares them. A system import the exporter's own
        // export did not cover gets one made for it.
        const own = exportsOf.get(exporter) as Map<string, ServiceExport>;
        let exp = own.get(im.export.subject);
        if (exp === undefined) {
          exp = new ServiceExport(exporter, im.export.subject, im.export.responseType, im.export.responseThresholdMs, im.export.accounts);
          own.set(im.export.subject, exp);
        }
        services.push(new ServiceImport(acc, exporter, im.from, im.to, im.transform, im.usePub, im.share, exp, false));
      }
      acc.streamImports = streams;
      acc.serviceImports = services;
      for (const si of services) this.services.listen(si);
    }
    for (const acc of this.accounts.values()) shadowed ||= acc.streamImports.length > 0;
    if (shadowed) for (const acc of this.accounts.values()) acc.reshadow();
  }

  /** A lowered limit closes the account's oldest clients beyond it, keeping the newest (as nats-server does). */
  private enforceConnectionLimit(acc: Account): void {
    const over = acc.maxConnections < 0 ? 0 : acc.connectionCount - acc.maxConnections;
    if (over <= 0) return;
    const oldest = [...acc.conns, ...acc.devices].sort((a, b) => a.start.getTime() - b.start.getTime()).slice(0, over);
    for (const conn of oldest) {
      if (conn instanceof ClientConnection) conn.closeWithError(WireError.MaxAccountConnections, 'Maximum Account Connections Exceeded');
      else conn.closeAccountFull();
    }
  }

  /** The internal client that holds `acc`'s import and response subscriptions. */
  accountClient(acc: Account): InternalClient {
    let client = this.accountClients.get(acc);
    if (client === undefined) {
      client = this.createInternalClient(ConnectionKind.Account, acc, `Account ${acc.name}`);
      this.accountClients.set(acc, client);
    }
    return client;
  }

  get serverName(): string {
    return this.info.server_name;
  }

  private syncAccounts(names: readonly string[]): void {
    for (const name of [GLOBAL_ACCOUNT, ...names]) {
      if (!this.accounts.has(name)) this.accounts.set(name, new Account(name, name === this.systemAccount, this.useSublistCache));
    }
  }

  /** INFO fields common to every client (read by monitoring). */
  get serverInfo(): RouterConfig['info'] {
    return this.info;
  }

  globalAccount(): Account {
    return this.accounts.get(GLOBAL_ACCOUNT) as Account;
  }

  findAccount(name: string): Account | null {
    return this.accounts.get(name) ?? null;
  }

  /** A transport accepted a socket: INFO goes out, then the client protocol runs. */
  accept(accepted: AcceptedSocket): ClientConnection {
    const conn = new ClientConnection(this, this.nextCid++, accepted);
    this.stats.totalConnections++;
    if (this.connectionCount >= this.limits.maxConnections) {
      conn.begin({ ...accepted, upgradeTls: undefined });
      conn.closeWithError(WireError.MaxConnections, 'Maximum Connections Exceeded');
      return conn;
    }
    this.conns.set(conn.cid, conn);
    if (this.log.debugEnabled) this.log.debug(`${conn.label()} - Client connection created`);
    conn.begin(accepted);
    return conn;
  }

  /** Every client connection: NATS clients and clients of other protocols. */
  get connectionCount(): number {
    return this.conns.size + this.devices.size;
  }

  /** A cid for a client of another protocol, counted among the connections made. */
  newDeviceCid(): number {
    this.stats.totalConnections++;
    return this.nextCid++;
  }

  /** A client of another protocol is connected: listed, and counted against max_connections. */
  listDevice(client: DeviceClient): void {
    this.devices.set(client.cid, client);
    client.account?.devices.add(client);
  }

  /** It closed: kept for /connz?state=closed like any client. */
  delistDevice(client: DeviceClient): void {
    if (!this.devices.delete(client.cid)) return;
    client.account?.devices.delete(client);
    this.closedConns.push(closedConnection(client));
    if (this.closedConns.length > CLOSED_RING) this.closedConns.shift();
  }

  /** A cid for a link to another server (a leaf node); links are not counted among client connections. */
  newLinkCid(): number {
    return this.nextCid++;
  }

  /** A connection for code inside the server (JetStream, the system account), bound to `account`. */
  createInternalClient(kind: ConnectionKind, account: Account, name: string): InternalClient {
    return new InternalClient(this, this.nextCid++, kind, account, name);
  }

  /** Who checks a connection of this type's logins: WebSocket and MQTT clients may have their own. */
  authenticatorFor(type: ConnectionType): ClientAuthenticator {
    if (type === 'WEBSOCKET') return this.websocketAuth?.authenticator ?? this.authenticator;
    if (type === 'MQTT' || type === 'MQTT_WS') return this.mqttAuth ?? this.authenticator;
    return this.authenticator;
  }

  infoFor(conn: ClientConnection, extra?: Partial<ServerInfo>): string {
    const own = conn.type === 'WEBSOCKET' && this.websocketAuth !== undefined ? { auth_required: this.websocketAuth.authRequired } : {};
    const info: ServerInfo = { ...this.info, ...own, client_id: conn.cid, client_ip: conn.ip, ...(conn.nonce !== '' && { nonce: conn.nonce }), ...extra };
    return `INFO ${JSON.stringify(info)} \r\n`;
  }

  /**
   * Delivers a publish to every matching subscription; returns how many deliveries were made.
   * `oneOff`: the subject is a reply subject answered once (Sublist.match's `admit`).
   */
  route(pub: Connection, f: PubFrame, oneOff = false): number {
    const n = this.deliverIn(pub.account as Account, pub, f, oneOff, false);
    const stats = this.stats;
    stats.inMsgs++;
    stats.inBytes += f.end - f.start;
    return n;
  }

  /** Delivers a message that came into `acc` through a service import (ServiceRouting's). */
  routeImported(acc: Account, pub: Connection, f: PubFrame, oneOff: boolean): number {
    return this.deliverIn(acc, pub, f, oneOff, true);
  }

  /**
   * The delivery loop. A message that came through a service import is not passed on to the shadows
   * of stream imports (nats-server does not re-export it).
   *
   * Links (leaf nodes) are collected on the way and written to after: one copy per link, listing the
   * queue groups chosen for it. A queue group picks a local member first and a link's member only when
   * no local one took the message. A message that came over a link reaches only the queue groups it
   * lists (none when it lists none), and never goes back over its own link.
   */
  private deliverIn(acc: Account, pub: Connection, f: PubFrame, oneOff: boolean, viaService: boolean): number {
    const subject = f.subject;
    const r = acc.sublist.match(subject, !oneOff);
    const echo = pub.opts.echo;
    const fromLink = pub.kind === ConnectionKind.Leaf;
    let targets: LinkTargets | null = null;
    let n = 0;
    /** Deliveries to clients and links (code inside the server is not counted, as in nats-server). */
    let out = 0;
    const psubs = r.psubs;
    for (let i = 0; i < psubs.length; i++) {
      const sub = psubs[i];
      const c = sub.conn;
      if (c.kind === ConnectionKind.Leaf) {
        if (this.mayLinkTo(c as LinkConnection, pub, fromLink, subject)) (targets ??= this.takeTargets()).add(c as LinkConnection, null);
        continue;
      }
      if ((c === pub && !echo) || c.closed || sub.closed) continue;
      if (sub.streamImport !== null) {
        if (viaService || !this.deliverShadow(sub, f, pub)) continue;
        if (sub.handler === null) out++;
        n++;
        continue;
      }
      if (c.perms !== null && c.perms.filtersDelivery && c.perms.deniesDelivery(subject)) continue;
      if (sub.handler !== null) this.handOver(sub, f, pub);
      else {
        out++;
        if (this.deliver(c as ClientConnection, sub, f)) pub.stallFor((c as ClientConnection).stall);
      }
      n++;
    }
    const qsubs = r.qsubs;
    const only = fromLink ? f.queues : null;
    const groups = only !== null && only.length === 0 ? 0 : qsubs.length;
    for (let g = 0; g < groups; g++) {
      const members = qsubs[g];
      const count = members.length;
      if (only !== null && !only.includes((members[0] as Subscription).queue as string)) continue;
      const startAt = count === 1 ? 0 : Math.floor(Math.random() * count);
      /** The first link member seen: the group's pick when no local member takes the message. */
      let viaLink: Subscription | null = null;
      for (let k = 0; k < count; k++) {
        const sub = members[(startAt + k) % count];
        const c = sub.conn;
        if (c.kind === ConnectionKind.Leaf) {
          if (viaLink === null && !sub.closed && this.mayLinkTo(c as LinkConnection, pub, fromLink, subject)) viaLink = sub;
          continue;
        }
        if ((c === pub && !echo) || c.closed || sub.closed) continue;
        if (sub.streamImport !== null) {
          if (viaService || !this.deliverShadow(sub, f, pub)) continue;
          if (sub.handler === null) out++;
          n++;
          viaLink = null;
          break;
        }
        if (c.perms !== null && c.perms.filtersDelivery && c.perms.deniesDelivery(subject)) continue;
        if (sub.handler !== null) this.handOver(sub, f, pub);
        else {
          out++;
          if (this.deliver(c as ClientConnection, sub, f)) pub.stallFor((c as ClientConnection).stall);
        }
        n++;
        viaLink = null;
        break;
      }
      if (viaLink !== null) (targets ??= this.takeTargets()).add(viaLink.conn as LinkConnection, viaLink.queue);
    }
    if (targets !== null) {
      const links = targets.links;
      for (let i = 0; i < links.length; i++) this.deliverToLink(links[i], f, targets.queues[i], pub);
      out += links.length;
      n += links.length;
      targets.clear();
      this.spareTargets.push(targets);
    }
    if (out > 0) {
      acc.outMsgs += out;
      acc.outBytes += out * (f.end - f.start);
    }
    return n;
  }

  /** Whether a message from `pub` may go over `link`: never back where it came from, nor between links into one cluster. */
  private mayLinkTo(link: LinkConnection, pub: Connection, fromLink: boolean, subject: string): boolean {
    if (link === pub || link.closed) return false;
    if (fromLink && !(pub as LinkConnection).mayRelayTo(link)) return false;
    // A link's publish rules say what may be sent over it (nats-server checks a leaf's pub permission at delivery).
    return link.perms === null || link.perms.canPublish(subject);
  }

  private takeTargets(): LinkTargets {
    return this.spareTargets.pop() ?? new LinkTargets();
  }

  /** One copy of the message over a link, for its plain interest and the queue groups chosen for it. */
  private deliverToLink(link: LinkConnection, f: PubFrame, queues: readonly string[], pub: Connection): void {
    const bytes = writeLinkMsg(link, f, queues);
    link.outMsgs++;
    link.outBytes += bytes;
    this.stats.outMsgs++;
    this.stats.outBytes += bytes;
    if (link.queueDelivery()) pub.stallFor(link.stall);
  }

  /**
   * A delivery to a stream import's shadow: the importer's subscriber gets the message under its own
   * account's subject (a JetStream delivery keeps the stored message's subject, as in nats-server).
   * Counts against the subscription it shadows. False when its permissions refuse the subject.
   */
  private deliverShadow(shadow: Subscription, f: PubFrame, pub: Connection): boolean {
    const im = shadow.streamImport as StreamImport;
    const sub = shadow.origin as Subscription;
    const c = shadow.conn;
    if (f.deliverAs !== '' || im.usePub) return this.deliverAs(c, sub, f, pub);
    // The frame itself is renamed for the delivery and restored after: the delivery path keeps seeing
    // one kind of frame, and nothing is copied.
    const subject = f.subject;
    const bytes = f.subjectBytes;
    const len = f.subjectLen;
    im.rename(subject);
    f.subject = im.lastTo;
    f.subjectBytes = im.lastToBytes;
    f.subjectLen = im.lastToBytes.length;
    try {
      return this.deliverAs(c, sub, f, pub);
    } finally {
      f.subject = subject;
      f.subjectBytes = bytes;
      f.subjectLen = len;
    }
  }

  /** One delivery to `sub` of connection `c`; false when its permissions refuse the subject. */
  private deliverAs(c: Connection, sub: Subscription, f: PubFrame, pub: Connection): boolean {
    if (c.perms !== null && c.perms.filtersDelivery && c.perms.deniesDelivery(f.receivedSubject)) return false;
    if (sub.handler !== null) this.handOver(sub, f, pub);
    else if (this.deliver(c as ClientConnection, sub, f)) pub.stallFor((c as ClientConnection).stall);
    return true;
  }

  /** Writes one delivery; true when the receiver is filling up and the publisher should stall. */
  private deliver(c: ClientConnection, sub: Subscription, f: PubFrame): boolean {
    const bytes = writeMsg(c, sub, f);
    if (this.log.traceEnabled) c.traceDelivery(sub, f.receivedSubject, f.reply, bytes);
    if (f.reply !== '' && c.perms !== null && c.perms.grantsResponses) c.perms.grantResponse(f.reply, Date.now());
    this.stats.outMsgs++;
    this.stats.outBytes += bytes;
    return c.delivered(sub, bytes);
  }

  /**
   * Hands a message to an internal subscription. A handler that throws has a bug: it is logged, and
   * neither the publisher nor the other subscribers pay for it.
   */
  private handOver(sub: Subscription, f: PubFrame, pub: Connection): void {
    const c = sub.conn;
    sub.delivered++;
    c.outMsgs++;
    c.outBytes += f.end - f.start;
    if (sub.max > 0 && sub.delivered >= sub.max) c.removeSub(sub);
    try {
      (sub.handler as NonNullable<Subscription['handler']>)(f, sub, pub);
    } catch (err) {
      this.log.error(`${c.label()} - internal error handling a message on "${subjectToText(f.receivedSubject)}": ${(err as Error).stack ?? String(err)}`);
    }
  }

  /** A connection finished closing. */
  closed(conn: ClientConnection): void {
    if (!this.conns.delete(conn.cid)) return;
    if (this.log.debugEnabled) this.log.debug(`${conn.label()} - Client connection closed: ${conn.closeReason}`);
    this.closedConns.push(closedConnection(conn));
    if (this.closedConns.length > CLOSED_RING) this.closedConns.shift();
    if (this.events !== null && conn.authed) this.events.closed(conn);
  }

  /** Sends an async INFO (e.g. lame duck) to the clients that understand one. */
  broadcastInfo(extra: Partial<ServerInfo>): void {
    for (const conn of this.conns.values()) {
      if (conn.wantsAsyncInfo) conn.send(Buffer.from(this.infoFor(conn, extra), 'utf8'));
    }
  }

  /** Closes every client (shutdown). */
  closeAll(reason: string): void {
    this.closing = true;
    for (const conn of [...this.conns.values()]) conn.close(reason);
  }

  /** Subscriptions across all accounts. */
  subscriptionCount(): number {
    let n = 0;
    for (const acc of this.accounts.values()) n += acc.sublist.size;
    return n;
  }
}

/** The account's mappings, or null for none; throws a MappingError naming the account for one that cannot be. */
function mappingsOf(account: string, specs: readonly MappingSpec[] | undefined): SubjectMappings | null {
  if (specs === undefined || specs.length === 0) return null;
  try {
    return SubjectMappings.of(specs);
  } catch (err) {
    if (err instanceof MappingError) err.message = `account ${JSON.stringify(account)}: ${err.message}`;
    throw err;
  }
}
