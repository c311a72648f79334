// A stream: its configuration, its store, and the subscriptions that capture its subjects. A publish
// on a stream subject is checked (the Nats-Expected-* headers, the duplicate window, sizes), appended,
// and acknowledged once the store's group commit made it durable, never before.

import { headerValue, parseAckSubject } from '../protocol/nats/index.js';
import type { PubFrame } from '../protocol/nats/index.js';
import { flushQueued } from '../core/index.js';
import type { InternalClient, Subscription } from '../core/index.js';
import { directGet, directGetSubjects } from './api/direct-get.js';
import { storageFullError } from './account-limits.js';
import type { AccountBudget } from './account-limits.js';
import { Consumer } from './consumer.js';
import { consumerInfo } from './consumer-info.js';
import type { ConsumerHost } from './consumer.js';
import { decodeStoredConsumerConfig } from './consumer-config.js';
import { Dedupe, MSG_ID } from './dedupe.js';
import { DedupeRebuild, lastMsgIdOf } from './dedupe-rebuild.js';
import { unmetExpectation } from './publish-expectations.js';
import { apiError, StoreRefusal, NotPermitted } from './errors.js';
import type { ApiError } from './errors.js';
import { PubAckWriter, pubAckError } from './pub-ack.js';
import { Republisher } from './republish.js';
import type { Advisories } from './advisories.js';
import { AppendRefusal } from './store/types.js';
import type { PurgeRequest, StoreLimits, StreamStore } from './store/types.js';
import type { StreamConfig, StreamSource } from './stream-config.js';
import type { ConsumerConfig } from './consumer-config.js';
import { subjectToText } from '../util/index.js';
import { subjectIsSubsetOf } from './subjects.js';
import { indexNameOf, recoverSourceSeqs, SourceReader } from './stream-source.js';
import type { OriginReader } from './stream-source.js';
import { ExternalSourceReader } from './stream-source-external.js';
import { NS_PER_MS } from './time.js';

/** nats-server refuses header blocks larger than this (10097). */
const MAX_HEADER_BYTES = 65535;

/** nats-server's queue group for direct gets. */
const DIRECT_GET_QUEUE = '_sys_';
const DIRECT_GET_PREFIX = '$JS.API.DIRECT.GET.';
const EXPECTED_STREAM = 'Nats-Expected-Stream';
const ROLLUP = 'Nats-Rollup';

/** What a stream needs from its account: the client it captures with and its consumers deliver through. */
export interface StreamHost {
  readonly client: InternalClient;
  readonly advisories: Advisories;
  /** The account's storage, whose budgets this stream's bytes count against. */
  readonly stores: { budgetOf(storage: StreamConfig['storage']): AccountBudget };
  readonly log: { error(msg: string): void; warn(msg: string): void };
  /** The JetStream domain ('' = none). */
  readonly domain: string;
}

/** Who may still need a message of an interest or workqueue stream: its consumers and the readers copying it. */
interface AckHolder {
  needsAck(seq: number, subject: string): boolean;
}

/** A stored publish waiting for its commit before its ack goes out. */
interface AwaitingAck {
  seq: number;
  reply: string;
  msgId: string | null;
}

export class Stream implements ConsumerHost {
  readonly name: string;
  config: StreamConfig;
  readonly store: StreamStore;
  readonly createdNs: bigint;
  /** The server's JetStream domain ('' = none), which its infos and PubAcks name. */
  readonly domain: string;
  /** The name as JSON text, for the PubAcks. */
  private readonly nameJson: string;
  private readonly acks: PubAckWriter;
  readonly client: InternalClient;
  readonly advisories: Advisories;
  readonly consumers = new Map<string, Consumer>();
  /** This stream's mirror or sources, reading their origins. */
  readers: OriginReader[] = [];
  /** The mirrors and sources reading this stream. */
  readonly followers: SourceReader[] = [];
  /** A mirror's subscriptions answering its origin's direct gets, and that origin's name. */
  private mirrorDirectSubs: Subscription[] = [];
  private mirrorDirectOf = '';
  /** The last sequence made durable by a group commit: consumers deliver up to here. */
  committedSeq: number;
  /** Sequences and subjects appended this turn, counted into the consumers' pending at the commit. */
  private appendedSeqs: number[] = [];
  private appendedSubjects: string[] = [];
  readonly log: StreamHost['log'];
  /** ackAck answers waiting for the commit that holds their acks. */
  private ackReplies: string[] = [];
  private subs: Subscription[] = [];
  private readonly dedupe: Dedupe;
  private republisher: Republisher | null;
  private awaiting: AwaitingAck[] = [];
  /** The Nats-Msg-Id of the last stored message ('' when it had none), for Nats-Expected-Last-Msg-Id. */
  private lastMsgId = '';
  /** After a restart: the stored messages whose Msg-Ids still have to go back into the duplicate window. */
  private rebuild: DedupeRebuild | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private readonly onMsg = (msg: PubFrame): void => this.ingest(msg);
  private readonly onDirectGet = (msg: PubFrame): void => this.directGet(msg);
  private readonly onAck = (msg: PubFrame): void => this.ackMsg(msg);
  private readonly onFlowControl = (msg: PubFrame): void => this.consumers.get(msg.subject.split('.')[3])?.flowControlReply(msg.subject);
  private readonly sendRaw = (reply: string, hdr: Buffer, data: Buffer | null): void => void this.client.answer(reply, hdr, data);

  /** The account's budget this stream's bytes count against: says which limit refused an append. */
  private readonly budget: AccountBudget;

  constructor(host: StreamHost, config: StreamConfig, store: StreamStore, createdNs: bigint) {
    this.budget = host.stores.budgetOf(config.storage);
    this.name = config.name;
    this.config = config;
    this.store = store;
    this.createdNs = createdNs;
    this.client = host.client;
    this.advisories = host.advisories;
    this.log = host.log;
    this.committedSeq = store.state().lastSeq;
    this.nameJson = JSON.stringify(subjectToText(config.name));
    this.domain = host.domain;
    this.acks = new PubAckWriter(this.nameJson, host.domain);
    this.dedupe = new Dedupe(Number(config.duplicateWindow / NS_PER_MS));
    this.republisher = Republisher.of(config, this.client);
    store.setLimits(limitsOf(config));
    store.onCommitted((lastSeq, err) => this.committed(lastSeq, err));
    this.restoreConsumers();
    this.readers = this.newReaders(config);
  }

  private newReaders(config: StreamConfig): OriginReader[] {
    if (config.mirror !== null) return [this.readerOf(config.mirror, true)];
    return config.sources.map((src) => this.readerOf(src, false));
  }

  private readerOf(src: StreamSource, isMirror: boolean): OriginReader {
    return src.external === null ? new SourceReader(this, src, isMirror) : new ExternalSourceReader(this, src, isMirror);
  }

  /** After a restart: where each source stopped, from the stored Nats-Stream-Source headers. */
  recoverSources(): void {
    if (this.config.sources.length === 0) return;
    const state = this.store.state();
    const seqs = recoverSourceSeqs(this.store, this.readers.map((r) => r.iname));
    for (const r of this.readers) r.recovered(seqs.get(r.iname) ?? 0, state.lastTimeNs);
  }

  get consumerCount(): number {
    return this.consumers.size;
  }

  get retention(): StreamConfig['retention'] {
    return this.config.retention;
  }

  /** Durable consumers saved with the stream, back with their state (the stream is not replayed). */
  private restoreConsumers(): void {
    for (const saved of this.store.loadConsumers()) {
      const config = decodeStoredConsumerConfig(saved.configJson);
      if (config === null) {
        this.log.error(`JetStream: consumer '${subjectToText(this.name)} > ${subjectToText(saved.name)}' not restored: stored configuration refused`);
        continue;
      }
      const c = new Consumer(this, saved.name, config, saved.createdNs);
      this.consumers.set(c.name, c);
      c.restore(saved.state);
    }
  }

  /** Adds a new consumer (checked and named by the API) and starts it. */
  addConsumer(name: string, config: ConsumerConfig, createdNs: bigint, configJson: string): Consumer {
    const c = new Consumer(this, name, config, createdNs);
    if (c.durable) this.store.saveConsumer(name, configJson, createdNs);
    this.consumers.set(name, c);
    c.start();
    c.pump();
    return c;
  }

  deleteConsumer(c: Consumer): void {
    if (this.consumers.get(c.name) !== c) return;
    this.consumers.delete(c.name);
    this.advisories.consumerAction(this.name, c.name, 'delete');
    c.close(true);
    if (c.durable) this.store.removeConsumer(c.name);
  }

  expired(c: Consumer): void {
    this.deleteConsumer(c);
  }

  replyAfterCommit(reply: string): void {
    this.ackReplies.push(reply);
    this.store.commitThisTurn();
  }

  /**
   * `seq` needs no more acks from `by`: workqueue and interest streams drop what nobody still needs (a
   * workqueue's consumers never overlap, but the mirrors and sources reading it must have copied it).
   */
  acked(seq: number, by: AckHolder): void {
    const retention = this.config.retention;
    if (retention === 'limits') return;
    if (this.followers.length > 0 || (retention === 'interest' && this.consumers.size > 1)) {
      const m = this.store.load(seq);
      if (m === null) return;
      for (const c of this.consumers.values()) if (c !== by && c.needsAck(seq, m.subject)) return;
      for (const f of this.followers) if (f !== by && f.needsAck(seq, m.subject)) return;
    }
    this.store.remove(seq);
  }

  /** Purges the store and moves the consumers past what left (nats-server stream.purge). */
  purge(req: PurgeRequest): number {
    const purged = this.store.purge(req);
    const state = this.store.state();
    const first = state.firstSeq === 0 ? 1 : state.firstSeq;
    for (const c of this.consumers.values()) {
      const f = req.filter;
      const cf = c.config.filterSubject;
      const whole = f === undefined || f === '' || f === cf || (cf !== '' && subjectIsSubsetOf(cf, f));
      if (whole) c.purged(first);
      else c.removedUpTo(state.lastSeq);
    }
    return purged;
  }

  private interestIn(subject: string): boolean {
    for (const c of this.consumers.values()) if (c.filter.matches(subject)) return true;
    for (const f of this.followers) if (f.matches(subject)) return true;
    return false;
  }

  /** Messages left the stream outside a purge (a message delete, expiry): the consumers recount. */
  messagesRemoved(upTo: number): void {
    for (const c of this.consumers.values()) c.removedUpTo(upTo);
  }

  private ackMsg(msg: PubFrame): void {
    const ack = parseAckSubject(msg.subject);
    const c = ack === null ? undefined : this.consumers.get(ack.consumer);
    if (ack === null || c === undefined) return;
    c.ack(ack, msg.data.subarray(msg.start + msg.hdrLen, msg.end), msg.reply);
  }

  /** Each consumer's ConsumerInfo members as CONSUMER.INFO writes them (config included), for /jsz. */
  consumerInfos(): Record<string, unknown>[] {
    return [...this.consumers.values()].map(consumerInfo);
  }

  /** After a restart: the last Msg-Id, and the duplicate window from the stored messages (dedupe-rebuild.ts). */
  recoverMsgIds(): void {
    this.lastMsgId = lastMsgIdOf(this.store);
    this.rebuild = DedupeRebuild.start(this.store, this.dedupe, this.config.duplicateWindow);
  }

  /** Starts capturing the stream's subjects. */
  attach(): void {
    for (const subject of this.config.subjects) this.subs.push(this.client.subscribe(subject, null, this.onMsg));
    // Every server holding the stream answers direct gets; the queue group makes one of them answer.
    if (this.config.allowDirect) for (const subject of directGetSubjects(this.name)) this.subs.push(this.client.subscribe(subject, DIRECT_GET_QUEUE, this.onDirectGet));
    this.subs.push(this.client.subscribe(`$JS.ACK.${this.name}.>`, null, this.onAck));
    this.subs.push(this.client.subscribe(`$JS.FC.${this.name}.>`, null, this.onFlowControl));
    this.scheduleExpiry();
  }

  /** A new configuration (already checked against the update rules). */
  update(config: StreamConfig): void {
    const subjectsChanged = config.subjects.join('\0') !== this.config.subjects.join('\0') || config.allowDirect !== this.config.allowDirect;
    this.config = config;
    this.dedupe.setWindow(Number(config.duplicateWindow / NS_PER_MS));
    this.republisher = Republisher.of(config, this.client);
    this.store.setLimits(limitsOf(config));
    if (subjectsChanged) {
      this.detach();
      this.attach();
    }
    this.scheduleExpiry();
    this.updateSources(config);
  }

  /**
   * Sources added or removed by an update (a mirror cannot change): as nats-server, a new one resumes
   * after the last message it left here, if any, and one whose filter changed goes on from where it is.
   */
  private updateSources(config: StreamConfig): void {
    if (config.mirror !== null) return;
    const kept: OriginReader[] = [];
    const added: OriginReader[] = [];
    for (const src of config.sources) {
      const iname = indexNameOf(src);
      const r = this.readers.find((x) => x.iname === iname);
      if (r === undefined) added.push(this.readerOf(src, false));
      else {
        if (r.config.filterSubject !== src.filterSubject) r.refilter(src);
        else r.config = src;
        kept.push(r);
      }
    }
    for (const r of this.readers) if (!kept.includes(r)) r.stop();
    if (added.length > 0) {
      const seqs = recoverSourceSeqs(this.store, added.map((r) => r.iname));
      for (const r of added) r.recovered(seqs.get(r.iname) ?? 0, 0n);
    }
    this.readers = [...kept, ...added];
  }

  /**
   * A message copied from an origin by a mirror (its origin's time, `timeNs`) or a source (stored now,
   * `timeNs` 0n, and subject to the duplicate window): stored like a publish, without the publish's
   * Nats-Expected-* checks. False when the store refused it (the reader retries later).
   */
  storeCopy(subject: string, hdr: Buffer | null, data: Buffer, timeNs: bigint, dedupe: boolean): boolean {
    const msgId = dedupe && hdr !== null ? headerValue(hdr, 0, hdr.length, MSG_ID) : null;
    if (msgId !== null && msgId !== '') {
      this.rebuild?.finish();
      if (this.dedupe.seqOf(msgId, Date.now()) > 0) return true;
    }
    const cfg = this.config;
    const consumers = this.consumers.size > 0;
    const prevOfSubject = consumers && cfg.maxMsgsPerSubject > 0 ? this.store.lastSeqOfSubject(subject) : 0;
    const wanted = cfg.retention !== 'interest' || this.interestIn(subject);
    const lastBefore = this.republisher === null ? 0 : this.store.state().lastSeq;
    const stored = wanted ? this.store.append(subject, hdr, data, timeNs === 0n ? undefined : timeNs) : this.store.skip();
    if (typeof stored !== 'number') return false;
    if (consumers && wanted) {
      this.appendedSeqs.push(stored);
      this.appendedSubjects.push(subject);
      if (prevOfSubject > 0) this.messagesRemoved(prevOfSubject);
    }
    if (msgId !== null && msgId !== '') {
      this.dedupe.remember(msgId, stored, Date.now());
      this.awaiting.push({ seq: stored, reply: '', msgId });
    }
    this.lastMsgId = msgId ?? '';
    // A roll-up copied from the origin rolls up here too when this stream allows it.
    const rollup = hdr !== null && cfg.allowRollupHdrs && !cfg.denyPurge ? headerValue(hdr, 0, hdr.length, ROLLUP) : null;
    if (rollup !== null) {
      const kind = rollup.toLowerCase();
      if (kind === 'all') this.purge({ seq: stored });
      else if (kind === 'sub') this.purge({ filter: subject, seq: stored });
    }
    if (this.republisher !== null) this.republisher.republish(subject, stored, lastBefore, hdr, data);
    if (cfg.maxAge > 0n && this.expiryTimer === null) this.scheduleExpiry();
    return true;
  }

  /** A mirror's sequence its origin does not have (filtered out, deleted there): returns it. */
  skipSeq(): number {
    return this.store.skip();
  }

  /**
   * A mirror of an allow_direct origin answers the origin's direct gets too once it has caught up
   * (mirror_direct); null stops that.
   */
  mirrorDirect(origin: string | null): void {
    if ((origin ?? '') === this.mirrorDirectOf) return;
    for (const sub of this.mirrorDirectSubs) this.client.unsubscribe(sub);
    this.mirrorDirectSubs = [];
    this.mirrorDirectOf = origin ?? '';
    if (origin === null) return;
    for (const subject of directGetSubjects(origin)) this.mirrorDirectSubs.push(this.client.subscribe(subject, DIRECT_GET_QUEUE, this.onDirectGet));
  }

  detach(): void {
    this.rebuild?.stop();
    this.rebuild = null;
    for (const sub of this.subs) this.client.unsubscribe(sub);
    this.subs = [];
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
  }

  private ingest(msg: PubFrame): void {
    const subject = msg.receivedSubject;
    const reply = msg.reply;
    const cfg = this.config;
    if (cfg.sealed) return this.refuse(reply, apiError('StreamSealed'));
    const hdrLen = msg.hdrLen;
    const data = msg.data;
    const hs = msg.start;
    const he = hs + hdrLen;
    let msgId: string | null = null;
    if (hdrLen > 0) {
      const expectedStream = headerValue(data, hs, he, EXPECTED_STREAM);
      if (expectedStream !== null && expectedStream !== this.name) return this.refuse(reply, apiError('StreamNotMatch'));
      msgId = headerValue(data, hs, he, MSG_ID);
      if (msgId !== null && msgId !== '') {
        this.rebuild?.finish();
        const seq = this.dedupe.seqOf(msgId, Date.now());
        if (seq > 0) return this.sendAck(reply, seq, true);
      }
      const unmet = unmetExpectation(data, hs, he, subject, this.store, this.lastMsgId);
      if (unmet !== null) return this.refuse(reply, unmet);
    }
    const rollup = hdrLen > 0 ? headerValue(data, hs, he, ROLLUP) : null;
    if (rollup !== null) {
      if (!cfg.allowRollupHdrs || cfg.denyPurge) return this.refuse(reply, apiError('StreamRollupFailed', { err: NotPermitted.Rollup }));
      // 2.9.10 drops a message with an unknown roll-up value without a word.
      const kind = rollup.toLowerCase();
      if (kind !== 'sub' && kind !== 'all') return;
    }
    const size = msg.end - msg.start;
    if (cfg.maxMsgSize >= 0 && size > cfg.maxMsgSize) return this.refuse(reply, apiError('StreamMessageExceedsMaximum'));
    if (hdrLen > MAX_HEADER_BYTES) return this.refuse(reply, apiError('StreamHeaderExceedsMaximum'));
    const hdr = hdrLen > 0 ? data.subarray(hs, he) : null;
    const consumers = this.consumers.size > 0;
    // A per-subject limit may evict this subject's older message, which a consumer may not have reached.
    const prevOfSubject = consumers && cfg.maxMsgsPerSubject > 0 ? this.store.lastSeqOfSubject(subject) : 0;
    // An interest stream stores nothing nobody would consume, but the message still takes its sequence.
    const wanted = cfg.retention !== 'interest' || this.interestIn(subject);
    const lastBefore = this.republisher === null ? 0 : this.store.state().lastSeq;
    const stored = wanted ? this.store.append(subject, hdr, data.subarray(he, msg.end)) : this.store.skip();
    if (typeof stored !== 'number') return this.refuse(reply, stored.refused === AppendRefusal.StorageFull ? storageFullError(this.budget) : storeRefusal(stored.refused));
    if (consumers && wanted) {
      this.appendedSeqs.push(stored);
      this.appendedSubjects.push(subject);
      if (prevOfSubject > 0) this.messagesRemoved(prevOfSubject);
    }
    if (msgId !== null && msgId !== '') this.dedupe.remember(msgId, stored, Date.now());
    this.lastMsgId = msgId ?? '';
    if (rollup !== null) {
      const kind = rollup.toLowerCase();
      this.purge(kind === 'all' ? { seq: stored } : { filter: subject, seq: stored });
    }
    if (this.republisher !== null) this.republisher.republish(subject, stored, lastBefore, hdr, data.subarray(he, msg.end));
    if (reply !== '' && !cfg.noAck) this.awaiting.push({ seq: stored, reply, msgId });
    else if (msgId !== null) this.awaiting.push({ seq: stored, reply: '', msgId });
    this.store.commitPoint();
    if (cfg.maxAge > 0n && this.expiryTimer === null) this.scheduleExpiry();
  }

  private directGet(msg: PubFrame): void {
    if (msg.reply === '') return;
    // $JS.API.DIRECT.GET.<stream>[.<subject>]: the stream token is this stream's name or a mirror's origin.
    const dot = msg.subject.indexOf('.', DIRECT_GET_PREFIX.length);
    const tail = dot < 0 ? '' : msg.subject.slice(dot + 1);
    directGet(this, tail, msg.data.subarray(msg.start + msg.hdrLen, msg.end), msg.reply, this.sendRaw);
  }

  /** A group commit finished: the acks it covers go out, or their errors when it failed. */
  private committed(lastSeq: number, err: Error | null): void {
    const awaiting = this.awaiting;
    let i = 0;
    for (; i < awaiting.length && awaiting[i].seq <= lastSeq; i++) {
      const a = awaiting[i];
      if (err !== null) {
        if (a.msgId !== null) this.dedupe.forget(a.msgId);
        if (a.reply !== '') this.answer(a.reply, pubAckError(this.nameJson, apiError('StreamStoreFailed', { err: err.message })));
      } else if (a.reply !== '') {
        this.sendAck(a.reply, a.seq, false);
      }
    }
    this.awaiting = i === awaiting.length ? [] : awaiting.slice(i);
    if (err === null && lastSeq > this.committedSeq) this.committedSeq = lastSeq;
    for (const r of this.readers) {
      if (err === null) r.committed();
      else r.commitFailed();
    }
    if (err === null && this.ackReplies.length > 0) {
      const replies = this.ackReplies;
      this.ackReplies = [];
      for (const r of replies) this.client.answer(r, null, null);
    }
    if (this.consumers.size > 0) this.wakeConsumers(lastSeq, err);
    else this.appendedSeqs.length = this.appendedSubjects.length = 0;
    if (err === null) for (const f of this.followers) f.pump();
    // The commit ran after this turn's output was flushed: what it released goes out now, not a turn later.
    flushQueued();
  }

  /** After a commit: what it covered counts as pending, and the consumers deliver it. */
  private wakeConsumers(lastSeq: number, err: Error | null): void {
    const seqs = this.appendedSeqs;
    const subjects = this.appendedSubjects;
    let i = 0;
    for (; i < seqs.length && seqs[i] <= lastSeq; i++) {
      if (err !== null) continue;
      for (const c of this.consumers.values()) c.appended(seqs[i], subjects[i]);
    }
    seqs.splice(0, i);
    subjects.splice(0, i);
    if (err !== null) return;
    const first = this.store.state().firstSeq;
    for (const c of this.consumers.values()) {
      if (c.sseq < first) c.removedUpTo(first - 1);
      c.pump();
    }
  }

  private refuse(reply: string, err: ApiError): void {
    if (reply !== '' && !this.config.noAck) this.answer(reply, pubAckError(this.nameJson, err));
  }

  private sendAck(reply: string, seq: number, duplicate: boolean): void {
    if (reply === '') return;
    this.client.answer(reply, null, this.acks.ack(seq, duplicate));
  }

  private answer(reply: string, json: string): void {
    if (reply === '') return;
    this.client.answer(reply, null, Buffer.from(json, 'utf8'));
  }

  /** Messages past max_age leave on a timer set for the next one due, not by scanning. */
  private scheduleExpiry(): void {
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    if (this.config.maxAge <= 0n) return;
    const next = this.store.expire();
    if (next < 0) return;
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = null;
      this.scheduleExpiry();
      if (this.consumers.size > 0) this.messagesRemoved(this.store.state().firstSeq - 1);
    }, Math.max(next, 1));
    this.expiryTimer.unref();
  }

  /** Stops copying into this stream and out of it. */
  private stopSources(): void {
    for (const r of this.readers) r.stop();
    for (const f of [...this.followers]) f.unlink();
    this.mirrorDirect(null);
  }

  /** Stops capturing and closes the store (shutdown). */
  close(): void {
    this.stopSources();
    for (const c of this.consumers.values()) c.close(false);
    this.detach();
    this.store.close();
  }

  /** Stops capturing and deletes everything stored (STREAM.DELETE). */
  destroy(): void {
    this.stopSources();
    for (const c of this.consumers.values()) c.close(true);
    this.consumers.clear();
    this.detach();
    this.store.destroy();
  }
}

function limitsOf(c: StreamConfig): StoreLimits {
  return {
    maxMsgs: c.maxMsgs,
    maxBytes: c.maxBytes,
    maxAgeMs: Number(c.maxAge / NS_PER_MS),
    maxMsgsPerSubject: c.maxMsgsPerSubject,
    discard: c.discard,
    discardNewPerSubject: c.discardNewPerSubject,
  };
}

function storeRefusal(refusal: AppendRefusal): ApiError {
  switch (refusal) {
    case AppendRefusal.MaxMsgs:
      return apiError('StreamStoreFailed', { err: StoreRefusal.MaxMsgs });
    case AppendRefusal.MaxBytes:
      return apiError('StreamStoreFailed', { err: StoreRefusal.MaxBytes });
    case AppendRefusal.MaxMsgsPerSubject:
      return apiError('StreamStoreFailed', { err: StoreRefusal.MaxMsgsPerSubject });
    default:
      return apiError('InsufficientResources');
  }
}
