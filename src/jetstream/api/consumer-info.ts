// $JS.API.CONSUMER.INFO, NAMES, LIST and DELETE of a stream's consumers.

import { StructFields, uint64 } from '../go-decode.js';
import { apiError } from '../errors.js';
import { ResponseType } from '../api-envelope.js';
import type { ResponseType as ResponseTypeT } from '../api-envelope.js';
import type { Consumer } from '../consumer.js';
import { consumerInfo } from '../consumer-info.js';
import type { JsAccount } from '../js-account.js';
import type { Stream } from '../stream.js';
import { subjectToText } from '../../util/index.js';
import type { ApiHandler, ApiRequest } from './request.js';

const NAMES_PAGE = 1024;
const LIST_PAGE = 256;

/** nats-server wants no body (or `{}`) where a request carries nothing. */
function isEmptyRequest(body: Buffer): boolean {
  const text = body.toString('utf8').trim();
  return text === '' || text === '{}';
}

/** The stream and consumer a `<VERB>.<stream>.<consumer>` request names, or null after answering. */
function lookup(acc: JsAccount, req: ApiRequest, type: ResponseTypeT): Consumer | null {
  if (!isEmptyRequest(req.body)) {
    acc.fail(req.reply, type, apiError('NotEmptyRequest'));
    return null;
  }
  const stream = acc.streams.get(req.tokens[2]);
  if (stream === undefined) {
    acc.fail(req.reply, type, apiError('StreamNotFound'));
    return null;
  }
  const consumer = stream.consumers.get(req.tokens[3]);
  if (consumer === undefined) {
    acc.fail(req.reply, type, apiError('ConsumerNotFound'));
    return null;
  }
  return consumer;
}

export const consumerInfoApi: ApiHandler = (acc, req) => {
  const type = ResponseType.ConsumerInfo;
  if (req.tokens.length !== 4) return;
  const consumer = lookup(acc, req, type);
  if (consumer !== null) acc.respond(req.reply, type, consumerInfo(consumer));
};

export const consumerDelete: ApiHandler = (acc, req) => {
  const type = ResponseType.ConsumerDelete;
  if (req.tokens.length !== 4) return;
  const consumer = lookup(acc, req, type);
  if (consumer === null) return;
  (acc.streams.get(req.tokens[2]) as Stream).deleteConsumer(consumer);
  acc.respond(req.reply, type, { success: true });
};

const PAGE_FIELDS = new StructFields<{ offset: number }>({
  offset: (t, v) => void (t.offset = uint64(v) ?? t.offset),
});

function page(acc: JsAccount, req: ApiRequest, type: ResponseTypeT, limit: number): { consumers: Consumer[]; total: number; offset: number } | null {
  if (req.tokens.length !== 3) return null;
  const opts = acc.decodeBody(req, type, PAGE_FIELDS, { offset: 0 });
  if (opts === undefined) return null;
  const stream = acc.streams.get(req.tokens[2]);
  if (stream === undefined) {
    acc.fail(req.reply, type, apiError('StreamNotFound'));
    return null;
  }
  const all = [...stream.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { consumers: all.slice(opts.offset, opts.offset + limit), total: all.length, offset: opts.offset };
}

export const consumerNames: ApiHandler = (acc, req) => {
  const type = ResponseType.ConsumerNames;
  const p = page(acc, req, type, NAMES_PAGE);
  if (p === null) return;
  acc.respond(req.reply, type, { total: p.total, offset: p.offset, limit: NAMES_PAGE, consumers: p.consumers.map((c) => subjectToText(c.name)) });
};

export const consumerList: ApiHandler = (acc, req) => {
  const type = ResponseType.ConsumerList;
  const p = page(acc, req, type, LIST_PAGE);
  if (p === null) return;
  acc.respond(req.reply, type, { total: p.total, offset: p.offset, limit: LIST_PAGE, consumers: p.consumers.map((c) => consumerInfo(c)) });
};

/** $JS.API.CONSUMER.MSG.NEXT.<stream>.<consumer>: a pull request. A missing consumer gets no reply, as from nats-server. */
export const consumerMsgNext: ApiHandler = (acc, req) => {
  if (req.tokens.length !== 5 || req.tokens[2] !== 'NEXT') return;
  acc.streams.get(req.tokens[3])?.consumers.get(req.tokens[4])?.request(req.reply, req.body);
};
