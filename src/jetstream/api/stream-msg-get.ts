// $JS.API.STREAM.MSG.GET.<stream>: one stored message as JSON, headers and data in base64.

import { apiError } from '../errors.js';
import { subjectToText } from '../../util/index.js';
import { formatTime } from '../time.js';
import { decodeMsgGet, isValidMsgGet, lookupMsg } from './msg-lookup.js';
import { apiResponse, ResponseType } from '../api-envelope.js';
import type { ApiHandler } from './request.js';

export const streamMsgGet: ApiHandler = (acc, req) => {
  const type = ResponseType.StreamMsgGet;
  if (req.tokens.length !== 4) return;
  const body = acc.body(req, type);
  if (body === undefined) return;
  const get = body === null ? null : decodeMsgGet(body);
  if (body !== null && get === null) return acc.fail(req.reply, type, apiError('InvalidJSON'));
  const stream = acc.streams.get(req.tokens[3]);
  if (stream === undefined) return acc.fail(req.reply, type, apiError('StreamNotFound'));
  if (get === null || !isValidMsgGet(get)) return acc.fail(req.reply, type, apiError('BadRequest'));
  const msg = lookupMsg(stream.store, get);
  if (msg === null) return acc.fail(req.reply, type, apiError('NoMessageFound'));
  // nats-server sends the message outside its API accounting: a successful get is not counted.
  acc.send(req.reply, apiResponse(type, {
    message: {
      subject: subjectToText(msg.subject),
      seq: msg.seq,
      hdrs: msg.hdr === null || msg.hdr.length === 0 ? undefined : msg.hdr.toString('base64'),
      data: msg.data.length === 0 ? undefined : msg.data.toString('base64'),
      time: formatTime(msg.timeNs),
    },
  }));
};
