// The JetStream members /jsz and /varz share, as nats-server's JetStreamConfig and JetStreamStats write them.

import type { JetStreamConfigSnapshot, JetStreamSnapshot } from './jetstream-source.js';

export function jetStreamConfigJson(c: JetStreamConfigSnapshot): Record<string, unknown> {
  return {
    max_memory: c.maxMemory,
    max_storage: c.maxStorage,
    ...(c.storeDir !== '' ? { store_dir: c.storeDir } : {}),
    ...(c.domain !== '' ? { domain: c.domain } : {}),
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
