import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { checkStored, runKillCycle } from './kill-cycle.js';

// A few short cycles (`npm run fault` runs 100 longer ones): small window, kill soon after the first PubAck.
test('kill -9 during a windowed publish: after restart every acked message is stored once, in order', async () => {
  for (let cycle = 0; cycle < 3; cycle++) {
    const report = await runKillCycle({ storeRoot: tmpdir(), window: 64, payloadSize: 32, killAfterMs: [10, 150], sync: null });
    const where = `cycle ${cycle + 1}: ${report.problems.join('; ')}`;
    assert.ok(report.acked > 0, `cycle ${cycle + 1}: no PubAck before the kill`);
    assert.equal(report.lostAcked, 0, where);
    assert.equal(report.duplicatedAcked, 0, where);
    assert.equal(report.outOfOrder, 0, where);
    assert.ok(report.stored >= report.acked, where);
  }
});

test('the check finds lost, duplicated and reordered acked messages', () => {
  const message = (seq: number, n: number) => ({ seq, subject: 'fault.data', payload: Buffer.from(String(n).padStart(8, '0')) });
  const acks = new Map([
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 4],
  ]);
  const clean = checkStored(acks, [message(1, 0), message(2, 1), message(3, 2), message(4, 3), message(5, 4)]);
  assert.deepEqual([clean.lostAcked, clean.duplicatedAcked, clean.outOfOrder, clean.storedUnacked], [0, 0, 0, 1]);
  const broken = checkStored(acks, [message(1, 0), message(2, 2), message(3, 1), message(4, 1)]);
  assert.equal(broken.lostAcked, 3, broken.problems.join('; '));
  assert.equal(broken.duplicatedAcked, 1);
  assert.equal(broken.outOfOrder, 2);
});
