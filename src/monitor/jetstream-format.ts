// The JetStream members /jsz and /varz share, as nats-server's JetStreamConfig and JetStreamStats write them.

import type { JetStreamConfig } from '../config/index.js';
import type { JetStreamConfigSnapshot, JetStreamSnapshot } from './jetstream-source.js';

/**
 * `configured` is the jetstream block as given: nats-server marks its configuration `compress_ok` only
 * when both store limits were given, because otherwise it builds a dynamic configuration without the flag.
 */
export function jetStreamConfigJson(c: JetStreamConfigSnapshot, configured: JetStreamConfig | undefined): Record<string, unknown> {
  const compressOk = configured !== undefined && configured.maxMemoryStore > 0 && configured.maxFileStore > 0;
  return {
    max_memory: c.maxMemory,
    max_storage: c.maxStorage,
    ...(c.storeDir !== '' ? { store_dir: c.storeDir } : {}),
    ...(c.domain !== '' ? { domain: c.domain } : {}),
    ...(compressOk ? { compress_ok: true } : {}),
  };
}

/** Server-wide usage: the accounts' bytes, the streams' reservations, the API counters. A single server has no HA assets. */
export function jetStreamStatsJson(snap: JetStreamSnapshot): Record<string, unknown> {
  let memory = 0;
  let storage = 0;
  let total = 0;
  let errors = 0;
  for (const acc of snap.accounts) {
    memory += acc.memory;
    storage += acc.storage;
    total += acc.apiTotal;
    errors += acc.apiErrors;
  }
  return {
    memory,
    storage,
    reserved_memory: snap.reservedMemory,
    reserved_storage: snap.reservedStorage,
    accounts: snap.accounts.length,
    ha_assets: 0,
    api: { total, errors },
  };
}
