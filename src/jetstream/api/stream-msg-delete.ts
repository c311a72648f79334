// $JS.API.STREAM.MSG.DELETE.<stream>: removes one message.

import { bool, StructFields, uint64 } from '../go-decode.js';
import { apiError, NotPermitted, StoreRefusal } from '../errors.js';
import { ResponseType } from '../api-envelope.js';
import type { ApiHandler } from './request.js';

interface DeleteBody {
  seq: number;
  noErase: boolean;
}

const FIELDS = new StructFields<DeleteBody>({
  seq: (t, v) => void (t.seq = uint64(v) ?? t.seq),
  no_erase: (t, v) => void (t.noErase = bool(v) ?? t.noErase),
});

export const streamMsgDelete: ApiHandler = (acc, req) => {
  const type = ResponseType.StreamMsgDelete;
  if (req.tokens.length !== 4) return;
  const opts = acc.decodeBody<DeleteBody>(req, type, FIELDS, { seq: 0, noErase: false });
  if (opts === undefined) return;
  const stream = acc.streams.get(req.tokens[3]);
  if (stream === undefined) return acc.fail(req.reply, type, apiError('StreamNotFound'));
  if (stream.config.sealed) return acc.fail(req.reply, type, apiError('StreamSealed'));
  if (stream.config.denyDelete) return acc.fail(req.reply, type, apiError('StreamMsgDeleteFailed', { err: NotPermitted.MsgDelete }));
  if (opts.seq > stream.store.state().lastSeq) return acc.failAsResponse(req.reply, type, apiError('StreamMsgDeleteFailed', { err: StoreRefusal.EOF }));
  // no_erase is accepted either way: the row is deleted, its bytes stay in free pages until SQLite reuses them.
  if (!stream.store.remove(opts.seq)) return acc.failAsResponse(req.reply, type, apiError('SequenceNotFound', { seq: opts.seq }));
  stream.messagesRemoved(opts.seq);
  acc.respond(req.reply, type, { success: true });
};
