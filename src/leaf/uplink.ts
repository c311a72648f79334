// The store-and-forward uplink (leafgate's own): messages on local subjects are kept in a local
// stream (JetStream's SQLite store) and forwarded into a stream of the hub over the
// leaf link, in order, exactly once into the hub stream however long the link was down.
//
// It speaks JetStream only as subjects, as any client would (leaf never imports jetstream): the
// local stream and its pull consumer through `$JS.API`, the hub stream through the hub's domain API
// and the stream's own subjects.
//
// - Each forwarded message carries `Nats-Msg-Id: <name>:<local seq>`: within the hub's duplicate
//   window a resend is dropped there.
// - Whenever the link comes up, before anything is sent, the hub is asked for the last message
//   under this uplink's prefix (`last_by_subj`); its id tells the last local sequence the hub holds,
//   and everything up to it is removed here without being sent again. Messages cross one link in
//   order and the hub stores them in order, so what it holds is always a prefix of what was sent:
//   an outage longer than the duplicate window resends nothing the hub has.
// - A local message leaves the local stream only once the hub's stream acknowledged it: the stream is
//   purged up to the last acknowledged sequence, in runs. A run not yet purged when the link drops is
//   dropped by the next resync without being sent (the hub holds it).
// - At most `maxInflight` messages wait for the hub's acknowledgement; more are pulled as they come
//   back, so a backlog drains at the link's pace without holding other traffic behind it.

import { ConnectionKind } from '../core/index.js';
import type { Account, InternalClient, Router, Subscription } from '../core/index.js';
import type { PubFrame } from '../protocol/nats/index.js';
import { appendHeaders, headerValue, parseAckSubject, removeHeader } from '../protocol/nats/index.js';
import { randomBase62, subjectToText } from '../util/index.js';

/** What the server configures. */
export interface UplinkOptions {
  readonly name: string;
  readonly account: string;
  readonly subjects: readonly string[];
  readonly stream: string;
  readonly domain: string;
  readonly prefix: string;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  readonly maxMsgs: number;
  readonly maxInflight: number;
}

/** The uplink as monitoring shows it. */
export interface UplinkState {
  readonly name: string;
  readonly stream: string;
  readonly connected: boolean;
  /** The carrying link's round trip, ms (0 while down). */
  readonly rttMs: number;
  readonly backlogMsgs: number;
  readonly backlogBytes: number;
  /** Age of the oldest message waiting, ms (0 when none waits). */
  readonly oldestMs: number;
  readonly forwarded: number;
  readonly acked: number;
  /** Messages the hub acknowledges per second now, and the seconds the backlog needs at that rate (0: unknown or none). */
  readonly rateMsgs: number;
  readonly etaSeconds: number;
  readonly lastError: string;
}

const MSG_ID = 'Nats-Msg-Id';
const CONSUMER = 'UPLINK';
/** A pull waits this long for messages before it is asked again. */
const PULL_EXPIRES_MS = 1000;
const API_TIMEOUT_MS = 5000;
/** No acknowledgement from the hub for this long: the link is taken as stalled and the uplink resyncs. */
const ACK_TIMEOUT_MS = 15_000;
/** Waits between failed attempts to resync with the hub. */
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;
/** How often the backlog is measured, and how often a draining backlog is logged. */
const STATE_EVERY_MS = 1000;
const PROGRESS_EVERY_MS = 10_000;
const NS_PER_MS = 1_000_000;
/** The local stream is purged of what the hub holds once per this many acknowledgements from it. */
const PURGE_EVERY = 64;

interface Reply {
  readonly hdr: Buffer | null;
  readonly body: Buffer;
}

export interface UplinkLog {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export class Uplink {
  readonly options: UplinkOptions;
  readonly localStream: string;
  private readonly router: Router;
  private readonly log: UplinkLog;
  private client: InternalClient | null = null;
  private readonly inbox: string;
  private nextToken = 1;
  private readonly waiting = new Map<string, { resolve(r: Reply): void; timer: NodeJS.Timeout }>();
  /** The link is up and the uplink forwarding on it (after a resync). */
  private linkUp = false;
  private pumping = false;
  /** Bumped at every resync: replies of an earlier round are ignored. */
  private round = 0;
  /** The last local sequence the hub holds. */
  private heldSeq = 0;
  /** Local sequences sent and not yet acknowledged by the hub, oldest first: the hub answers in that order. */
  private readonly inflight = new SeqQueue();
  /** This round's reply subject for the hub's acknowledgements (one subject, so routing them hits the match cache). */
  private ackSubject = '';
  /** How the hub stream's acknowledgements begin. */
  private readonly ackStart: Buffer;
  private pullOpen = false;
  /** Hub acknowledgements since the local stream was last purged. */
  private sinceLocalAck = 0;
  /** Messages the open pull may still deliver. */
  private pullLeft = 0;
  private retryMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private ackTimer: NodeJS.Timeout | null = null;
  /** When the hub last answered (or the first message of a flight went out): the stall deadline counts from it. */
  private lastAckMs = 0;
  private stateTimer: NodeJS.Timeout | null = null;
  private lastProgressMs = 0;
  private lastMeasureMs = 0;
  private lastMeasureAcked = 0;
  /** Messages the hub acknowledged per second, smoothed. */
  private rate = 0;
  private forwarded = 0;
  private acked = 0;
  private lastError = '';
  private backlogMsgs = 0;
  private backlogBytes = 0;
  private oldestMs = 0;

  constructor(router: Router, options: UplinkOptions, log: UplinkLog) {
    this.router = router;
    this.options = options;
    this.log = log;
    this.localStream = `UPLINK_${options.name}`;
    this.inbox = `_UPL.${randomBase62(12)}.`;
    this.ackStart = Buffer.from(`{"stream":${JSON.stringify(options.stream)}`, 'utf8');
  }

  /** Creates the local stream and its consumer; throws when the local JetStream refuses them. */
  async start(): Promise<void> {
    const account = this.router.findAccount(this.options.account) as Account;
    const client = this.router.createInternalClient(ConnectionKind.Account, account, `Uplink ${this.options.name}`);
    this.client = client;
    client.subscribe(`${this.inbox}>`, null, (msg, sub) => this.onReply(msg, sub));
    const o = this.options;
    const config = {
      name: this.localStream,
      subjects: o.subjects,
      retention: 'limits',
      storage: 'file',
      discard: 'old',
      max_bytes: o.maxBytes,
      max_msgs: o.maxMsgs,
      max_age: o.maxAgeMs * NS_PER_MS,
      num_replicas: 1,
    };
    let created = await this.api(`$JS.API.STREAM.CREATE.${this.localStream}`, config);
    if (created.error?.err_code === 10058) created = await this.api(`$JS.API.STREAM.UPDATE.${this.localStream}`, config);
    if (created.error !== undefined) throw new Error(`uplink ${o.name}: the local stream ${this.localStream} could not be made: ${created.error.description}`);
    this.stateTimer = setInterval(() => void this.measure(), STATE_EVERY_MS);
    this.stateTimer.unref();
    void this.measure();
    this.log.info(`Uplink ${o.name}: ${o.subjects.join(', ')} kept in ${this.localStream}, forwarded into stream ${o.stream} of domain ${o.domain} as ${o.prefix}<subject>`);
  }

  stop(): void {
    this.linkUp = false;
    this.endRound();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.stateTimer !== null) clearInterval(this.stateTimer);
    for (const w of this.waiting.values()) clearTimeout(w.timer);
    this.waiting.clear();
    this.client?.close('Server Shutdown');
  }

  /** A leaf link of the uplink's account came up: learn what the hub holds, then forward. */
  connected(): void {
    this.linkUp = true;
    this.retryMs = RETRY_MIN_MS;
    void this.resync();
  }

  /** The link went down: forwarding stops; what was in flight is sent again after the next resync. */
  disconnected(): void {
    this.linkUp = false;
    this.endRound();
  }

  /**
   * Forwarding stops: what is in flight will be sent again after the next resync, and the stall
   * timer goes with the round it watched (a new round arms its own). Returns the new round.
   */
  private endRound(): number {
    this.pumping = false;
    this.inflight.clear();
    this.pullOpen = false;
    if (this.ackTimer !== null) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    return ++this.round;
  }

  /** Its state; `rttMs` is the carrying link's. */
  state(rttMs: number): UplinkState {
    return {
      name: this.options.name,
      stream: this.options.stream,
      connected: this.linkUp && this.pumping,
      rttMs: this.linkUp ? rttMs : 0,
      backlogMsgs: this.backlogMsgs,
      backlogBytes: this.backlogBytes,
      oldestMs: this.oldestMs,
      forwarded: this.forwarded,
      acked: this.acked,
      rateMsgs: Math.round(this.rate),
      etaSeconds: this.etaSeconds(),
      lastError: this.lastError,
    };
  }

  // ---- resync --------------------------------------------------------------------------------

  private async resync(): Promise<void> {
    const round = this.endRound();
    this.sinceLocalAck = 0;
    try {
      const held = await this.hubHolds();
      if (round !== this.round) return;
      if (held < 0) return this.retry(round);
      this.heldSeq = Math.max(this.heldSeq, held);
      // A fresh consumer starts again at the oldest message still here: what was in flight comes first.
      await this.api(`$JS.API.CONSUMER.DELETE.${this.localStream}.${CONSUMER}`, null);
      const created = await this.api(`$JS.API.CONSUMER.DURABLE.CREATE.${this.localStream}.${CONSUMER}`, {
        stream_name: this.localStream,
        config: { durable_name: CONSUMER, ack_policy: 'none', deliver_policy: 'all', max_waiting: 8 },
      });
      if (round !== this.round) return;
      if (created.error !== undefined) {
        this.fail(`the local consumer could not be made: ${created.error.description}`);
        return this.retry(round);
      }
    } catch (err) {
      if (round !== this.round) return;
      this.fail((err as Error).message);
      return this.retry(round);
    }
    this.pumping = true;
    this.ackSubject = `${this.inbox}a.${round}`;
    this.lastError = '';
    this.log.info(`Uplink ${this.options.name}: the hub holds up to local sequence ${this.heldSeq}; forwarding`);
    this.pull();
  }

  /**
   * The last local sequence the hub's stream holds from this uplink (0: none), or -1 when the hub
   * cannot tell now (no such stream, not reachable): the uplink then waits and asks again.
   */
  private async hubHolds(): Promise<number> {
    const o = this.options;
    const res = await this.api(`$JS.${o.domain}.API.STREAM.MSG.GET.${o.stream}`, { last_by_subj: `${o.prefix}>` });
    if (res.error !== undefined) {
      if (res.error.err_code === 10037) return 0;
      this.fail(`the hub's stream ${o.stream}: ${res.error.description}`);
      return -1;
    }
    const hdrs = res.message?.hdrs;
    if (hdrs === undefined) return 0;
    const block = Buffer.from(hdrs, 'base64');
    const id = headerValue(block, 0, block.length, MSG_ID);
    const m = id === null ? null : new RegExp(`^${escape(o.name)}:(\\d+)$`).exec(id);
    return m === null ? 0 : Number(m[1]);
  }

  private retry(round: number): void {
    if (!this.linkUp || round !== this.round || this.retryTimer !== null) return;
    const wait = this.retryMs * (0.5 + Math.random() / 2);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.linkUp && round === this.round) void this.resync();
    }, wait);
  }

  private fail(message: string): void {
    if (message !== this.lastError) this.log.error(`Uplink ${this.options.name}: ${message}`);
    this.lastError = message;
  }

  // ---- forwarding ------------------------------------------------------------------------------

  /** Asks the local consumer for as many messages as the window has room for, once half of it is free. */
  private pull(): void {
    if (!this.pumping || this.pullOpen) return;
    const room = this.options.maxInflight - this.inflight.size;
    // Pulled in halves of the window, not one message per acknowledgement.
    if (room <= 0 || (this.inflight.size > 0 && room < this.options.maxInflight >> 1)) return;
    this.pullOpen = true;
    this.pullLeft = room;
    const body = Buffer.from(JSON.stringify({ batch: room, expires: PULL_EXPIRES_MS * NS_PER_MS }));
    (this.client as InternalClient).publish(`$JS.API.CONSUMER.MSG.NEXT.${this.localStream}.${CONSUMER}`, `${this.inbox}m.${this.round}`, null, body);
  }

  private onReply(msg: PubFrame, _sub: Subscription): void {
    const tail = msg.subject.slice(this.inbox.length);
    const hdr = msg.hdrLen > 0 ? msg.data.subarray(msg.start, msg.start + msg.hdrLen) : null;
    if (tail.startsWith('m.')) return this.onLocalMsg(Number(tail.slice(2)), msg, hdr);
    if (tail.startsWith('a.')) return this.onHubAck(tail.slice(2), hdr, msg.data.subarray(msg.start + msg.hdrLen, msg.end));
    const w = this.waiting.get(tail);
    if (w === undefined) return;
    this.waiting.delete(tail);
    clearTimeout(w.timer);
    w.resolve({ hdr: hdr === null ? null : Buffer.from(hdr), body: Buffer.from(msg.data.subarray(msg.start + msg.hdrLen, msg.end)) });
  }

  /**
   * A message of the local stream (or the status that ends a pull: the consumer ends every request
   * it drops, an expired one included, with one).
   */
  private onLocalMsg(round: number, msg: PubFrame, hdr: Buffer | null): void {
    if (round !== this.round || !this.pumping) return;
    const ack = parseAckSubject(msg.reply);
    if (ack === null) {
      // 404/408 status: the pull is over; ask again.
      this.pullOpen = false;
      return this.pull();
    }
    // A full batch ends the pull without a status.
    if (--this.pullLeft === 0) this.pullOpen = false;
    const seq = ack.streamSeq;
    const client = this.client as InternalClient;
    if (seq <= this.heldSeq) {
      // The hub has it already: not sent again, purged with the next run.
      this.acked++;
      if (++this.sinceLocalAck >= PURGE_EVERY) this.purgeUpTo(this.heldSeq);
      return this.pull();
    }
    // Published within this call, which copies what it keeps: the pulled message's bytes need no copy.
    const body = msg.data.subarray(msg.start + msg.hdrLen, msg.end);
    const own = hdr === null ? null : removeHeader(hdr, MSG_ID);
    const headers = appendHeaders(own, [[MSG_ID, `${this.options.name}:${seq}`]]);
    const subject = `${this.options.prefix}${msg.receivedSubject}`;
    if (this.inflight.size === 0) this.lastAckMs = Date.now();
    this.inflight.push(seq);
    // Nobody took it (the hub's interest has not crossed the link yet, or no stream takes the
    // subject): nothing more goes this round, so what the hub holds stays a prefix of what was sent.
    if (client.publish(subject, this.ackSubject, headers, body) === 0) {
      this.fail(`nothing on the hub takes ${subjectToText(subject)} (yet); resyncing`);
      return this.pauseAndResync();
    }
    this.forwarded++;
    this.armAckTimer();
  }

  /**
   * The hub stream's answer to the oldest message in flight: one link carries them in order and the
   * stream answers in the order it stores. Anything out of step (a refusal, an answer with nothing in
   * flight) stops the round, and the resync learns from the hub what it holds.
   */
  private onHubAck(tail: string, hdr: Buffer | null, body: Buffer): void {
    if (Number(tail) !== this.round || !this.pumping) return;
    const seq = this.inflight.shift();
    const problem = seq === undefined ? 'an acknowledgement with nothing in flight' : pubAckProblem(hdr, body, this.ackStart);
    if (problem !== null) {
      this.fail(`the hub's stream ${this.options.stream} refused local sequence ${seq ?? this.heldSeq + 1}: ${problem}`);
      return this.pauseAndResync();
    }
    this.acked++;
    this.lastAckMs = Date.now();
    if ((seq as number) > this.heldSeq) this.heldSeq = seq as number;
    // Everything up to `seq` is there. The local stream is purged up to it once per PURGE_EVERY
    // answers, and when nothing is left in flight.
    if (++this.sinceLocalAck >= PURGE_EVERY || this.inflight.size === 0) this.purgeUpTo(this.heldSeq);
    this.pull();
  }

  /** Removes what the hub holds (local sequences up to `seq`) from the local stream, in one range. */
  private purgeUpTo(seq: number): void {
    this.sinceLocalAck = 0;
    this.api(`$JS.API.STREAM.PURGE.${this.localStream}`, { seq: seq + 1 }).then(
      (r) => {
        if (r.error !== undefined) this.fail(`the local stream could not be purged: ${r.error.description}`);
      },
      (err: Error) => this.fail(`the local stream could not be purged: ${err.message}`),
    );
  }

  /** Stops forwarding (what is in flight will be sent again) and resyncs after a backoff. */
  private pauseAndResync(): void {
    this.retry(this.endRound());
  }

  /** One timer watches the deadline, set again from the last answer when it fires early (not once per answer). */
  private armAckTimer(waitMs = ACK_TIMEOUT_MS): void {
    if (this.ackTimer !== null) return;
    const round = this.round;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = null;
      if (round !== this.round || this.inflight.size === 0) return;
      const quietMs = Date.now() - this.lastAckMs;
      if (quietMs < ACK_TIMEOUT_MS) return this.armAckTimer(ACK_TIMEOUT_MS - quietMs);
      this.fail(`no acknowledgement from the hub's stream ${this.options.stream} in ${ACK_TIMEOUT_MS / 1000}s; resyncing`);
      this.pauseAndResync();
    }, waitMs);
  }

  // ---- local state -----------------------------------------------------------------------------

  private async measure(): Promise<void> {
    const res = await this.api(`$JS.API.STREAM.INFO.${this.localStream}`, null).catch(() => null);
    const state = res?.state;
    if (state === undefined) return;
    this.backlogMsgs = state.messages;
    this.backlogBytes = state.bytes;
    this.oldestMs = state.messages === 0 ? 0 : Math.max(Date.now() - Date.parse(state.first_ts), 0);
    const now = Date.now();
    // The rate of the last interval, smoothed over a few (an EMA), so the ETA does not jump about.
    if (this.lastMeasureMs > 0) {
      const instant = ((this.acked - this.lastMeasureAcked) * 1000) / Math.max(now - this.lastMeasureMs, 1);
      this.rate = this.rate === 0 ? instant : this.rate * 0.7 + instant * 0.3;
    }
    this.lastMeasureMs = now;
    this.lastMeasureAcked = this.acked;
    if (this.backlogMsgs > 0 && this.pumping && now - this.lastProgressMs >= PROGRESS_EVERY_MS) {
      const eta = this.etaSeconds();
      this.log.info(`Uplink ${this.options.name}: ${this.backlogMsgs} messages (${this.backlogBytes} bytes) to forward, ${Math.round(this.rate)} msgs/s${eta > 0 ? `, about ${eta}s left` : ''}`);
      this.lastProgressMs = now;
    }
  }

  /** Seconds until the backlog is drained at the current rate; 0 when nothing drains (or nothing waits). */
  private etaSeconds(): number {
    return this.rate >= 1 && this.backlogMsgs > 0 ? Math.ceil(this.backlogMsgs / this.rate) : 0;
  }

  /** A JetStream API request through the account, as a client makes it; rejects after API_TIMEOUT_MS. */
  private api(subject: string, body: unknown): Promise<ApiReply> {
    const token = `r.${this.nextToken++}`;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(token);
        reject(new Error(`no answer from ${subjectToText(subject)} within ${API_TIMEOUT_MS / 1000}s`));
      }, API_TIMEOUT_MS);
      this.waiting.set(token, { resolve, timer });
      const delivered = (this.client as InternalClient).publish(subject, `${this.inbox}${token}`, null, body === null ? null : Buffer.from(JSON.stringify(body)));
      if (delivered === 0) {
        clearTimeout(timer);
        this.waiting.delete(token);
        reject(new Error(`no responders for ${subjectToText(subject)}`));
      }
    }).then((r) => {
      if (r.hdr !== null && /^NATS\/1\.0 503/.test(r.hdr.toString('latin1'))) throw new Error(`no responders for ${subjectToText(subject)}`);
      return r.body.length === 0 ? {} : (JSON.parse(r.body.toString('utf8')) as ApiReply);
    });
  }
}

/** The parts of JetStream API answers the uplink reads. */
interface ApiReply {
  readonly error?: { readonly code: number; readonly err_code?: number; readonly description: string };
  readonly message?: { readonly hdrs?: string };
  readonly state?: { readonly messages: number; readonly bytes: number; readonly first_ts: string };
}

/**
 * Why a publish acknowledgement is a refusal, or null for a good one (a duplicate is good: the hub
 * has it). `start` is how the hub stream's own begin (`{"stream":"<name>"`): an answer from anyone
 * else would be matched to the wrong message.
 */
function pubAckProblem(hdr: Buffer | null, body: Buffer, start: Buffer): string | null {
  if (hdr !== null && /^NATS\/1\.0 503/.test(hdr.toString('latin1'))) return 'no responders (no stream takes the subject)';
  // Every answer is one of these: the usual ones are known without parsing them.
  if (body.length > start.length && body.subarray(0, start.length).equals(start) && body.indexOf(ERROR_MEMBER) < 0 && body.indexOf(SEQ_MEMBER) > 0) return null;
  try {
    const ack = JSON.parse(body.toString('utf8')) as { error?: { description?: string }; seq?: number; stream?: string };
    if (ack.error !== undefined) return ack.error.description ?? 'error';
    if (`{"stream":${JSON.stringify(ack.stream)}` !== start.toString('utf8')) return `an acknowledgement from stream ${JSON.stringify(ack.stream)}`;
    return typeof ack.seq === 'number' ? null : 'not a publish acknowledgement';
  } catch {
    return 'not a publish acknowledgement';
  }
}

const ERROR_MEMBER = Buffer.from('"error"');
const SEQ_MEMBER = Buffer.from('"seq":');

/** Local sequences in flight, oldest first. */
class SeqQueue {
  private items: number[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(seq: number): void {
    this.items.push(seq);
  }

  shift(): number | undefined {
    if (this.head === this.items.length) return undefined;
    const seq = this.items[this.head++];
    // Compacted now and then, not at every shift.
    if (this.head === this.items.length) this.clear();
    else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return seq;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
