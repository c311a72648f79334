// StreamInfo as nats-server 2.9.10 writes it: the config with its defaults, the creation time and the
// store's state, with the optional subject counts and deleted sequences when asked for.

import type { Stream } from './stream.js';
import { streamConfigToJson } from './stream-config.js';
import { subjectToText } from '../util/index.js';
import { formatTime } from './time.js';

export interface StreamInfoOptions {
  /** Subject counts for subjects matching this filter ('' = none asked). */
  subjectsFilter: string;
  deletedDetails: boolean;
}

/** A StreamInfo without subject counts or deleted sequences. */
export const PLAIN_INFO: StreamInfoOptions = Object.freeze({ subjectsFilter: '', deletedDetails: false });

export function streamState(stream: Stream, opts: StreamInfoOptions): Record<string, unknown> {
  const s = stream.store.state();
  const state: Record<string, unknown> = {
    messages: s.msgs,
    bytes: s.bytes,
    first_seq: s.firstSeq,
    first_ts: formatTime(s.firstTimeNs),
    last_seq: s.lastSeq,
    last_ts: formatTime(s.lastTimeNs),
  };
  // Member order as nats-server's StreamState struct writes them.
  if (s.numSubjects > 0) state.num_subjects = s.numSubjects;
  if (opts.subjectsFilter !== '') {
    const counts = stream.store.subjectsState(opts.subjectsFilter);
    if (counts.size > 0) {
      const subjects: Record<string, number> = {};
      for (const [subject, n] of counts) subjects[subjectToText(subject)] = n;
      state.subjects = subjects;
    }
  }
  if (s.numDeleted > 0) state.num_deleted = s.numDeleted;
  if (s.numDeleted > 0 && opts.deletedDetails) state.deleted = stream.store.deletedSeqs();
  state.consumer_count = stream.consumerCount;
  return state;
}

/** The members of a StreamInfo after `type` and the paging fields. */
export function streamInfo(stream: Stream, opts: StreamInfoOptions): Record<string, unknown> {
  return {
    config: streamConfigToJson(stream.config),
    created: formatTime(stream.createdNs),
    state: streamState(stream, opts),
  };
}

/**
 * A StreamInfo with the JetStream domain and its `mirror` or `sources` (lag, activity, the origin's
 * error), as STREAM.INFO, STREAM.UPDATE and STREAM.LIST write it; nats-server's STREAM.CREATE reply
 * has none of them.
 */
export function streamInfoWithSources(stream: Stream, opts: StreamInfoOptions): Record<string, unknown> {
  return { ...streamInfo(stream, opts), ...(stream.domain !== '' && { domain: stream.domain }), ...sourceInfos(stream) };
}

/** `mirror` for a mirror, `sources` for a sourcing stream, nothing for others (StreamInfo and /jsz alike). */
export function sourceInfos(stream: Stream): { mirror?: Record<string, unknown>; sources?: Record<string, unknown>[] } {
  if (stream.readers.length === 0) return {};
  return stream.config.mirror !== null ? { mirror: stream.readers[0].info() } : { sources: stream.readers.map((r) => r.info()) };
}
