// A stream import: messages published in the exporting account reach the importing account's
// subscribers under the importer's subject. As in nats-server, each subscription of the importer that
// can take imported messages gets a shadow in the exporter's subject space, and a delivery to the
// shadow renames the subject: no per-message lookup of imports happens on the publish path.

import { isSubsetMatch } from '../util/index.js';
import type { SubjectTransform } from '../util/index.js';
import type { LinkedStreamImport } from '../util/index.js';
import type { Account } from './account.js';
import { Subscription } from './subscription.js';

export class StreamImport {
  readonly exporter: Account;
  /** The exporter's subject (pattern). */
  readonly from: string;
  /** The importer's subject (pattern). */
  readonly to: string;
  private readonly toTokens: readonly string[];
  /** from -> to; null when a message keeps its subject (usePub) or `to` is a literal. */
  private readonly transform: SubjectTransform | null;
  /** to -> from, for a subscription narrower than `to`. */
  private readonly reverse: SubjectTransform | null;
  /** A delivery keeps the message's own subject. */
  readonly usePub: boolean;
  /** Put in front of the subject for a prefixed import with wildcards (instead of its transform); null otherwise. */
  private readonly prefix: string | null;
  /** The last subject renamed, and what it became with its bytes (a publisher mostly repeats its subject). */
  private lastFrom = '';
  lastTo = '';
  lastToBytes: Buffer = Buffer.alloc(0);

  constructor(exporter: Account, linked: LinkedStreamImport) {
    this.exporter = exporter;
    this.from = linked.from;
    this.to = linked.to;
    this.toTokens = linked.to.split('.');
    this.transform = linked.transform;
    this.usePub = linked.usePub;
    this.reverse = linked.reverse;
    // A prefixed import with wildcards is a transform too, but one that only puts the prefix in front.
    this.prefix = linked.transform !== null ? linked.prefix : null;
  }

  /** The subject an exporter's message on `subject` arrives on in the importing account, in lastTo / lastToBytes. */
  rename(subject: string): void {
    if (subject === this.lastFrom) return;
    const to = this.deliveredSubject(subject);
    this.lastFrom = subject;
    this.lastTo = to;
    this.lastToBytes = Buffer.from(to, 'latin1');
  }

  private deliveredSubject(subject: string): string {
    if (this.prefix !== null) return this.prefix + subject;
    if (this.transform !== null) return this.transform.transform(subject);
    return this.usePub ? subject : this.to;
  }

  /**
   * The shadow `sub` needs in the exporter, or null when the subscription cannot take a message of
   * this import (nats-server's addShadowSubscriptions: equal, narrower, wider or overlapping).
   */
  shadowFor(sub: Subscription, tokens: readonly string[], hasWildcard: boolean): Subscription | null {
    let subject: string;
    if (sub.subject === this.to) subject = this.from;
    else if (isSubsetMatch(tokens, this.toTokens)) subject = this.narrowed(sub.subject, '');
    else if (!hasWildcard) return null;
    else if (isSubsetMatch(this.toTokens, tokens)) subject = this.from;
    else {
      const overlap = this.overlap(tokens);
      if (overlap === null) return null;
      subject = this.narrowed(sub.subject, overlap);
    }
    const shadow = new Subscription(sub.conn, subject, sub.queue, sub.sid, sub.handler);
    shadow.streamImport = this;
    shadow.origin = sub;
    return shadow;
  }

  /** The exporter's subject for a subscription inside `to` (or for the overlap of one with it). */
  private narrowed(subject: string, overlap: string): string {
    const s = overlap !== '' ? overlap : subject;
    if (this.reverse !== null) return this.reverse.transform(s);
    if (this.usePub) return s;
    return overlap !== '' ? overlap : this.from;
  }

  /** The subscription's subject made as specific as `to` where they overlap; null if that is not inside `to`. */
  private overlap(tokens: readonly string[]): string | null {
    const t = [...tokens];
    const im = this.toTokens;
    for (let i = 0; i < t.length && i < im.length; i++) {
      if (t[i] === '*' && im[i] !== '>') t[i] = im[i] as string;
    }
    const last = t.length - 1;
    if (t[last] === '>' && im.length >= t.length) {
      t[last] = im[last] as string;
      for (let i = t.length; i < im.length; i++) t.push(im[i] as string);
    }
    return isSubsetMatch(t, im) ? t.join('.') : null;
  }
}
