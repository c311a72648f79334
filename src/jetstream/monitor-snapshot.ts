// JetStream as monitoring sees it (/jsz, /varz, /healthz): plain data, built on request. Configs, states
// and consumer infos are the members the $JS.API writes, so the monitor shows what a client sees.

import { subjectToText } from '../util/index.js';
import type { JsAccount } from './js-account.js';
import { sourceInfos, PLAIN_INFO, streamState } from './stream-info.js';
import { streamConfigToJson } from './stream-config.js';
import type { Stream } from './stream.js';
import { formatTime } from './time.js';

export interface SnapshotDetail {
  readonly streams: boolean;
  readonly consumers: boolean;
}

export interface StreamSnapshot {
  readonly name: string;
  readonly created: string;
  readonly config: Record<string, unknown>;
  readonly state: Record<string, unknown>;
  readonly consumers: readonly Record<string, unknown>[];
  /** StreamSourceInfo members as STREAM.INFO writes them, for a mirror / a sourcing stream. */
  readonly mirror?: Record<string, unknown>;
  readonly sources?: readonly Record<string, unknown>[];
}

export interface AccountSnapshot {
  readonly name: string;
  readonly memory: number;
  readonly storage: number;
  /** The account's byte limits; negative = unlimited. */
  readonly maxMemory: number;
  readonly maxStorage: number;
  readonly apiTotal: number;
  readonly apiErrors: number;
  readonly streamCount: number;
  readonly consumerCount: number;
  readonly messages: number;
  readonly bytes: number;
  readonly streams: readonly StreamSnapshot[];
}

export interface JetStreamSnapshot {
  readonly config: { readonly maxMemory: number; readonly maxStorage: number; readonly storeDir: string; readonly domain: string };
  /** Bytes promised to streams by their max_bytes, as nats-server reserves them. */
  readonly reservedMemory: number;
  readonly reservedStorage: number;
  readonly accounts: readonly AccountSnapshot[];
}

export function jetStreamSnapshot(config: JetStreamSnapshot['config'], accounts: Iterable<JsAccount>, detail: SnapshotDetail): JetStreamSnapshot {
  let reservedMemory = 0;
  let reservedStorage = 0;
  const out: AccountSnapshot[] = [];
  for (const acc of accounts) {
    for (const stream of acc.streams.values()) {
      const maxBytes = stream.config.maxBytes;
      if (maxBytes <= 0) continue;
      if (stream.config.storage === 'memory') reservedMemory += maxBytes;
      else reservedStorage += maxBytes;
    }
    out.push(accountSnapshot(acc, detail));
  }
  return { config, reservedMemory, reservedStorage, accounts: out };
}

function accountSnapshot(acc: JsAccount, detail: SnapshotDetail): AccountSnapshot {
  let memory = 0;
  let storage = 0;
  let consumerCount = 0;
  let messages = 0;
  let bytes = 0;
  const streams: StreamSnapshot[] = [];
  for (const stream of acc.streams.values()) {
    const state = stream.store.state();
    if (stream.config.storage === 'memory') memory += state.bytes;
    else storage += state.bytes;
    consumerCount += stream.consumerCount;
    messages += state.msgs;
    bytes += state.bytes;
    if (detail.streams || detail.consumers) streams.push(streamSnapshot(stream, detail.consumers));
  }
  return {
    name: acc.account.name,
    memory,
    storage,
    maxMemory: acc.limits.maxMemory,
    maxStorage: acc.limits.maxStore,
    apiTotal: acc.apiTotal,
    apiErrors: acc.apiErrors,
    streamCount: acc.streams.size,
    consumerCount,
    messages,
    bytes,
    streams,
  };
}

function streamSnapshot(stream: Stream, consumers: boolean): StreamSnapshot {
  return {
    name: subjectToText(stream.name),
    created: formatTime(stream.createdNs),
    config: streamConfigToJson(stream.config),
    state: streamState(stream, PLAIN_INFO),
    consumers: consumers ? stream.consumerInfos() : [],
    ...sourceInfos(stream),
  };
}
