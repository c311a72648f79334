// Where and when a JWT user may connect: `src` blocks and daily connect-time windows.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { connectWindow, sourceAllowed } from '../../../src/auth/user-restrictions.js';

test('src: any host without blocks; a host inside one of the blocks; a list in one string; a malformed block refuses', () => {
  assert.equal(sourceAllowed(undefined, '10.1.2.3'), true);
  assert.equal(sourceAllowed([], '10.1.2.3'), true);
  assert.equal(sourceAllowed(['192.168.0.0/16', '10.0.0.0/8'], '10.1.2.3'), true);
  assert.equal(sourceAllowed(['192.168.0.0/16'], '10.1.2.3'), false);
  assert.equal(sourceAllowed('192.168.0.0/16, 10.0.0.0/8', '10.1.2.3'), true);
  assert.equal(sourceAllowed(['::1/128'], '::1'), true);
  assert.equal(sourceAllowed(['::1/128'], '127.0.0.1'), false);
  assert.equal(sourceAllowed(['not-a-cidr'], '10.1.2.3'), false);
  assert.equal(sourceAllowed(['10.0.0.0/8'], ''), false);
});

const at = (iso: string): number => Date.parse(iso);

test('times: inside a window it ends when the window does; outside, or with a zone that does not exist, refused', () => {
  const windows = [{ start: '08:00:00', end: '17:00:00' }];
  assert.deepEqual(connectWindow(windows, 'UTC', at('2026-11-28T09:00:00Z')), { allowed: true, endsAtMs: at('2026-11-28T17:00:00Z') });
  assert.deepEqual(connectWindow(windows, 'UTC', at('2026-11-28T18:00:00Z')), { allowed: false });
  assert.deepEqual(connectWindow(windows, 'Europe/Berlin', at('2026-11-28T07:30:00Z')), { allowed: true, endsAtMs: at('2026-11-28T16:00:00Z') });
  assert.deepEqual(connectWindow(windows, 'No/Such_Zone', at('2026-11-28T09:00:00Z')), { allowed: false });
  assert.deepEqual(connectWindow(undefined, 'UTC', at('2026-11-28T09:00:00Z')), { allowed: true });
});

test('times: a window past midnight runs into the next day, and only the one that starts today counts (as in nats-server)', () => {
  const night = [{ start: '22:00:00', end: '02:00:00' }];
  assert.deepEqual(connectWindow(night, 'UTC', at('2026-11-28T23:00:00Z')), { allowed: true, endsAtMs: at('2026-11-29T02:00:00Z') });
  assert.deepEqual(connectWindow(night, 'UTC', at('2026-11-28T01:00:00Z')), { allowed: false });
});
