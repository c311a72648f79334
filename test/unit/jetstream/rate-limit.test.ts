// The push consumer's rate limit with a clock the test holds: every reservation names its time, so
// the pace is checked exactly, with no waiting.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RateLimiter } from '../../../src/jetstream/rate-limit.js';

test('a full bucket lets the burst out at once, then each delivery waits for its own bytes', () => {
  // 8000 bits a second = 1000 bytes a second = 1 byte a millisecond; bucket of 300 bytes.
  const rl = new RateLimiter(8000, 300, 0);
  assert.equal(rl.reserve(100, 0), 0);
  assert.equal(rl.reserve(200, 0), 0);
  assert.equal(rl.reserve(100, 0), 100, 'the bucket is empty: 100 bytes take 100 ms');
  // The reservation went through: the next one queues behind it.
  assert.equal(rl.reserve(50, 100), 50);
  assert.equal(rl.reserve(50, 1000), 0, 'refilled meanwhile');
});

test('idle time refills the bucket only up to the burst', () => {
  const rl = new RateLimiter(8000, 300, 0);
  assert.equal(rl.reserve(300, 0), 0);
  assert.equal(rl.reserve(300, 60_000), 0, 'a minute refills 300 bytes, not 60 000');
  assert.equal(rl.reserve(1, 60_000), 1);
});

test('a sender that sends as soon as allowed never exceeds burst + rate x elapsed, and keeps that pace', () => {
  const bytesPerSec = 5000;
  const burst = 1024;
  const rl = new RateLimiter(bytesPerSec * 8, burst, 0);
  let now = 0;
  let sent = 0;
  for (let i = 0; i < 1000; i++) {
    const size = 100 + (i % 7) * 37;
    now += rl.reserve(size, now);
    sent += size;
    assert.ok(sent <= burst + (bytesPerSec * now) / 1000, `message ${i}: ${sent} bytes by ${now} ms`);
  }
  // Past the burst the sender ran at the rate: within a millisecond's rounding per message.
  const expectedMs = ((sent - burst) * 1000) / bytesPerSec;
  assert.ok(now >= expectedMs && now <= expectedMs + 1000, `${sent} bytes took ${now} ms, expected about ${expectedMs}`);
});

test('a delivery bigger than the bucket waits for a full bucket; under 8 bits a second nothing past the burst goes', () => {
  const rl = new RateLimiter(8000, 300, 0);
  assert.equal(rl.reserve(1000, 0), 0, 'a full bucket lets it out');
  assert.equal(rl.reserve(1000, 0), 300);
  const stuck = new RateLimiter(7, 300, 0);
  assert.equal(stuck.reserve(300, 0), 0);
  assert.equal(stuck.reserve(1, 1_000_000), Infinity);
});

test('bits per second are whole bytes per second, as nats-server divides', () => {
  const rl = new RateLimiter(8 * 1000 + 7, 10, 0);
  assert.equal(rl.reserve(10, 0), 0);
  assert.equal(rl.reserve(10, 0), 10, '1000 bytes a second, the 7 spare bits ignored');
});
