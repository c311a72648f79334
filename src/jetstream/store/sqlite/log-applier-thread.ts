// The applier thread's main loop (log-offload.ts starts it). It sleeps on the shared `wake` cell and
// does what the command cell says; everything it reports goes back through the cells, because the
// event loop may be blocked waiting for it and cannot take a message.

import { workerData } from 'node:worker_threads';

import { LogApplier, OFFLOAD_COMMIT_MS, OFFLOAD_NAP_MS } from './log-applier.js';
import { CELL, Command, Failure } from './log-offload-protocol.js';
import type { ApplierThreadData } from './log-offload-protocol.js';

const data = workerData as ApplierThreadData;
const cells = new Int32Array(data.cells);

function failureOf(err: unknown): number {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' ? Failure.Full : Failure.Other;
}

function released(): void {
  Atomics.store(cells, CELL.command, Command.Idle);
  Atomics.add(cells, CELL.released, 1);
  Atomics.notify(cells, CELL.released);
}

/** Sleeps until woken, once the log has had nothing new for this long and all of it is committed. */
function sleep(wake: number, end: number): void {
  Atomics.store(cells, CELL.sleeping, 1);
  // Seen after `sleeping` is set: a logEnd stored before that is caught here, one after it wakes us.
  if (Atomics.load(cells, CELL.logEnd) === end) Atomics.wait(cells, CELL.wake, wake);
  Atomics.store(cells, CELL.sleeping, 0);
}

/** Commits, then removes a rotated log file the commit has made redundant. */
function commit(applier: LogApplier): void {
  applier.commit();
  if (applier.removeRotated()) Atomics.store(cells, CELL.rotatedPending, 0);
}

function run(): void {
  let applier: LogApplier | null = null;
  let phase = false;
  let lastCommit = 0;
  let lastEnd = -1;
  let lastNews = 0;
  for (;;) {
    const wake = Atomics.load(cells, CELL.wake);
    const command = Atomics.load(cells, CELL.command);
    if (command === Command.Stop) break;
    if (command === Command.Idle || Atomics.load(cells, CELL.failure) !== Failure.None) {
      // A failed phase waits for the event loop to claim the file back.
      if (command === Command.Release) released();
      else Atomics.wait(cells, CELL.wake, wake);
      continue;
    }
    try {
      applier ??= new LogApplier(data.file, data.logFile);
      if (!phase) {
        applier.begin(Atomics.load(cells, CELL.logFrom), Atomics.load(cells, CELL.logGeneration));
        Atomics.store(cells, CELL.begunPhase, Atomics.load(cells, CELL.phase));
        phase = true;
        lastCommit = Date.now();
      }
      const generation = Atomics.load(cells, CELL.logGeneration);
      if (generation !== applier.rotations) applier.rotated(Atomics.load(cells, CELL.rotatedEnd), generation);
      const end = Atomics.load(cells, CELL.logEnd);
      // Rotated again meanwhile: that end may be the next file's.
      if (Atomics.load(cells, CELL.logGeneration) !== generation) continue;
      applier.applyTo(end);
      if (command === Command.Release) {
        commit(applier);
        phase = false;
        lastEnd = -1;
        released();
        continue;
      }
      const now = Date.now();
      if (end !== lastEnd) {
        lastEnd = end;
        lastNews = now;
      }
      if (now - lastCommit >= OFFLOAD_COMMIT_MS) {
        commit(applier);
        lastCommit = now;
      }
      if (!applier.pending && now - lastNews >= OFFLOAD_COMMIT_MS) sleep(wake, end);
      else Atomics.wait(cells, CELL.wake, wake, OFFLOAD_NAP_MS);
    } catch (err) {
      try {
        applier?.rollback();
      } catch {
        // SQLite may have rolled back by itself.
      }
      phase = false;
      Atomics.store(cells, CELL.failure, failureOf(err));
    }
  }
  applier?.close();
  released();
}

run();
