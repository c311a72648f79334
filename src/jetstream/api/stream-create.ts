// $JS.API.STREAM.CREATE.<stream> and STREAM.UPDATE.<stream>.

import { checkStreamStorage } from '../account-limits.js';
import { apiError, isApiError } from '../errors.js';
import type { JsAccount } from '../js-account.js';
import { Stream } from '../stream.js';
import { checkStreamUpdate, decodeStreamConfig, normalizeStreamCreate, normalizeStreamUpdate, streamConfigsEqual, streamsOverlap } from '../stream-config.js';
import type { StreamConfig } from '../stream-config.js';
import { PLAIN_INFO, streamInfo, streamInfoWithSources } from '../stream-info.js';
import { ResponseType } from '../api-envelope.js';
import type { ApiHandler } from './request.js';

export const streamCreate: ApiHandler = (acc, req) => {
  const type = ResponseType.StreamCreate;
  if (req.tokens.length !== 3) return;
  const body = acc.body(req, type);
  if (body === undefined) return;
  const decoded = decodeStreamConfig(body);
  if (isApiError(decoded)) return acc.fail(req.reply, type, decoded);
  const cfg = normalizeStreamCreate(decoded, req.tokens[2], acc.context());
  if (isApiError(cfg)) return acc.fail(req.reply, type, cfg);
  const existing = acc.streams.get(cfg.name);
  if (existing !== undefined) {
    if (!streamConfigsEqual(existing.config, cfg)) return acc.fail(req.reply, type, apiError('StreamNameExist'));
    return acc.respond(req.reply, type, { ...streamInfo(existing, PLAIN_INFO), did_create: true });
  }
  if (overlapsAnother(acc, cfg)) return acc.fail(req.reply, type, apiError('StreamSubjectOverlap'));
  const maxStreams = acc.limits.maxStreams;
  if (maxStreams > 0 && acc.streams.size >= maxStreams) return acc.fail(req.reply, type, apiError('MaximumStreamsLimit'));
  const storage = checkStreamStorage(acc.limits, cfg.storage, cfg.maxBytes);
  if (storage !== null) return acc.fail(req.reply, type, storage);
  let stream: Stream;
  try {
    const created = acc.stores.create(cfg);
    stream = new Stream(acc, cfg, created.store, created.createdNs);
  } catch (err) {
    acc.log.error(`JetStream: creating stream '${acc.account.name} > ${cfg.name}' failed: ${(err as Error).message}`);
    return acc.fail(req.reply, type, apiError('StreamCreate', { err: (err as Error).message }));
  }
  acc.streams.set(cfg.name, stream);
  stream.attach();
  acc.linkSources();
  acc.advisories.streamAction(stream.name, 'create');
  acc.respond(req.reply, type, { ...streamInfo(stream, PLAIN_INFO), did_create: true });
};

export const streamUpdate: ApiHandler = (acc, req) => {
  const type = ResponseType.StreamUpdate;
  if (req.tokens.length !== 3) return;
  const body = acc.body(req, type);
  if (body === undefined) return;
  const decoded = decodeStreamConfig(body);
  if (isApiError(decoded)) return acc.fail(req.reply, type, decoded);
  const cfg = normalizeStreamUpdate(decoded, req.tokens[2], acc.context());
  if (isApiError(cfg)) return acc.fail(req.reply, type, cfg);
  const stream = acc.streams.get(cfg.name);
  if (stream === undefined) return acc.fail(req.reply, type, apiError('StreamNotFound'));
  const updated = checkStreamUpdate(stream.config, cfg);
  if (isApiError(updated)) return acc.fail(req.reply, type, updated);
  if (overlapsAnother(acc, updated)) return acc.fail(req.reply, type, apiError('StreamSubjectOverlap'));
  acc.stores.saveConfig(stream.store, updated, stream.createdNs);
  stream.update(updated);
  acc.linkSources();
  acc.advisories.streamAction(stream.name, 'modify');
  acc.respond(req.reply, type, streamInfoWithSources(stream, PLAIN_INFO));
};

function overlapsAnother(acc: JsAccount, cfg: StreamConfig): boolean {
  for (const other of acc.streams.values()) {
    if (other.name !== cfg.name && streamsOverlap(other.config.subjects, cfg.subjects)) return true;
  }
  return false;
}
