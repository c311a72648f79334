// $JS.API.STREAM.DELETE.<stream>: the stream and everything it stored are gone.

import { apiError } from '../errors.js';
import { ResponseType } from '../api-envelope.js';
import type { ApiHandler } from './request.js';

export const streamDelete: ApiHandler = (acc, req) => {
  const type = ResponseType.StreamDelete;
  if (req.tokens.length !== 3) return;
  // nats-server insists on an empty body (or `{}`) so a delete is never a misdirected request.
  const text = req.body.toString('utf8').trim();
  if (text !== '' && text !== '{}') return acc.fail(req.reply, type, apiError('NotEmptyRequest'));
  const stream = acc.streams.get(req.tokens[2]);
  if (stream === undefined) return acc.fail(req.reply, type, apiError('StreamNotFound'));
  acc.streams.delete(stream.name);
  // Sent whether or not removing the files fails, as nats-server sends them when it stops the stream.
  acc.advisories.streamDeleted(stream.name, stream.consumers.keys());
  try {
    stream.destroy();
  } catch (err) {
    acc.log.error(`JetStream: deleting stream '${acc.account.name} > ${stream.name}' failed: ${(err as Error).message}`);
    return acc.fail(req.reply, type, apiError('StreamDelete', { err: (err as Error).message }));
  }
  acc.respond(req.reply, type, { success: true });
};
