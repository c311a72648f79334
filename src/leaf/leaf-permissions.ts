// What may cross one leaf link, as nats-server decides it (leafnode.go): a link's permissions say
// what it may send over (its "publish" rules, checked at every delivery to the link) and which
// interest it announces (its "subscribe" rules, checked before every LS+).
//
// - Always, both ways: `$JS.API.>`, `$KV.>`, `$OBJ.>` (and for the system account `$JSC.>`,
//   `$NRG.>`): each side's JetStream answers its own clients.
// - With a JetStream domain the other side does not share: our own `$JS.<domain>.API.>` never goes out.
// - Soliciting side: the hub's user permissions as its INFO tells them (`export` limits what we send,
//   `import` what we announce), plus the remote's `deny_exports` and `deny_imports`.
// - Accepting side: the leaf user's permissions turned around (what it may subscribe to is what we
//   send it; what it may publish is the interest we announce), plus the `deny_pub` of its CONNECT.

import type { PermissionRules, SubjectRules } from '../core/index.js';

const LEAF_DENY: readonly string[] = ['$JS.API.>', '$KV.>', '$OBJ.>'];
const SYSTEM_LEAF_DENY: readonly string[] = ['$JSC.>', '$NRG.>', ...LEAF_DENY];
/** Interest in these always crosses: loop detection must see its own subject come back. */
const EXEMPT_PREFIXES = ['$LDS.', '_GR_.', '$GR.'];

export interface LinkRuleInput {
  readonly system: boolean;
  /** Our JetStream domain and the other side's ('' for none). */
  readonly domain: string;
  readonly remoteDomain: string;
  /** What the link sends over and which interest it announces, before the fixed denies. */
  readonly send: SubjectRules | undefined;
  readonly announce: SubjectRules | undefined;
}

export function linkRules(input: LinkRuleInput): PermissionRules {
  const never = input.system ? SYSTEM_LEAF_DENY : LEAF_DENY;
  const outward = input.domain !== '' && input.remoteDomain !== input.domain ? [`$JS.${input.domain}.API.>`] : [];
  return {
    publish: { ...(input.send?.allow !== undefined && { allow: input.send.allow }), deny: [...never, ...outward, ...(input.send?.deny ?? [])] },
    subscribe: { ...(input.announce?.allow !== undefined && { allow: input.announce.allow }), deny: [...never, ...(input.announce?.deny ?? [])] },
  };
}

/** `rules` with `deny` added (a remote's deny list, a CONNECT's deny_pub); undefined when there is nothing. */
export function withDeny(rules: SubjectRules | undefined, deny: readonly string[]): SubjectRules | undefined {
  if (deny.length === 0) return rules;
  return { ...rules, deny: [...(rules?.deny ?? []), ...deny] };
}

/** Subjects exempt from permission checks on interest: loop detection and gateway replies. */
export function exemptFromPermissions(subject: string): boolean {
  const c = subject.charCodeAt(0);
  if (c !== 0x24 && c !== 0x5f) return false;
  for (const p of EXEMPT_PREFIXES) if (subject.startsWith(p)) return true;
  return false;
}

/** The fixed denies are all `<prefix>.>`: a valid subject matches one when it starts with `<prefix>.`. */
const LEAF_DENY_PREFIXES = LEAF_DENY.map((p) => p.slice(0, -1));
const SYSTEM_LEAF_DENY_PREFIXES = SYSTEM_LEAF_DENY.map((p) => p.slice(0, -1));

/**
 * Whether a message on `subject` arriving over a link is one that never crosses (checked before the
 * account's mappings). Every message over a link asks, and almost none starts with `$`.
 */
export function neverCrossesIn(subject: string, system: boolean): boolean {
  if (subject.charCodeAt(0) !== 0x24) return false;
  for (const p of system ? SYSTEM_LEAF_DENY_PREFIXES : LEAF_DENY_PREFIXES) if (subject.startsWith(p)) return true;
  return false;
}
