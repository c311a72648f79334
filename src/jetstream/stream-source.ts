// Mirrors and sources between the streams of one account, as nats-server 2.9.10 runs them. Each mirror
// or source of a stream is a SourceReader: the internal consumer nats-server creates on the origin
// (ack none, not counted or listed among the origin's consumers), reading the origin's committed
// messages in order, in chunks, whenever the origin commits. A mirror stores them under the origin's
// sequences and times (skipping the sequences it does not get); a source appends them with
// `Nats-Stream-Source: <origin> <origin seq>`, from which a restart finds where each source stopped.
// An origin that does not exist yet (or was deleted) is linked as soon as the account has it again.

import { createHash } from 'node:crypto';

import { appendHeaders, headerValue, removeHeader } from '../protocol/nats/index.js';
import { apiError } from './errors.js';
import type { ApiError } from './errors.js';
import { seqFromTime } from './store/index.js';
import { subjectFilter } from './store/filter.js';
import type { SubjectFilter } from './store/filter.js';
import type { StreamStore } from './store/types.js';
import type { StreamSource } from './stream-config.js';
import { subjectIsSubsetOf } from './subjects.js';
import { subjectToText } from '../util/index.js';
import type { Stream } from './stream.js';

export const STREAM_SOURCE_HEADER = 'Nats-Stream-Source';
/** Messages copied per event-loop turn before the reader yields to other work. */
const COPY_CHUNK = 1024;
/** After a refused copy (a limit, a full disk), the wait before trying again (nats-server's retry threshold). */
export const COPY_RETRY_MS = 2000;
/** A mirror answers its origin's direct gets once fewer than this many messages are left to copy (nats-server's dgetCaughtUpThresh). */
export const MIRROR_CAUGHT_UP = 10;
/** nats-server's internal consumer sends a heartbeat every second: `active` never grows past that while linked. */
const HEARTBEAT_NS = 1_000_000_000;
const NS_PER_MS = 1_000_000;

/**
 * A stream's mirror or one of its sources, reading its origin: SourceReader for a stream of this
 * account, ExternalSourceReader (stream-source-external.ts) for one behind another API prefix.
 */
export interface OriginReader {
  config: StreamSource;
  readonly isMirror: boolean;
  /** The name its Nats-Stream-Source headers carry (indexNameOf). */
  readonly iname: string;
  /** Starts reading when it can (a local origin once the account has it); true when that linked a local origin. */
  connect(streams: ReadonlyMap<string, Stream>): boolean;
  /** After a restart: the last origin sequence copied, and the target's last message time to fall back on. */
  recovered(sseq: number, startNs: bigint): void;
  /** A new filter (STREAM.UPDATE): reading goes on from where it is. */
  refilter(config: StreamSource): void;
  /** The target committed what was copied so far. */
  committed(): void;
  /** The target's commit failed and was rolled back: read again after the last good commit. */
  commitFailed(): void;
  /** StreamSourceInfo as nats-server writes it. */
  info(): Record<string, unknown>;
  stop(): void;
}

/**
 * nats-server's index name of a source: the origin's name, and for an external one also a hash of its
 * API prefix, since two domains may both have a stream of that name.
 */
export function indexNameOf(config: StreamSource): string {
  return config.external === null ? config.name : `${config.name}:${prefixHash(config.external.api)}`;
}

/** nats-server's getHash: the first 8 bytes of the SHA-256, each as one of 62 letters and digits. */
function prefixHash(text: string): string {
  const sum = createHash('sha256').update(text, 'latin1').digest();
  let out = '';
  for (let i = 0; i < 8; i++) out += HASH_DIGITS[sum[i] % HASH_DIGITS.length];
  return out;
}

const HASH_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export class SourceReader implements OriginReader {
  config: StreamSource;
  private filter: SubjectFilter;
  readonly isMirror: boolean;
  /** nats-server's index name of a local source: the origin's name. */
  readonly iname: string;
  private readonly target: Stream;
  origin: Stream | null = null;
  /** The next origin sequence to read; 0 until positioned on a linked origin. */
  private next = 0;
  /** `next` as of the target's last good commit: where to resume when a commit failed. */
  private durableNext = 0;
  /** A source's last copied origin sequence (recovered from the Nats-Stream-Source headers at start). */
  private sseq = 0;
  /** A source's fall-back start time after a restart (the target's last message time), 0 = none. */
  private startNs = 0n;
  /** A start time asked for by an update that moved the filter away from the old one (0 = none). */
  private resumeAtNs = 0n;
  /** When reading started on the linked origin (0: not yet, so nothing heard from it). */
  private linkedAtMs = 0;
  private lastCopyMs = 0;
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly onMore = (): void => {
    this.scheduled = false;
    this.pump();
  };
  private readonly onRetry = (): void => {
    this.retryTimer = null;
    this.pump();
  };

  constructor(target: Stream, config: StreamSource, isMirror: boolean) {
    this.target = target;
    this.config = config;
    this.filter = subjectFilter(config.filterSubject);
    this.isMirror = isMirror;
    this.iname = config.name;
  }

  /** Links the origin once the account has it (an origin created after its reader, or deleted and created again). */
  connect(streams: ReadonlyMap<string, Stream>): boolean {
    if (this.origin !== null) return false;
    const origin = streams.get(this.config.name);
    if (origin === undefined || origin === this.target) return false;
    this.link(origin);
    return true;
  }

  /** After a restart: where the source stopped, as nats-server's startingSequenceForSources finds it. */
  recovered(sseq: number, startNs: bigint): void {
    this.sseq = sseq;
    this.startNs = startNs;
  }

  private link(origin: Stream): void {
    this.origin = origin;
    origin.followers.push(this);
    this.linkedAtMs = 0;
    this.next = 0;
    // Copying starts on the next turn: after the API reply that created or updated a stream.
    this.schedule();
  }

  /** The origin went away (deleted) or this reader did (its stream's config or life ended). */
  unlink(): void {
    const origin = this.origin;
    if (origin === null) return;
    const i = origin.followers.indexOf(this);
    if (i >= 0) origin.followers.splice(i, 1);
    this.origin = null;
    this.next = 0;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.isMirror) this.target.mirrorDirect(null);
  }

  /** A new filter for this source (STREAM.UPDATE): as nats-server, it goes on from where it is. */
  refilter(config: StreamSource): void {
    const old = this.config.filterSubject;
    const now = config.filterSubject;
    this.config = config;
    this.filter = subjectFilter(now);
    // A filter with nothing in common with the old one starts with what arrives from now on.
    if (!filtersOverlap(old, now) && this.sseq > 0) this.resumeAtNs = BigInt(Date.now()) * BigInt(NS_PER_MS);
    if (this.origin !== null) {
      this.next = 0;
      this.pump();
    }
  }

  /** Whether the origin may drop `seq` (interest and workqueue origins): not before it is copied. */
  needsAck(seq: number, subject: string): boolean {
    return seq >= this.next && this.matches(subject);
  }

  /** Whether this reader would copy a message on `subject` (an interest origin stores it then). */
  matches(subject: string): boolean {
    return this.filter.matches(subject);
  }

  /** The target committed what was copied so far. */
  committed(): void {
    this.durableNext = this.next;
  }

  /** The target's commit failed and was rolled back: copy again from the last good commit. */
  commitFailed(): void {
    if (this.next === 0) return;
    this.next = this.durableNext;
    if (this.isMirror) this.next = 0;
    this.retryLater();
  }

  /** Copies what the origin committed since the last call, up to a chunk per turn. */
  pump(): void {
    const origin = this.origin;
    if (origin === null || this.retryTimer !== null) return;
    if (this.next === 0) {
      if (!this.position(origin)) return;
      this.linkedAtMs = Date.now();
    }
    const store = origin.store;
    const committed = origin.committedSeq;
    const filter = this.config.filterSubject;
    const dropsCopied = origin.config.retention !== 'limits';
    let last = this.target.store.state().lastSeq;
    for (let n = 0; n < COPY_CHUNK; n++) {
      if (this.next > committed) return this.caughtUp();
      const m = store.loadNext(filter, this.next);
      if (m === null || m.seq > committed) {
        this.next = committed + 1;
        return this.caughtUp();
      }
      if (this.isMirror) {
        if (m.seq > last) {
          while (last < m.seq - 1) last = this.target.skipSeq();
          if (!this.target.storeCopy(m.subject, m.hdr, m.data, m.timeNs, false)) return this.retryLater();
          last = m.seq;
        }
      } else if (!this.target.storeCopy(m.subject, withSourceHeader(m.hdr, this.iname, m.seq), m.data, 0n, true)) {
        return this.retryLater();
      } else this.sseq = m.seq;
      this.next = m.seq + 1;
      this.lastCopyMs = Date.now();
      if (dropsCopied) origin.acked(m.seq, this);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.onMore);
  }

  /** StreamSourceInfo as nats-server writes it: lag, time since last heard of (ns, -1 never), error. */
  info(): Record<string, unknown> {
    const origin = this.origin;
    const ext = this.config.external;
    const info: Record<string, unknown> = { name: subjectToText(this.config.name) };
    if (ext !== null) info.external = { api: subjectToText(ext.api), deliver: subjectToText(ext.deliver) };
    if (origin === null) {
      info.lag = 0;
      info.active = -1;
      info.error = NOT_FOUND;
      return info;
    }
    info.lag = this.next === 0 ? 0 : origin.store.numPending(this.config.filterSubject, this.next, false);
    if (this.linkedAtMs === 0) {
      info.active = -1;
      return info;
    }
    // Heartbeats reach nats-server's reader every second: it has always heard from a live origin lately.
    const sinceNs = (Date.now() - Math.max(this.lastCopyMs, this.linkedAtMs)) * NS_PER_MS;
    info.active = sinceNs % HEARTBEAT_NS;
    return info;
  }

  stop(): void {
    this.unlink();
  }

  /** Where reading starts on a newly linked origin; false to wait (an origin never written, options to honour). */
  private position(origin: Stream): boolean {
    const os = origin.store.state();
    const c = this.config;
    if (this.isMirror) {
      const ts = this.target.store.state();
      const fresh = ts.msgs === 0 && ts.firstSeq === 0;
      if (os.firstSeq === 0 && fresh) return false;
      const start = fresh ? startSeq(origin.store, c.optStartSeq, c.optStartTime?.ns ?? null, c.filterSubject) : startSeq(origin.store, ts.lastSeq + 1, null, '');
      // nats-server's mirror skips its own sequences up to where its consumer starts.
      for (let last = ts.lastSeq; last < start - 1; ) last = this.target.skipSeq();
      this.next = this.durableNext = start;
      return true;
    }
    const seq = this.sseq + 1;
    let start: number;
    if (this.resumeAtNs > 0n && seq > 1) {
      start = startSeq(origin.store, 0, this.resumeAtNs, '');
      this.resumeAtNs = 0n;
    } else if (seq > 1) start = startSeq(origin.store, seq, null, '');
    else {
      if (os.firstSeq === 0) return false;
      const optNs = c.optStartTime?.ns ?? null;
      if (c.optStartSeq > 0) start = startSeq(origin.store, c.optStartSeq, null, c.filterSubject);
      else if (optNs !== null) start = startSeq(origin.store, 0, optNs < this.startNs ? this.startNs : optNs, c.filterSubject);
      else start = startSeq(origin.store, 0, this.startNs > 0n ? this.startNs : null, c.filterSubject);
    }
    this.next = this.durableNext = start;
    return true;
  }

  private caughtUp(): void {
    const origin = this.origin;
    if (!this.isMirror || origin === null || !this.target.config.mirrorDirect) return;
    if (origin.store.numPending(this.config.filterSubject, this.next, false) < MIRROR_CAUGHT_UP) this.target.mirrorDirect(origin.name);
  }

  private retryLater(): void {
    if (this.retryTimer !== null) return;
    this.retryTimer = setTimeout(this.onRetry, COPY_RETRY_MS);
    this.retryTimer.unref();
  }
}

const NOT_FOUND: ApiError = apiError('StreamNotFound');

/** Whether a source's new filter has anything in common with its old one (else it starts from now). */
export function filtersOverlap(old: string, now: string): boolean {
  return old === '' || now === '' || subjectIsSubsetOf(old, now) || subjectIsSubsetOf(now, old);
}

/** A sourced message's headers: `Nats-Stream-Source: <index name> <origin seq>`, from which a restart resumes. */
export function withSourceHeader(hdr: Buffer | null, iname: string, seq: number): Buffer {
  // A message sourced twice (daisy-chained) keeps only the header of its last hop.
  const kept = hdr === null ? null : removeHeader(hdr, STREAM_SOURCE_HEADER);
  return appendHeaders(kept, [[STREAM_SOURCE_HEADER, `${iname} ${seq}`]]);
}

/**
 * Where nats-server's internal consumer starts on `store`: at `seq`, or the first message at or after
 * `timeNs`, or (neither) the first message; kept inside the stored range as its selectStartingSeqNo does.
 */
function startSeq(store: StreamStore, seq: number, timeNs: bigint | null, filter: string): number {
  const s = store.state();
  if (s.firstSeq === 0) return 1;
  let start: number;
  if (seq > 0) start = seq;
  else if (timeNs !== null) start = seqFromTime(store, timeNs, s.firstSeq, s.lastSeq) || s.lastSeq + 1;
  else start = filter === '' ? s.firstSeq : (store.loadNext(filter, s.firstSeq)?.seq ?? s.firstSeq);
  return Math.min(Math.max(start, s.firstSeq), s.lastSeq + 1);
}

/**
 * After a restart, each source's last copied origin sequence, from the newest stored message carrying
 * its Nats-Stream-Source header (nats-server's backward scan; it stops once every source is found).
 */
export function recoverSourceSeqs(store: StreamStore, inames: readonly string[]): Map<string, number> {
  const found = new Map<string, number>();
  const s = store.state();
  if (s.msgs === 0 || inames.length === 0) return found;
  for (let seq = s.lastSeq; seq >= s.firstSeq && found.size < inames.length; seq--) {
    const m = store.load(seq);
    if (m === null || m.hdr === null) continue;
    const value = headerValue(m.hdr, 0, m.hdr.length, STREAM_SOURCE_HEADER);
    if (value === null) continue;
    const [iname, seqText] = value.split(' ');
    if (found.has(iname) || !inames.includes(iname)) continue;
    const n = Number(seqText);
    if (Number.isSafeInteger(n) && n > 0) found.set(iname, n);
  }
  return found;
}
