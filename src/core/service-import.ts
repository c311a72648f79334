// A service import and the response imports it makes. A request published in the importing account
// on `from` goes to the exporting account on `to` with a reply subject of the exporter's (`_R_.…`);
// that reply is itself a (response) import, bound to the exporter, back to the requester's reply.

import type { ResponseType, SubjectTransform } from '../util/index.js';
import type { Account } from './account.js';
import type { Subscription } from './subscription.js';

/** An exported service as the router keeps it: how its answers are shaped and how long they may take. */
export class ServiceExport {
  readonly account: Account;
  readonly subject: string;
  readonly responseType: ResponseType;
  readonly thresholdMs: number;
  /** Who may import it; null for anyone. */
  readonly accounts: readonly string[] | null;
  /** Answers to its requests still awaited (response imports), wherever they are bound. */
  readonly pending = new Set<ServiceImport>();
  /** Looks for response imports older than the threshold while any are pending. */
  timer: NodeJS.Timeout | null = null;

  constructor(account: Account, subject: string, responseType: ResponseType, thresholdMs: number, accounts: readonly string[] | null) {
    this.account = account;
    this.accounts = accounts;
    this.subject = subject;
    this.responseType = responseType;
    this.thresholdMs = thresholdMs;
  }
}

export class ServiceImport {
  /** The account whose subject space it listens in (the importer; for a response, the responder's). */
  readonly owner: Account;
  /** The account it delivers into (the exporter; for a response, the requester's). */
  readonly target: Account;
  /** The owner's subject: what requests are published to, or the `_R_` reply of a response import. */
  readonly from: string;
  /** The target's subject: the exported service's, or the requester's own reply subject. */
  readonly to: string;
  readonly transform: SubjectTransform | null;
  /** A wildcard import that keeps the request's subject. */
  readonly usePub: boolean;
  readonly share: boolean;
  readonly export: ServiceExport;
  readonly isResponse: boolean;
  /** Last use (ms), for the response threshold. */
  ts = 0;
  /** The internal subscription on `from` (a request import's). */
  sub: Subscription | null = null;

  constructor(owner: Account, target: Account, from: string, to: string, transform: SubjectTransform | null, usePub: boolean, share: boolean, exp: ServiceExport, isResponse: boolean) {
    this.owner = owner;
    this.target = target;
    this.from = from;
    this.to = to;
    this.transform = transform;
    this.usePub = usePub;
    this.share = share;
    this.export = exp;
    this.isResponse = isResponse;
  }

  /** The target's subject for a request published on `subject`. */
  targetSubject(subject: string): string {
    if (this.transform !== null) return this.transform.transform(subject);
    return this.usePub ? subject : this.to;
  }

  /** A response import no longer awaited: out of its responder's map and its export's pending set; false if it was not there. */
  dropResponse(): boolean {
    this.export.pending.delete(this);
    return this.owner.responses.delete(this.from);
  }

  get responseType(): ResponseType {
    return this.export.responseType;
  }
}
