// The message a MSG.GET or DIRECT.GET request names: by sequence, the last on a subject, or the next
// on a subject at or after a sequence (subjects may be wildcards).

import { StructFields, str, uint64 } from '../go-decode.js';
import type { JsonValue } from '../json.js';
import type { StoredMsg, StreamStore } from '../store/types.js';
import { subjectFromText } from '../../util/index.js';

export interface MsgGetRequest {
  seq: number;
  lastBySubj: string;
  nextBySubj: string;
}

const FIELDS = new StructFields<MsgGetRequest>({
  seq: (t, v) => void (t.seq = uint64(v) ?? t.seq),
  last_by_subj: (t, v) => void (t.lastBySubj = subjectFromText(str(v) ?? '')),
  next_by_subj: (t, v) => void (t.nextBySubj = subjectFromText(str(v) ?? '')),
});

/** The decoded request, or null when Go's decoder would refuse the body. */
export function decodeMsgGet(body: JsonValue): MsgGetRequest | null {
  const req: MsgGetRequest = { seq: 0, lastBySubj: '', nextBySubj: '' };
  return FIELDS.tryDecode(req, body) ? req : null;
}

/** Whether the fields make a request nats-server serves: exactly one way of finding the message. */
export function isValidMsgGet(r: MsgGetRequest): boolean {
  if (r.seq === 0 && r.lastBySubj === '' && r.nextBySubj === '') return false;
  if (r.seq > 0 && r.lastBySubj !== '') return false;
  return !(r.lastBySubj !== '' && r.nextBySubj !== '');
}

export function lookupMsg(store: StreamStore, r: MsgGetRequest): StoredMsg | null {
  if (r.nextBySubj !== '') return store.loadNext(r.nextBySubj, r.seq);
  if (r.lastBySubj !== '') return store.loadLast(r.lastBySubj);
  return store.load(r.seq);
}
