// ConsumerInfo as nats-server 2.9.10 writes it: config, creation time, the delivered and ack-floor cursors
// with their last activity, and the counters.

import { subjectToText } from '../util/index.js';
import type { Consumer } from './consumer.js';
import { consumerConfigToJson } from './consumer-config.js';
import { formatTime } from './time.js';

/** The members of a ConsumerInfo after `type`. */
export function consumerInfo(c: Consumer): Record<string, unknown> {
  c.waiting.process(Date.now());
  const info: Record<string, unknown> = {
    stream_name: subjectToText(c.host.name),
    name: subjectToText(c.name),
    created: formatTime(c.createdNs),
    config: consumerConfigToJson(c.config),
    delivered: sequenceInfo(c.dseq - 1, c.sseq - 1, c.lastDeliveredNs),
    ack_floor: sequenceInfo(c.adflr, c.asflr, c.lastAckNs),
    num_ack_pending: c.pending.size,
    num_redelivered: c.rdc.size,
    num_waiting: c.waiting.length,
    num_pending: c.numPending(),
  };
  if (c.isBound()) info.push_bound = true;
  return info;
}

function sequenceInfo(consumerSeq: number, streamSeq: number, lastActiveNs: bigint): Record<string, unknown> {
  const s: Record<string, unknown> = { consumer_seq: consumerSeq, stream_seq: streamSeq };
  if (lastActiveNs !== 0n) s.last_active = formatTime(lastActiveNs);
  return s;
}
