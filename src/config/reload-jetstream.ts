// Which JetStream changes a reload may apply, in nats-server 2.9.10's words (reload.go diffOptions; the sync
// interval as 2.10 has it). Turning JetStream on or off is a reload: the server starts or stops the service
// with the new settings. What a running JetStream was started with is fixed: every change to it is refused.

import { formatGoDuration } from '../util/index.js';
import type { JetStreamConfig, SyncInterval } from './options.js';

/** nats-server's sync interval when it syncs always (its default interval), for the message. */
const NATS_DEFAULT_SYNC_INTERVAL_MS = 2 * 60 * 1000;

function syncIntervalMs(sync: SyncInterval): number {
  return sync === 'always' ? NATS_DEFAULT_SYNC_INTERVAL_MS : sync;
}

/**
 * The reason a reload cannot apply this JetStream change, or undefined when it can. nats-server checks in
 * its Options field order and refuses at the first problem, except a limit or store directory going back
 * to its default, which it allows only while disabling JetStream and so refuses after the other checks.
 */
export function jetStreamReloadRefusal(before: JetStreamConfig | undefined, after: JetStreamConfig | undefined): string | undefined {
  if (before === undefined || after === undefined) return undefined;
  let limitUnset = false;
  for (const key of ['maxMemoryStore', 'maxFileStore'] as const) {
    const from = before[key];
    const to = after[key];
    if (from === to) continue;
    if (from < 0) return 'config reload not supported for jetstream dynamic max memory and store';
    if (to >= 0) return 'config reload not supported for jetstream max memory and store';
    limitUnset = true;
  }
  if (before.domain !== after.domain) {
    return `config reload not supported for JetStreamDomain: old=${before.domain}, new=${after.domain}`;
  }
  const storeDirUnset = before.storeDir !== after.storeDir && after.storeDir === '';
  if (before.storeDir !== after.storeDir && !storeDirUnset) return 'config reload not supported for jetstream storage directory';
  const [fromMs, toMs] = [syncIntervalMs(before.syncInterval), syncIntervalMs(after.syncInterval)];
  if (fromMs !== toMs) {
    return `config reload not supported for SyncInterval: old=${formatGoDuration(fromMs)}, new=${formatGoDuration(toMs)}`;
  }
  const [fromAlways, toAlways] = [before.syncInterval === 'always', after.syncInterval === 'always'];
  if (fromAlways !== toAlways) return `config reload not supported for SyncAlways: old=${fromAlways}, new=${toAlways}`;
  if (limitUnset) return 'config reload not supported for jetstream max memory and max store';
  if (storeDirUnset) return 'config reload not supported for jetstream storage dir';
  return undefined;
}
