// A stream file's second thread: while the stream only receives appends, it applies the append log
// to SQLite so that the event loop does not (sync_interval a duration only).
//
// Profiles of a publish flood showed the event loop saturated with SQLite's inserts a fifth of its
// work (1.9 µs of each message's ~9). The records are already in the append log, written and acked
// by the event loop; this thread reads them back from the page cache and inserts them through a
// connection of its own (log-applier.ts), on the machine's other core.
//
// The two connections never write at the same time. The store runs in phases: the thread has the
// file while a phase runs, and the event loop touches nothing of it but the log. Any other call (a
// read, a removal, a consumer's state) first claims the file back: release() blocks the event loop
// until the thread has applied the log to its end, committed, and stopped; the call then runs as
// it always has. What the thread cannot do it leaves in the log, which the event loop applies again
// after the claim (the same replay a restart runs).

import { Worker } from 'node:worker_threads';

import { CELL, CELL_COUNT, Command, Failure } from './log-offload-protocol.js';
import type { ApplierThreadData } from './log-offload-protocol.js';

/** Longer than any commit of a phase's records could take: past it the thread is taken for gone. */
const RELEASE_TIMEOUT_MS = 60_000;

/** The thread's outcome for a phase: whether it applied and committed everything. */
export type PhaseFailure = 'full' | 'other' | null;

export class LogOffload {
  private readonly data: ApplierThreadData;
  private readonly cells: Int32Array;
  private worker: Worker | null = null;
  private threadError: Error | null = null;
  private running = false;

  constructor(file: string, logFile: string) {
    const shared = new SharedArrayBuffer(CELL_COUNT * Int32Array.BYTES_PER_ELEMENT);
    this.cells = new Int32Array(shared);
    this.data = { file, logFile, cells: shared };
  }

  /** A phase runs: the thread has the file. */
  get active(): boolean {
    return this.running;
  }

  /** The running phase failed: the store should claim the file back. */
  get failed(): boolean {
    return this.threadError !== null || Atomics.load(this.cells, CELL.failure) !== Failure.None;
  }

  /**
   * Starts a phase with the log's records from `logFrom` on; the caller has committed and holds no
   * transaction. Nothing starts when the thread is gone.
   */
  start(logFrom: number): void {
    if (this.threadError !== null || this.running) return;
    this.worker ??= this.spawn();
    Atomics.store(this.cells, CELL.failure, Failure.None);
    Atomics.store(this.cells, CELL.logFrom, logFrom);
    Atomics.store(this.cells, CELL.logEnd, logFrom);
    Atomics.add(this.cells, CELL.phase, 1);
    Atomics.store(this.cells, CELL.command, Command.Run);
    this.running = true;
    this.wake();
  }

  /** The log's written records now end at `logEnd`. */
  published(logEnd: number): void {
    Atomics.store(this.cells, CELL.logEnd, logEnd);
    // A running thread looks every OFFLOAD_NAP_MS: waking it each turn cost the event loop more than it saved.
    if (Atomics.load(this.cells, CELL.sleeping) === 1) this.wake();
  }

  /** The log was rotated after its records up to `rotatedEnd`; the next ones go to the new file. */
  rotated(rotatedEnd: number): void {
    const cells = this.cells;
    Atomics.store(cells, CELL.rotatedEnd, rotatedEnd);
    Atomics.store(cells, CELL.rotatedPending, 1);
    Atomics.store(cells, CELL.logEnd, 0);
    Atomics.add(cells, CELL.logGeneration, 1);
    this.wake();
  }

  /**
   * The thread has begun the running phase, with the log's file open: before that, a rotation would
   * leave it opening the new file for records that are in the old one.
   */
  get begun(): boolean {
    return Atomics.load(this.cells, CELL.begunPhase) === Atomics.load(this.cells, CELL.phase);
  }

  /** The thread has committed the last rotated file and removed it. */
  get rotatedDone(): boolean {
    return Atomics.load(this.cells, CELL.rotatedPending) === 0;
  }

  /**
   * Ends the phase, blocking until the thread has committed what the log holds (or failed) and
   * left the file. Returns how the phase ended.
   */
  release(): PhaseFailure {
    if (!this.running) return null;
    this.running = false;
    if (!this.waitReleased(() => Atomics.store(this.cells, CELL.command, Command.Release))) return 'other';
    const failure = Atomics.load(this.cells, CELL.failure);
    return failure === Failure.None ? null : failure === Failure.Full ? 'full' : 'other';
  }

  /**
   * Ends the thread, once it has closed its connection (the phase was released before): a file
   * removed after this is not still open there.
   */
  close(): void {
    if (this.worker === null) return;
    this.worker = null;
    this.waitReleased(() => Atomics.store(this.cells, CELL.command, Command.Stop));
  }

  /** Blocks until the thread has answered the command `ask` gives it; false if it never did. */
  private waitReleased(ask: () => void): boolean {
    const cells = this.cells;
    const done = Atomics.load(cells, CELL.released);
    ask();
    this.wake();
    const deadline = Date.now() + RELEASE_TIMEOUT_MS;
    while (Atomics.load(cells, CELL.released) === done) {
      if (this.threadError !== null || Date.now() > deadline) return false;
      Atomics.wait(cells, CELL.released, done, 1000);
    }
    return true;
  }

  private wake(): void {
    Atomics.add(this.cells, CELL.wake, 1);
    Atomics.notify(this.cells, CELL.wake);
  }

  private spawn(): Worker {
    // The thread's garbage is each look's records, gone by the next: a small young generation keeps
    // its memory down (a 1M-message build: 169 MB of RSS with V8's default, 154 MB with 4 MB).
    const worker = new Worker(new URL('./log-applier-thread.js', import.meta.url), {
      workerData: this.data,
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    worker.unref();
    worker.on('error', (err) => {
      this.threadError = err;
    });
    worker.on('exit', () => {
      this.threadError ??= new Error('the append log applier thread ended');
    });
    return worker;
  }
}
