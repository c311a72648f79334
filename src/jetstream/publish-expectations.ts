// The Nats-Expected-Last-* headers of a publish: optimistic concurrency control on the stream's last
// sequence, a subject's last sequence, or the last Msg-Id. A publish whose expectation does not hold
// is refused with the error nats-server answers.

import { headerValue } from '../protocol/nats/index.js';
import { apiError } from './errors.js';
import type { ApiError } from './errors.js';
import type { StreamStore } from './store/index.js';

const EXPECTED_LAST_SEQ = 'Nats-Expected-Last-Sequence';
const EXPECTED_LAST_SUBJECT_SEQ = 'Nats-Expected-Last-Subject-Sequence';
const EXPECTED_LAST_MSG_ID = 'Nats-Expected-Last-Msg-Id';

/** The header block is data[hs, he); null when every expectation it states holds. */
export function unmetExpectation(data: Buffer, hs: number, he: number, subject: string, store: StreamStore, lastMsgId: string): ApiError | null {
  const lastSubjectSeq = headerValue(data, hs, he, EXPECTED_LAST_SUBJECT_SEQ);
  if (lastSubjectSeq !== null) {
    const actual = store.lastSeqOfSubject(subject);
    if (Number(lastSubjectSeq) !== actual) return apiError('StreamWrongLastSequence', { seq: actual });
  }
  const lastSeq = headerValue(data, hs, he, EXPECTED_LAST_SEQ);
  if (lastSeq !== null) {
    const actual = store.state().lastSeq;
    if (Number(lastSeq) !== actual) return apiError('StreamWrongLastSequence', { seq: actual });
  }
  const expectedMsgId = headerValue(data, hs, he, EXPECTED_LAST_MSG_ID);
  if (expectedMsgId !== null && expectedMsgId !== lastMsgId) return apiError('StreamWrongLastMsgID', { id: lastMsgId });
  return null;
}
