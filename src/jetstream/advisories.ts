// The JetStream advisories and ack metrics nats-server 2.9.10 publishes on a single server, into the account
// they concern (jetstream_events.go): an API audit per answered $JS.API request, stream and consumer
// created/updated/deleted, a message past max_deliver, NAKed or terminated, and sampled ack metrics
// (`sample_freq`). Each is JSON with `type`, a random `id` and an RFC3339 `timestamp`; `domain` only when one
// is configured. Nothing is built unless someone subscribes to the subject, so monitoring costs nothing
// when nobody monitors.

import { ClientConnection } from '../core/index.js';
import type { Connection, InternalClient } from '../core/index.js';
import { subjectToText } from '../util/index.js';
import type { ConsumerConfig } from './consumer-config.js';
import { encodeJson } from './json.js';
import { randomToken } from './random-token.js';
import { formatTime, wallClockNs } from './time.js';

const ADVISORY = '$JS.EVENT.ADVISORY';
export const AdvisorySubject = {
  Api: `${ADVISORY}.API`,
  StreamCreated: `${ADVISORY}.STREAM.CREATED`,
  StreamUpdated: `${ADVISORY}.STREAM.UPDATED`,
  StreamDeleted: `${ADVISORY}.STREAM.DELETED`,
  ConsumerCreated: `${ADVISORY}.CONSUMER.CREATED`,
  ConsumerDeleted: `${ADVISORY}.CONSUMER.DELETED`,
  MaxDeliveries: `${ADVISORY}.CONSUMER.MAX_DELIVERIES`,
  MsgNaked: `${ADVISORY}.CONSUMER.MSG_NAKED`,
  MsgTerminated: `${ADVISORY}.CONSUMER.MSG_TERMINATED`,
  AckMetric: '$JS.EVENT.METRIC.CONSUMER.ACK',
} as const;

const TYPE = 'io.nats.jetstream.advisory.v1.';
export const AdvisoryType = {
  ApiAudit: `${TYPE}api_audit`,
  StreamAction: `${TYPE}stream_action`,
  ConsumerAction: `${TYPE}consumer_action`,
  MaxDeliver: `${TYPE}max_deliver`,
  Nak: `${TYPE}nak`,
  Terminated: `${TYPE}terminated`,
  AckMetric: 'io.nats.jetstream.metric.v1.consumer_ack',
} as const;

/** nats-server's nuid ids are 22 characters of the same alphabet. */
const ID_LEN = 22;
const NS_PER_MS = 1_000_000;

export type Action = 'create' | 'delete' | 'modify';

/** Who publishes: the server's name (its id when none is configured) and the JetStream domain ('' = none). */
export interface AdvisoryOrigin {
  readonly server: string;
  readonly domain: string;
}

/** What the consumer advisories read of a consumer. */
export interface AdvisedConsumer {
  readonly host: { readonly name: string };
  readonly name: string;
  readonly config: ConsumerConfig;
}

/** A consumer's sample_freq as a percentage, and the subject of its metrics, kept per config object. */
interface Sampling {
  readonly percent: number;
  readonly subject: string;
}

export class Advisories {
  private readonly client: InternalClient;
  private readonly origin: AdvisoryOrigin;
  private readonly sampling = new WeakMap<ConsumerConfig, Sampling>();
  /** The chance source of ack sampling: an integer in [0, 100), like Go's rand.Int31n(100). */
  private readonly roll: () => number;

  constructor(client: InternalClient, origin: AdvisoryOrigin, roll: () => number = () => Math.floor(Math.random() * 100)) {
    this.client = client;
    this.origin = origin;
    this.roll = roll;
  }

  /** An answered $JS.API request: its subject and body (borrowed for the call) and the JSON answer. */
  apiAudit(from: Connection, subject: string, request: Buffer, response: string): void {
    if (!this.client.hasSubscribers(AdvisorySubject.Api)) return;
    // A JetStream request reaches nats-server's API through a service import, which stamps the account,
    // the round-trip time and the server on it (no user or connection details).
    const rtt = from instanceof ClientConnection ? Math.round(from.rttMs * NS_PER_MS) : 0;
    const client = { acc: from.account?.name ?? '', rtt: rtt > 0 ? rtt : undefined, server: this.origin.server };
    this.send(AdvisorySubject.Api, AdvisoryType.ApiAudit, {
      server: this.origin.server,
      client,
      subject: subjectToText(subject),
      request: request.length === 0 ? undefined : request.toString('utf8'),
      response,
    });
  }

  streamAction(stream: string, action: Action): void {
    const subject = `${action === 'create' ? AdvisorySubject.StreamCreated : action === 'delete' ? AdvisorySubject.StreamDeleted : AdvisorySubject.StreamUpdated}.${stream}`;
    if (!this.client.hasSubscribers(subject)) return;
    this.send(subject, AdvisoryType.StreamAction, { stream: subjectToText(stream), action });
  }

  consumerAction(stream: string, consumer: string, action: Exclude<Action, 'modify'>): void {
    const subject = `${action === 'create' ? AdvisorySubject.ConsumerCreated : AdvisorySubject.ConsumerDeleted}.${stream}.${consumer}`;
    if (!this.client.hasSubscribers(subject)) return;
    this.send(subject, AdvisoryType.ConsumerAction, { stream: subjectToText(stream), consumer: subjectToText(consumer), action });
  }

  /** A stream deleted: each of its consumers first, then the stream, as nats-server stops them. */
  streamDeleted(stream: string, consumers: Iterable<string>): void {
    for (const name of consumers) this.consumerAction(stream, name, 'delete');
    this.streamAction(stream, 'delete');
  }

  /** A message was not redelivered because it had been delivered max_deliver times. */
  maxDeliveries(c: AdvisedConsumer, streamSeq: number, deliveries: number): void {
    const subject = `${AdvisorySubject.MaxDeliveries}.${c.host.name}.${c.name}`;
    if (!this.client.hasSubscribers(subject)) return;
    this.send(subject, AdvisoryType.MaxDeliver, { ...names(c), stream_seq: streamSeq, deliveries });
  }

  /** `-NAK` on a pending message; the sequences and delivery count are the ack subject's. */
  naked(c: AdvisedConsumer, streamSeq: number, consumerSeq: number, deliveries: number): void {
    this.delivery(`${AdvisorySubject.MsgNaked}.${c.host.name}.${c.name}`, AdvisoryType.Nak, c, streamSeq, consumerSeq, deliveries);
  }

  /** `+TERM`: the message will not be redelivered. */
  terminated(c: AdvisedConsumer, streamSeq: number, consumerSeq: number, deliveries: number): void {
    this.delivery(`${AdvisorySubject.MsgTerminated}.${c.host.name}.${c.name}`, AdvisoryType.Terminated, c, streamSeq, consumerSeq, deliveries);
  }

  /**
   * An ack of a pending message of an explicit-ack consumer (not a +TERM), sampled at the consumer's
   * sample_freq: `ack_time` is the time since it was delivered (or since its last +WPI or NAK delay).
   */
  ackSampled(c: AdvisedConsumer, streamSeq: number, consumerSeq: number, deliveries: number, deliveredMs: number): void {
    const s = this.samplingOf(c);
    if (s.percent <= 0) return;
    // Go's sampling: always from 100 up, else when rand.Int31n(100) <= sfreq.
    if (s.percent < 100 && this.roll() > s.percent) return;
    if (!this.client.hasSubscribers(s.subject)) return;
    // Delivery times are kept in milliseconds of the wall clock: the delay is as fine as that.
    const ackTime = (Date.now() - deliveredMs) * NS_PER_MS;
    this.send(s.subject, AdvisoryType.AckMetric, { ...names(c), consumer_seq: consumerSeq, stream_seq: streamSeq, ack_time: ackTime, deliveries });
  }

  private samplingOf(c: AdvisedConsumer): Sampling {
    let s = this.sampling.get(c.config);
    if (s === undefined) {
      s = { percent: sampleFreqPercent(c.config.sampleFreq), subject: `${AdvisorySubject.AckMetric}.${c.host.name}.${c.name}` };
      this.sampling.set(c.config, s);
    }
    return s;
  }

  private delivery(subject: string, type: string, c: AdvisedConsumer, streamSeq: number, consumerSeq: number, deliveries: number): void {
    if (!this.client.hasSubscribers(subject)) return;
    this.send(subject, type, { ...names(c), consumer_seq: consumerSeq, stream_seq: streamSeq, deliveries });
  }

  private send(subject: string, type: string, members: Record<string, unknown>): void {
    const json = encodeJson({ type, id: randomToken(ID_LEN), timestamp: formatTime(wallClockNs()), ...members, domain: this.origin.domain === '' ? undefined : this.origin.domain });
    this.client.publish(subject, '', null, Buffer.from(json, 'utf8'));
  }
}

function names(c: AdvisedConsumer): { stream: string; consumer: string } {
  return { stream: subjectToText(c.host.name), consumer: subjectToText(c.name) };
}

/**
 * sample_freq as nats-server reads it: the number before an optional `%` ("30", "30%"), kept as a Go int32
 * (the config check has refused what Atoi refuses). Empty or zero: no sampling.
 */
export function sampleFreqPercent(freq: string): number {
  const s = freq.endsWith('%') ? freq.slice(0, -1) : freq;
  if (!/^[+-]?\d+$/.test(s)) return 0;
  return Number(BigInt.asIntN(32, BigInt(s)));
}
