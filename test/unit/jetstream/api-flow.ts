// The order in which a $JS.API handler calls the config layer, as nats-server 2.9.10 runs its checks; the
// unit tables drive it and test/interop/jetstream-config.test.ts holds the same tables against nats-server.
// The account is a map of streams (with their consumers); a reply is the `error` or `config` member's JSON.

import { encodeJson } from '../../../src/jetstream/json.js';
import { apiError, isApiError } from '../../../src/jetstream/errors.js';
import type { ApiError } from '../../../src/jetstream/errors.js';
import { parseApiBody } from '../../../src/jetstream/api-envelope.js';
import { checkStreamUpdate, decodeStreamConfig, normalizeStreamCreate, normalizeStreamUpdate, streamConfigToJson, streamConfigsEqual, streamsOverlap } from '../../../src/jetstream/stream-config.js';
import type { StreamConfig, StreamConfigContext } from '../../../src/jetstream/stream-config.js';
import {
  checkConsumerConfig,
  checkConsumerUpdate,
  checkCreateRequest,
  checkWorkQueueConsumer,
  consumerConfigToJson,
  decodeCreateConsumerRequest,
  nameNewConsumer,
  parseCreateSubject,
} from '../../../src/jetstream/consumer-config.js';
import type { ConsumerConfig } from '../../../src/jetstream/consumer-config.js';
import { subjectFromText } from '../../../src/util/index.js';

interface StreamEntry {
  config: StreamConfig;
  consumers: Map<string, ConsumerConfig>;
}

export type Account = Map<string, StreamEntry>;

/** What a request got: the JSON of its `error` or of its `config`, or `no reply`. */
export type Outcome = string;
export const NO_REPLY = 'no reply';

const errorJson = (e: ApiError): string => encodeJson({ code: e.code, err_code: e.err_code, description: e.description });

function context(account: Account): StreamConfigContext {
  return { lookupStream: (name) => account.get(name)?.config };
}

function body(text: string): ReturnType<typeof parseApiBody> {
  return parseApiBody(Buffer.from(text, 'utf8'));
}

/** `$JS.API.STREAM.CREATE.<name>` or `.UPDATE.<name>` (subject as text). */
export function streamRequest(account: Account, subject: string, text: string): Outcome {
  const [, , , verb, name, ...rest] = subjectFromText(subject).split('.');
  if (rest.length > 0 || name === undefined) return NO_REPLY;
  const json = body(text);
  if (isApiError(json)) return errorJson(json);
  const decoded = decodeStreamConfig(json);
  if (isApiError(decoded)) return errorJson(decoded);
  const ctx = context(account);
  if (verb === 'CREATE') {
    const cfg = normalizeStreamCreate(decoded, name, ctx);
    if (isApiError(cfg)) return errorJson(cfg);
    const existing = account.get(cfg.name);
    if (existing !== undefined) return streamConfigsEqual(existing.config, cfg) ? configJson(cfg) : errorJson(apiError('StreamNameExist'));
    if ([...account.values()].some((s) => streamsOverlap(s.config.subjects, cfg.subjects))) return errorJson(apiError('StreamSubjectOverlap'));
    account.set(cfg.name, { config: cfg, consumers: new Map() });
    return configJson(cfg);
  }
  const cfg = normalizeStreamUpdate(decoded, name, ctx);
  if (isApiError(cfg)) return errorJson(cfg);
  const entry = account.get(name);
  if (entry === undefined) return errorJson(apiError('StreamNotFound'));
  const updated = checkStreamUpdate(entry.config, cfg);
  if (isApiError(updated)) return errorJson(updated);
  if ([...account.values()].some((s) => s !== entry && streamsOverlap(s.config.subjects, updated.subjects))) return errorJson(apiError('StreamSubjectOverlap'));
  entry.config = updated;
  return configJson(updated);
}

function configJson(cfg: StreamConfig): Outcome {
  return encodeJson(streamConfigToJson(cfg));
}

let generated = 0;

/** `$JS.API.CONSUMER.CREATE...` / `CONSUMER.DURABLE.CREATE...` (subject as text). */
export function consumerRequest(account: Account, subject: string, text: string): Outcome {
  const bytes = subjectFromText(subject);
  const at = bytes.startsWith('$JS.API.') ? parseCreateSubject(bytes.slice('$JS.API.'.length)) : null;
  if (at === null) return NO_REPLY;
  const json = body(text);
  if (isApiError(json)) return errorJson(json);
  const req = decodeCreateConsumerRequest(json);
  if (isApiError(req)) return errorJson(req);
  const requested = checkCreateRequest(req, at);
  if (isApiError(requested)) return errorJson(requested);
  const stream = account.get(req.streamName);
  if (stream === undefined) return errorJson(apiError('StreamNotFound'));
  const cfg = checkConsumerConfig(requested, { stream: stream.config, lookupStream: (n) => account.get(n)?.config });
  if (isApiError(cfg)) return errorJson(cfg);
  const key = cfg.durableName !== '' ? cfg.durableName : cfg.name;
  const old = key === '' ? undefined : stream.consumers.get(key);
  if (old !== undefined) {
    const updated = checkConsumerUpdate(old, cfg, false);
    if (isApiError(updated)) return errorJson(updated);
    stream.consumers.set(key, updated);
    return encodeJson(consumerConfigToJson(updated));
  }
  const wq = checkWorkQueueConsumer(cfg, stream.config, [...stream.consumers.values()]);
  if (wq !== null) return errorJson(wq);
  const named = nameNewConsumer(cfg, () => `gen${++generated}`);
  if (isApiError(named)) return errorJson(named);
  stream.consumers.set(named.name, named.config);
  return encodeJson(consumerConfigToJson(named.config));
}
