import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Outbound, scheduleFlush } from '../../../src/core/outbound.js';
import type { Flushable } from '../../../src/core/outbound.js';
import { prng, randomBytes } from './prng.js';
import { RecordingSink } from './recording-sink.js';

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

test('append and appendText: bytes come out in order and pendingBytes counts them', () => {
  const out = new Outbound();
  out.appendText('PING\r\n');
  out.append(latin1('PONG\r\n'));
  out.appendText('+OK\r\n');
  assert.equal(out.pendingBytes, 17);
  const sink = new RecordingSink();
  assert.equal(out.flushTo(sink), true);
  assert.equal(sink.bytes().toString('latin1'), 'PING\r\nPONG\r\n+OK\r\n');
  assert.equal(out.pendingBytes, 0);
});

test('flushTo with nothing pending writes nothing and does not cork', () => {
  const out = new Outbound();
  const sink = new RecordingSink();
  assert.equal(out.flushTo(sink), true);
  assert.deepEqual(sink.writes, []);
  assert.equal(sink.corks, 0);
  out.appendText('x');
  out.flushTo(sink);
  assert.equal(out.flushTo(sink), true);
  assert.equal(sink.bytes().toString('latin1'), 'x');
});

test('flushTo corks around several chunks and uncorks exactly as often', () => {
  const out = new Outbound();
  const big = Buffer.alloc(20_000, 0x62);
  out.appendText('MSG a 1 20000\r\n');
  out.append(big);
  out.appendText('\r\n');
  for (let i = 0; i < 50; i++) out.append(Buffer.alloc(1000, 0x30 + (i % 10)));
  const sink = new RecordingSink();
  out.flushTo(sink);
  assert.ok(sink.writes.length > 1);
  assert.ok(sink.corks >= 1);
  assert.equal(sink.corks, sink.uncorks);
  assert.equal(sink.corkDepth, 0);
  const expected = Buffer.concat([latin1('MSG a 1 20000\r\n'), big, latin1('\r\n'), ...Array.from({ length: 50 }, (_, i) => Buffer.alloc(1000, 0x30 + (i % 10)))]);
  assert.ok(sink.bytes().equals(expected));
});

test('flushTo reports the sink being past its high-water mark', () => {
  const out = new Outbound();
  const sink = new RecordingSink();
  sink.accept = false;
  out.appendText('PING\r\n');
  assert.equal(out.flushTo(sink), false);
  out.append(Buffer.alloc(40_000));
  out.appendText('x');
  assert.equal(out.flushTo(sink), false);
  sink.accept = true;
  out.appendText('y');
  assert.equal(out.flushTo(sink), true);
});

test('many appends across buffer growth and flushes: every byte in order, none overwritten after hand-over', () => {
  const rnd = prng(99);
  const out = new Outbound();
  const sink = new RecordingSink();
  const expected: Buffer[] = [];
  for (let i = 0; i < 5000; i++) {
    const r = rnd();
    if (r < 0.4) {
      const text = `MSG subj.${i} ${i} ${Math.floor(rnd() * 1e6)}\r\n`;
      out.appendText(text);
      expected.push(latin1(text));
    } else if (r < 0.97) {
      const size = rnd() < 0.9 ? Math.floor(rnd() * 600) : Math.floor(rnd() * 70_000);
      const data = randomBytes(rnd, size);
      out.append(data);
      expected.push(data);
    } else {
      out.flushTo(sink);
      assert.equal(out.pendingBytes, 0);
    }
  }
  const pending = out.pendingBytes;
  const before = sink.bytes().length;
  out.flushTo(sink);
  assert.equal(sink.bytes().length - before, pending, 'pendingBytes matched what was flushed');
  assert.equal(sink.corks, sink.uncorks);
  assert.ok(sink.bytes().equals(Buffer.concat(expected)));
});

test('ensure() then writing into buf[len..] is how encoders append in place', () => {
  const out = new Outbound();
  const sink = new RecordingSink();
  const expected: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const text = `PUB x.${i} ${'p'.repeat(i % 300)}\r\n`;
    out.ensure(text.length);
    out.len += out.buf.write(text, out.len, 'latin1');
    expected.push(text);
    if (i % 333 === 0) out.flushTo(sink);
  }
  out.flushTo(sink);
  assert.equal(sink.bytes().toString('latin1'), expected.join(''));
});

test('discard drops what was not yet written', () => {
  const out = new Outbound();
  out.appendText('lost');
  out.append(Buffer.alloc(20_000));
  out.discard();
  assert.equal(out.pendingBytes, 0);
  out.appendText('kept');
  const sink = new RecordingSink();
  out.flushTo(sink);
  assert.equal(sink.bytes().toString('latin1'), 'kept');
});

class FakeFlushable implements Flushable {
  readonly outbound = new Outbound();
  readonly sink = new RecordingSink();
  flushes = 0;

  flushOutbound(): void {
    this.flushes++;
    this.outbound.flushTo(this.sink);
  }
}

test('scheduleFlush: one flush per connection per turn, after the current turn', async () => {
  const a = new FakeFlushable();
  const b = new FakeFlushable();
  a.outbound.appendText('a1');
  scheduleFlush(a);
  a.outbound.appendText('a2');
  scheduleFlush(a);
  b.outbound.appendText('b');
  scheduleFlush(b);
  assert.equal(a.flushes, 0, 'not flushed synchronously');
  assert.equal(a.outbound.queued, true);
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(a.flushes, 1);
  assert.equal(b.flushes, 1);
  assert.equal(a.outbound.queued, false);
  assert.equal(a.sink.bytes().toString('latin1'), 'a1a2');
  assert.equal(b.sink.bytes().toString('latin1'), 'b');
  a.outbound.appendText('a3');
  scheduleFlush(a);
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(a.flushes, 2);
  assert.equal(a.sink.bytes().toString('latin1'), 'a1a2a3');
});
