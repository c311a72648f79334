// StreamConfig as nats-server 2.9.10 takes it: decoding the JSON body, the defaults the server fills in,
// the validation of STREAM.CREATE / STREAM.UPDATE with the server's exact errors and in its order, and
// the JSON written back (2.9 fields only: nats.js re-sends what it gets and refuses 2.10 fields below 2.10).
// Names and subjects are byte strings inside (see subject-text.ts), UTF-8 text in JSON.

import { SubjectTransform } from '../core/index.js';
import { apiError } from './errors.js';
import type { ApiError } from './errors.js';
import { DecodeError, StructFields, bool, duration, int32, int64, list, oneOf, str, time, uint64 } from './go-decode.js';
import type { JsonValue } from './json.js';
import { subjectToText } from '../util/index.js';
import { subjectMember as subject } from './subject-text.js';
import { isLiteralSubject, isValidSubject, subjectIsSubsetOf, subjectsCollide } from './subjects.js';
import { formatTime } from './time.js';
import type { ZonedTime } from './time.js';

export type RetentionPolicy = 'limits' | 'interest' | 'workqueue';
export type DiscardPolicy = 'old' | 'new';
export type StorageType = 'file' | 'memory';

export interface ExternalStream {
  /** API prefix, e.g. `$JS.hub.API` (byte string). */
  api: string;
  deliver: string;
}

export interface StreamSource {
  name: string;
  optStartSeq: number;
  optStartTime: ZonedTime | null;
  filterSubject: string;
  external: ExternalStream | null;
}

export interface RePublish {
  src: string;
  dest: string;
  headersOnly: boolean;
}

export interface Placement {
  cluster: string;
  tags: string[];
}

export interface StreamConfig {
  name: string;
  description: string;
  subjects: string[];
  retention: RetentionPolicy;
  maxConsumers: number;
  maxMsgs: number;
  maxBytes: number;
  /** Nanoseconds; 0 = unlimited. */
  maxAge: bigint;
  maxMsgsPerSubject: number;
  maxMsgSize: number;
  discard: DiscardPolicy;
  storage: StorageType;
  numReplicas: number;
  noAck: boolean;
  templateOwner: string;
  /** Nanoseconds. */
  duplicateWindow: bigint;
  placement: Placement | null;
  mirror: StreamSource | null;
  sources: StreamSource[];
  republish: RePublish | null;
  allowDirect: boolean;
  mirrorDirect: boolean;
  discardNewPerSubject: boolean;
  sealed: boolean;
  denyDelete: boolean;
  denyPurge: boolean;
  allowRollupHdrs: boolean;
}

/** What the checks need to know about the account around the stream. */
export interface StreamConfigContext {
  /** Another stream of the same account (mirror and source checks), or undefined. */
  lookupStream(name: string): StreamConfig | undefined;
  /** The account's byte limits for a stream of this storage: max_bytes required, max stream bytes (0 = none). */
  maxBytesLimits?(storage: StorageType): { required: boolean; limit: number };
  /** The account's limits check nats-server runs between the create request checks and the config checks. */
  checkAccountLimits?(cfg: StreamConfig): ApiError | null;
  /** Recovering at start: source/mirror filters are not checked against their origin (as nats-server). */
  recovering?: boolean;
}

export const MAX_NAME_LEN = 255;
export const MAX_DESCRIPTION_LEN = 4 * 1024;
const MS = 1_000_000n;
const DEFAULT_DUPLICATE_WINDOW = 120_000n * MS;
const MIN_WINDOW = 100n * MS;
const JS_API_PREFIX = '$JS.API';

function emptyStreamConfig(): StreamConfig {
  return {
    name: '',
    description: '',
    subjects: [],
    retention: 'limits',
    maxConsumers: 0,
    maxMsgs: 0,
    maxBytes: 0,
    maxAge: 0n,
    maxMsgsPerSubject: 0,
    maxMsgSize: 0,
    discard: 'old',
    storage: 'file',
    numReplicas: 0,
    noAck: false,
    templateOwner: '',
    duplicateWindow: 0n,
    placement: null,
    mirror: null,
    sources: [],
    republish: null,
    allowDirect: false,
    mirrorDirect: false,
    discardNewPerSubject: false,
    sealed: false,
    denyDelete: false,
    denyPurge: false,
    allowRollupHdrs: false,
  };
}

const EXTERNAL = new StructFields<ExternalStream>({
  api: (t, v) => void (t.api = subject(v) ?? t.api),
  deliver: (t, v) => void (t.deliver = subject(v) ?? t.deliver),
});

function external(v: JsonValue): ExternalStream | null {
  if (v === null) return null;
  const e = { api: '', deliver: '' };
  EXTERNAL.decode(e, v);
  return e;
}

const SOURCE = new StructFields<StreamSource>({
  name: (t, v) => void (t.name = subject(v) ?? t.name),
  opt_start_seq: (t, v) => void (t.optStartSeq = uint64(v) ?? t.optStartSeq),
  opt_start_time: (t, v) => void (t.optStartTime = time(v)),
  filter_subject: (t, v) => void (t.filterSubject = subject(v) ?? t.filterSubject),
  external: (t, v) => void (t.external = external(v)),
});

function source(v: JsonValue): StreamSource | undefined {
  if (v === null) return undefined;
  const s: StreamSource = { name: '', optStartSeq: 0, optStartTime: null, filterSubject: '', external: null };
  SOURCE.decode(s, v);
  return s;
}

const REPUBLISH = new StructFields<RePublish>({
  src: (t, v) => void (t.src = subject(v) ?? t.src),
  dest: (t, v) => void (t.dest = subject(v) ?? t.dest),
  headers_only: (t, v) => void (t.headersOnly = bool(v) ?? t.headersOnly),
});

const PLACEMENT = new StructFields<Placement>({
  cluster: (t, v) => void (t.cluster = str(v) ?? t.cluster),
  tags: (t, v) => void (t.tags = list(v, str, '') ?? []),
});

const RETENTION: Record<string, RetentionPolicy> = { limits: 'limits', interest: 'interest', workqueue: 'workqueue' };
const DISCARD: Record<string, DiscardPolicy> = { old: 'old', new: 'new' };
const STORAGE: Record<string, StorageType> = { file: 'file', memory: 'memory' };

const STREAM = new StructFields<StreamConfig>({
  name: (t, v) => void (t.name = subject(v) ?? t.name),
  description: (t, v) => void (t.description = str(v) ?? t.description),
  subjects: (t, v) => void (t.subjects = list(v, subject, '') ?? []),
  retention: (t, v) => void (t.retention = oneOf(v, RETENTION)),
  max_consumers: (t, v) => void (t.maxConsumers = int64(v) ?? t.maxConsumers),
  max_msgs: (t, v) => void (t.maxMsgs = int64(v) ?? t.maxMsgs),
  max_bytes: (t, v) => void (t.maxBytes = int64(v) ?? t.maxBytes),
  max_age: (t, v) => void (t.maxAge = duration(v) ?? t.maxAge),
  max_msgs_per_subject: (t, v) => void (t.maxMsgsPerSubject = int64(v) ?? t.maxMsgsPerSubject),
  max_msg_size: (t, v) => void (t.maxMsgSize = int32(v) ?? t.maxMsgSize),
  discard: (t, v) => void (t.discard = oneOf(v, DISCARD)),
  storage: (t, v) => void (t.storage = oneOf(v, STORAGE)),
  num_replicas: (t, v) => void (t.numReplicas = int64(v) ?? t.numReplicas),
  no_ack: (t, v) => void (t.noAck = bool(v) ?? t.noAck),
  template_owner: (t, v) => void (t.templateOwner = str(v) ?? t.templateOwner),
  duplicate_window: (t, v) => void (t.duplicateWindow = duration(v) ?? t.duplicateWindow),
  placement: (t, v) => {
    if (v === null) t.placement = null;
    else PLACEMENT.decode((t.placement ??= { cluster: '', tags: [] }), v);
  },
  mirror: (t, v) => void (t.mirror = source(v) ?? null),
  sources: (t, v) => void (t.sources = list(v, source, { name: '', optStartSeq: 0, optStartTime: null, filterSubject: '', external: null }) ?? []),
  republish: (t, v) => {
    if (v === null) t.republish = null;
    else REPUBLISH.decode((t.republish ??= { src: '', dest: '', headersOnly: false }), v);
  },
  allow_direct: (t, v) => void (t.allowDirect = bool(v) ?? t.allowDirect),
  mirror_direct: (t, v) => void (t.mirrorDirect = bool(v) ?? t.mirrorDirect),
  discard_new_per_subject: (t, v) => void (t.discardNewPerSubject = bool(v) ?? t.discardNewPerSubject),
  sealed: (t, v) => void (t.sealed = bool(v) ?? t.sealed),
  deny_delete: (t, v) => void (t.denyDelete = bool(v) ?? t.denyDelete),
  deny_purge: (t, v) => void (t.denyPurge = bool(v) ?? t.denyPurge),
  allow_rollup_hdrs: (t, v) => void (t.allowRollupHdrs = bool(v) ?? t.allowRollupHdrs),
});

/** The body as Go decodes it into a StreamConfig (zero values for what is missing), or 10025. */
export function decodeStreamConfig(body: JsonValue): StreamConfig | ApiError {
  const cfg = emptyStreamConfig();
  try {
    STREAM.decode(cfg, body);
  } catch (e) {
    if (e instanceof DecodeError) return apiError('InvalidJSON');
    throw e;
  }
  return cfg;
}

function invalid(err: string): ApiError {
  return apiError('StreamInvalidConfig', { err });
}

/** Go's %q of a subject, for the few descriptions that quote one. */
function goQuote(bytes: string): string {
  return JSON.stringify(subjectToText(bytes));
}

/**
 * STREAM.CREATE.<subjectName> with a decoded body: the request checks, then the defaults and config checks.
 * The caller then refuses an existing stream with another config (10058, streamConfigsEqual) and subjects
 * overlapping another stream's (10065, streamsOverlap).
 */
export function normalizeStreamCreate(body: StreamConfig, subjectName: string, ctx: StreamConfigContext): StreamConfig | ApiError {
  if (body.name !== subjectName) return apiError('StreamMismatch');
  if (/[\\/]/.test(subjectName)) return apiError('StreamNameContainsPathSeparators');
  if (body.sealed) return invalid('stream configuration for create can not be sealed');
  if (body.mirrorDirect && body.mirror === null) return invalid('stream has no mirror but does have mirror direct');
  const limits = ctx.checkAccountLimits?.(body) ?? null;
  if (limits !== null) return limits;
  const cfg = checkStreamConfig(body, ctx);
  if ('err_code' in cfg) return cfg;
  if (cfg.numReplicas > 1) return apiError('StreamReplicasNotSupported');
  return cfg;
}

/**
 * STREAM.UPDATE.<subjectName> with a decoded body, up to finding the stream: config checks, then the name.
 * The caller answers 10059 for a missing stream, then calls checkStreamUpdate.
 */
export function normalizeStreamUpdate(body: StreamConfig, subjectName: string, ctx: StreamConfigContext): StreamConfig | ApiError {
  const cfg = checkStreamConfig(body, ctx);
  if ('err_code' in cfg) return cfg;
  if (cfg.name !== subjectName) return apiError('StreamMismatch');
  return cfg;
}

/**
 * What an update may change (nats-server configUpdateCheck), given the stored config and the normalized new
 * one: the config to store (a sealed stream gets its forced settings) or the error. The caller then checks
 * overlaps with the other streams (10065) and the account limits.
 */
export function checkStreamUpdate(old: StreamConfig, cfg: StreamConfig): StreamConfig | ApiError {
  if (cfg.name !== old.name) return invalid('stream configuration name must match original');
  if (cfg.maxConsumers !== old.maxConsumers) return invalid('stream configuration update can not change MaxConsumers');
  if (cfg.storage !== old.storage) return invalid('stream configuration update can not change storage type');
  if (cfg.retention !== old.retention) return invalid('stream configuration update can not change retention policy');
  if (old.templateOwner !== '') return invalid('stream configuration update not allowed on template owned stream');
  if (cfg.templateOwner !== '') return invalid('stream configuration update can not be owned by a template');
  if (!cfg.sealed && old.sealed) return invalid('stream configuration update can not unseal a sealed stream');
  if (!cfg.denyDelete && old.denyDelete) return invalid('stream configuration update can not cancel deny message deletes');
  if (!cfg.denyPurge && old.denyPurge) return invalid('stream configuration update can not cancel deny purge');
  if (!sourcesEqual(cfg.mirror, old.mirror)) return apiError('StreamMirrorNotUpdatable');
  if (!republishEqual(cfg.republish, old.republish)) return invalid('stream configuration update can not change RePublish');
  if (!cfg.sealed) return cfg;
  return { ...cfg, maxAge: 0n, discard: 'new', denyDelete: true, denyPurge: true, allowRollupHdrs: false };
}

/**
 * Defaults and validation of a stream config (nats-server checkStreamCfg), in the server's order so that
 * a config with several faults gets the same error.
 */
export function checkStreamConfig(input: StreamConfig, ctx: StreamConfigContext): StreamConfig | ApiError {
  if (!isValidName(input.name)) return invalid("stream name is required and can not contain '.', '*', '>'");
  if (input.name.length > MAX_NAME_LEN) return invalid(`stream name is too long, maximum allowed is ${MAX_NAME_LEN}`);
  if (Buffer.byteLength(input.description, 'utf8') > MAX_DESCRIPTION_LEN) return invalid(`stream description is too long, maximum allowed is ${MAX_DESCRIPTION_LEN}`);
  const cfg: StreamConfig = { ...input, subjects: [...input.subjects], sources: input.sources.map((s) => ({ ...s })), mirror: input.mirror === null ? null : { ...input.mirror }, republish: input.republish === null ? null : { ...input.republish } };

  if (cfg.numReplicas === 0) cfg.numReplicas = 1;
  if (cfg.numReplicas > 5) return invalid('maximum replicas is 5');
  if (cfg.numReplicas < 0) return apiError('ReplicasCountCannotBeNegative');
  if (cfg.maxMsgs === 0) cfg.maxMsgs = -1;
  if (cfg.maxMsgsPerSubject === 0) cfg.maxMsgsPerSubject = -1;
  if (cfg.maxBytes === 0) cfg.maxBytes = -1;
  if (cfg.maxMsgSize === 0) cfg.maxMsgSize = -1;
  if (cfg.maxConsumers === 0) cfg.maxConsumers = -1;
  if (cfg.duplicateWindow === 0n && cfg.mirror === null) {
    cfg.duplicateWindow = cfg.maxAge !== 0n && cfg.maxAge < DEFAULT_DUPLICATE_WINDOW ? cfg.maxAge : DEFAULT_DUPLICATE_WINDOW;
  }
  if (cfg.maxAge > 0n && cfg.maxAge < MIN_WINDOW) return invalid('max age needs to be >= 100ms');
  if (cfg.duplicateWindow < 0n) return invalid('duplicates window can not be negative');
  if (cfg.maxAge !== 0n && cfg.duplicateWindow > cfg.maxAge) return invalid('duplicates window can not be larger then max age');
  if (cfg.duplicateWindow > 0n && cfg.duplicateWindow < MIN_WINDOW) return invalid('duplicates window needs to be >= 100ms');
  if (cfg.denyPurge && cfg.allowRollupHdrs) return invalid('roll-ups require the purge permission');
  const perSubject = checkDiscardNewPerSubject(cfg);
  if (perSubject !== null) return perSubject;

  const origins = checkOrigins(cfg, ctx);
  if (origins !== null) return origins;

  if (cfg.subjects.length === 0) {
    if (cfg.mirror === null && cfg.sources.length === 0) cfg.subjects.push(cfg.name);
  } else {
    if (cfg.mirror !== null) return apiError('MirrorWithSubjects');
    const seen = new Set<string>();
    for (const s of cfg.subjects) {
      if (seen.has(s)) return invalid('duplicate subjects detected');
      if (subjectIsSubsetOf(s, `${JS_API_PREFIX}.>`)) return invalid('subjects overlap with jetstream api');
      if (!isValidSubject(s)) return invalid('invalid subject');
      seen.add(s);
    }
  }

  const bytes = ctx.maxBytesLimits?.(cfg.storage);
  if (bytes !== undefined) {
    if (bytes.required && cfg.maxBytes <= 0) return apiError('StreamMaxBytesRequired');
    if (bytes.limit > 0 && cfg.maxBytes > bytes.limit) return apiError('StreamMaxStreamBytesExceeded');
  }

  for (const s of cfg.subjects) {
    for (const t of cfg.subjects) {
      if (t !== s && subjectsCollide(t, s)) return invalid(`subject ${goQuote(s)} overlaps with ${goQuote(t)}`);
    }
  }

  if (cfg.republish !== null) {
    const rp = cfg.republish;
    if (rp.src === '') rp.src = '>';
    if (!cfg.subjects.some((s) => subjectsCollide(rp.src, s))) return invalid('stream configuration for republish source is not valid subset of subjects');
    if (cfg.subjects.some((s) => subjectsCollide(rp.dest, s))) return invalid('stream configuration for republish destination forms a cycle');
    if (SubjectTransform.create(rp.src, rp.dest) === null) return invalid('stream configuration for republish not valid');
  }
  return cfg;
}

function checkDiscardNewPerSubject(cfg: StreamConfig): ApiError | null {
  if (!cfg.discardNewPerSubject) return null;
  if (cfg.discard !== 'new') return invalid('discard new per subject requires discard new policy to be set');
  if (cfg.maxMsgsPerSubject <= 0) return invalid('discard new per subject requires max msgs per subject > 0');
  return null;
}

/** Mirror and sources: against the origin streams this account has, external prefixes, and cycles. */
function checkOrigins(cfg: StreamConfig, ctx: StreamConfigContext): ApiError | null {
  const originSubjects: string[] = [];
  const deliverPrefixes: string[] = [];
  const apiPrefixes: string[] = [];
  const filterOverlaps = (filter: string): boolean => filter === '' || originSubjects.length === 0 || originSubjects.some((s) => subjectsCollide(s, filter));

  if (cfg.mirror !== null) {
    const m = cfg.mirror;
    if (cfg.subjects.length > 0) return apiError('MirrorWithSubjects');
    if (cfg.sources.length > 0) return apiError('MirrorWithSources');
    const origin = ctx.lookupStream(m.name);
    if (origin !== undefined) {
      originSubjects.push(...origin.subjects);
      if (cfg.maxMsgSize > 0 && origin.maxMsgSize > 0 && cfg.maxMsgSize < origin.maxMsgSize) return apiError('MirrorMaxMessageSizeTooBig');
      if (ctx.recovering !== true && !filterOverlaps(m.filterSubject)) {
        return invalid(`mirror '${subjectToText(m.name)}' filter subject '${subjectToText(m.filterSubject)}' does not overlap with any origin stream subject`);
      }
      cfg.mirrorDirect = origin.allowDirect;
    }
    if (m.external !== null) {
      if (m.external.deliver !== '') deliverPrefixes.push(m.external.deliver);
      if (m.external.api !== '') apiPrefixes.push(m.external.api);
    }
  }
  for (const src of cfg.sources) {
    const origin = ctx.lookupStream(src.name);
    if (origin !== undefined) {
      originSubjects.push(...origin.subjects);
      if (cfg.maxMsgSize > 0 && origin.maxMsgSize > 0 && cfg.maxMsgSize < origin.maxMsgSize) return apiError('SourceMaxMessageSizeTooBig');
      if (ctx.recovering !== true && !filterOverlaps(src.filterSubject)) {
        return invalid(`source '${subjectToText(src.name)}' filter subject '${subjectToText(src.filterSubject)}' does not overlap with any origin stream subject`);
      }
    }
    if (src.external === null) continue;
    if (src.external.deliver !== '') deliverPrefixes.push(src.external.deliver);
    if (src.external.api !== '') apiPrefixes.push(src.external.api);
  }
  for (const prefix of deliverPrefixes) {
    if (!isValidSubject(prefix) || !isLiteralSubject(prefix)) return apiError('StreamInvalidExternalDeliverySubj', { prefix: subjectToText(prefix) });
    for (const s of originSubjects) {
      if (subjectsCollide(s, `${prefix}.${s}`)) return apiError('StreamExternalDelPrefixOverlaps', { prefix: subjectToText(prefix), subject: subjectToText(s) });
    }
  }
  for (const prefix of apiPrefixes) {
    if (!isValidSubject(prefix) || !isLiteralSubject(prefix)) return invalid(`stream external api prefix ${goQuote(prefix)} must be a valid subject without wildcards`);
    if (subjectsCollide(prefix, JS_API_PREFIX)) return apiError('StreamExternalApiOverlap', { prefix: subjectToText(prefix), subject: JS_API_PREFIX });
  }
  return findCycle(cfg, ctx) ? invalid('detected cycle') : null;
}

/** Whether following local sources and mirrors from cfg comes back to a stream already seen. */
function findCycle(cfg: StreamConfig, ctx: StreamConfigContext): boolean {
  const toVisit: StreamConfig[] = [cfg];
  const visited = new Set<string>();
  while (toVisit.length > 0) {
    const c = toVisit.shift() as StreamConfig;
    visited.add(c.name);
    for (const src of c.sources) {
      if (src.external !== null) continue;
      if (visited.has(src.name)) return true;
      const next = ctx.lookupStream(src.name);
      if (next !== undefined) toVisit.push(next);
    }
    const m = c.mirror;
    if (m !== null && m.external === null) {
      if (visited.has(m.name)) return true;
      const next = ctx.lookupStream(m.name);
      if (next !== undefined) toVisit.push(next);
    }
  }
  return false;
}

/** A stream or consumer name: not empty, no `.`, `*`, `>` or whitespace (nats-server isValidName). */
export function isValidName(name: string): boolean {
  return name !== '' && !/[ \t\r\n\f.*>]/.test(name);
}

/** Whether any subject of one list can match a subject of the other (the cross-stream check, 10065). */
export function streamsOverlap(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.some((y) => subjectsCollide(x, y)));
}

function sourcesEqual(a: StreamSource | null, b: StreamSource | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.name === b.name &&
    a.optStartSeq === b.optStartSeq &&
    sameTime(a.optStartTime, b.optStartTime) &&
    a.filterSubject === b.filterSubject &&
    (a.external === null || b.external === null ? a.external === b.external : a.external.api === b.external.api && a.external.deliver === b.external.deliver)
  );
}

function sameTime(a: ZonedTime | null, b: ZonedTime | null): boolean {
  if (a === null || b === null) return a === b;
  return a.ns === b.ns && a.offsetMinutes === b.offsetMinutes;
}

function republishEqual(a: RePublish | null, b: RePublish | null): boolean {
  if (a === null || b === null) return a === b;
  return a.src === b.src && a.dest === b.dest && a.headersOnly === b.headersOnly;
}

/** Whether a create with `b` is the same stream as the existing `a` (nats-server reflect.DeepEqual; else 10058). */
export function streamConfigsEqual(a: StreamConfig, b: StreamConfig): boolean {
  const scalars: (keyof StreamConfig)[] = ['name', 'description', 'retention', 'maxConsumers', 'maxMsgs', 'maxBytes', 'maxAge', 'maxMsgsPerSubject', 'maxMsgSize', 'discard', 'storage', 'numReplicas', 'noAck', 'templateOwner', 'duplicateWindow', 'allowDirect', 'mirrorDirect', 'discardNewPerSubject', 'sealed', 'denyDelete', 'denyPurge', 'allowRollupHdrs'];
  if (scalars.some((k) => a[k] !== b[k])) return false;
  if (a.subjects.length !== b.subjects.length || a.subjects.some((s, i) => s !== b.subjects[i])) return false;
  if (a.sources.length !== b.sources.length || a.sources.some((s, i) => !sourcesEqual(s, b.sources[i]))) return false;
  if (!sourcesEqual(a.mirror, b.mirror) || !republishEqual(a.republish, b.republish)) return false;
  if (a.placement === null || b.placement === null) return a.placement === b.placement;
  return a.placement.cluster === b.placement.cluster && a.placement.tags.join('\0') === b.placement.tags.join('\0');
}

function sourceJson(s: StreamSource): Record<string, unknown> {
  return {
    name: subjectToText(s.name),
    opt_start_seq: s.optStartSeq === 0 ? undefined : s.optStartSeq,
    opt_start_time: s.optStartTime === null ? undefined : formatTime(s.optStartTime.ns, s.optStartTime.offsetMinutes),
    filter_subject: s.filterSubject === '' ? undefined : subjectToText(s.filterSubject),
    external: s.external === null ? undefined : { api: subjectToText(s.external.api), deliver: subjectToText(s.external.deliver) },
  };
}

/** The config as nats-server 2.9.10 writes it (member order and omitempty as its struct tags say). */
export function streamConfigToJson(c: StreamConfig): Record<string, unknown> {
  return {
    name: subjectToText(c.name),
    description: c.description === '' ? undefined : c.description,
    subjects: c.subjects.length === 0 ? undefined : c.subjects.map(subjectToText),
    retention: c.retention,
    max_consumers: c.maxConsumers,
    max_msgs: c.maxMsgs,
    max_bytes: c.maxBytes,
    max_age: c.maxAge,
    max_msgs_per_subject: c.maxMsgsPerSubject,
    max_msg_size: c.maxMsgSize === 0 ? undefined : c.maxMsgSize,
    discard: c.discard,
    storage: c.storage,
    num_replicas: c.numReplicas,
    no_ack: c.noAck ? true : undefined,
    template_owner: c.templateOwner === '' ? undefined : c.templateOwner,
    duplicate_window: c.duplicateWindow === 0n ? undefined : c.duplicateWindow,
    placement: c.placement === null ? undefined : { cluster: c.placement.cluster === '' ? undefined : c.placement.cluster, tags: c.placement.tags.length === 0 ? undefined : c.placement.tags },
    mirror: c.mirror === null ? undefined : sourceJson(c.mirror),
    sources: c.sources.length === 0 ? undefined : c.sources.map(sourceJson),
    republish: c.republish === null ? undefined : { src: c.republish.src === '' ? undefined : subjectToText(c.republish.src), dest: subjectToText(c.republish.dest), headers_only: c.republish.headersOnly ? true : undefined },
    allow_direct: c.allowDirect,
    mirror_direct: c.mirrorDirect,
    discard_new_per_subject: c.discardNewPerSubject ? true : undefined,
    sealed: c.sealed,
    deny_delete: c.denyDelete,
    deny_purge: c.denyPurge,
    allow_rollup_hdrs: c.allowRollupHdrs,
  };
}
