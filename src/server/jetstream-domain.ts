// A JetStream domain's API subjects (nats-server's generateJSMappingTable): every account with
// JetStream maps `$JS.<domain>.API.…` onto its own `$JS.API.…` (and the domain's `$KV.>` and
// `$OBJ.>`), so clients here and, through a leaf link, clients of other servers reach this
// server's JetStream by its domain. An account's own mapping of the same source stays.

import type { MappingSpec } from '../util/index.js';

const SUFFIXES: readonly (readonly [string, string])[] = [
  ['INFO', '$JS.API.INFO'],
  ['STREAM.>', '$JS.API.STREAM.>'],
  ['CONSUMER.>', '$JS.API.CONSUMER.>'],
  ['DIRECT.>', '$JS.API.DIRECT.>'],
  ['META.>', '$JS.API.META.>'],
  ['SERVER.>', '$JS.API.SERVER.>'],
  ['ACCOUNT.>', '$JS.API.ACCOUNT.>'],
  ['$KV.>', '$KV.>'],
  ['$OBJ.>', '$OBJ.>'],
];

/** `mappings` with the domain's API mappings added for each of `accounts` ('' domain: unchanged). */
export function withDomainMappings(mappings: ReadonlyMap<string, readonly MappingSpec[]>, domain: string, accounts: Iterable<string>): Map<string, readonly MappingSpec[]> {
  const out = new Map(mappings);
  if (domain === '') return out;
  for (const account of accounts) {
    const own = out.get(account) ?? [];
    const added = SUFFIXES.map(([suffix, to]) => ({ source: `$JS.${domain}.API.${suffix}`, destinations: [{ subject: to, weight: 100 }] })).filter((m) => !own.some((o) => o.source === m.source));
    out.set(account, [...own, ...added]);
  }
  return out;
}
