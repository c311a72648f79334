// The NATS protocol parser for every connection kind: bytes in, operations out, no I/O. A client
// connection and a leaf link share the state machine and differ in their op table (a client sends
// PUB/SUB/UNSUB, a leaf LS+/LS-/LMSG and INFO). Control lines are found by a byte scan; a payload of
// known size is reached in one step and handed out as a view into the read buffer. Only frames split
// across reads are copied.

import { KEEP_BY_REFERENCE } from '../../util/index.js';

const EMPTY = Buffer.alloc(0);
/** Split payloads smaller than this are assembled in one reused buffer (util borrowed-bytes: only those are copied downstream). */
const SCRATCH_SIZE = KEEP_BY_REFERENCE;
/** Subjects up to this long are kept as bytes and reused as strings while they repeat. */
const SUBJECT_CACHE = 256;

/**
 * The PUB/HPUB being delivered. One instance per parser, reused for every message; its byte views are
 * valid only during the onPub callback, so nothing is allocated per message on the way through.
 */
export class PubFrame {
  /** The subject the router matches subscriptions against. */
  subject = '';
  /**
   * '' for a publish. A JetStream delivery is routed by `subject` (a deliver or reply subject) but
   * received as the stored message's own subject: this one, whose bytes are `subjectBytes`.
   */
  deliverAs = '';
  /** The bytes of the subject receivers are told (`receivedSubject`): subjectBytes[0, subjectLen). */
  subjectBytes: Buffer = Buffer.allocUnsafe(SUBJECT_CACHE);
  subjectLen = 0;
  /** '' when the publish has no reply subject. */
  reply = '';
  /** The reply's bytes: replyBytes[replyStart, replyEnd). */
  replyBytes: Buffer = EMPTY;
  replyStart = 0;
  replyEnd = 0;
  /** Header bytes at the start of the payload; 0 when there are none (HPUB with 0 is a plain message). */
  hdrLen = 0;
  /** Headers and body: data[start, end). */
  data: Buffer = EMPTY;
  start = 0;
  end = 0;
  /** The size tokens as sent when not canonical (leading zeros), echoed back in MSG/HMSG; otherwise ''. */
  sizeText = '';
  hdrText = '';
  isHpub = false;
  /**
   * The queue groups a leaf message was sent for (LMSG's `+`/`|` lists): the receiver delivers to one
   * member of each listed group and to no other group. Empty for a client's publish.
   */
  readonly queues: string[] = [];

  /** The subject a receiver sees: `deliverAs` for a JetStream delivery, else `subject`. */
  get receivedSubject(): string {
    return this.deliverAs === '' ? this.subject : this.deliverAs;
  }

  get size(): number {
    return this.end - this.start;
  }

  /** Routes this publish to `subject` instead (an account's subject mapping): receivers are told it too. */
  mapTo(subject: string): void {
    this.subject = subject;
    const n = subject.length;
    if (n > this.subjectBytes.length) this.subjectBytes = Buffer.allocUnsafe(n);
    this.subjectBytes.write(subject, 0, 'latin1');
    this.subjectLen = n;
  }

  /** Headers and body as a view (allocates; for slow paths). */
  get payload(): Buffer {
    return this.data.subarray(this.start, this.end);
  }
}

export const ParseErrorKind = {
  UnknownOp: 1,
  MaxControlLine: 2,
  MaxPayload: 3,
  /** Malformed arguments: nats-server closes without an -ERR. */
  BadArgs: 4,
  /** The peer sent -ERR: close without reply. */
  PeerError: 5,
  /** Something other than CONNECT came first while CONNECT is required first (auth). */
  NotConnect: 6,
} as const;
export type ParseErrorKind = (typeof ParseErrorKind)[keyof typeof ParseErrorKind];

/** The operations every kind takes. */
interface OpHandler {
  onConnect(json: string): void;
  /** A client's PUB/HPUB or a leaf's LMSG/HMSG. */
  onPub(frame: PubFrame): void;
  onPing(): void;
  onPong(): void;
  onParseError(kind: ParseErrorKind): void;
}

export interface ClientOpHandler extends OpHandler {
  onSub(subject: string, queue: string | null, sid: string): void;
  /** max: -1 when absent; 0 when it is 0 or not a number (remove at once). */
  onUnsub(sid: string, max: number): void;
}

export interface LeafOpHandler extends OpHandler {
  onInfo(json: string): void;
  /** The other side's -ERR, its text without the quotes. */
  onErr(text: string): void;
  /** LS+: interest in `subject`, or in `subject` by `weight` members of `queue`. */
  onLeafSub(subject: string, queue: string | null, weight: number): void;
  onLeafUnsub(subject: string, queue: string | null): void;
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const MAX_ARGS = 6;
/** A leaf message lists its queue groups: any number of arguments (the arrays grow to fit). */
const MAX_LEAF_ARGS = 1 << 16;
/** Room for an op name and blanks in a carried control line beyond twice max_control_line. */
const CARRY_SLACK = 64;

const State = { Line: 0, Payload: 1, Stopped: 2 } as const;

export class NatsParser {
  maxControlLine: number;
  maxPayload: number;
  /** The size a PUB asked for when it was refused for max_payload (for the log line). */
  refusedSize = 0;
  /** While set, an op not starting with C fails at its first byte, as nats-server does when auth is required. */
  connectFirst = false;

  private state: number = State.Line;
  private readonly handler: ClientOpHandler | LeafOpHandler;
  /** Set when this parser reads a leaf link: the leaf op table instead of the client's. */
  private readonly leaf: LeafOpHandler | null;
  private readonly opNames: readonly string[];
  private readonly frame = new PubFrame();
  private argStart = new Int32Array(MAX_ARGS);
  private argEnd = new Int32Array(MAX_ARGS);
  /** Bytes of a control line split across reads. */
  private carry: Buffer | null = null;
  /** Payload (plus CRLF) being assembled across reads. */
  private pending: Buffer = EMPTY;
  private scratch: Buffer | null = null;
  private pendingFill = 0;
  /** Payload size announced by the last control line, -1 when none. */
  private need = -1;

  /** A parser with the client op table. */
  constructor(handler: ClientOpHandler, maxControlLine: number, maxPayload: number);
  /** A parser with the leaf op table (`leaf` is the handler). */
  constructor(handler: LeafOpHandler, maxControlLine: number, maxPayload: number, leaf: true);
  constructor(handler: ClientOpHandler | LeafOpHandler, maxControlLine: number, maxPayload: number, leaf = false) {
    this.handler = handler;
    this.leaf = leaf ? (handler as LeafOpHandler) : null;
    this.opNames = leaf ? LEAF_OP_NAMES : CLIENT_OP_NAMES;
    this.maxControlLine = maxControlLine;
    this.maxPayload = maxPayload;
  }

  /** Drops every buffer this parser still references (the connection closed). */
  release(): void {
    this.state = State.Stopped;
    this.carry = null;
    this.pending = EMPTY;
    this.scratch = null;
    const f = this.frame;
    f.data = EMPTY;
    f.replyBytes = EMPTY;
    f.start = f.end = f.replyStart = f.replyEnd = 0;
  }

  /** Stops after the current operation; parse() then returns the unconsumed offset. */
  stop(): void {
    this.state = State.Stopped;
  }

  /** Resumes after stop(); the caller re-feeds what parse() left unconsumed. */
  resume(): void {
    if (this.state === State.Stopped) this.state = this.need >= 0 ? State.Payload : State.Line;
  }

  get stopped(): boolean {
    return this.state === State.Stopped;
  }

  /** Parses a read; returns the number of bytes consumed (less than buf.length only after stop()). */
  parse(buf: Buffer): number {
    const len = buf.length;
    let pos = 0;
    if (this.state === State.Stopped) return 0;
    if (this.state === State.Payload) {
      pos = this.fillPending(buf, 0);
      if (pos < 0) return len;
    } else if (this.carry !== null) {
      pos = this.finishCarriedLine(buf);
      if (pos < 0) return len;
    }
    while (pos < len && this.state === State.Line) {
      if (this.connectFirst && (buf[pos] | 0x20) !== 0x63) {
        this.fail(ParseErrorKind.NotConnect);
        return len;
      }
      let nl = pos;
      while (nl < len && buf[nl] !== LF) nl++;
      if (nl === len) {
        if (!startsLikeOp(this.opNames, buf, pos, len)) {
          this.fail(ParseErrorKind.UnknownOp);
          return len;
        }
        if (this.partialLineTooLong(buf, pos, len)) {
          this.fail(ParseErrorKind.MaxControlLine);
          return len;
        }
        this.carry = Buffer.from(buf.subarray(pos, pos + carriedLength(buf, pos, len)));
        return len;
      }
      this.line(buf, pos, nl);
      pos = nl + 1;
      const need = this.need;
      if (need < 0 || this.state !== State.Line) continue;
      const end = pos + need;
      if (end + 2 > len) {
        if (end < len && buf[end] !== CR) {
          this.fail(ParseErrorKind.UnknownOp);
          return len;
        }
        this.startPending(need);
        pos = this.fillPending(buf, pos);
        if (pos < 0) return len;
        continue;
      }
      this.need = -1;
      if (buf[end] !== CR || buf[end + 1] !== LF) {
        this.fail(ParseErrorKind.UnknownOp);
        return len;
      }
      const f = this.frame;
      f.data = buf;
      f.start = pos;
      f.end = end;
      this.handler.onPub(f);
      pos = end + 2;
    }
    return this.state === State.Stopped ? pos : len;
  }

  /** Completes a control line carried over from the previous read; returns the offset after it (and its payload), -1 when buf was used up. */
  private finishCarriedLine(buf: Buffer): number {
    const carry = this.carry as Buffer;
    const nl = buf.indexOf(LF);
    if (nl < 0) {
      const joined = Buffer.concat([carry, buf]);
      this.carry = null;
      if (!startsLikeOp(this.opNames, joined, 0, joined.length)) this.fail(ParseErrorKind.UnknownOp);
      else if (this.partialLineTooLong(joined, 0, joined.length)) this.fail(ParseErrorKind.MaxControlLine);
      else this.carry = joined.subarray(0, carriedLength(joined, 0, joined.length));
      return -1;
    }
    this.carry = null;
    const line = Buffer.concat([carry, buf.subarray(0, nl + 1)]);
    this.line(line, 0, line.length - 1);
    const pos = nl + 1;
    if (this.need < 0 || this.state !== State.Line) return pos;
    this.startPending(this.need);
    return this.fillPending(buf, pos);
  }

  /**
   * Whether a control line still waiting for its newline is already over max_control_line, counting
   * its arguments as nats-server does: from the first non-blank after the op, without a trailing CR.
   * The carried bytes are capped too, so blanks alone cannot grow them without bound.
   */
  private partialLineTooLong(buf: Buffer, start: number, end: number): boolean {
    if (looseOpLength(buf, start, end) > 0) return false;
    if (end - start > 2 * this.maxControlLine + CARRY_SLACK) return true;
    if (end > start && buf[end - 1] === CR) end--;
    return argsLength(buf, start, end) > this.maxControlLine;
  }

  private startPending(need: number): void {
    // Payloads the router copies reuse one scratch buffer; bigger ones are queued by reference downstream.
    this.pending = need + 2 <= SCRATCH_SIZE ? (this.scratch ??= Buffer.allocUnsafe(SCRATCH_SIZE)).subarray(0, need + 2) : Buffer.allocUnsafe(need + 2);
    this.pendingFill = 0;
    this.state = State.Payload;
  }

  /** Copies payload bytes; returns the offset after the payload, or -1 when buf was used up. */
  private fillPending(buf: Buffer, pos: number): number {
    const want = this.pending.length - this.pendingFill;
    const take = Math.min(want, buf.length - pos);
    buf.copy(this.pending, this.pendingFill, pos, pos + take);
    this.pendingFill += take;
    if (take < want) {
      // The byte after the payload must be CR; nats-server refuses anything else as soon as it arrives.
      const size = this.pending.length - 2;
      if (this.pendingFill > size && this.pending[size] !== CR) this.fail(ParseErrorKind.UnknownOp);
      return -1;
    }
    const p = this.pending;
    const size = p.length - 2;
    this.pending = EMPTY;
    this.need = -1;
    this.state = State.Line;
    if (p[size] !== CR || p[size + 1] !== LF) {
      this.fail(ParseErrorKind.UnknownOp);
      return -1;
    }
    const f = this.frame;
    f.data = p;
    f.start = 0;
    f.end = size;
    this.handler.onPub(f);
    return pos + take;
  }

  private fail(kind: ParseErrorKind): void {
    this.state = State.Stopped;
    this.need = -1;
    this.handler.onParseError(kind);
  }

  /** Handles one control line [start, nl) (nl is the LF). */
  private line(buf: Buffer, start: number, nl: number): void {
    let end = nl;
    if (end > start && buf[end - 1] === CR) end--;
    if (this.leaf !== null) return this.leafLine(this.leaf, buf, start, end);
    const raw0 = buf[start];
    const b1 = buf[start + 1] | 0x20;
    switch (raw0 | 0x20) {
      case 0x70: // p
        if (end - start >= 4 && b1 === 0x75 && (buf[start + 2] | 0x20) === 0x62 && isBlank(buf[start + 3])) {
          return this.pub(buf, start + 4, end, false);
        }
        if (end - start >= 4 && b1 === 0x69 && (buf[start + 2] | 0x20) === 0x6e && (buf[start + 3] | 0x20) === 0x67) {
          return this.handler.onPing();
        }
        if (end - start >= 4 && b1 === 0x6f && (buf[start + 2] | 0x20) === 0x6e && (buf[start + 3] | 0x20) === 0x67) {
          return this.handler.onPong();
        }
        break;
      case 0x68: // h
        if (opIs(buf, start, end, 'hpub')) return this.pub(buf, start + 5, end, true);
        break;
      case 0x73: // s
        if (opIs(buf, start, end, 'sub')) return this.sub(buf, start + 4, end);
        break;
      case 0x75: // u
        if (opIs(buf, start, end, 'unsub')) return this.unsub(buf, start + 6, end);
        break;
      case 0x63: // c
        if (opIs(buf, start, end, 'connect') || opIsBare(buf, start, end, 'connect')) {
          if (this.argsOver(buf, start + 8, end)) return this.fail(ParseErrorKind.MaxControlLine);
          return this.handler.onConnect(start + 8 <= end ? buf.toString('utf8', start + 8, end) : '');
        }
        break;
      case 0x69: // i: INFO from a client is ignored when it is JSON; anything else closes (nats-server)
        if (opIs(buf, start, end, 'info')) {
          if (this.argsOver(buf, start + 5, end)) return this.fail(ParseErrorKind.MaxControlLine);
          return isJson(buf.toString('utf8', start + 5, end)) ? undefined : this.fail(ParseErrorKind.BadArgs);
        }
        if (opIsBare(buf, start, end, 'info')) return this.fail(ParseErrorKind.BadArgs);
        break;
      case 0x2b: // +OK from a client is ignored
        if (raw0 === 0x2b && b1 === 0x6f && (buf[start + 2] | 0x20) === 0x6b) return;
        break;
      case 0x2d: // -ERR from a client closes the connection
        if (raw0 === 0x2d && b1 === 0x65 && (buf[start + 2] | 0x20) === 0x72 && (buf[start + 3] | 0x20) === 0x72 && isBlank(buf[start + 4])) {
          return this.fail(this.argsOver(buf, start + 5, end) ? ParseErrorKind.MaxControlLine : ParseErrorKind.PeerError);
        }
        break;
    }
    this.fail(ParseErrorKind.UnknownOp);
  }

  /** The leaf op table: a leaf link's control line [start, end). */
  private leafLine(h: LeafOpHandler, buf: Buffer, start: number, end: number): void {
    const raw0 = buf[start];
    switch (raw0 | 0x20) {
      case 0x6c: // l
        if (opIs(buf, start, end, 'lmsg')) return this.leafMsg(buf, start + 5, end, false);
        if (end - start >= 4 && (buf[start + 1] | 0x20) === 0x73 && isBlank(buf[start + 3])) {
          if (buf[start + 2] === 0x2b) return this.leafSub(h, buf, start + 4, end);
          if (buf[start + 2] === 0x2d) return this.leafUnsub(h, buf, start + 4, end);
        }
        break;
      case 0x68: // h
        if (opIs(buf, start, end, 'hmsg')) return this.leafMsg(buf, start + 5, end, true);
        break;
      case 0x70: // p
        if (opIsBare(buf, start, end, 'ping') || opIs(buf, start, end, 'ping')) return h.onPing();
        if (opIsBare(buf, start, end, 'pong') || opIs(buf, start, end, 'pong')) return h.onPong();
        break;
      case 0x69: // i
        if (opIs(buf, start, end, 'info')) return h.onInfo(buf.toString('utf8', start + 5, end));
        break;
      case 0x63: // c
        if (opIs(buf, start, end, 'connect')) return h.onConnect(buf.toString('utf8', start + 8, end));
        break;
      case 0x2b: // +OK is ignored
        if (raw0 === 0x2b && (buf[start + 1] | 0x20) === 0x6f && (buf[start + 2] | 0x20) === 0x6b) return;
        break;
      case 0x2d: // -ERR 'text'
        if (raw0 === 0x2d && opIs(buf, start, end, '-err')) return h.onErr(unquote(buf.toString('utf8', start + 5, end).trim()));
        break;
    }
    this.fail(ParseErrorKind.UnknownOp);
  }

  /** `LS+ <subject>` or `LS+ <subject> <queue> <weight>`. */
  private leafSub(h: LeafOpHandler, buf: Buffer, argsStart: number, end: number): void {
    const n = this.split(buf, argsStart, end);
    const s = this.argStart;
    const e = this.argEnd;
    if (n === 1) return h.onLeafSub(buf.toString('latin1', s[0], e[0]), null, 0);
    if (n === 3) {
      const weight = parseSize(buf, s[2], e[2]);
      if (weight >= 0) return h.onLeafSub(buf.toString('latin1', s[0], e[0]), buf.toString('latin1', s[1], e[1]), weight);
    }
    this.fail(ParseErrorKind.BadArgs);
  }

  /** `LS- <subject>` or `LS- <subject> <queue>`. */
  private leafUnsub(h: LeafOpHandler, buf: Buffer, argsStart: number, end: number): void {
    const n = this.split(buf, argsStart, end);
    const s = this.argStart;
    const e = this.argEnd;
    if (n === 1) return h.onLeafUnsub(buf.toString('latin1', s[0], e[0]), null);
    if (n === 2) return h.onLeafUnsub(buf.toString('latin1', s[0], e[0]), buf.toString('latin1', s[1], e[1]));
    this.fail(ParseErrorKind.BadArgs);
  }

  /**
   * `LMSG <subject> [reply] <size>`, or with queue groups `LMSG <subject> + <reply> <q>… <size>` /
   * `LMSG <subject> | <q>… <size>`; HMSG has a header size before the size.
   */
  private leafMsg(buf: Buffer, argsStart: number, end: number, hmsg: boolean): void {
    const n = this.split(buf, argsStart, end);
    const s = this.argStart;
    const e = this.argEnd;
    const sizes = hmsg ? 2 : 1;
    const f = this.frame;
    f.queues.length = 0;
    let hasReply = n === sizes + 2;
    if (n < sizes + 1 || n > MAX_LEAF_ARGS) return this.fail(ParseErrorKind.BadArgs);
    if (n > sizes + 2) {
      // The second argument says what follows: `+` a reply then queues, `|` queues alone.
      if (e[1] - s[1] !== 1 || (buf[s[1]] !== 0x2b && buf[s[1]] !== 0x7c)) return this.fail(ParseErrorKind.BadArgs);
      hasReply = buf[s[1]] === 0x2b;
      for (let i = hasReply ? 3 : 2; i < n - sizes; i++) f.queues.push(buf.toString('latin1', s[i], e[i]));
    }
    const replyAt = n > sizes + 2 ? 2 : 1;
    const size = parseSize(buf, s[n - 1], e[n - 1]);
    const hdr = hmsg ? parseSize(buf, s[n - 2], e[n - 2]) : 0;
    if (size < 0 || hdr < 0 || hdr > size) return this.fail(ParseErrorKind.BadArgs);
    f.isHpub = hmsg;
    f.hdrLen = hdr;
    f.hdrText = '';
    f.sizeText = '';
    setSubject(f, buf, s[0], e[0]);
    if (hasReply) {
      f.reply = buf.toString('latin1', s[replyAt], e[replyAt]);
      f.replyBytes = buf;
      f.replyStart = s[replyAt];
      f.replyEnd = e[replyAt];
    } else {
      f.reply = '';
      f.replyStart = f.replyEnd = 0;
    }
    if (size > this.maxPayload) {
      this.refusedSize = size;
      return this.fail(ParseErrorKind.MaxPayload);
    }
    this.need = size;
  }

  /** Arguments start at the first non-blank after the op; blanks between are not counted. */
  private argsOver(buf: Buffer, argsStart: number, end: number): boolean {
    if (end - argsStart <= this.maxControlLine) return false;
    while (argsStart < end && isBlank(buf[argsStart])) argsStart++;
    return end - argsStart > this.maxControlLine;
  }

  /**
   * Splits [start, end) on blanks into argStart/argEnd; returns the count, one more than the limit
   * when there are too many (MAX_ARGS for a client; a leaf's arrays grow up to MAX_LEAF_ARGS).
   */
  private split(buf: Buffer, start: number, end: number): number {
    let n = 0;
    let i = start;
    while (i < end) {
      while (i < end && isBlank(buf[i])) i++;
      if (i >= end) break;
      if (n === this.argStart.length) {
        if (this.leaf === null || n === MAX_LEAF_ARGS) return n + 1;
        this.growArgs();
      }
      this.argStart[n] = i;
      while (i < end && !isBlank(buf[i])) i++;
      this.argEnd[n] = i;
      n++;
    }
    return n;
  }

  private growArgs(): void {
    const start = new Int32Array(this.argStart.length * 2);
    const end = new Int32Array(this.argEnd.length * 2);
    start.set(this.argStart);
    end.set(this.argEnd);
    this.argStart = start;
    this.argEnd = end;
  }

  private pub(buf: Buffer, argsStart: number, end: number, hpub: boolean): void {
    if (this.argsOver(buf, argsStart, end)) return this.fail(ParseErrorKind.MaxControlLine);
    const n = this.split(buf, argsStart, end);
    const s = this.argStart;
    const e = this.argEnd;
    const f = this.frame;
    let sizeIdx: number;
    if (hpub) {
      if (n !== 3 && n !== 4) return this.fail(ParseErrorKind.BadArgs);
      sizeIdx = n - 1;
      const hdr = parseSize(buf, s[n - 2], e[n - 2]);
      if (hdr < 0) return this.fail(ParseErrorKind.BadArgs);
      f.hdrLen = hdr;
      f.hdrText = nonCanonical(buf, s[n - 2], e[n - 2]);
    } else {
      if (n !== 2 && n !== 3) return this.fail(ParseErrorKind.BadArgs);
      sizeIdx = n - 1;
      f.hdrLen = 0;
      f.hdrText = '';
    }
    const size = parseSize(buf, s[sizeIdx], e[sizeIdx]);
    if (size < 0 || f.hdrLen > size) return this.fail(ParseErrorKind.BadArgs);
    f.isHpub = hpub;
    setSubject(f, buf, s[0], e[0]);
    if (hpub ? n === 4 : n === 3) {
      f.reply = buf.toString('latin1', s[1], e[1]);
      f.replyBytes = buf;
      f.replyStart = s[1];
      f.replyEnd = e[1];
    } else {
      f.reply = '';
      f.replyStart = f.replyEnd = 0;
    }
    f.sizeText = nonCanonical(buf, s[sizeIdx], e[sizeIdx]);
    if (size > this.maxPayload) {
      this.refusedSize = size;
      return this.fail(ParseErrorKind.MaxPayload);
    }
    this.need = size;
  }

  private sub(buf: Buffer, argsStart: number, end: number): void {
    if (this.argsOver(buf, argsStart, end)) return this.fail(ParseErrorKind.MaxControlLine);
    const n = this.split(buf, argsStart, end);
    const s = this.argStart;
    const e = this.argEnd;
    if (n === 2) {
      return (this.handler as ClientOpHandler).onSub(buf.toString('latin1', s[0], e[0]), null, buf.toString('latin1', s[1], e[1]));
    }
    if (n === 3) {
      return (this.handler as ClientOpHandler).onSub(
        buf.toString('latin1', s[0], e[0]),
        buf.toString('latin1', s[1], e[1]),
        buf.toString('latin1', s[2], e[2]),
      );
    }
    this.fail(ParseErrorKind.BadArgs);
  }

  private unsub(buf: Buffer, argsStart: number, end: number): void {
    if (this.argsOver(buf, argsStart, end)) return this.fail(ParseErrorKind.MaxControlLine);
    const n = this.split(buf, argsStart, end);
    const s = this.argStart;
    const e = this.argEnd;
    if (n === 1) return (this.handler as ClientOpHandler).onUnsub(buf.toString('latin1', s[0], e[0]), -1);
    if (n === 2) {
      const max = parseSize(buf, s[1], e[1]);
      return (this.handler as ClientOpHandler).onUnsub(buf.toString('latin1', s[0], e[0]), max < 0 ? 0 : max);
    }
    this.fail(ParseErrorKind.BadArgs);
  }
}

/**
 * Sets the frame's subject. A subject equal to the previous one keeps the previous string, so the
 * sublist's cache lookup hashes nothing new: publishers mostly repeat their subjects.
 */
function setSubject(f: PubFrame, buf: Buffer, start: number, end: number): void {
  const n = end - start;
  const cached = f.subjectBytes;
  if (n === f.subjectLen) {
    let i = 0;
    while (i < n && cached[i] === buf[start + i]) i++;
    if (i === n) return;
  }
  f.subject = buf.toString('latin1', start, end);
  if (n > cached.length) f.subjectBytes = Buffer.allocUnsafe(n);
  buf.copy(f.subjectBytes, 0, start, end);
  f.subjectLen = n;
}

const CLIENT_OP_NAMES = ['pub', 'hpub', 'sub', 'unsub', 'ping', 'pong', 'connect', 'info', '+ok', '-err', 'msg', 'hmsg'];
const LEAF_OP_NAMES = ['ls+', 'ls-', 'lmsg', 'hmsg', 'ping', 'pong', 'connect', 'info', '+ok', '-err'];
/** Ops whose name may be followed by anything up to the newline. */
const LOOSE_OPS = new Set(['ping', 'pong', '+ok']);

/**
 * Whether an incomplete line can still become an op: nats-server's byte-level parser refuses an
 * unknown op at its first wrong byte, without waiting for the newline.
 */
function startsLikeOp(names: readonly string[], buf: Buffer, start: number, end: number): boolean {
  let n = 0;
  while (start + n < end && !isBlank(buf[start + n]) && buf[start + n] !== CR) n++;
  if (n === 0) return false;
  // A name already ended by a blank or CR must be a whole op name.
  const ended = start + n < end;
  for (const op of names) {
    const loose = LOOSE_OPS.has(op);
    if ((n > op.length || (ended && n < op.length)) && !(loose && n >= op.length)) continue;
    const m = Math.min(n, op.length);
    let i = 0;
    while (i < m && (buf[start + i] | (isLetter(buf[start + i]) ? 0x20 : 0)) === op.charCodeAt(i)) i++;
    if (i === m) return true;
  }
  return false;
}

/** 4 for a line that is PING or PONG, 3 for +OK (what follows up to the newline is ignored), else 0. */
function looseOpLength(buf: Buffer, start: number, end: number): number {
  if (end - start >= 3 && buf[start] === 0x2b && (buf[start + 1] | 0x20) === 0x6f && (buf[start + 2] | 0x20) === 0x6b) return 3;
  if (end - start < 4 || (buf[start] | 0x20) !== 0x70 || (buf[start + 2] | 0x20) !== 0x6e || (buf[start + 3] | 0x20) !== 0x67) return 0;
  const b1 = buf[start + 1] | 0x20;
  return b1 === 0x69 || b1 === 0x6f ? 4 : 0;
}

/** How much of an incomplete line to keep: all of it, or just the name of an op that ignores the rest. */
function carriedLength(buf: Buffer, start: number, end: number): number {
  const loose = looseOpLength(buf, start, end);
  return loose > 0 ? loose : end - start;
}

function isLetter(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/** A number token with leading zeros, kept to echo it verbatim (nats-server does); '' otherwise. */
function nonCanonical(buf: Buffer, start: number, end: number): string {
  return buf[start] === 0x30 && end - start > 1 ? buf.toString('latin1', start, end) : '';
}

/** An -ERR's text without the single quotes around it. */
function unquote(text: string): string {
  return text.length >= 2 && text.startsWith("'") && text.endsWith("'") ? text.slice(1, -1) : text;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Length of a control line's arguments: after the op name and the blanks that follow it. */
function argsLength(buf: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end && !isBlank(buf[i])) i++;
  while (i < end && isBlank(buf[i])) i++;
  return end - i;
}

function isBlank(b: number): boolean {
  return b === SPACE || b === TAB;
}

/** True when the line starts with `op` (lower case) followed by a blank. */
function opIs(buf: Buffer, start: number, end: number, op: string): boolean {
  const n = op.length;
  if (end - start < n + 1) return false;
  for (let i = 0; i < n; i++) if ((buf[start + i] | 0x20) !== op.charCodeAt(i)) return false;
  return isBlank(buf[start + n]);
}

/** True when the line is exactly `op` with nothing after it. */
function opIsBare(buf: Buffer, start: number, end: number, op: string): boolean {
  if (end - start !== op.length) return false;
  for (let i = 0; i < op.length; i++) if ((buf[start + i] | 0x20) !== op.charCodeAt(i)) return false;
  return true;
}

/** ASCII digits only, at most 9 of them (nats-server parseSize); -1 otherwise. */
export function parseSize(buf: Buffer, start: number, end: number): number {
  const n = end - start;
  if (n === 0 || n > 9) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}
