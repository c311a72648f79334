// $JS.API.DIRECT.GET.<stream> (JSON request) and DIRECT.GET.<stream>.<subject...> (the last message on
// a subject, empty body): the stored message itself, its headers extended with where it came from.
// Served by a queue subscription of every allow_direct stream, so no reply means no such stream.

import { appendHeaders } from '../../protocol/nats/index.js';
import { DirectGetStatus } from '../errors.js';
import { JsonSyntaxError, parseJson } from '../json.js';
import type { JsonValue } from '../json.js';
import type { Stream } from '../stream.js';
import { formatTime } from '../time.js';
import { decodeMsgGet, isValidMsgGet, lookupMsg } from './msg-lookup.js';
import type { MsgGetRequest } from './msg-lookup.js';

const NOT_FOUND = Buffer.from(DirectGetStatus.NotFound, 'latin1');
const EMPTY_REQUEST = Buffer.from(DirectGetStatus.EmptyRequest, 'latin1');
const MALFORMED = Buffer.from(DirectGetStatus.MalformedRequest, 'latin1');
const BAD_REQUEST = Buffer.from(DirectGetStatus.BadRequest, 'latin1');

/** The direct-get subjects of a stream: the JSON form and the last-by-subject form. */
export function directGetSubjects(streamName: string): [string, string] {
  return [`$JS.API.DIRECT.GET.${streamName}`, `$JS.API.DIRECT.GET.${streamName}.>`];
}

/** Answers one direct get addressed to `stream`; `subjectTail` is what follows the stream token ('' for the JSON form). */
export function directGet(stream: Stream, subjectTail: string, body: Buffer, reply: string, send: (reply: string, hdr: Buffer, data: Buffer | null) => void): void {
  let req: MsgGetRequest;
  if (subjectTail !== '') {
    if (body.length > 0) return send(reply, BAD_REQUEST, null);
    req = { seq: 0, lastBySubj: subjectTail, nextBySubj: '' };
  } else {
    if (body.length === 0) return send(reply, EMPTY_REQUEST, null);
    let json: JsonValue;
    try {
      json = parseJson(body.toString('utf8'));
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      return send(reply, MALFORMED, null);
    }
    const decoded = decodeMsgGet(json);
    if (decoded === null) return send(reply, MALFORMED, null);
    if (decoded.seq === 0 && decoded.lastBySubj === '' && decoded.nextBySubj === '') return send(reply, EMPTY_REQUEST, null);
    if (!isValidMsgGet(decoded)) return send(reply, BAD_REQUEST, null);
    req = decoded;
  }
  const msg = lookupMsg(stream.store, req);
  if (msg === null) return send(reply, NOT_FOUND, null);
  // Header blocks are bytes: the names go in their internal (byte) form as they are.
  const hdr = appendHeaders(msg.hdr, [
    ['Nats-Stream', stream.name],
    ['Nats-Subject', msg.subject],
    ['Nats-Sequence', String(msg.seq)],
    ['Nats-Time-Stamp', formatTime(msg.timeNs)],
  ]);
  send(reply, hdr, msg.data);
}
