// A mirror or source whose origin is another domain's stream (`external { api, deliver }`), read the way
// nats-server 2.9.10 reads one: a push consumer created through the origin's API prefix (ack none,
// flow control, a heartbeat every second) that delivers to a subject of ours under the deliver prefix.
//
// Exactly once: each consumer gets a deliver subject of its own, so nothing an abandoned consumer still
// sends is taken, and its consumer sequence must go up by one. A gap, a heartbeat naming a consumer
// sequence we never got, or three seconds without a word (the link is down) abandon the consumer, and
// the next one starts right after the last origin sequence stored here. The old one goes away on the
// origin's side once its deliver subject has no interest. A restart finds where a source stopped from
// its Nats-Stream-Source headers, a mirror from its own last sequence.

import type { Subscription } from '../core/index.js';
import { headerValue, parseDeliveryReply } from '../protocol/nats/index.js';
import type { PubFrame } from '../protocol/nats/index.js';
import { subjectToText } from '../util/index.js';
import { consumerConfigToJson, emptyConsumerConfig } from './consumer-config.js';
import type { ConsumerConfig } from './consumer-config.js';
import { CONSUMER_STALLED, CONTROL_STATUS, LAST_CONSUMER_SEQ } from './errors.js';
import { encodeJson } from './json.js';
import { randomToken } from './random-token.js';
import type { StreamSource } from './stream-config.js';
import { COPY_RETRY_MS, filtersOverlap, indexNameOf, MIRROR_CAUGHT_UP, withSourceHeader } from './stream-source.js';
import type { OriginReader } from './stream-source.js';
import type { Stream } from './stream.js';
import { NS_PER_MS } from './time.js';

/** The consumer's heartbeat, and how often the reader checks it still hears from the origin. */
const HEARTBEAT_MS = 1000;
/** Silence for this long means the consumer or the link is gone (nats-server: three heartbeats). */
const STALLED_MS = 3 * HEARTBEAT_MS;
/** A create request unanswered this long is given up (nats-server's wait). */
const CREATE_TIMEOUT_MS = 5000;
/** Consumers are created no more often than this (nats-server's sourceConsumerRetryThreshold). */
const CREATE_GATE_MS = 2000;
/** nats-server's source consumers wait 22 hours for acks that never come (ack none). */
const ACK_WAIT_NS = 22n * 3600n * 1000n * NS_PER_MS;
/** Random tokens of deliver and reply subjects (nats-server's replySuffixLen). */
const TOKEN_LEN = 8;
const NO_RESPONDERS = 'NATS/1.0 503';

/** One consumer on the origin: its subscriptions here and what it delivered so far. */
interface Attempt {
  readonly deliver: Subscription;
  reply: Subscription | null;
  timeout: NodeJS.Timeout | null;
  /** The consumer's name once known (from its create response or its first delivery). */
  cname: string;
  /** The last consumer sequence taken. */
  dseq: number;
}

interface CreateResponse {
  error?: Record<string, unknown>;
  name?: string;
  delivered?: { stream_seq?: number };
}

export class ExternalSourceReader implements OriginReader {
  config: StreamSource;
  readonly isMirror: boolean;
  readonly iname: string;
  private readonly target: Stream;
  /** A source's last stored origin sequence, and that as of the target's last good commit. */
  private sseq = 0;
  private durableSseq = 0;
  /** A source's fall-back start time after a restart (the target's last message time), 0 = none. */
  private startNs = 0n;
  /** A start time asked for by an update that moved the filter away from the old one (0 = none). */
  private resumeAtNs = 0n;
  private started = false;
  private attempt: Attempt | null = null;
  private lastCreateMs = 0;
  /** Since when nothing was heard (an attempt's start counts), for the stall check. */
  private quietSinceMs = 0;
  /** When the origin was last heard from; 0 = never. */
  private heardMs = 0;
  private lag = 0;
  /** The origin's error answering the last create request; null when it created the consumer. */
  private error: Record<string, unknown> | null = null;
  private loggedError = '';
  private health: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private readonly onRetry = (): void => {
    this.retry = null;
    this.create();
  };

  constructor(target: Stream, config: StreamSource, isMirror: boolean) {
    this.target = target;
    this.config = config;
    this.isMirror = isMirror;
    this.iname = indexNameOf(config);
  }

  connect(): boolean {
    if (this.started) return false;
    this.started = true;
    this.health = setInterval(() => this.checkHealth(), HEARTBEAT_MS);
    this.health.unref();
    this.restart();
    return false;
  }

  recovered(sseq: number, startNs: bigint): void {
    this.sseq = this.durableSseq = sseq;
    this.startNs = startNs;
  }

  refilter(config: StreamSource): void {
    if (!filtersOverlap(this.config.filterSubject, config.filterSubject) && this.sseq > 0) this.resumeAtNs = BigInt(Date.now()) * NS_PER_MS;
    this.config = config;
    if (this.started) this.restart();
  }

  committed(): void {
    this.durableSseq = this.sseq;
  }

  commitFailed(): void {
    this.sseq = this.durableSseq;
    if (this.started) this.restart(COPY_RETRY_MS);
  }

  info(): Record<string, unknown> {
    const ext = this.config.external;
    const info: Record<string, unknown> = { name: subjectToText(this.config.name) };
    if (ext !== null) info.external = { api: subjectToText(ext.api), deliver: subjectToText(ext.deliver) };
    info.lag = this.lag;
    info.active = this.heardMs === 0 ? -1 : (Date.now() - this.heardMs) * Number(NS_PER_MS);
    if (this.error !== null) info.error = this.error;
    return info;
  }

  stop(): void {
    this.started = false;
    this.cancel();
    if (this.health !== null) clearInterval(this.health);
    this.health = null;
    if (this.isMirror) this.target.mirrorDirect(null);
  }

  /** Abandons the current consumer and creates the next one, no sooner than the gate (and `waitMs`) allow. */
  private restart(waitMs = 0): void {
    this.cancel();
    const wait = Math.max(waitMs, this.lastCreateMs + CREATE_GATE_MS - Date.now());
    if (wait <= 0) return this.create();
    // A little randomness, as nats-server adds, so that many readers do not ask at once.
    this.retry = setTimeout(this.onRetry, wait + 10 + Math.floor(Math.random() * 50));
    this.retry.unref();
  }

  private cancel(): void {
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
    const a = this.attempt;
    if (a === null) return;
    this.attempt = null;
    if (a.timeout !== null) clearTimeout(a.timeout);
    if (a.reply !== null) this.target.client.unsubscribe(a.reply);
    this.target.client.unsubscribe(a.deliver);
  }

  private checkHealth(): void {
    const a = this.attempt;
    // Until the create request is answered, its own timeout decides (a slow link may take a while).
    if (this.retry !== null || (a !== null && a.reply !== null)) return;
    if (a === null || Date.now() - this.quietSinceMs > STALLED_MS) this.restart();
  }

  /** Subscribes a new deliver subject, then asks the origin's API for a consumer delivering there. */
  private create(): void {
    const ext = this.config.external;
    if (!this.started || ext === null) return;
    this.lastCreateMs = this.quietSinceMs = Date.now();
    const client = this.target.client;
    const deliverSubject = `${ext.deliver === '' ? '$JS' : ext.deliver}.${this.isMirror ? 'M' : 'S'}.${randomToken(TOKEN_LEN)}`;
    const config = this.consumerConfig(deliverSubject);
    const stream = this.config.name;
    const api = config.filterSubject === '' ? `${ext.api}.CONSUMER.CREATE.${stream}` : `${ext.api}.CONSUMER.CREATE.${stream}.${config.name}.${config.filterSubject}`;
    const replySubject = `$JSC.R.${randomToken(TOKEN_LEN)}`;
    const a: Attempt = {
      // Subscribed before the request: the consumer may deliver before its create response arrives.
      deliver: client.subscribe(deliverSubject, null, (msg) => this.delivered(a, msg)),
      reply: null,
      timeout: null,
      cname: '',
      dseq: 0,
    };
    a.reply = client.subscribe(replySubject, null, (msg) => this.answered(a, msg));
    a.timeout = setTimeout(() => this.attempt === a && this.restart(), CREATE_TIMEOUT_MS);
    a.timeout.unref();
    this.attempt = a;
    const body = encodeJson({ stream_name: subjectToText(stream), config: consumerConfigToJson(config) });
    // Nobody answers that API now (the link is down): try again once the gate opens.
    if (client.publish(api, replySubject, null, Buffer.from(body, 'utf8')) === 0) this.restart();
  }

  /** The consumer nats-server asks for: from the next sequence to store, or the configured start the first time. */
  private consumerConfig(deliverSubject: string): ConsumerConfig {
    const c = emptyConsumerConfig();
    const src = this.config;
    c.deliverSubject = deliverSubject;
    c.ackPolicy = 'none';
    c.ackWait = ACK_WAIT_NS;
    c.maxDeliver = 1;
    c.idleHeartbeat = BigInt(HEARTBEAT_MS) * NS_PER_MS;
    c.flowControl = true;
    c.direct = true;
    c.filterSubject = src.filterSubject;
    if (src.filterSubject !== '') c.name = `${this.isMirror ? 'mirror' : 'src'}-${randomToken(TOKEN_LEN)}`;
    const byTime = (ns: bigint): void => {
      c.deliverPolicy = 'by_start_time';
      c.optStartTime = { ns, offsetMinutes: 0 };
    };
    const bySeq = (seq: number): void => {
      c.deliverPolicy = 'by_start_sequence';
      c.optStartSeq = seq;
    };
    if (this.isMirror) {
      const s = this.target.store.state();
      if (s.msgs > 0 || s.firstSeq > 0) bySeq(s.lastSeq + 1);
      else if (src.optStartSeq > 0) bySeq(src.optStartSeq);
      else if (src.optStartTime !== null) byTime(src.optStartTime.ns);
      return c;
    }
    const seq = this.sseq + 1;
    // The time an update asked for holds until a consumer from it is made.
    if (this.resumeAtNs > 0n && seq > 1) byTime(this.resumeAtNs);
    else if (seq > 1) bySeq(seq);
    else if (src.optStartSeq > 0) bySeq(src.optStartSeq);
    else if (src.optStartTime !== null) byTime(src.optStartTime.ns < this.startNs ? this.startNs : src.optStartTime.ns);
    else if (this.startNs > 0n) byTime(this.startNs);
    return c;
  }

  private answered(a: Attempt, msg: PubFrame): void {
    if (this.attempt !== a) return;
    if (a.reply !== null) this.target.client.unsubscribe(a.reply);
    a.reply = null;
    if (a.timeout !== null) clearTimeout(a.timeout);
    a.timeout = null;
    const hdr = msg.data.subarray(msg.start, msg.start + msg.hdrLen);
    if (hdr.length > 0 && hdr.toString('latin1').startsWith(NO_RESPONDERS)) return this.restart();
    let res: CreateResponse;
    try {
      res = JSON.parse(msg.data.toString('utf8', msg.start + msg.hdrLen, msg.end)) as CreateResponse;
    } catch {
      res = { error: { code: 500, description: 'bad consumer create response' } };
    }
    if (res.error !== undefined || typeof res.name !== 'string') {
      this.error = res.error ?? { code: 500, description: 'bad consumer create response' };
      const text = JSON.stringify(this.error);
      if (text !== this.loggedError) this.target.log.warn(`JetStream: stream '${subjectToText(this.target.name)}' could not read '${subjectToText(this.config.name)}' through ${subjectToText(this.config.external?.api ?? '')}: ${text}`);
      this.loggedError = text;
      return this.restart();
    }
    this.error = null;
    this.loggedError = '';
    this.resumeAtNs = 0n;
    this.heardMs = this.quietSinceMs = Date.now();
    if (a.cname === '') a.cname = res.name;
    // A mirror's origin no longer has what came before where its consumer starts: those sequences are skipped here.
    const from = res.delivered?.stream_seq ?? 0;
    if (this.isMirror && a.dseq === 0) for (let last = this.target.store.state().lastSeq; last < from; ) last = this.target.skipSeq();
  }

  private delivered(a: Attempt, msg: PubFrame): void {
    if (this.attempt !== a) return;
    this.heardMs = this.quietSinceMs = Date.now();
    const hs = msg.start;
    const he = hs + msg.hdrLen;
    if (msg.hdrLen > 0 && he === msg.end && msg.data.toString('latin1', hs, hs + CONTROL_STATUS.length) === CONTROL_STATUS) return this.control(a, msg);
    const r = parseDeliveryReply(msg.reply);
    if (r === null || r.delivered > 1) return;
    if (a.cname === '') a.cname = r.consumer;
    else if (r.consumer !== a.cname) return;
    if (r.consumerSeq <= a.dseq) return;
    const hdr = msg.hdrLen > 0 ? msg.data.subarray(hs, he) : null;
    const data = msg.data.subarray(he, msg.end);
    const subject = msg.receivedSubject;
    // A consumer's deliveries are numbered from 1 whatever the origin sequence they start at: any gap is a loss.
    const next = r.consumerSeq === a.dseq + 1;
    if (this.isMirror) {
      let last = this.target.store.state().lastSeq;
      if (r.streamSeq <= last) {
        a.dseq = r.consumerSeq;
        return;
      }
      if (!next) return this.restart();
      while (last < r.streamSeq - 1) last = this.target.skipSeq();
      if (!this.target.storeCopy(subject, hdr, data, BigInt(r.timeText), false)) return this.restart(COPY_RETRY_MS);
      if (this.target.config.mirrorDirect && r.pending < MIRROR_CAUGHT_UP) this.target.mirrorDirect(this.config.name);
    } else {
      if (!next) return this.restart();
      if (!this.target.storeCopy(subject, withSourceHeader(hdr, this.iname, r.streamSeq), data, 0n, true)) return this.restart(COPY_RETRY_MS);
      this.sseq = r.streamSeq;
    }
    a.dseq = r.consumerSeq;
    this.lag = r.pending > 0 ? r.pending - 1 : 0;
  }

  /** A flow control request is answered at once; a heartbeat checks nothing was missed. */
  private control(a: Attempt, msg: PubFrame): void {
    const client = this.target.client;
    if (msg.reply !== '') {
      client.answer(msg.reply, null, null);
      return;
    }
    const hs = msg.start;
    const he = hs + msg.hdrLen;
    const last = Number(headerValue(msg.data, hs, he, LAST_CONSUMER_SEQ) ?? 0);
    if (last > 0 && last !== a.dseq) return this.restart();
    const stalled = headerValue(msg.data, hs, he, CONSUMER_STALLED);
    if (stalled !== null && stalled !== '') client.answer(stalled, null, null);
  }
}
