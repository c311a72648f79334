// $JS.API.STREAM.NAMES and STREAM.LIST: the account's streams, in pages, optionally only those whose
// subjects collide with a filter subject.

import { StructFields, str, uint64 } from '../go-decode.js';
import type { JsAccount } from '../js-account.js';
import type { Stream } from '../stream.js';
import { PLAIN_INFO, streamInfoWithSources } from '../stream-info.js';
import { subjectFromText, subjectToText } from '../../util/index.js';
import { subjectsCollide } from '../subjects.js';
import { ResponseType } from '../api-envelope.js';
import type { ResponseType as ResponseTypeT } from '../api-envelope.js';
import type { ApiHandler, ApiRequest } from './request.js';

interface ListRequest {
  offset: number;
  subject: string;
}

const FIELDS = new StructFields<ListRequest>({
  offset: (t, v) => void (t.offset = uint64(v) ?? t.offset),
  subject: (t, v) => void (t.subject = subjectFromText(str(v) ?? '')),
});

const NAMES_PAGE = 1024;
const LIST_PAGE = 256;

export const streamNames: ApiHandler = (acc, req) => {
  const type = ResponseType.StreamNames;
  const page = selectPage(acc, req, type, NAMES_PAGE);
  if (page === null) return;
  const names = page.streams.map((s) => subjectToText(s.name));
  acc.respond(req.reply, type, { total: page.total, offset: page.offset, limit: NAMES_PAGE, streams: names.length === 0 ? null : names });
};

export const streamList: ApiHandler = (acc, req) => {
  const type = ResponseType.StreamList;
  const page = selectPage(acc, req, type, LIST_PAGE);
  if (page === null) return;
  const infos = page.streams.map((s) => streamInfoWithSources(s, PLAIN_INFO));
  acc.respond(req.reply, type, { total: page.total, offset: page.offset, limit: LIST_PAGE, streams: infos });
};

function selectPage(acc: JsAccount, req: ApiRequest, type: ResponseTypeT, limit: number): { streams: Stream[]; total: number; offset: number } | null {
  if (req.tokens.length !== 2) return null;
  const opts = acc.decodeBody<ListRequest>(req, type, FIELDS, { offset: 0, subject: '' });
  if (opts === undefined) return null;
  const all = [...acc.streams.values()]
    .filter((s) => opts.subject === '' || s.config.subjects.some((subject) => subjectsCollide(subject, opts.subject)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { streams: all.slice(opts.offset, opts.offset + limit), total: all.length, offset: opts.offset };
}
