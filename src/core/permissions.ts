// Per-user publish/subscribe permissions, with allow_responses.

import { subjectMatches } from '../util/index.js';

export interface SubjectRules {
  readonly allow?: readonly string[];
  readonly deny?: readonly string[];
}

/** Structurally the config's PermissionsConfig; core does not import config. */
export interface PermissionRules {
  readonly publish?: SubjectRules;
  readonly subscribe?: SubjectRules;
  readonly allowResponses?: { readonly max: number; readonly expiresMs: number };
}

interface SubRule {
  readonly subject: string;
  readonly queue: string | null;
}

const CACHE_MAX = 1024;
/**
 * Outstanding response grants per connection (nats-server prunes its reply map at this size); past it
 * the expired ones go, then the oldest.
 */
const MAX_GRANTS = 4096;

interface ResponseGrant {
  remaining: number;
  readonly expires: number;
}

export class Permissions {
  private readonly pubAllow: readonly string[] | null;
  private readonly pubDeny: readonly string[];
  private readonly subAllow: readonly SubRule[] | null;
  private readonly subDeny: readonly SubRule[];
  private readonly responses: { readonly max: number; readonly expiresMs: number } | null;
  private readonly grants = new Map<string, ResponseGrant>();
  private readonly pubCache = new Map<string, boolean>();
  private readonly deliveryCache = new Map<string, boolean>();
  /** True when delivery must be filtered (subscribe deny rules exist). */
  readonly filtersDelivery: boolean;
  /** The rules as given (what a user is shown of its permissions). */
  readonly rules: PermissionRules;

  constructor(rules: PermissionRules) {
    this.rules = rules;
    this.responses = rules.allowResponses ?? null;
    const pubAllow = rules.publish?.allow;
    // allow_responses without a publish allow list leaves only the granted reply subjects publishable.
    this.pubAllow = pubAllow !== undefined ? pubAllow : this.responses !== null ? [] : null;
    this.pubDeny = rules.publish?.deny ?? [];
    this.subAllow = rules.subscribe?.allow !== undefined ? rules.subscribe.allow.map(parseSubRule) : null;
    this.subDeny = (rules.subscribe?.deny ?? []).map(parseSubRule);
    this.filtersDelivery = this.subDeny.length > 0;
  }

  get grantsResponses(): boolean {
    return this.responses !== null;
  }

  canPublish(subject: string): boolean {
    let ok = this.pubCache.get(subject);
    if (ok === undefined) {
      ok = (this.pubAllow === null || this.pubAllow.some((p) => subjectMatches(subject, p))) && !this.pubDeny.some((p) => subjectMatches(subject, p));
      if (this.pubCache.size >= CACHE_MAX) this.pubCache.clear();
      this.pubCache.set(subject, ok);
    }
    return ok || this.useGrant(subject);
  }

  /**
   * nats-server's rule: plain entries matching the subject decide, but for a queue subscription the
   * queue entries matching the subject, if any, decide instead (allow: the queue must match one;
   * deny: the queue must match none).
   */
  canSubscribe(subject: string, queue: string | null): boolean {
    if (this.subAllow !== null && !decide(this.subAllow, subject, queue)) return false;
    return this.subDeny.length === 0 || !decide(this.subDeny, subject, queue);
  }

  /** Subscribe deny rules also apply at delivery, so a wildcard subscription skips denied subjects. */
  deniesDelivery(subject: string): boolean {
    let denied = this.deliveryCache.get(subject);
    if (denied === undefined) {
      denied = this.subDeny.some((r) => r.queue === null && subjectMatches(subject, r.subject));
      if (this.deliveryCache.size >= CACHE_MAX) this.deliveryCache.clear();
      this.deliveryCache.set(subject, denied);
    }
    return denied;
  }

  /**
   * A request with this reply subject was delivered: the reply becomes publishable for max messages
   * until it expires. Grants are kept in the order given, which is also their expiry order (one
   * lifetime for all), so at the limit only the head is looked at: the expired grants there, or else
   * the oldest one, make room.
   */
  grantResponse(reply: string, now: number): void {
    const r = this.responses;
    if (r === null) return;
    const grants = this.grants;
    // A reply granted again starts over at the young end.
    grants.delete(reply);
    if (grants.size >= MAX_GRANTS) this.makeRoom(now);
    grants.set(reply, { remaining: r.max, expires: now + r.expiresMs });
  }

  private makeRoom(now: number): void {
    const grants = this.grants;
    for (const [k, g] of grants) {
      if (g.expires >= now) break;
      grants.delete(k);
    }
    if (grants.size >= MAX_GRANTS) grants.delete(grants.keys().next().value as string);
  }

  private useGrant(subject: string): boolean {
    const g = this.grants.get(subject);
    if (g === undefined) return false;
    if (g.expires < Date.now()) {
      this.grants.delete(subject);
      return false;
    }
    if (g.remaining > 0 && --g.remaining === 0) this.grants.delete(subject);
    return true;
  }
}

/** Allow entries may read "subject queue" to restrict queue subscriptions. */
function parseSubRule(text: string): SubRule {
  const parts = text.trim().split(/\s+/);
  return { subject: parts[0], queue: parts.length > 1 ? parts[1] : null };
}

/** Whether the rules (allow or deny) hit the subscription; see canSubscribe. */
function decide(rules: readonly SubRule[], subject: string, queue: string | null): boolean {
  let plain = false;
  let queueRules = false;
  let queueHit = false;
  for (const r of rules) {
    if (!subjectMatches(subject, r.subject)) continue;
    if (r.queue === null) plain = true;
    else {
      queueRules = true;
      if (queue !== null && subjectMatches(queue, r.queue)) queueHit = true;
    }
  }
  if (queue !== null && queueRules) return queueHit;
  return plain;
}
