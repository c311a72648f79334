// A consumer: a cursor over its stream with pending acks, redeliveries and the requests or the deliver
// subject it sends to, kept as nats-server 2.9.10 keeps it (consumer.go) so every counter of
// ConsumerInfo and every token of the ack subject comes out the same.
//
// Delivery is pull-driven from one place, pump(): the stream calls it after a group commit (never past the
// committed sequence), a pull request, an ack that frees max_ack_pending, a due redelivery, a deliver
// subject gaining interest (an account interest event, no polling), the rate limit's timer or a
// flow-control answer call it too. Each pass loads the next message from the store (one indexed lookup
// from the cursor), builds its ack subject and hands it to the account's InternalClient.deliver().
// The stream keeps the per-message cost flat: no closures, no promises, one timer per consumer for acks.

import type { Account, InterestWatch, InternalClient } from '../core/index.js';
import { appendHeaders } from '../protocol/nats/index.js';
import type { AckSubject } from '../protocol/nats/index.js';
import { goDuration } from '../util/index.js';
import { AckKind, ackKind, nakDelayMs, nextRequestBody } from './ack-body.js';
import { HeldDelivery, RatePacing, ReplayPacing } from './delivery-pacing.js';
import type { Advisories } from './advisories.js';
import type { ConsumerConfig } from './consumer-config.js';
import { FLOW_CONTROL_REQUEST, idleHeartbeat, PullStatus } from './errors.js';
import { FlowControl } from './flow-control.js';
import { parsePullRequest } from './pull-request.js';
import { RedeliveryQueue } from './redelivery-queue.js';
import { WaitQueue, WaitingRequest } from './pull-waiting.js';
import { seqFromTime } from './store/index.js';
import { subjectFilter } from './store/filter.js';
import type { SubjectFilter } from './store/filter.js';
import type { ConsumerState, StoredMsg, StreamStore } from './store/types.js';
import { NS_PER_MS } from './time.js';

/** What a consumer needs from its stream. */
export interface ConsumerHost {
  readonly name: string;
  readonly store: StreamStore;
  readonly client: InternalClient;
  readonly advisories: Advisories;
  /** The stream's max_msg_size (0 or less: none) sizes a push consumer's rate-limit burst. */
  readonly config: { readonly maxMsgSize: number };
  readonly retention: 'limits' | 'interest' | 'workqueue';
  /** The last sequence the store's group commit made durable: nothing above it is delivered. */
  readonly committedSeq: number;
  /** `seq` needs no more acks from `by` (acked, terminated, or delivered with ack none). */
  acked(seq: number, by: Consumer): void;
  /** The consumer removes itself (inactive_threshold). */
  expired(c: Consumer): void;
  /** Sends an empty reply (ackAck) once the store's next commit is done. */
  replyAfterCommit(reply: string): void;
}

/** A delivered message waiting for its ack. */
class Pending {
  cseq: number;
  /** When it was (re)delivered, or the time its ack wait counts from (NAK delay, +WPI). */
  timeMs: number;
  constructor(cseq: number, timeMs: number) {
    this.cseq = cseq;
    this.timeMs = timeMs;
  }
}

const MSG_SIZE = 'Nats-Msg-Size';
const FLOW_CONTROL = Buffer.from(FLOW_CONTROL_REQUEST, 'latin1');
const EMPTY = Buffer.alloc(0);

export class Consumer {
  readonly host: ConsumerHost;
  readonly name: string;
  config: ConsumerConfig;
  readonly createdNs: bigint;
  readonly durable: boolean;
  filter: SubjectFilter;

  /** Next stream sequence to look at; delivered.stream_seq is sseq - 1. */
  sseq = 1;
  /** Next consumer sequence; delivered.consumer_seq is dseq - 1. */
  dseq = 1;
  asflr = 0;
  adflr = 0;
  readonly pending = new Map<number, Pending>();
  /** Times delivered, for messages delivered more than once. */
  readonly rdc = new Map<number, number>();
  private readonly rdq = new RedeliveryQueue();
  /** Messages matching the filter at or after the cursor, kept as messages come and go. */
  npc = 0;
  private npcStale = false;
  /** deliver last_per_subject: the sequences to send first, then everything after `lssResume`. */
  private lss: number[] | null = null;
  private lssIdx = 0;
  private lssResume = 0;
  /** The pull requests waiting for messages. */
  readonly waiting: WaitQueue;
  lastDeliveredNs = 0n;
  lastAckNs = 0n;

  private readonly ackPrefix: string;
  private readonly acks: boolean;
  private readonly push: boolean;
  /** push_bound: the deliver subject (in the deliver group, if any) has a subscriber now. */
  private bound = false;
  private interest: InterestWatch | null = null;
  private readonly onInterest = (interested: boolean): void => this.interestChanged(interested);
  /** rate_limit_bps of a push consumer; null when unlimited. */
  private rate: RatePacing | null = null;
  private unboundSinceMs: number;
  private lastActiveMs: number;
  private lastSendMs = 0;
  private readonly fc: FlowControl;
  private readonly replay = new ReplayPacing(() => this.pump());
  private ackTimer: NodeJS.Timeout | null = null;
  private ackDueMs = 0;
  private hbTimer: NodeJS.Timeout | null = null;
  private inactiveTimer: NodeJS.Timeout | null = null;
  private pumping = false;
  private again = false;
  /** The delivery count of the message peek() found, and where it came from. */
  private nextDc = 1;
  private nextFrom = 0;
  closed = false;

  constructor(host: ConsumerHost, name: string, config: ConsumerConfig, createdNs: bigint) {
    this.host = host;
    this.name = name;
    this.config = config;
    this.createdNs = createdNs;
    this.durable = config.durableName !== '';
    this.filter = subjectFilter(config.filterSubject);
    this.ackPrefix = `$JS.ACK.${host.name}.${name}.`;
    this.fc = new FlowControl(`$JS.FC.${host.name}.${name}.`);
    this.acks = config.ackPolicy !== 'none';
    this.push = config.deliverSubject !== '';
    this.waiting = new WaitQueue(
      host.client,
      (reply, text) => this.status(reply, text),
      () => idleHeartbeat(this.dseq - 1, this.sseq - 1, null),
    );
    const now = Date.now();
    this.unboundSinceMs = now;
    this.lastActiveMs = now;
  }

  get isPush(): boolean {
    return this.push;
  }

  /** A new consumer: its starting position as nats-server's selectStartingSeqNo chooses it. */
  start(): void {
    const store = this.host.store;
    const state = store.state();
    const c = this.config;
    const f = c.filterSubject;
    let sseq: number;
    if (c.optStartSeq > 0) sseq = c.optStartSeq;
    else if (c.deliverPolicy === 'all') sseq = f === '' ? state.firstSeq : (store.loadNext(f, state.firstSeq)?.seq ?? state.firstSeq);
    else if (c.deliverPolicy === 'last') sseq = f === '' ? state.lastSeq : (store.loadLast(f)?.seq ?? 0);
    else if (c.deliverPolicy === 'last_per_subject') {
      const seqs: number[] = [];
      for (const subject of store.subjectsState(f).keys()) seqs.push(store.lastSeqOfSubject(subject));
      seqs.sort((a, b) => a - b);
      this.lss = seqs;
      this.lssResume = state.lastSeq;
      sseq = seqs.length === 0 ? state.lastSeq : seqs[0];
    } else if (c.optStartTime !== null) sseq = seqFromTime(store, c.optStartTime.ns, state.firstSeq, state.lastSeq);
    else sseq = state.lastSeq + 1;
    if (state.firstSeq === 0) sseq = 1;
    else if (sseq < state.firstSeq) sseq = state.firstSeq;
    else if (sseq > state.lastSeq) sseq = state.lastSeq + 1;
    this.sseq = sseq;
    this.dseq = 1;
    // nats-server reports an ack floor of 0/0 until the first ack, whatever the start.
    this.adflr = 0;
    this.asflr = 0;
    this.npc = this.pendingFromStore();
    if (this.durable) store.saveConsumerState(this.name, this.snapshot());
    this.begin();
  }

  /** A durable consumer recovered at start: its saved state, the stream is not replayed. */
  restore(s: ConsumerState | null): void {
    if (s === null) return this.start();
    this.sseq = s.deliveredStreamSeq + 1;
    this.dseq = s.deliveredConsumerSeq + 1;
    this.asflr = s.ackFloorStreamSeq;
    this.adflr = s.ackFloorConsumerSeq;
    for (const [seq, p] of [...s.pending].sort((a, b) => a[0] - b[0])) this.pending.set(seq, new Pending(p.consumerSeq, p.timeMs));
    for (const [seq, n] of s.redelivered) this.rdc.set(seq, n);
    const first = this.host.store.state().firstSeq;
    if (this.sseq < first) this.sseq = first;
    this.npc = this.pendingFromStore();
    if (this.pending.size > 0) this.armAckTimer(Date.now());
    this.begin();
  }

  private begin(): void {
    if (this.push) {
      this.watchDeliverSubject();
      this.rate = this.newRatePacing();
      if (this.config.idleHeartbeat > 0n) {
        const hb = Number(this.config.idleHeartbeat / NS_PER_MS);
        this.hbTimer = setInterval(() => this.heartbeatTick(hb), Math.max(1, Math.floor(hb / 2)));
        this.hbTimer.unref();
      }
    }
    this.armInactivity();
  }

  /** The state as the store keeps it. */
  snapshot(): ConsumerState {
    const pending = new Map<number, { consumerSeq: number; timeMs: number }>();
    for (const [seq, p] of this.pending) pending.set(seq, { consumerSeq: p.cseq, timeMs: p.timeMs });
    return {
      deliveredStreamSeq: this.sseq - 1,
      deliveredConsumerSeq: this.dseq - 1,
      ackFloorStreamSeq: this.asflr,
      ackFloorConsumerSeq: this.adflr,
      pending,
      redelivered: new Map(this.rdc),
    };
  }

  // ---- counting what is pending

  private pendingFromStore(): number {
    const store = this.host.store;
    if (this.lss !== null) {
      const rest = this.lss.length - this.lssIdx;
      return rest + store.numPending(this.config.filterSubject, this.lssResume + 1, false);
    }
    return store.numPending(this.config.filterSubject, this.sseq, false);
  }

  /** num_pending: exact, recounted when messages may have left the stream ahead of the cursor. */
  numPending(): number {
    if (this.npcStale) {
      this.npcStale = false;
      this.npc = this.pendingFromStore();
    }
    return this.npc;
  }

  /** New committed messages: count those this consumer will see. */
  appended(seq: number, subject: string): void {
    if (seq >= this.sseq && this.filter.matches(subject)) this.npc++;
  }

  /** Messages at or below `upTo` may have left the stream: recount before the next use if the cursor is there. */
  removedUpTo(upTo: number): void {
    if (upTo >= this.sseq || this.lss !== null) this.npcStale = true;
  }

  /** The stream was purged; `first` is its first sequence now (nats-server consumer.purge). */
  purged(first: number): void {
    if (this.sseq < first) this.sseq = first;
    if (this.asflr < first) {
      this.asflr = first - 1;
      for (const [seq, p] of this.pending) {
        if (seq > this.asflr) continue;
        if (p.cseq > this.adflr) {
          this.adflr = p.cseq;
          if (this.adflr > this.dseq) this.dseq = this.adflr;
        }
        this.pending.delete(seq);
        this.rdc.delete(seq);
      }
      this.rdq.dropUpTo(this.asflr);
    }
    this.npcStale = true;
    if (this.durable) this.host.store.saveConsumerState(this.name, this.snapshot());
  }

  // ---- delivery

  /** Delivers what may go out now. */
  pump(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        this.pass();
      } while (this.again);
    } finally {
      this.pumping = false;
    }
  }

  private pass(): void {
    const push = this.push;
    if (push) {
      if (!this.bound || this.fc.stalled) return;
      const held = this.rate === null ? null : this.rate.due();
      if (held === undefined || (held !== null && !this.sendHeld(held))) return;
    } else if (this.waiting.length === 0) return;
    if (this.npcStale) this.numPending();
    const client = this.host.client;
    const headersOnly = this.config.headersOnly;
    let exhausted = false;
    for (;;) {
      const m = this.peek();
      if (m === null) {
        exhausted = this.nextFrom !== FROM_BLOCKED;
        break;
      }
      if (this.config.replayPolicy === 'original' && this.replay.mustWait(m)) return;
      const dc = this.nextDc;
      const fresh = this.nextFrom !== FROM_RDQ;
      const cseq = this.dseq;
      const pendingAfter = fresh && this.npc > 0 ? this.npc - 1 : this.npc;
      const reply = `${this.ackPrefix}${dc}.${m.seq}.${cseq}.${m.timeNs}.${pendingAfter}`;
      let hdr = m.hdr;
      let body = m.data;
      if (headersOnly) {
        hdr = appendHeaders(hdr, [[MSG_SIZE, String(body.length)]]);
        body = EMPTY;
      }
      const size = (hdr === null ? 0 : hdr.length) + body.length;
      let to: string;
      if (push) {
        to = this.config.deliverSubject;
        if (this.rate !== null && this.rateLimited(this.rate, m, reply, hdr, body, cseq, dc)) return;
      } else {
        const wr = this.waiting.next(m.subject.length + reply.length + size);
        if (wr === null) break;
        to = wr.reply;
      }
      this.take(m);
      this.delivered(m.seq, cseq, dc);
      client.deliver(to, m.subject, reply, hdr, body);
      // The delivery itself may have ended the interest (the subscriber's UNSUB max).
      if (push && (this.flowControlAfter(size) || !this.bound)) return;
    }
    if (!push && exhausted) this.waiting.endNoWait();
  }

  /** The next message to send, without taking it: redeliveries first, then new messages up to the committed sequence. */
  private peek(): StoredMsg | null {
    const store = this.host.store;
    const maxDeliver = this.config.maxDeliver;
    while (this.rdq.length > 0) {
      const seq = this.rdq.first();
      const dc = (this.rdc.get(seq) ?? 1) + 1;
      const m = maxDeliver > 0 && dc > maxDeliver ? null : store.load(seq);
      if (m !== null) {
        this.nextDc = dc;
        this.nextFrom = FROM_RDQ;
        return m;
      }
      this.rdq.shift();
      // Past max_deliver nats-server drops the message from pending but keeps counting it as redelivered.
      if (maxDeliver > 0 && dc > maxDeliver) {
        if (dc === maxDeliver + 1) this.host.advisories.maxDeliveries(this, seq, maxDeliver);
        this.pending.delete(seq);
        this.rdc.set(seq, dc);
        if (this.durable) this.host.store.consumerAcked(this.name, seq, this.asflr, this.adflr);
      } else this.forget(seq);
    }
    if (this.acks && this.config.maxAckPending > 0 && this.pending.size >= this.config.maxAckPending) {
      this.nextFrom = FROM_BLOCKED;
      return null;
    }
    this.nextDc = 1;
    const limit = this.host.committedSeq;
    if (this.lss !== null) {
      while (this.lssIdx < this.lss.length) {
        const seq = this.lss[this.lssIdx];
        if (seq > limit) break;
        const m = store.load(seq);
        if (m !== null) {
            this.nextFrom = FROM_LSS;
          return m;
        }
        this.lssIdx++;
        if (this.npc > 0) this.npc--;
      }
      if (this.lssIdx < this.lss.length) {
        this.nextFrom = FROM_NONE;
        return null;
      }
      this.lss = null;
      if (this.sseq <= this.lssResume) this.sseq = this.lssResume + 1;
    }
    this.nextFrom = FROM_NONE;
    if (this.sseq > limit) return null;
    const m = store.loadNext(this.config.filterSubject, this.sseq);
    if (m === null || m.seq > limit) {
      // Nothing matches up to the committed end: the cursor moves there, as nats-server's does at EOF.
      this.sseq = limit + 1;
      return null;
    }
    this.nextFrom = FROM_STREAM;
    return m;
  }

  /** Takes the peeked message off its queue or moves the cursor past it. */
  private take(m: StoredMsg): void {
    switch (this.nextFrom) {
      case FROM_RDQ:
        this.rdq.shift();
        return;
      case FROM_LSS:
        this.lssIdx++;
        if (m.seq >= this.sseq) this.sseq = m.seq + 1;
        if (this.npc > 0) this.npc--;
        return;
      default:
        this.sseq = m.seq + 1;
        if (this.npc > 0) this.npc--;
    }
  }

  private delivered(seq: number, cseq: number, dc: number): void {
    const now = Date.now();
    this.dseq = cseq + 1;
    this.lastSendMs = now;
    this.lastDeliveredNs = BigInt(now) * NS_PER_MS;
    const store = this.host.store;
    if (this.acks) {
      const p = this.pending.get(seq);
      if (p === undefined) this.pending.set(seq, new Pending(cseq, now));
      else {
        p.cseq = cseq;
        p.timeMs = now;
      }
      if (dc > 1) this.rdc.set(seq, dc);
      if (this.durable) store.consumerDelivered(this.name, seq, cseq, now, dc);
      if (this.ackTimer === null) this.armAckTimer(now);
      return;
    }
    this.adflr = cseq;
    this.asflr = seq;
    if (this.durable) {
      store.consumerDelivered(this.name, seq, cseq, now, dc);
      store.consumerAcked(this.name, seq, seq, cseq);
    }
    if (this.host.retention !== 'limits') this.host.acked(seq, this);
  }

  // ---- push: interest, rate limit, flow control, heartbeats

  /**
   * Watches the deliver subject as nats-server does: only subscriptions to exactly that subject count,
   * plain ones without a deliver_group, members of that group with one. A subscriber already there
   * binds after the current work, so a create's response (with its num_pending) goes out first.
   */
  private watchDeliverSubject(): void {
    this.interest?.stop();
    const c = this.config;
    const rule = { queue: c.deliverGroup === '' ? null : c.deliverGroup, exact: true };
    const w = (this.host.client.account as Account).watchInterest(c.deliverSubject, rule, this.onInterest);
    this.interest = w;
    if (w.interested === this.bound) return;
    queueMicrotask(() => {
      if (this.interest === w) this.interestChanged(w.interested);
    });
  }

  private interestChanged(interested: boolean): void {
    if (interested === this.bound || this.closed) return;
    this.bound = interested;
    // Told inside the subscriber's SUB: deliveries follow once that is done, as nats-server's do.
    if (interested) queueMicrotask(() => this.pump());
    else {
      this.unboundSinceMs = Date.now();
      this.armInactivity();
    }
  }

  /** Whether the deliver subject has subscribers now (push_bound). */
  isBound(): boolean {
    return this.push && this.bound;
  }

  /** nats-server's burst: the stream's max_msg_size, or else the largest payload the server takes. */
  private newRatePacing(): RatePacing | null {
    this.rate?.stop();
    const bps = this.config.rateLimitBps;
    if (bps <= 0) return null;
    const maxMsgSize = this.host.config.maxMsgSize;
    return new RatePacing(bps, maxMsgSize > 0 ? maxMsgSize : this.host.client.maxPayload, () => this.pump());
  }

  /** True when the delivery must wait for the rate limit: then it is taken off the stream and held. */
  private rateLimited(rate: RatePacing, m: StoredMsg, reply: string, hdr: Uint8Array | null, body: Uint8Array, cseq: number, dc: number): boolean {
    if (!rate.mustWait(HeldDelivery.size(m, reply, hdr, body))) return false;
    this.take(m);
    rate.hold(new HeldDelivery(m, reply, hdr, body, cseq, dc));
    return true;
  }

  /** Sends the held delivery; false when delivery must stop after it (flow control, interest gone). */
  private sendHeld(h: HeldDelivery): boolean {
    this.delivered(h.msg.seq, h.cseq, h.dc);
    this.host.client.deliver(this.config.deliverSubject, h.msg.subject, h.reply, h.hdr, h.body);
    return !this.flowControlAfter((h.hdr === null ? 0 : h.hdr.length) + h.body.length) && this.bound;
  }

  /** True when delivery must stop until the client answers flow control. */
  private flowControlAfter(size: number): boolean {
    if (!this.config.flowControl) return false;
    const request = this.fc.sent(size);
    if (request !== null) this.host.client.publish(this.config.deliverSubject, request, FLOW_CONTROL, null);
    return this.fc.stalled;
  }

  /** An answer on a `$JS.FC` subject. */
  flowControlReply(subject: string): void {
    if (this.fc.answered(subject)) this.pump();
  }

  private heartbeatTick(hbMs: number): void {
    if (!this.bound) return;
    const now = Date.now();
    if (now - this.lastSendMs < hbMs) return;
    this.lastSendMs = now;
    const hb = idleHeartbeat(this.dseq - 1, this.sseq - 1, this.fc.outstanding);
    this.host.client.publish(this.config.deliverSubject, '', Buffer.from(hb, 'latin1'), null);
  }

  // ---- pull requests

  /** `$JS.API.CONSUMER.MSG.NEXT` or `+NXT`: queue the request and serve it (processNextMsgRequest). */
  request(reply: string, body: Uint8Array): void {
    if (this.push) return this.status(reply, PullStatus.ConsumerIsPushBased);
    const opts = parsePullRequest(body);
    if (typeof opts === 'string') return this.status(reply, PullStatus.badRequest(opts));
    const c = this.config;
    const batch = opts.batch > 0 ? opts.batch : 1;
    if (c.maxBatch > 0 && batch > c.maxBatch) return this.status(reply, PullStatus.exceededMaxRequestBatch(c.maxBatch));
    if (opts.expires > 0n && c.maxExpires > 0n && opts.expires > c.maxExpires) return this.status(reply, PullStatus.exceededMaxRequestExpires(goDuration(Number(c.maxExpires))));
    if (opts.maxBytes > 0 && c.maxBytes > 0 && opts.maxBytes > c.maxBytes) return this.status(reply, PullStatus.exceededMaxRequestMaxBytes(c.maxBytes));
    const now = Date.now();
    this.lastActiveMs = now;
    if (this.waiting.length >= c.maxWaiting) this.waiting.process(now);
    if (opts.noWait) {
      const msgsPending = this.numPending() + this.rdq.length;
      if (msgsPending === 0 && opts.expires === 0n) return this.status(reply, PullStatus.NoMessages);
      if (msgsPending > 0) {
        if (msgsPending < this.waiting.batchPending()) return this.status(reply, PullStatus.RequestsPending);
      }
    }
    if (this.waiting.length >= c.maxWaiting) return this.status(reply, PullStatus.ExceededMaxWaiting);
    const expiresAt = opts.expires > 0n ? now + Number(opts.expires / NS_PER_MS) : 0;
    const wr = new WaitingRequest(reply, batch, opts.maxBytes, opts.noWait, expiresAt, Number(opts.idleHeartbeat / NS_PER_MS), now);
    this.waiting.add(wr);
    this.pump();
    if (this.waiting.has(wr)) this.waiting.armTimer(now);
  }

  private status(reply: string, text: string): void {
    this.host.client.publish(reply, '', Buffer.from(text, 'latin1'), null);
  }

  // ---- acks

  /** A message on this consumer's ack subject. */
  ack(subject: AckSubject, body: Buffer, reply: string): void {
    const sseq = subject.streamSeq;
    const cseq = subject.consumerSeq;
    let ackAck = reply !== '';
    let saved = false;
    switch (ackKind(body)) {
      case AckKind.Ack:
        this.sampleAck(sseq, cseq, subject.delivered);
        saved = this.ackMsg(sseq, cseq);
        break;
      case AckKind.Term:
        saved = this.ackMsg(sseq, cseq);
        this.host.advisories.terminated(this, sseq, cseq, subject.delivered);
        break;
      case AckKind.Nak:
        this.nak(sseq, cseq, subject.delivered, nakDelayMs(body));
        break;
      case AckKind.Progress:
        this.progress(sseq);
        break;
      case AckKind.Next:
        ackAck = false;
        this.sampleAck(sseq, cseq, subject.delivered);
        this.ackMsg(sseq, cseq);
        if (reply !== '') this.request(reply, nextRequestBody(body));
        break;
    }
    if (!ackAck) return;
    // An acknowledged ack must survive a crash: the answer waits for the commit that holds it.
    if (saved && this.host.store.kind === 'file') this.host.replyAfterCommit(reply);
    else this.host.client.publish(reply, '', null, null);
  }

  /** The ack metric of sample_freq: for explicit acks of pending messages, taken before the ack removes them. */
  private sampleAck(sseq: number, cseq: number, delivered: number): void {
    if (this.config.sampleFreq === '' || this.config.ackPolicy !== 'explicit') return;
    const p = this.pending.get(sseq);
    if (p !== undefined) this.host.advisories.ackSampled(this, sseq, cseq, delivered, p.timeMs);
  }

  /** Applies an ack; true when it was written to the store. */
  private ackMsg(sseq: number, cseq: number): boolean {
    const now = Date.now();
    this.lastActiveMs = now;
    const c = this.config;
    const wasBlocked = c.maxAckPending > 0 && this.pending.size >= c.maxAckPending;
    if (c.ackPolicy === 'explicit') {
      const p = this.pending.get(sseq);
      if (p !== undefined) {
        this.pending.delete(sseq);
        cseq = p.cseq;
      }
      if (this.pending.size === 0) {
        this.adflr = this.dseq - 1;
        this.asflr = this.sseq - 1;
      } else if (cseq === this.adflr + 1) {
        this.adflr = cseq;
        this.asflr = sseq;
        // The pending map holds stream order: its first entry is the lowest still unacknowledged.
        for (const [seq, q] of this.pending) {
          if (seq > sseq) {
            this.adflr = q.cseq - 1;
            this.asflr = seq - 1;
          }
          break;
        }
      }
      this.rdc.delete(sseq);
      this.rdq.drop(sseq);
      this.lastAckNs = BigInt(now) * NS_PER_MS;
      if (this.durable) this.host.store.consumerAcked(this.name, sseq, this.asflr, this.adflr);
      if (p !== undefined && this.host.retention !== 'limits') this.host.acked(sseq, this);
    } else if (c.ackPolicy === 'all') {
      if (cseq <= this.adflr || sseq <= this.asflr) return false;
      const from = this.asflr;
      this.adflr = cseq;
      this.asflr = sseq;
      for (const seq of [...this.pending.keys()]) {
        if (seq > sseq) break;
        this.pending.delete(seq);
        this.rdc.delete(seq);
        this.rdq.drop(seq);
      }
      this.lastAckNs = BigInt(now) * NS_PER_MS;
      if (this.durable) this.host.store.consumerAcked(this.name, 0, this.asflr, this.adflr);
      if (this.host.retention !== 'limits') for (let seq = from + 1; seq <= sseq; seq++) this.host.acked(seq, this);
    } else return false;
    if (wasBlocked && this.pending.size < c.maxAckPending) this.pump();
    return this.durable;
  }

  private nak(sseq: number, cseq: number, dc: number, delayMs: number): void {
    if (cseq <= this.adflr || cseq >= this.dseq) return;
    const p = this.pending.get(sseq);
    if (p === undefined) return;
    this.host.advisories.naked(this, sseq, cseq, dc);
    this.lastActiveMs = Date.now();
    if (delayMs > 0) {
      const now = Date.now();
      p.timeMs = now - this.ackWaitMs(this.rdc.get(sseq) ?? 1) + delayMs;
      this.armAckTimerAt(now, now + delayMs);
      return;
    }
    this.rdq.add(sseq);
    this.pump();
  }

  private progress(sseq: number): void {
    const p = this.pending.get(sseq);
    if (p !== undefined) p.timeMs = Date.now();
    this.lastActiveMs = Date.now();
  }

  // ---- redelivery

  /** The ack wait of a message delivered `dc` times: backoff[dc - 1] (the last one repeating) or ack_wait. */
  private ackWaitMs(dc: number): number {
    const b = this.config.backoff;
    if (b.length > 0) return Number(b[Math.min(dc, b.length) - 1] / NS_PER_MS);
    return Number(this.config.ackWait / NS_PER_MS);
  }

  private armAckTimer(now: number): void {
    let due = 0;
    for (const [seq, p] of this.pending) {
      if (this.rdq.has(seq)) continue;
      const d = p.timeMs + this.ackWaitMs(this.rdc.get(seq) ?? 1);
      if (due === 0 || d < due) due = d;
    }
    if (due > 0) this.armAckTimerAt(now, due);
  }

  private armAckTimerAt(now: number, due: number): void {
    if (this.ackTimer !== null) {
      if (this.ackDueMs <= due) return;
      clearTimeout(this.ackTimer);
    }
    this.ackDueMs = due;
    this.ackTimer = setTimeout(() => this.checkPending(), Math.max(1, due - now));
    this.ackTimer.unref();
  }

  /** The ack timer: overdue messages go to the redelivery queue (where max_deliver is checked). */
  private checkPending(): void {
    this.ackTimer = null;
    const now = Date.now();
    let queued = false;
    for (const [seq, p] of this.pending) {
      if (this.rdq.has(seq)) continue;
      if (p.timeMs + this.ackWaitMs(this.rdc.get(seq) ?? 1) <= now) {
        this.rdq.add(seq);
        queued = true;
      }
    }
    if (queued) this.pump();
    this.armAckTimer(now);
  }

  /** A pending message that left the stream. */
  private forget(seq: number): void {
    this.pending.delete(seq);
    this.rdc.delete(seq);
  }

  /** Whether this consumer still needs `seq` (interest and workqueue retention; nats-server needAck). */
  needsAck(seq: number, subject: string): boolean {
    if (!this.filter.matches(subject)) return false;
    if (seq <= this.asflr) return false;
    if (this.config.ackPolicy !== 'explicit' || seq >= this.sseq) return true;
    return this.pending.has(seq);
  }

  // ---- life

  private armInactivity(): void {
    const thr = this.config.inactiveThreshold;
    if (thr <= 0n || this.inactiveTimer !== null) return;
    this.inactiveTimer = setTimeout(() => this.checkInactive(), Number(thr / NS_PER_MS));
    this.inactiveTimer.unref();
  }

  private checkInactive(): void {
    this.inactiveTimer = null;
    if (this.closed) return;
    const thr = Number(this.config.inactiveThreshold / NS_PER_MS);
    const now = Date.now();
    if (this.push) {
      if (this.bound) return;
      if (now - this.unboundSinceMs >= thr) return this.host.expired(this);
    } else {
      if (this.waiting.length > 0) this.lastActiveMs = now;
      if (now - this.lastActiveMs >= thr) return this.host.expired(this);
    }
    this.armInactivity();
  }

  /** A new config (an update that passed the rules). */
  updated(config: ConsumerConfig): void {
    const old = this.config;
    this.config = config;
    if (config.filterSubject !== old.filterSubject) {
      this.filter = subjectFilter(config.filterSubject);
      this.npcStale = true;
    }
    if (this.push && (config.deliverSubject !== old.deliverSubject || config.deliverGroup !== old.deliverGroup)) this.watchDeliverSubject();
    if (this.push && config.rateLimitBps !== old.rateLimitBps) this.rate = this.newRatePacing();
    this.pump();
  }

  /** Stops timers; with `deleted`, waiting requests hear `409 Consumer Deleted`. */
  close(deleted: boolean): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of [this.ackTimer, this.inactiveTimer]) if (t !== null) clearTimeout(t);
    this.replay.stop();
    this.rate?.stop();
    if (this.hbTimer !== null) clearInterval(this.hbTimer);
    this.interest?.stop();
    this.waiting.clear(deleted);
  }
}

const FROM_NONE = 0;
const FROM_RDQ = 1;
const FROM_LSS = 2;
const FROM_STREAM = 3;
const FROM_BLOCKED = 4;
