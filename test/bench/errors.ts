/** Failures of the benchmark harness itself, each with a stable code so the runner can tell them apart. */
export class BenchError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'BenchError';
    this.code = code;
  }
}

/** A server process did not come up (missing binary, crash at start, port never answered with INFO). */
export class ServerStartError extends BenchError {
  constructor(message: string) {
    super('BENCH_SERVER_START', message);
    this.name = 'ServerStartError';
  }
}

/** The byte stream from the server did not have the shape the counter was told to expect. */
export class FrameShapeError extends BenchError {
  constructor(message: string) {
    super('BENCH_FRAME_SHAPE', message);
    this.name = 'FrameShapeError';
  }
}

/** The server closed a connection the load generator still needed, or answered with -ERR. */
export class ConnectionLostError extends BenchError {
  constructor(message: string) {
    super('BENCH_CONNECTION_LOST', message);
    this.name = 'ConnectionLostError';
  }
}

/** Delivery stopped making progress before the expected message count arrived. */
export class StalledError extends BenchError {
  constructor(message: string) {
    super('BENCH_STALLED', message);
    this.name = 'StalledError';
  }
}
