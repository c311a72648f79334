// $JS.API.CONSUMER.CREATE.<stream>[.<consumer>[.<filter>]] and CONSUMER.DURABLE.CREATE.<stream>.<durable>:
// the checks in nats-server 2.9.10's order (see consumer-config.ts), then a new consumer or an update of
// the existing one.

import { apiError, isApiError } from '../errors.js';
import { parseApiBody, ResponseType } from '../api-envelope.js';
import { randomToken } from '../random-token.js';
import { consumerInfo } from '../consumer-info.js';
import {
  checkConsumerConfig,
  checkConsumerUpdate,
  checkCreateRequest,
  checkWorkQueueConsumer,
  consumerConfigToJson,
  decodeCreateConsumerRequest,
  nameNewConsumer,
  parseCreateSubject,
} from '../consumer-config.js';
import { encodeJson } from '../json.js';
import type { ApiHandler } from './request.js';

/** nats-server's generated names for unnamed ephemerals are 8 characters. */
const GENERATED_NAME_LEN = 8;

export const consumerCreate: ApiHandler = (acc, req) => {
  const type = ResponseType.ConsumerCreate;
  const at = parseCreateSubject(req.tokens.join('.'));
  if (at === null) return;
  const json = parseApiBody(req.body);
  if (isApiError(json)) return acc.fail(req.reply, type, json);
  const decoded = decodeCreateConsumerRequest(json);
  if (isApiError(decoded)) return acc.fail(req.reply, type, decoded);
  const requested = checkCreateRequest(decoded, at);
  if (isApiError(requested)) return acc.fail(req.reply, type, requested);
  const stream = acc.streams.get(decoded.streamName);
  if (stream === undefined) return acc.fail(req.reply, type, apiError('StreamNotFound'));
  const cfg = checkConsumerConfig(requested, { stream: stream.config, lookupStream: (n) => acc.streams.get(n)?.config });
  if (isApiError(cfg)) return acc.fail(req.reply, type, cfg);
  const key = cfg.durableName !== '' ? cfg.durableName : cfg.name;
  const old = key === '' ? undefined : stream.consumers.get(key);
  if (old !== undefined) {
    const updated = checkConsumerUpdate(old.config, cfg, old.isBound());
    if (isApiError(updated)) return acc.fail(req.reply, type, updated);
    if (updated !== old.config) {
      old.updated(updated);
      if (old.durable) stream.store.saveConsumer(old.name, encodeJson(consumerConfigToJson(updated)), old.createdNs);
    }
    return acc.respond(req.reply, type, consumerInfo(old));
  }
  if (stream.config.maxConsumers > 0 && stream.consumers.size >= stream.config.maxConsumers) return acc.fail(req.reply, type, apiError('MaximumConsumersLimit'));
  const wq = checkWorkQueueConsumer(cfg, stream.config, [...stream.consumers.values()].map((c) => c.config));
  if (wq !== null) return acc.fail(req.reply, type, wq);
  const named = nameNewConsumer(cfg, () => randomToken(GENERATED_NAME_LEN));
  if (isApiError(named)) return acc.fail(req.reply, type, named);
  const createdNs = BigInt(Date.now()) * 1_000_000n;
  const consumer = stream.addConsumer(named.name, named.config, createdNs, encodeJson(consumerConfigToJson(named.config)));
  acc.advisories.consumerAction(stream.name, consumer.name, 'create');
  acc.respond(req.reply, type, consumerInfo(consumer));
};

