// $JS.API.STREAM.PURGE.<stream>: all messages, or those of a subject, below a sequence, or all but the newest n.

import { StructFields, str, uint64 } from '../go-decode.js';
import { apiError, NotPermitted } from '../errors.js';
import type { PurgeRequest } from '../store/types.js';
import { subjectFromText } from '../../util/index.js';
import { ResponseType } from '../api-envelope.js';
import type { ApiHandler } from './request.js';

interface PurgeBody {
  filter: string;
  seq: number;
  keep: number;
}

const FIELDS = new StructFields<PurgeBody>({
  filter: (t, v) => void (t.filter = subjectFromText(str(v) ?? '')),
  seq: (t, v) => void (t.seq = uint64(v) ?? t.seq),
  keep: (t, v) => void (t.keep = uint64(v) ?? t.keep),
});

export const streamPurge: ApiHandler = (acc, req) => {
  const type = ResponseType.StreamPurge;
  if (req.tokens.length !== 3) return;
  const opts = acc.decodeBody<PurgeBody>(req, type, FIELDS, { filter: '', seq: 0, keep: 0 });
  if (opts === undefined) return;
  const stream = acc.streams.get(req.tokens[2]);
  if (stream === undefined) return acc.fail(req.reply, type, apiError('StreamNotFound'));
  if (stream.config.sealed) return acc.fail(req.reply, type, apiError('StreamSealed'));
  if (stream.config.denyPurge) return acc.fail(req.reply, type, apiError('StreamPurgeFailed', { err: NotPermitted.Purge }));
  if (opts.seq > 0 && opts.keep > 0) return acc.fail(req.reply, type, apiError('BadRequest'));
  const request: PurgeRequest = {};
  if (opts.filter !== '') request.filter = opts.filter;
  if (opts.seq > 0) request.seq = opts.seq;
  if (opts.keep > 0) request.keep = opts.keep;
  const purged = stream.purge(request);
  acc.respond(req.reply, type, { success: true, purged });
};
