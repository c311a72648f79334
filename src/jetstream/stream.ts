// A stream: its configuration, its store, and the subscriptions that capture its subjects. A publish
// on a stream subject is checked (the Nats-Expected-* headers, the duplicate window, sizes), appended,
// and acknowledged once the store's group commit made it durable, never before.

import { headerValue } from '../protocol/nats/index.js';
import type { PubFrame } from '../protocol/nats/index.js';
import type { InternalClient, Subscription } from '../core/index.js';
import { directGet, directGetSubjects } from './api/direct-get.js';
import { storageFullError } from './account-limits.js';
import type { AccountBudget } from './account-limits.js';
import { Dedupe } from './dedupe.js';
import { apiError, StoreRefusal, NotPermitted } from './errors.js';
import type { ApiError } from './errors.js';
import { pubAck, pubAckError } from './pub-ack.js';
import { AppendRefusal } from './store/types.js';
import type { StoreLimits, StreamStore } from './store/types.js';
import type { StreamConfig } from './stream-config.js';
import { subjectToText } from '../util/index.js';

const NS_PER_MS = 1_000_000n;
/** Stored messages read per turn while the duplicate window is rebuilt after a restart. */
const REBUILD_CHUNK = 2048;
/** nats-server refuses header blocks larger than this (10097). */
const MAX_HEADER_BYTES = 65535;

/** nats-server's queue group for direct gets. */
const DIRECT_GET_QUEUE = '_sys_';
const MSG_ID = 'Nats-Msg-Id';
const EXPECTED_STREAM = 'Nats-Expected-Stream';
const EXPECTED_LAST_SEQ = 'Nats-Expected-Last-Sequence';
const EXPECTED_LAST_SUBJECT_SEQ = 'Nats-Expected-Last-Subject-Sequence';
const EXPECTED_LAST_MSG_ID = 'Nats-Expected-Last-Msg-Id';
const ROLLUP = 'Nats-Rollup';

/** A stored publish waiting for its commit before its ack goes out. */
interface AwaitingAck {
  seq: number;
  reply: string;
  msgId: string | null;
}

export class Stream {
  readonly name: string;
  config: StreamConfig;
  readonly store: StreamStore;
  readonly createdNs: bigint;
  /** The name as JSON text, for the PubAcks. */
  private readonly nameJson: string;
  private readonly client: InternalClient;
  private subs: Subscription[] = [];
  private readonly dedupe: Dedupe;
  private awaiting: AwaitingAck[] = [];
  /** The Nats-Msg-Id of the last stored message ('' when it had none), for Nats-Expected-Last-Msg-Id. */
  private lastMsgId = '';
  /** After a restart: the stored messages whose Msg-Ids still have to go back into the duplicate window. */
  private rebuild: { next: number; last: number } | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private readonly onMsg = (msg: PubFrame): void => this.ingest(msg);
  private readonly onDirectGet = (msg: PubFrame): void => this.directGet(msg);
  private readonly sendRaw = (reply: string, hdr: Buffer, data: Buffer | null): void => void this.client.publish(reply, '', hdr, data);

  /** The account's budget this stream's bytes count against: says which limit refused an append. */
  private readonly budget: AccountBudget;

  constructor(client: InternalClient, config: StreamConfig, store: StreamStore, createdNs: bigint, budget: AccountBudget) {
    this.budget = budget;
    this.name = config.name;
    this.config = config;
    this.store = store;
    this.createdNs = createdNs;
    this.client = client;
    this.nameJson = JSON.stringify(subjectToText(config.name));
    this.dedupe = new Dedupe(Number(config.duplicateWindow / NS_PER_MS));
    store.setLimits(limitsOf(config));
    store.onCommitted((lastSeq, err) => this.committed(lastSeq, err));
  }

  /** Consumers of this stream (they arrive with the consumer API). */
  get consumerCount(): number {
    return 0;
  }

  /** Each consumer's ConsumerInfo members as CONSUMER.INFO writes them (config included), for /jsz. */
  consumerInfos(): Record<string, unknown>[] {
    return [];
  }

  /**
   * After a restart the duplicate window and the last Msg-Id come back from the stored messages, as
   * nats-server rebuilds them: the messages of the last duplicate_window are read in chunks after the
   * start, so a big stream serves at once; a publish carrying a Msg-Id before that is done finishes it.
   */
  recoverMsgIds(): void {
    const state = this.store.state();
    if (state.msgs === 0) return;
    const last = this.store.load(state.lastSeq);
    this.lastMsgId = last?.hdr != null ? (headerValue(last.hdr, 0, last.hdr.length, MSG_ID) ?? '') : '';
    if (this.config.duplicateWindow <= 0n) return;
    const sinceNs = BigInt(Date.now()) * NS_PER_MS - this.config.duplicateWindow;
    // Stored times rise with the sequence: the window starts at the first message not older than it.
    let lo = state.firstSeq;
    let hi = state.lastSeq;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const m = this.store.loadNext('', mid);
      if (m === null || m.timeNs >= sinceNs) hi = mid;
      else lo = m.seq + 1;
    }
    this.rebuild = { next: lo, last: state.lastSeq };
    setImmediate(() => this.rebuildChunk());
  }

  private rebuildChunk(): void {
    const r = this.rebuild;
    if (r === null) return;
    for (let n = 0; n < REBUILD_CHUNK; n++) {
      const m = r.next <= r.last ? this.store.loadNext('', r.next) : null;
      if (m === null || m.seq > r.last) {
        this.rebuild = null;
        return;
      }
      r.next = m.seq + 1;
      if (m.hdr === null) continue;
      const id = headerValue(m.hdr, 0, m.hdr.length, MSG_ID);
      if (id !== null && id !== '') this.dedupe.remember(id, m.seq, Number(m.timeNs / NS_PER_MS));
    }
    setImmediate(() => this.rebuildChunk());
  }

  private finishRebuild(): void {
    while (this.rebuild !== null) this.rebuildChunk();
  }

  /** Starts capturing the stream's subjects. */
  attach(): void {
    for (const subject of this.config.subjects) this.subs.push(this.client.subscribe(subject, null, this.onMsg));
    // Every server holding the stream answers direct gets; the queue group makes one of them answer.
    if (this.config.allowDirect) for (const subject of directGetSubjects(this.name)) this.subs.push(this.client.subscribe(subject, DIRECT_GET_QUEUE, this.onDirectGet));
    this.scheduleExpiry();
  }

  /** A new configuration (already checked against the update rules). */
  update(config: StreamConfig): void {
    const subjectsChanged = config.subjects.join('\0') !== this.config.subjects.join('\0') || config.allowDirect !== this.config.allowDirect;
    this.config = config;
    this.dedupe.setWindow(Number(config.duplicateWindow / NS_PER_MS));
    this.store.setLimits(limitsOf(config));
    if (subjectsChanged) {
      this.detach();
      this.attach();
    }
    this.scheduleExpiry();
  }

  detach(): void {
    this.rebuild = null;
    for (const sub of this.subs) this.client.unsubscribe(sub);
    this.subs = [];
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
  }

  private ingest(msg: PubFrame): void {
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
        if (this.rebuild !== null) this.finishRebuild();
        const seq = this.dedupe.seqOf(msgId, Date.now());
        if (seq > 0) return this.answer(reply, pubAck(this.nameJson, seq, true));
      }
      const lastSubjectSeq = headerValue(data, hs, he, EXPECTED_LAST_SUBJECT_SEQ);
      if (lastSubjectSeq !== null) {
        const actual = this.store.lastSeqOfSubject(msg.subject);
        if (Number(lastSubjectSeq) !== actual) return this.refuse(reply, apiError('StreamWrongLastSequence', { seq: actual }));
      }
      const lastSeq = headerValue(data, hs, he, EXPECTED_LAST_SEQ);
      if (lastSeq !== null) {
        const actual = this.store.state().lastSeq;
        if (Number(lastSeq) !== actual) return this.refuse(reply, apiError('StreamWrongLastSequence', { seq: actual }));
      }
      const lastMsgId = headerValue(data, hs, he, EXPECTED_LAST_MSG_ID);
      if (lastMsgId !== null && lastMsgId !== this.lastMsgId) return this.refuse(reply, apiError('StreamWrongLastMsgID', { id: this.lastMsgId }));
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
    const stored = this.store.append(msg.subject, hdr, data.subarray(he, msg.end));
    if (typeof stored !== 'number') return this.refuse(reply, stored.refused === AppendRefusal.StorageFull ? storageFullError(this.budget) : storeRefusal(stored.refused));
    if (msgId !== null && msgId !== '') this.dedupe.remember(msgId, stored, Date.now());
    this.lastMsgId = msgId ?? '';
    if (rollup !== null) {
      const kind = rollup.toLowerCase();
      this.store.purge(kind === 'all' ? { seq: stored } : { filter: msg.subject, seq: stored });
    }
    if (reply !== '' && !cfg.noAck) this.awaiting.push({ seq: stored, reply, msgId });
    else if (msgId !== null) this.awaiting.push({ seq: stored, reply: '', msgId });
    if (cfg.maxAge > 0n && this.expiryTimer === null) this.scheduleExpiry();
  }

  private directGet(msg: PubFrame): void {
    if (msg.reply === '') return;
    const prefix = directGetSubjects(this.name)[0];
    const tail = msg.subject.length > prefix.length ? msg.subject.slice(prefix.length + 1) : '';
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
        this.answer(a.reply, pubAck(this.nameJson, a.seq, false));
      }
    }
    this.awaiting = i === awaiting.length ? [] : awaiting.slice(i);
  }

  private refuse(reply: string, err: ApiError): void {
    if (reply !== '' && !this.config.noAck) this.answer(reply, pubAckError(this.nameJson, err));
  }

  private answer(reply: string, json: string): void {
    if (reply === '') return;
    this.client.publish(reply, '', null, Buffer.from(json, 'utf8'));
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
    }, Math.max(next, 1));
    this.expiryTimer.unref();
  }

  /** Stops capturing and closes the store (shutdown). */
  close(): void {
    this.detach();
    this.store.close();
  }

  /** Stops capturing and deletes everything stored (STREAM.DELETE). */
  destroy(): void {
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
