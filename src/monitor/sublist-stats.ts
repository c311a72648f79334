// Sublist statistics summed over accounts the way nats-server sums them: counts add up, the
// maximum fanout is the largest, and the two ratios are recomputed from their parts.

import type { Account, SublistStats } from '../core/index.js';

export function sumSublistStats(accounts: Iterable<Account>): SublistStats {
  let subs = 0;
  let cache = 0;
  let inserts = 0;
  let removes = 0;
  let matches = 0;
  let hits = 0;
  let maxFanout = 0;
  let totalFanout = 0;
  for (const acc of accounts) {
    const s = acc.sublist.stats();
    subs += s.num_subscriptions;
    cache += s.num_cache;
    inserts += s.num_inserts;
    removes += s.num_removes;
    matches += s.num_matches;
    hits += Math.round(s.cache_hit_rate * s.num_matches);
    totalFanout += Math.round(s.avg_fanout * s.num_cache);
    if (s.max_fanout > maxFanout) maxFanout = s.max_fanout;
  }
  return {
    num_subscriptions: subs,
    num_cache: cache,
    num_inserts: inserts,
    num_removes: removes,
    num_matches: matches,
    cache_hit_rate: matches > 0 ? hits / matches : 0,
    max_fanout: maxFanout,
    avg_fanout: totalFanout > 0 ? totalFanout / cache : 0,
  };
}
