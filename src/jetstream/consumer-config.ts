// ConsumerConfig as nats-server 2.9.10 takes it: the CONSUMER.CREATE / DURABLE.CREATE subject forms and how
// they tie to the body, the defaults, the config checks and what an update may change, with the server's
// exact errors in its order, and the JSON written back (2.9 fields only).
// Names and subjects are byte strings inside (see subject-text.ts), UTF-8 text in JSON.

import { apiError } from './errors.js';
import type { ApiError } from './errors.js';
import { DecodeError, StructFields, bool, duration, int64, list, oneOf, str, time, uint64 } from './go-decode.js';
import { JsonSyntaxError, parseJson } from './json.js';
import type { JsonValue } from './json.js';
import type { StreamConfig } from './stream-config.js';
import { MAX_DESCRIPTION_LEN, MAX_NAME_LEN, isValidName } from './stream-config.js';
import { subjectToText } from '../util/index.js';
import { subjectMember as subject } from './subject-text.js';
import { isLiteralSubject, isValidSubject, subjectIsSubsetOf } from './subjects.js';
import { formatTime } from './time.js';
import type { ZonedTime } from './time.js';

export type DeliverPolicy = 'all' | 'last' | 'new' | 'by_start_sequence' | 'by_start_time' | 'last_per_subject';
export type AckPolicy = 'none' | 'all' | 'explicit';
export type ReplayPolicy = 'instant' | 'original';

/** Durations are bigint nanoseconds; 0 = not set. */
export interface ConsumerConfig {
  durableName: string;
  name: string;
  description: string;
  deliverPolicy: DeliverPolicy;
  optStartSeq: number;
  optStartTime: ZonedTime | null;
  ackPolicy: AckPolicy;
  ackWait: bigint;
  maxDeliver: number;
  backoff: bigint[];
  filterSubject: string;
  replayPolicy: ReplayPolicy;
  rateLimitBps: number;
  sampleFreq: string;
  maxWaiting: number;
  maxAckPending: number;
  idleHeartbeat: bigint;
  flowControl: boolean;
  headersOnly: boolean;
  maxBatch: number;
  maxExpires: bigint;
  maxBytes: number;
  deliverSubject: string;
  deliverGroup: string;
  inactiveThreshold: bigint;
  numReplicas: number;
  memStorage: boolean;
  direct: boolean;
}

export interface CreateConsumerRequest {
  streamName: string;
  config: ConsumerConfig;
}

const MS = 1_000_000n;
export const DEFAULT_ACK_WAIT = 30_000n * MS;
export const DEFAULT_MAX_ACK_PENDING = 1000;
export const DEFAULT_MAX_WAITING = 512;
/** The inactive_threshold an ephemeral gets when it sets none (nats-server adds up to 1 s of jitter to the timer). */
export const DEFAULT_EPHEMERAL_INACTIVE_THRESHOLD = 5_000n * MS;

/** Every field at its zero value, as Go decodes an empty config. */
export function emptyConsumerConfig(): ConsumerConfig {
  return {
    durableName: '',
    name: '',
    description: '',
    deliverPolicy: 'all',
    optStartSeq: 0,
    optStartTime: null,
    ackPolicy: 'none',
    ackWait: 0n,
    maxDeliver: 0,
    backoff: [],
    filterSubject: '',
    replayPolicy: 'instant',
    rateLimitBps: 0,
    sampleFreq: '',
    maxWaiting: 0,
    maxAckPending: 0,
    idleHeartbeat: 0n,
    flowControl: false,
    headersOnly: false,
    maxBatch: 0,
    maxExpires: 0n,
    maxBytes: 0,
    deliverSubject: '',
    deliverGroup: '',
    inactiveThreshold: 0n,
    numReplicas: 0,
    memStorage: false,
    direct: false,
  };
}

const DELIVER: Record<string, DeliverPolicy> = {
  all: 'all',
  undefined: 'all',
  last: 'last',
  new: 'new',
  by_start_sequence: 'by_start_sequence',
  by_start_time: 'by_start_time',
  last_per_subject: 'last_per_subject',
};
const ACK: Record<string, AckPolicy> = { none: 'none', all: 'all', explicit: 'explicit' };
const REPLAY: Record<string, ReplayPolicy> = { instant: 'instant', original: 'original' };

const CONSUMER = new StructFields<ConsumerConfig>({
  durable_name: (t, v) => void (t.durableName = subject(v) ?? t.durableName),
  name: (t, v) => void (t.name = subject(v) ?? t.name),
  description: (t, v) => void (t.description = str(v) ?? t.description),
  deliver_policy: (t, v) => void (t.deliverPolicy = oneOf(v, DELIVER)),
  opt_start_seq: (t, v) => void (t.optStartSeq = uint64(v) ?? t.optStartSeq),
  opt_start_time: (t, v) => void (t.optStartTime = time(v)),
  ack_policy: (t, v) => void (t.ackPolicy = oneOf(v, ACK)),
  ack_wait: (t, v) => void (t.ackWait = duration(v) ?? t.ackWait),
  max_deliver: (t, v) => void (t.maxDeliver = int64(v) ?? t.maxDeliver),
  backoff: (t, v) => void (t.backoff = list(v, duration, 0n) ?? []),
  filter_subject: (t, v) => void (t.filterSubject = subject(v) ?? t.filterSubject),
  replay_policy: (t, v) => void (t.replayPolicy = oneOf(v, REPLAY)),
  rate_limit_bps: (t, v) => void (t.rateLimitBps = uint64(v) ?? t.rateLimitBps),
  sample_freq: (t, v) => void (t.sampleFreq = str(v) ?? t.sampleFreq),
  max_waiting: (t, v) => void (t.maxWaiting = int64(v) ?? t.maxWaiting),
  max_ack_pending: (t, v) => void (t.maxAckPending = int64(v) ?? t.maxAckPending),
  idle_heartbeat: (t, v) => void (t.idleHeartbeat = duration(v) ?? t.idleHeartbeat),
  flow_control: (t, v) => void (t.flowControl = bool(v) ?? t.flowControl),
  headers_only: (t, v) => void (t.headersOnly = bool(v) ?? t.headersOnly),
  max_batch: (t, v) => void (t.maxBatch = int64(v) ?? t.maxBatch),
  max_expires: (t, v) => void (t.maxExpires = duration(v) ?? t.maxExpires),
  max_bytes: (t, v) => void (t.maxBytes = int64(v) ?? t.maxBytes),
  deliver_subject: (t, v) => void (t.deliverSubject = subject(v) ?? t.deliverSubject),
  deliver_group: (t, v) => void (t.deliverGroup = subject(v) ?? t.deliverGroup),
  inactive_threshold: (t, v) => void (t.inactiveThreshold = duration(v) ?? t.inactiveThreshold),
  num_replicas: (t, v) => void (t.numReplicas = int64(v) ?? t.numReplicas),
  mem_storage: (t, v) => void (t.memStorage = bool(v) ?? t.memStorage),
  direct: (t, v) => void (t.direct = bool(v) ?? t.direct),
});

const REQUEST = new StructFields<CreateConsumerRequest>({
  stream_name: (t, v) => void (t.streamName = subject(v) ?? t.streamName),
  config: (t, v) => CONSUMER.decode(t.config, v),
});

/** A CONSUMER.CREATE / DURABLE.CREATE body as Go decodes it (2.10+ `action`/`pedantic` ignored), or 10025. */
export function decodeCreateConsumerRequest(body: JsonValue): CreateConsumerRequest | ApiError {
  const req: CreateConsumerRequest = { streamName: '', config: emptyConsumerConfig() };
  try {
    REQUEST.decode(req, body);
  } catch (e) {
    if (e instanceof DecodeError) return apiError('InvalidJSON');
    throw e;
  }
  return req;
}

export const CreateForm = {
  /** `CONSUMER.CREATE.<stream>`: durable_name must be empty, config.name honoured. */
  LegacyEphemeral: 1,
  /** `CONSUMER.CREATE.<stream>.<name>[.<filter>]`. */
  Named: 2,
  /** `CONSUMER.DURABLE.CREATE.<stream>.<durable>`. */
  LegacyDurable: 3,
} as const;
export type CreateForm = (typeof CreateForm)[keyof typeof CreateForm];

export interface CreateSubject {
  form: CreateForm;
  stream: string;
  /** '' for LegacyEphemeral. */
  consumer: string;
  /** The filter carried by the subject, '' when none. */
  filter: string;
}

/**
 * What a create subject asks for, given the part after the API prefix (`CONSUMER.CREATE.S.C.foo`); null where
 * nats-server gives no reply at all. 2.9.10 takes a filter from the subject only when it has two or more
 * tokens; leafgate takes any (jetstream-api.md §2), so `CONSUMER.CREATE.S.C.foo` with another filter_subject
 * is refused with 10131.
 */
export function parseCreateSubject(apiSubject: string): CreateSubject | null {
  const t = apiSubject.split('.');
  if (t[0] !== 'CONSUMER') return null;
  if (t[1] === 'DURABLE') {
    // nats-server subscribes DURABLE.CREATE.*.* only: any other length gets no reply.
    if (t[2] !== 'CREATE' || t.length !== 5) return null;
    return { form: CreateForm.LegacyDurable, stream: t[3], consumer: t[4], filter: '' };
  }
  if (t[1] !== 'CREATE' || t.length < 3) return null;
  if (t.length === 3) return { form: CreateForm.LegacyEphemeral, stream: t[2], consumer: '', filter: '' };
  return { form: CreateForm.Named, stream: t[2], consumer: t[3], filter: t.slice(4).join('.') };
}

/**
 * The checks tying the subject to the body (jsConsumerCreateRequest, in its order), up to finding the
 * stream: returns the config with `name` taken from the subject for the Named form. The caller then answers
 * 10059 for a missing stream and calls checkConsumerConfig.
 */
export function checkCreateRequest(req: CreateConsumerRequest, at: CreateSubject): ConsumerConfig | ApiError {
  const cfg = { ...req.config };
  if (at.stream !== req.streamName) return apiError('StreamMismatch');
  if (at.consumer !== '' && /[\\/]/.test(at.consumer)) return apiError('ConsumerNameContainsPathSeparators');
  if (at.form === CreateForm.LegacyDurable) {
    if (cfg.durableName === '') return apiError('ConsumerDurableNameNotSet');
    if (at.consumer !== cfg.durableName) return apiError('ConsumerDurableNameNotMatchSubject');
  }
  if (at.form === CreateForm.Named) {
    if (cfg.durableName !== '' && at.consumer !== cfg.durableName) return apiError('ConsumerDurableNameNotMatchSubject');
    cfg.name = at.consumer;
  }
  if (at.form === CreateForm.LegacyEphemeral && cfg.durableName !== '') return apiError('ConsumerEphemeralWithDurableName');
  if (at.filter !== '' && cfg.filterSubject !== at.filter) return apiError('ConsumerCreateFilterSubjectMismatch');
  if (cfg.numReplicas > 1) return apiError('StreamReplicasNotSupported');
  return cfg;
}

/** What the consumer checks need to know around the consumer. */
export interface ConsumerConfigContext {
  /** The stream's config. */
  stream: StreamConfig;
  /** Other streams of the account: a sourcing stream's filter may name its origins' subjects. */
  lookupStream(name: string): StreamConfig | undefined;
  /** Account limit on max_ack_pending (0 = none). */
  accountMaxAckPending?: number;
  /** Recovering at start: the filter is not checked against the stream. */
  recovering?: boolean;
}

function push(c: ConsumerConfig): boolean {
  return c.deliverSubject !== '';
}

function acks(c: ConsumerConfig): boolean {
  return c.ackPolicy === 'explicit' || c.ackPolicy === 'all';
}

/** The defaults nats-server fills in before checking (setConsumerConfigDefaults). */
export function withConsumerDefaults(input: ConsumerConfig, accountMaxAckPending = 0): ConsumerConfig {
  const c = { ...input, backoff: [...input.backoff] };
  if (!push(c) && c.maxWaiting === 0) c.maxWaiting = DEFAULT_MAX_WAITING;
  if (c.ackWait === 0n && acks(c)) c.ackWait = DEFAULT_ACK_WAIT;
  if (c.maxDeliver === 0) c.maxDeliver = -1;
  if (c.backoff.length > 0) c.ackWait = c.backoff[0];
  if (acks(c) && c.maxAckPending === 0) {
    c.maxAckPending = accountMaxAckPending > 0 && accountMaxAckPending < DEFAULT_MAX_ACK_PENDING ? accountMaxAckPending : DEFAULT_MAX_ACK_PENDING;
  }
  return c;
}

/** Defaults, then the checks of nats-server checkConsumerCfg in its order. */
export function checkConsumerConfig(input: ConsumerConfig, ctx: ConsumerConfigContext): ConsumerConfig | ApiError {
  const c = withConsumerDefaults(input, ctx.accountMaxAckPending ?? 0);
  if (c.numReplicas > 0 && c.numReplicas > ctx.stream.numReplicas) return apiError('ConsumerReplicasExceedsStream');
  if (c.numReplicas < 0) return apiError('ReplicasCountCannotBeNegative');
  if (c.backoff.length > 0 && c.maxDeliver <= c.backoff.length) return apiError('ConsumerMaxDeliverBackoff');
  if (Buffer.byteLength(c.description, 'utf8') > MAX_DESCRIPTION_LEN) return apiError('ConsumerDescriptionTooLong', { max: MAX_DESCRIPTION_LEN });

  const mode = push(c) ? checkPush(c, ctx.stream) : checkPull(c, ctx.stream);
  if (mode !== null) return mode;
  const limit = ctx.accountMaxAckPending ?? 0;
  if (limit > 0 && c.maxAckPending > limit) return apiError('ConsumerMaxPendingAckExcess', { limit });
  if (c.direct) {
    if (!push(c)) return apiError('ConsumerDirectRequiresPush');
    if (c.durableName !== '') return apiError('ConsumerDirectRequiresEphemeral');
  }
  if (c.filterSubject !== '' && ctx.recovering !== true) {
    const { subjects, external } = interestSubjects(ctx.stream, ctx);
    if (!external && !validFilter(c.filterSubject, subjects)) return apiError('ConsumerFilterNotSubset');
  }
  const start = checkStartPosition(c);
  if (start !== null) return apiError('ConsumerInvalidPolicy', { err: start });
  if (c.sampleFreq !== '') {
    const bad = sampleFreqError(c.sampleFreq);
    if (bad !== null) return apiError('ConsumerInvalidSampling', { err: bad });
  }
  if (c.flowControl && c.idleHeartbeat === 0n) return apiError('ConsumerWithFlowControlNeedsHeartbeats');
  if (c.durableName !== '' && c.name !== '' && c.name !== c.durableName) return apiError('ConsumerCreateDurableAndNameMismatch');
  return c;
}

function checkPush(c: ConsumerConfig, stream: StreamConfig): ApiError | null {
  if (!isLiteralSubject(c.deliverSubject)) return apiError('ConsumerDeliverToWildcards');
  if (!isValidSubject(c.deliverSubject)) return apiError('ConsumerInvalidDeliverSubject');
  if (stream.subjects.some((s) => subjectIsSubsetOf(c.deliverSubject, s))) return apiError('ConsumerDeliverCycle');
  if (c.maxWaiting !== 0) return apiError('ConsumerPushMaxWaiting');
  if (c.maxAckPending > 0 && c.ackPolicy === 'none') return apiError('ConsumerMaxPendingAckPolicyRequired');
  if (c.idleHeartbeat > 0n && c.idleHeartbeat < 100n * MS) return apiError('ConsumerSmallHeartbeat');
  return null;
}

function checkPull(c: ConsumerConfig, stream: StreamConfig): ApiError | null {
  if (c.ackPolicy === 'none' && stream.retention === 'workqueue') return apiError('ConsumerPullRequiresAck');
  if (c.rateLimitBps > 0) return apiError('ConsumerPullWithRateLimit');
  if (c.maxWaiting < 0) return apiError('ConsumerMaxWaitingNegative');
  if (c.idleHeartbeat > 0n) return apiError('ConsumerHBRequiresPush');
  if (c.flowControl) return apiError('ConsumerFCRequiresPush');
  if (c.maxBatch < 0) return apiError('ConsumerMaxRequestBatchNegative');
  if (c.maxExpires !== 0n && c.maxExpires < MS) return apiError('ConsumerMaxRequestExpiresToSmall');
  return null;
}

/** The subjects a filter may name: the stream's, and those of its local origins (nats-server gatherSourceMirrorSubjects). */
function interestSubjects(stream: StreamConfig, ctx: ConsumerConfigContext): { subjects: string[]; external: boolean } {
  const subjects = [...stream.subjects];
  const seen = new Set<string>();
  const visit = (origin: { name: string; external: unknown }): boolean => {
    if (origin.external !== null) return true;
    if (seen.has(origin.name)) return false;
    const cfg = ctx.lookupStream(origin.name);
    if (cfg === undefined) return false;
    seen.add(origin.name);
    subjects.push(...cfg.subjects);
    if (cfg.mirror !== null) return visit(cfg.mirror);
    for (const s of cfg.sources) if (visit(s)) return true;
    return false;
  };
  let external = false;
  if (stream.mirror !== null) external = visit(stream.mirror);
  else for (const s of stream.sources) external = visit(s) || external;
  return { subjects, external };
}

/** nats-server validFilteredSubject: a subset of a stream subject, or a wildcard covering one. */
function validFilter(filter: string, subjects: readonly string[]): boolean {
  if (!isValidSubject(filter)) return false;
  const wildcard = !isLiteralSubject(filter);
  return subjects.some((s) => subjectIsSubsetOf(filter, s) || (wildcard && subjectIsSubsetOf(s, filter)));
}

const POLICY_TEXT: Record<DeliverPolicy, string> = {
  all: 'all',
  last: 'last',
  new: 'new',
  last_per_subject: 'last per subject',
  by_start_sequence: 'by start sequence',
  by_start_time: 'by start time',
};

/** The deliver policy / start option conflict text, or null. */
function checkStartPosition(c: ConsumerConfig): string | null {
  const dp = POLICY_TEXT[c.deliverPolicy];
  const badStart = (start: string): string => `consumer delivery policy is deliver ${dp}, but optional start ${start} is also set`;
  const notSet = (what: string): string => `consumer delivery policy is deliver ${dp}, but optional ${what} is not set`;
  switch (c.deliverPolicy) {
    case 'by_start_sequence':
      if (c.optStartSeq === 0) return notSet('start sequence');
      if (c.optStartTime !== null) return badStart('time');
      return null;
    case 'by_start_time':
      if (c.optStartTime === null) return notSet('start time');
      if (c.optStartSeq !== 0) return badStart('start sequence');
      return null;
    default:
      if (c.optStartSeq > 0) return badStart('sequence');
      if (c.optStartTime !== null) return badStart('time');
      if (c.deliverPolicy === 'last_per_subject' && c.filterSubject === '') return notSet('filter subject');
      return null;
  }
}

/** Go's strconv.Atoi of the sample frequency without its `%`: the error text, or null when it is a count >= 0. */
function sampleFreqError(freq: string): string | null {
  const s = freq.endsWith('%') ? freq.slice(0, -1) : freq;
  if (!/^[+-]?\d+$/.test(s)) return `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;
  const n = BigInt(s);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) return `strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`;
  return n < 0n ? '<nil>' : null;
}

/** nats-server's checks on a stream of workqueue retention, given the configs of its other consumers. */
export function checkWorkQueueConsumer(c: ConsumerConfig, stream: StreamConfig, others: readonly ConsumerConfig[]): ApiError | null {
  if (stream.retention !== 'workqueue' || c.direct) return null;
  if (c.ackPolicy !== 'explicit') return apiError('ConsumerWQRequiresExplicitAck');
  if (others.length > 0) {
    if (c.filterSubject === '') return apiError('ConsumerWQMultipleUnfiltered');
    const clash = others.some((o) => o.filterSubject === '' || subjectIsSubsetOf(c.filterSubject, o.filterSubject) || subjectIsSubsetOf(o.filterSubject, c.filterSubject));
    if (clash) return apiError('ConsumerWQConsumerNotUnique');
  }
  if (c.deliverPolicy !== 'all') return apiError('ConsumerWQConsumerNotDeliverAll');
  return null;
}

/**
 * The name of a new consumer (durable name, else config name, else `generateName()`, which nats-server does
 * not write into the stored config) and the config to store: ephemerals without inactive_threshold get the
 * 5 s default.
 */
export function nameNewConsumer(c: ConsumerConfig, generateName: () => string): { name: string; config: ConsumerConfig } | ApiError {
  let name: string;
  if (c.durableName !== '') {
    if (c.durableName.length > MAX_NAME_LEN) return apiError('ConsumerNameTooLong', { max: MAX_NAME_LEN });
    name = c.durableName;
  } else if (c.name !== '') {
    name = c.name;
  } else {
    name = generateName();
  }
  if (!isValidName(name)) return apiError('ConsumerBadDurableName');
  return { name, config: withEphemeralThreshold(c) };
}

function sameDurations(a: readonly bigint[], b: readonly bigint[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Whether two configs are identical (nats-server reflect.DeepEqual; opt_start_time pointers never are). */
export function consumerConfigsEqual(a: ConsumerConfig, b: ConsumerConfig): boolean {
  for (const k of Object.keys(a) as (keyof ConsumerConfig)[]) {
    if (k === 'backoff') {
      if (!sameDurations(a.backoff, b.backoff)) return false;
    } else if (k === 'optStartTime') {
      const x = a.optStartTime;
      const y = b.optStartTime;
      if (x === null || y === null ? x !== y : x.ns !== y.ns || x.offsetMinutes !== y.offsetMinutes) return false;
    } else if (a[k] !== b[k]) return false;
  }
  return true;
}

/**
 * A create naming an existing consumer `old` with the checked config `c` (nats-server updateConfig): the
 * config to store, or the error to answer (plain texts come as 10012). `oldDeliverSubjectHasInterest`:
 * whether the old push consumer's deliver subject has subscribers (a bound consumer keeps its subject).
 */
export function checkConsumerUpdate(old: ConsumerConfig, c: ConsumerConfig, oldDeliverSubjectHasInterest: boolean): ConsumerConfig | ApiError {
  if (consumerConfigsEqual(old, c)) return old;
  const refuse = (err: string): ApiError => apiError('ConsumerCreate', { err });
  if (old.deliverPolicy !== c.deliverPolicy) return refuse('deliver policy can not be updated');
  if (old.optStartSeq !== c.optStartSeq) return refuse('start sequence can not be updated');
  // nats-server compares the two *time.Time pointers, which differ whenever either is set.
  if (old.optStartTime !== null || c.optStartTime !== null) return refuse('start time can not be updated');
  if (old.ackPolicy !== c.ackPolicy) return refuse('ack policy can not be updated');
  if (old.replayPolicy !== c.replayPolicy) return refuse('replay policy can not be updated');
  if (old.idleHeartbeat !== c.idleHeartbeat) return refuse('heart beats can not be updated');
  if (old.flowControl !== c.flowControl) return refuse('flow control can not be updated');
  if (old.maxWaiting !== c.maxWaiting) return refuse('max waiting can not be updated');
  if (old.deliverSubject !== c.deliverSubject) {
    if (old.deliverSubject === '') return refuse('can not update pull consumer to push based');
    if (c.deliverSubject === '') return refuse('can not update push consumer to pull based');
    if (oldDeliverSubjectHasInterest) return apiError('ConsumerNameExist');
  }
  if (c.backoff.length > 0 && c.maxDeliver <= c.backoff.length) return apiError('ConsumerMaxDeliverBackoff');
  return withEphemeralThreshold(c);
}

function withEphemeralThreshold(c: ConsumerConfig): ConsumerConfig {
  return c.durableName === '' && c.inactiveThreshold <= 0n ? { ...c, inactiveThreshold: DEFAULT_EPHEMERAL_INACTIVE_THRESHOLD } : c;
}

/** The config as nats-server 2.9.10 writes it (member order and omitempty as its struct tags say). */
export function consumerConfigToJson(c: ConsumerConfig): Record<string, unknown> {
  const text = (s: string): string | undefined => (s === '' ? undefined : subjectToText(s));
  const nz = (n: number): number | undefined => (n === 0 ? undefined : n);
  const nzd = (n: bigint): bigint | undefined => (n === 0n ? undefined : n);
  return {
    durable_name: text(c.durableName),
    name: text(c.name),
    description: c.description === '' ? undefined : c.description,
    deliver_policy: c.deliverPolicy,
    opt_start_seq: nz(c.optStartSeq),
    opt_start_time: c.optStartTime === null ? undefined : formatTime(c.optStartTime.ns, c.optStartTime.offsetMinutes),
    ack_policy: c.ackPolicy,
    ack_wait: nzd(c.ackWait),
    max_deliver: nz(c.maxDeliver),
    backoff: c.backoff.length === 0 ? undefined : c.backoff,
    filter_subject: text(c.filterSubject),
    replay_policy: c.replayPolicy,
    rate_limit_bps: nz(c.rateLimitBps),
    sample_freq: c.sampleFreq === '' ? undefined : c.sampleFreq,
    max_waiting: nz(c.maxWaiting),
    max_ack_pending: nz(c.maxAckPending),
    idle_heartbeat: nzd(c.idleHeartbeat),
    flow_control: c.flowControl ? true : undefined,
    headers_only: c.headersOnly ? true : undefined,
    max_batch: nz(c.maxBatch),
    max_expires: nzd(c.maxExpires),
    max_bytes: nz(c.maxBytes),
    deliver_subject: text(c.deliverSubject),
    deliver_group: text(c.deliverGroup),
    inactive_threshold: nzd(c.inactiveThreshold),
    num_replicas: c.numReplicas,
    mem_storage: c.memStorage ? true : undefined,
    direct: c.direct ? true : undefined,
  };
}

/** A consumer config as the store kept it (written by consumerConfigToJson), or null when it no longer decodes. */
export function decodeStoredConsumerConfig(json: string): ConsumerConfig | null {
  const config = emptyConsumerConfig();
  try {
    CONSUMER.decode(config, parseJson(json));
  } catch (e) {
    if (e instanceof DecodeError || e instanceof JsonSyntaxError) return null;
    throw e;
  }
  return config;
}
