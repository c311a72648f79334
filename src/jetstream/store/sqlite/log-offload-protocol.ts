// The cells the event loop and a store's applier thread share (log-offload.ts). Each is an Int32 in
// one SharedArrayBuffer; Atomics make every write seen by the other side before its notify.

export const CELL = {
  /** What the thread is asked to do: a Command. Only the event loop writes it, but for IDLE. */
  command: 0,
  /** Bumped with each command, and with a new logEnd while the thread sleeps; it waits on this cell. */
  wake: 1,
  /** Where the append log's written records end. */
  logEnd: 2,
  /** Where a phase's records start in the log. */
  logFrom: 3,
  /** Bumped by the thread each time a release is done; the event loop waits on this cell. */
  released: 4,
  /** 0, or the Failure that stopped the phase. */
  failure: 5,
  /** 1 while the thread sleeps until woken: only then does a new logEnd need a wake. */
  sleeping: 6,
  /** Bumped when the log is rotated (append-log.ts); logEnd then refers to the new file. */
  logGeneration: 7,
  /** Where the rotated file's records end. */
  rotatedEnd: 8,
  /** 1 from a rotation until the thread has committed the rotated file and removed it. */
  rotatedPending: 9,
  /** Bumped by each start. */
  phase: 10,
  /** The phase the thread has begun: it has the log's file open, so the log may be rotated. */
  begunPhase: 11,
} as const;

export const CELL_COUNT = 12;

export const Command = {
  Idle: 0,
  /** Apply what the log gets, committing every OFFLOAD_COMMIT_MS. */
  Run: 1,
  /** Apply up to logEnd, commit, stop the phase, bump `released`. */
  Release: 2,
  /** Close the file and end the thread. */
  Stop: 3,
} as const;

export const Failure = {
  None: 0,
  /** The disk (or a quota) is full. */
  Full: 1,
  Other: 2,
} as const;

export interface ApplierThreadData {
  file: string;
  logFile: string;
  cells: SharedArrayBuffer;
}
