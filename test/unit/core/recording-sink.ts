// A ByteSink that keeps every written buffer by reference, as a socket does until the kernel takes it:
// if the writer later reuses memory it already handed over, the recorded bytes change.

import assert from 'node:assert/strict';

import type { ByteSink } from '../../../src/core/index.js';

export class RecordingSink implements ByteSink {
  readonly writes: Buffer[] = [];
  corks = 0;
  uncorks = 0;
  corkDepth = 0;
  /** What write() returns (false: past the high-water mark). */
  accept = true;
  readonly writableLength = 0;

  write(data: Buffer): boolean {
    this.writes.push(data);
    return this.accept;
  }

  cork(): void {
    this.corks++;
    this.corkDepth++;
  }

  uncork(): void {
    assert.ok(this.corkDepth > 0, 'uncork() without cork()');
    this.uncorks++;
    this.corkDepth--;
  }

  bytes(): Buffer {
    return Buffer.concat(this.writes);
  }
}
