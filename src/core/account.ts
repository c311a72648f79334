// An account: its own subject space and the client connections bound to it.

import { InterestTally, weightOf } from './interest-feed.js';
import type { InterestFeed } from './interest-feed.js';
import { InterestWatches } from './interest.js';
import type { InterestListener, InterestRule, InterestWatch } from './interest.js';
import { Sublist } from './sublist.js';
import { isValidLiteralSubject, subjectMatches } from '../util/index.js';
import type { Subscription } from './subscription.js';
import type { ClientConnection } from './client-connection.js';
import type { SubjectMappings } from '../util/index.js';
import type { ServiceExport, ServiceImport } from './service-import.js';
import type { StreamImport } from './stream-import.js';
import type { DeviceClient } from './closed-connection.js';

export class Account {
  readonly name: string;
  readonly sublist: Sublist<Subscription>;
  /** Clients only: code inside the server (internal clients) is not listed as a connection. */
  readonly conns = new Set<ClientConnection>();
  /** Clients of other protocols (MQTT) logged in to the account. */
  readonly devices = new Set<DeviceClient>();
  /** Clients the account may have at once (its JWT's `conn` limit); -1 for no limit. */
  maxConnections = -1;
  readonly isSystem: boolean;
  /** Where clients' publishes to some subjects go instead (null: none, the usual case). */
  mappings: SubjectMappings | null = null;
  /** Streams this account imports: each subscription that can take one gets a shadow in the exporter. */
  streamImports: readonly StreamImport[] = [];
  /** Services this account imports, each with its internal subscription on the imported subject. */
  serviceImports: readonly ServiceImport[] = [];
  /** Services this account exports (for /accountz and the response threshold). */
  serviceExports: readonly ServiceExport[] = [];
  /** Streams this account exports, with who may import them (null: anyone). */
  streamExports: readonly { readonly subject: string; readonly accounts: readonly string[] | null }[] = [];
  /** Pending answers to requests that reached this account through an import, by their `_R_` subject. */
  readonly responses = new Map<string, ServiceImport>();
  /** `_R_.<6 random>.`: the reply prefix of requests that reach this account through an import. */
  replyPrefix = '';
  /** This account's requesters' reply subjects with the response imports waiting on them. */
  readonly awaitedReplies = new Map<string, ServiceImport[]>();
  /** Messages its clients published, and messages delivered to clients within it (nats-server's account stats). */
  inMsgs = 0;
  inBytes = 0;
  outMsgs = 0;
  outBytes = 0;
  slowConsumers = 0;
  private readonly watches = new InterestWatches();
  /** The links (leaf nodes) passing this account's interest on, each counting for itself. */
  private tallies: readonly InterestTally[] = [];

  constructor(name: string, isSystem: boolean, useCache: boolean) {
    this.name = name;
    this.isSystem = isSystem;
    this.sublist = new Sublist<Subscription>(useCache);
  }

  /** Its clients, NATS and other protocols. */
  get connectionCount(): number {
    return this.conns.size + this.devices.size;
  }

  /** The account has as many clients as its limit allows. */
  connectionsFull(): boolean {
    return this.maxConnections >= 0 && this.connectionCount >= this.maxConnections;
  }

  /** Puts a subscription into the subject space. Every connection kind subscribes through here. */
  insert(sub: Subscription): void {
    this.insertHere(sub);
    if (this.streamImports.length > 0) this.addShadows(sub);
  }

  /** Takes a subscription out of the subject space (a no-op when it is not there), with its shadows. */
  remove(sub: Subscription): void {
    this.removeHere(sub);
    if (sub.shadows !== null) this.dropShadows(sub);
    if (this.awaitedReplies.size > 0) this.replyInterestMayBeLost(sub.subject);
  }

  /**
   * Gives every subscription its shadows for the current stream imports (after they changed), or
   * takes them all away (none left).
   */
  reshadow(): void {
    for (const sub of this.sublist.all()) {
      if (sub.origin !== null) continue;
      if (sub.shadows !== null) this.dropShadows(sub);
      if (this.streamImports.length > 0) this.addShadows(sub);
    }
  }

  /**
   * Attaches a link's feed: it is told every key it counts now (the initial burst), then each change.
   * `fixed` are subjects the link announces whoever subscribes (its loop-detection subject).
   */
  feedInterest(feed: InterestFeed, fixed: readonly string[]): InterestTally {
    const tally = new InterestTally(feed, (t) => {
      this.tallies = this.tallies.filter((x) => x !== t);
    });
    this.tallies = [...this.tallies, tally];
    tally.start(this.sublist.all(), fixed);
    return tally;
  }

  /** A link's queue subscription now stands for `weight` members (a repeated LS+). */
  reweigh(sub: Subscription, weight: number): void {
    const before = weightOf(sub);
    sub.weight = weight;
    if (this.tallies.length > 0) this.tell(sub, weightOf(sub) - before);
  }

  private insertHere(sub: Subscription): void {
    this.sublist.insert(sub);
    if (this.watches.size > 0) this.watches.added(sub);
    if (this.tallies.length > 0) this.tell(sub, weightOf(sub));
  }

  private removeHere(sub: Subscription): void {
    if (!this.sublist.remove(sub)) return;
    if (this.watches.size > 0) this.watches.removed(sub);
    if (this.tallies.length > 0) this.tell(sub, -weightOf(sub));
  }

  /** The list is replaced, never changed in place: a feed may attach or detach while being told. */
  private tell(sub: Subscription, delta: number): void {
    for (const t of this.tallies) t.add(sub, delta);
  }

  /** Takes a subscription's shadows out of the exporters' subject spaces. */
  private dropShadows(sub: Subscription): void {
    for (const shadow of sub.shadows as Subscription[]) {
      shadow.closed = true;
      (shadow.streamImport as StreamImport).exporter.removeHere(shadow);
    }
    sub.shadows = null;
  }

  /** A shadow lives in the exporter's subject space only: it gets no shadows of its own there. */
  private addShadows(sub: Subscription): void {
    const tokens = sub.subject.split('.');
    const wildcard = !isValidLiteralSubject(sub.subject);
    let shadows: Subscription[] | null = null;
    for (const im of this.streamImports) {
      const shadow = im.shadowFor(sub, tokens, wildcard);
      if (shadow === null) continue;
      im.exporter.insertHere(shadow);
      (shadows ??= []).push(shadow);
    }
    sub.shadows = shadows;
  }

  /**
   * A requester's reply subject may have lost its last subscriber: the answers still waiting for it
   * are dropped (nats-server's checkForReverseEntry).
   */
  private replyInterestMayBeLost(subject: string): void {
    if (isValidLiteralSubject(subject)) {
      if (this.awaitedReplies.has(subject)) this.dropIfUnwanted(subject);
      return;
    }
    // A wildcard (a client's `_INBOX.<id>.*` going away): only replies under its literal start can match.
    const wild = subject.search(/(^|\.)[*>](\.|$)/);
    const literalStart = wild <= 0 ? '' : subject.slice(0, wild + 1);
    for (const reply of [...this.awaitedReplies.keys()]) {
      if (reply.startsWith(literalStart) && subjectMatches(reply, subject)) this.dropIfUnwanted(reply);
    }
  }

  private dropIfUnwanted(reply: string): void {
    const r = this.sublist.match(reply, false);
    if (r.psubs.length > 0 || r.qsubs.length > 0) return;
    const waiting = this.awaitedReplies.get(reply) as ServiceImport[];
    this.awaitedReplies.delete(reply);
    for (const rsi of waiting) rsi.dropResponse();
  }

  /**
   * Tells `listener` when the literal `subject` gains its first or loses its last subscription that
   * `rule` counts, whoever subscribes (a client's SUB, code inside the server) and however it leaves
   * (UNSUB, an UNSUB max reached, a closed connection, revoked permissions). The listener runs inside
   * the change, so it must not assume the subscriber has heard anything yet. The watch's `interested`
   * tells the state at the start.
   */
  watchInterest(subject: string, rule: InterestRule, listener: InterestListener): InterestWatch {
    const r = this.sublist.match(subject);
    return this.watches.watch(subject, rule, listener, [r.psubs, ...r.qsubs]);
  }
}
