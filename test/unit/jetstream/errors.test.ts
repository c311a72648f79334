import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DirectGetStatus, FLOW_CONTROL_REQUEST, PullStatus, apiError, idleHeartbeat, isApiError } from '../../../src/jetstream/errors.js';

test('apiError fills placeholders and keeps the codes', () => {
  assert.deepEqual(apiError('StreamWrongLastSequence', { seq: 5 }), { code: 400, err_code: 10071, description: 'wrong last sequence: 5' });
  assert.deepEqual(apiError('StreamExternalApiOverlap', { prefix: '$JS.API', subject: '$JS.API' }), { code: 400, err_code: 10021, description: 'stream external api prefix $JS.API must not overlap with $JS.API' });
  assert.deepEqual(apiError('NotEnabledForAccount'), { code: 503, err_code: 10039, description: 'JetStream not enabled for account' });
  assert.deepEqual(apiError('StreamStoreFailed', { err: 'maximum messages exceeded' }), { code: 503, err_code: 10077, description: 'maximum messages exceeded' });
});

test('isApiError tells an error from a config', () => {
  assert.equal(isApiError(apiError('StreamNotFound')), true);
  assert.equal(isApiError({ name: 'S' }), false);
  assert.equal(isApiError(null), false);
});

const statuses: readonly [name: string, got: string, want: string][] = [
  ['no messages', PullStatus.NoMessages, 'NATS/1.0 404 No Messages\r\n\r\n'],
  ['request timeout', PullStatus.requestTimeout(3, 120), 'NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 3\r\nNats-Pending-Bytes: 120\r\n\r\n'],
  ['max bytes', PullStatus.messageSizeExceedsMaxBytes(1, 0), 'NATS/1.0 409 Message Size Exceeds MaxBytes\r\nNats-Pending-Messages: 1\r\nNats-Pending-Bytes: 0\r\n\r\n'],
  ['max waiting', PullStatus.ExceededMaxWaiting, 'NATS/1.0 409 Exceeded MaxWaiting\r\n\r\n'],
  ['max request expires', PullStatus.exceededMaxRequestExpires('5s'), 'NATS/1.0 409 Exceeded MaxRequestExpires of 5s\r\n\r\n'],
  ['consumer deleted', PullStatus.ConsumerDeleted, 'NATS/1.0 409 Consumer Deleted\r\n\r\n'],
  ['bad request', PullStatus.badRequest('heartbeat value too large'), 'NATS/1.0 400 Bad Request - heartbeat value too large\r\n\r\n'],
  ['heartbeat', idleHeartbeat(4, 9, null), 'NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 4\r\nNats-Last-Stream: 9\r\n\r\n'],
  ['stalled heartbeat', idleHeartbeat(4, 9, '$JS.FC.S.C.abcd'), 'NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 4\r\nNats-Last-Stream: 9\r\nNats-Consumer-Stalled: $JS.FC.S.C.abcd\r\n\r\n'],
  ['flow control', FLOW_CONTROL_REQUEST, 'NATS/1.0 100 FlowControl Request\r\n\r\n'],
  ['direct get miss', DirectGetStatus.NotFound, 'NATS/1.0 404 Message Not Found\r\n\r\n'],
];

for (const [name, got, want] of statuses) {
  test(`status block: ${name}`, () => {
    assert.equal(got, want);
  });
}
