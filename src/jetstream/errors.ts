// The JetStream API errors as nats-server 2.9.10 answers them (its server/errors.json), the status lines
// of pull requests, push heartbeats and direct gets (consumer.go, stream.go), and the store's refusal texts.
// Wire texts live here and nowhere else; clients match some of them byte for byte ("stream not found").

/** The `error` member of an API response. */
export interface ApiError {
  readonly code: number;
  readonly err_code: number;
  readonly description: string;
}

/** [HTTP-like code, JetStream err_code, description with `{placeholders}`]. */
const API_ERRORS = {
  AccountResourcesExceeded: [400, 10002, 'resource limits exceeded for account'],
  BadRequest: [400, 10003, 'bad request'],
  ConsumerCreate: [500, 10012, '{err}'],
  ConsumerNameExist: [400, 10013, 'consumer name already in use'],
  ConsumerNotFound: [404, 10014, 'consumer not found'],
  ConsumerDurableNameNotMatchSubject: [400, 10017, 'consumer name in subject does not match durable name in request'],
  ConsumerDurableNameNotSet: [400, 10018, 'consumer expected to be durable but a durable name was not set'],
  ConsumerEphemeralWithDurableName: [400, 10020, 'consumer expected to be ephemeral but a durable name was set in request'],
  StreamExternalApiOverlap: [400, 10021, 'stream external api prefix {prefix} must not overlap with {subject}'],
  StreamExternalDelPrefixOverlaps: [400, 10022, 'stream external delivery prefix {prefix} overlaps with stream subject {subject}'],
  InsufficientResources: [503, 10023, 'insufficient resources'],
  StreamInvalidExternalDeliverySubj: [400, 10024, 'stream external delivery prefix {prefix} must not contain wildcards'],
  InvalidJSON: [400, 10025, 'invalid JSON'],
  MaximumConsumersLimit: [400, 10026, 'maximum consumers limit reached'],
  MaximumStreamsLimit: [400, 10027, 'maximum number of streams reached'],
  MemoryResourcesExceeded: [500, 10028, 'insufficient memory resources available'],
  MirrorConsumerSetupFailed: [500, 10029, '{err}'],
  MirrorMaxMessageSizeTooBig: [400, 10030, 'stream mirror must have max message size >= source'],
  MirrorWithSources: [400, 10031, 'stream mirrors can not also contain other sources'],
  MirrorWithSubjects: [400, 10034, 'stream mirrors can not contain subjects'],
  NoAccount: [503, 10035, 'account not found'],
  NoMessageFound: [404, 10037, 'no message found'],
  NotEmptyRequest: [400, 10038, 'expected an empty request payload'],
  NotEnabledForAccount: [503, 10039, 'JetStream not enabled for account'],
  SequenceNotFound: [400, 10043, 'sequence {seq} not found'],
  SourceConsumerSetupFailed: [500, 10045, '{err}'],
  SourceMaxMessageSizeTooBig: [400, 10046, 'stream source must have max message size >= target'],
  StorageResourcesExceeded: [500, 10047, 'insufficient storage resources available'],
  StreamCreate: [500, 10049, '{err}'],
  StreamDelete: [500, 10050, '{err}'],
  StreamInvalidConfig: [500, 10052, '{err}'],
  StreamLimits: [500, 10053, '{err}'],
  StreamMessageExceedsMaximum: [400, 10054, 'message size exceeds maximum allowed'],
  StreamMirrorNotUpdatable: [400, 10055, 'stream mirror configuration can not be updated'],
  StreamMismatch: [400, 10056, 'stream name in subject does not match request'],
  StreamMsgDeleteFailed: [500, 10057, '{err}'],
  StreamNameExist: [400, 10058, 'stream name already in use with a different configuration'],
  StreamNotFound: [404, 10059, 'stream not found'],
  StreamNotMatch: [400, 10060, 'expected stream does not match'],
  StreamSubjectOverlap: [400, 10065, 'subjects overlap with an existing stream'],
  StreamUpdate: [500, 10069, '{err}'],
  StreamWrongLastMsgID: [400, 10070, 'wrong last msg ID: {id}'],
  StreamWrongLastSequence: [400, 10071, 'wrong last sequence: {seq}'],
  StreamReplicasNotSupported: [500, 10074, 'replicas > 1 not supported in non-clustered mode'],
  NotEnabled: [503, 10076, 'JetStream not enabled'],
  StreamStoreFailed: [503, 10077, '{err}'],
  ConsumerConfigRequired: [400, 10078, 'consumer config required'],
  ConsumerDeliverToWildcards: [400, 10079, 'consumer deliver subject has wildcards'],
  ConsumerPushMaxWaiting: [400, 10080, 'consumer in push mode can not set max waiting'],
  ConsumerDeliverCycle: [400, 10081, 'consumer deliver subject forms a cycle'],
  ConsumerMaxPendingAckPolicyRequired: [400, 10082, 'consumer requires ack policy for max ack pending'],
  ConsumerSmallHeartbeat: [400, 10083, 'consumer idle heartbeat needs to be >= 100ms'],
  ConsumerPullRequiresAck: [400, 10084, 'consumer in pull mode requires ack policy'],
  ConsumerPullWithRateLimit: [400, 10086, 'consumer in pull mode can not have rate limit set'],
  ConsumerMaxWaitingNegative: [400, 10087, 'consumer max waiting needs to be positive'],
  ConsumerHBRequiresPush: [400, 10088, 'consumer idle heartbeat requires a push based consumer'],
  ConsumerFCRequiresPush: [400, 10089, 'consumer flow control requires a push based consumer'],
  ConsumerDirectRequiresPush: [400, 10090, 'consumer direct requires a push based consumer'],
  ConsumerDirectRequiresEphemeral: [400, 10091, 'consumer direct requires an ephemeral consumer'],
  ConsumerFilterNotSubset: [400, 10093, 'consumer filter subject is not a valid subset of the interest subjects'],
  ConsumerInvalidPolicy: [400, 10094, '{err}'],
  ConsumerInvalidSampling: [400, 10095, 'failed to parse consumer sampling configuration: {err}'],
  StreamInvalid: [500, 10096, 'stream not valid'],
  StreamHeaderExceedsMaximum: [400, 10097, 'header size exceeds maximum allowed of 64k'],
  ConsumerWQRequiresExplicitAck: [400, 10098, 'workqueue stream requires explicit ack'],
  ConsumerWQMultipleUnfiltered: [400, 10099, 'multiple non-filtered consumers not allowed on workqueue stream'],
  ConsumerWQConsumerNotUnique: [400, 10100, 'filtered consumer not unique on workqueue stream'],
  ConsumerWQConsumerNotDeliverAll: [400, 10101, 'consumer must be deliver all on workqueue stream'],
  ConsumerNameTooLong: [400, 10102, 'consumer name is too long, maximum allowed is {max}'],
  ConsumerBadDurableName: [400, 10103, "durable name can not contain '.', '*', '>'"],
  ConsumerStoreFailed: [500, 10104, 'error creating store for consumer: {err}'],
  ConsumerExistingActive: [400, 10105, 'consumer already exists and is still active'],
  ConsumerReplacementWithDifferentName: [400, 10106, 'consumer replacement durable config not the same'],
  ConsumerDescriptionTooLong: [400, 10107, 'consumer description is too long, maximum allowed is {max}'],
  ConsumerWithFlowControlNeedsHeartbeats: [400, 10108, 'consumer with flow control also needs heartbeats'],
  StreamSealed: [400, 10109, 'invalid operation on sealed stream'],
  StreamPurgeFailed: [500, 10110, '{err}'],
  StreamRollupFailed: [500, 10111, '{err}'],
  ConsumerInvalidDeliverSubject: [400, 10112, 'invalid push consumer deliver subject'],
  StreamMaxBytesRequired: [400, 10113, 'account requires a stream config to have max bytes set'],
  ConsumerMaxRequestBatchNegative: [400, 10114, 'consumer max request batch needs to be > 0'],
  ConsumerMaxRequestExpiresToSmall: [400, 10115, 'consumer max request expires needs to be >= 1ms'],
  ConsumerMaxDeliverBackoff: [400, 10116, 'max deliver is required to be > length of backoff values'],
  NoLimits: [400, 10120, 'no JetStream default or applicable tiered limit present'],
  ConsumerMaxPendingAckExcess: [400, 10121, 'consumer max ack pending exceeds system limit of {limit}'],
  StreamMaxStreamBytesExceeded: [400, 10122, 'stream max bytes exceeds account limit max stream bytes'],
  ConsumerMaxRequestBatchExceeded: [400, 10125, 'consumer max request batch exceeds server limit of {limit}'],
  ConsumerReplicasExceedsStream: [400, 10126, 'consumer config replica count exceeds parent stream'],
  ConsumerNameContainsPathSeparators: [400, 10127, 'Consumer name can not contain path separators'],
  StreamNameContainsPathSeparators: [400, 10128, 'Stream name can not contain path separators'],
  ConsumerCreateFilterSubjectMismatch: [400, 10131, 'Consumer create request did not match filtered subject from create subject'],
  ConsumerCreateDurableAndNameMismatch: [400, 10132, 'Consumer Durable and Name have to be equal if both are provided'],
  ReplicasCountCannotBeNegative: [400, 10133, 'replicas count cannot be negative'],
} as const satisfies Record<string, readonly [number, number, string]>;

export type ApiErrorName = keyof typeof API_ERRORS;

type Placeholders<T extends string> = T extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
type ParamsOf<K extends ApiErrorName> = Placeholders<(typeof API_ERRORS)[K][2]>;

/**
 * The API error `name` with its placeholders filled: `apiError('StreamNotFound')`,
 * `apiError('StreamInvalidConfig', { err: 'duplicate subjects detected' })`.
 */
export function apiError<K extends ApiErrorName>(name: K, ...params: [ParamsOf<K>] extends [never] ? [] : [Record<ParamsOf<K>, string | number>]): ApiError {
  const [code, errCode, template] = API_ERRORS[name];
  const values = (params[0] ?? {}) as Record<string, string | number>;
  const description = template.replace(/\{(\w+)\}/g, (_, p: string) => String(values[p]));
  return { code, err_code: errCode, description };
}

/** Whether a value returned by a validator is an ApiError (validators return the config or the error). */
export function isApiError(v: unknown): v is ApiError {
  return typeof v === 'object' && v !== null && 'err_code' in v && 'description' in v && 'code' in v;
}

/** Refusal texts of nats-server's stores (store.go); a publish refused by the store gets 10077 with this text. */
export const StoreRefusal = {
  MaxMsgs: 'maximum messages exceeded',
  MaxBytes: 'maximum bytes exceeded',
  MaxMsgsPerSubject: 'maximum messages per subject exceeded',
  /** A sequence past the end of the stream (MSG.DELETE answers 10057 with it). */
  EOF: 'stream store EOF',
  MsgNotFound: 'no message found',
} as const;

/** Texts nats-server wraps in 10057 / 10110 / 10111 when a stream's flags forbid the operation. */
export const NotPermitted = {
  MsgDelete: 'message delete not permitted',
  Purge: 'stream purge not permitted',
  Rollup: 'rollup not permitted',
} as const;

const PENDING_MSGS = 'Nats-Pending-Messages';
const PENDING_BYTES = 'Nats-Pending-Bytes';

function status(line: string): string {
  return `NATS/1.0 ${line}\r\n\r\n`;
}

function statusWithPending(line: string, msgs: number, bytes: number): string {
  return `NATS/1.0 ${line}\r\n${PENDING_MSGS}: ${msgs}\r\n${PENDING_BYTES}: ${bytes}\r\n\r\n`;
}

/**
 * Header blocks (no payload) sent to a pull request's reply subject (consumer.go processNextMsgRequest and
 * friends). The `msgs`/`bytes` members are what was left of the request (nats.js subtracts them).
 */
export const PullStatus = {
  NoMessages: status('404 No Messages'),
  RequestsPending: status('408 Requests Pending'),
  requestTimeout: (msgs: number, bytes: number): string => statusWithPending('408 Request Timeout', msgs, bytes),
  /** Only for requests that came through an account import. */
  interestExpired: (msgs: number, bytes: number): string => statusWithPending('408 Interest Expired', msgs, bytes),
  messageSizeExceedsMaxBytes: (msgs: number, bytes: number): string => statusWithPending('409 Message Size Exceeds MaxBytes', msgs, bytes),
  ExceededMaxWaiting: status('409 Exceeded MaxWaiting'),
  exceededMaxRequestBatch: (max: number): string => status(`409 Exceeded MaxRequestBatch of ${max}`),
  /** `max` already written as a Go duration (util goDuration), e.g. `5s`. */
  exceededMaxRequestExpires: (max: string): string => status(`409 Exceeded MaxRequestExpires of ${max}`),
  exceededMaxRequestMaxBytes: (max: number): string => status(`409 Exceeded MaxRequestMaxBytes of ${max}`),
  ConsumerIsPushBased: status('409 Consumer is push based'),
  ConsumerDeleted: status('409 Consumer Deleted'),
  /** To every waiting request when the server shuts down (jetstream.go). */
  serverShutdown: (msgs: number, bytes: number): string => statusWithPending('409 Server Shutdown', msgs, bytes),
  /** `reason`: the decoder's text, or PULL_HEARTBEAT_TOO_LARGE. */
  badRequest: (reason: string): string => status(`400 Bad Request - ${reason}`),
} as const;

/** The reason of a 400 for a pull request whose idle_heartbeat is more than half its expires. */
export const PULL_HEARTBEAT_TOO_LARGE = 'heartbeat value too large';

/**
 * The idle heartbeat of push consumers and waiting pull requests: last consumer sequence and stream cursor - 1,
 * and while stalled on flow control the subject the client must answer.
 */
export function idleHeartbeat(lastConsumerSeq: number, lastStreamSeq: number, stalledOn: string | null): string {
  const stalled = stalledOn === null ? '' : `${CONSUMER_STALLED}: ${stalledOn}\r\n`;
  return `NATS/1.0 100 Idle Heartbeat\r\n${LAST_CONSUMER_SEQ}: ${lastConsumerSeq}\r\nNats-Last-Stream: ${lastStreamSeq}\r\n${stalled}\r\n`;
}

/** The idle heartbeat's headers a reader of a push consumer checks (a source reading another domain). */
export const LAST_CONSUMER_SEQ = 'Nats-Last-Consumer';
export const CONSUMER_STALLED = 'Nats-Consumer-Stalled';
/** Control messages (idle heartbeats, flow control requests) start so and carry no body. */
export const CONTROL_STATUS = 'NATS/1.0 100 ';

export const FLOW_CONTROL_REQUEST = status('100 FlowControl Request');

/** Status replies of DIRECT.GET (stream.go processDirectGetRequest). */
export const DirectGetStatus = {
  NotFound: status('404 Message Not Found'),
  EmptyRequest: status('408 Empty Request'),
  MalformedRequest: status('408 Malformed Request'),
  BadRequest: status('408 Bad Request'),
} as const;
