// $JS.API.STREAM.INFO.<stream>, optionally with subject counts (subjects_filter) and deleted sequences.

import { bool, StructFields, str, uint64 } from '../go-decode.js';
import { apiError } from '../errors.js';
import { streamInfoWithSources } from '../stream-info.js';
import { subjectFromText } from '../../util/index.js';
import { ResponseType } from '../api-envelope.js';
import type { ApiHandler } from './request.js';

interface InfoRequest {
  deletedDetails: boolean;
  subjectsFilter: string;
  offset: number;
}

const FIELDS = new StructFields<InfoRequest>({
  deleted_details: (t, v) => void (t.deletedDetails = bool(v) ?? t.deletedDetails),
  subjects_filter: (t, v) => void (t.subjectsFilter = subjectFromText(str(v) ?? '')),
  offset: (t, v) => void (t.offset = uint64(v) ?? t.offset),
});

/** Subject counts per page, as nats-server pages them. */
const SUBJECTS_PAGE = 100_000;
const PAGED_ZERO = { total: 0, offset: 0, limit: 0 };

export const streamInfoApi: ApiHandler = (acc, req) => {
  const type = ResponseType.StreamInfo;
  if (req.tokens.length !== 3) return;
  const opts = acc.decodeBody<InfoRequest>(req, type, FIELDS, { deletedDetails: false, subjectsFilter: '', offset: 0 });
  if (opts === undefined) return;
  const stream = acc.streams.get(req.tokens[2]);
  if (stream === undefined) return acc.fail(req.reply, type, apiError('StreamNotFound'));
  const info = streamInfoWithSources(stream, opts);
  let paged = PAGED_ZERO;
  const state = info.state as { subjects?: Record<string, number> };
  if (state.subjects !== undefined) {
    const all = Object.entries(state.subjects);
    const page = all.slice(opts.offset, opts.offset + SUBJECTS_PAGE);
    state.subjects = Object.fromEntries(page);
    paged = { total: all.length, offset: opts.offset, limit: SUBJECTS_PAGE };
  }
  acc.respond(req.reply, type, { ...paged, ...info });
};
