// Typed store failures. The stream service logs them with the file and carries on with other streams.

/** A store file that cannot be opened as a store: not a database, truncated, or corrupt. */
export class StoreDamagedError extends Error {
  readonly code = 'STORE_DAMAGED';
  readonly file: string;

  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(`stream store ${file} is damaged: ${reason}`, options);
    this.name = 'StoreDamagedError';
    this.file = file;
  }
}

/** A store file written by a newer leafgate, whose schema this one does not know. */
export class StoreVersionError extends Error {
  readonly code = 'STORE_VERSION';
  readonly file: string;

  constructor(file: string, version: number, known: number) {
    super(`stream store ${file} has schema version ${version}; this leafgate knows up to ${known}`);
    this.name = 'StoreVersionError';
    this.file = file;
  }
}

/** The store directory is locked by another process (another server on the same store_dir). */
export class StoreLockedError extends Error {
  readonly code = 'STORE_LOCKED';
  readonly dir: string;

  constructor(dir: string, options?: { cause?: unknown }) {
    super(`store directory ${dir} is in use by another process`, options);
    this.name = 'StoreLockedError';
    this.dir = dir;
  }
}

/** A group commit that failed; its appends were rolled back. `full`: the disk (not a limit) is full. */
export class StoreWriteError extends Error {
  readonly code: 'STORE_FULL' | 'STORE_IO';
  readonly file: string;

  constructor(file: string, full: boolean, options?: { cause?: unknown }) {
    const detail = options?.cause instanceof Error ? options.cause.message : String(options?.cause);
    super(full ? `stream store ${file}: disk full (${detail})` : `stream store ${file}: write failed (${detail})`, options);
    this.name = 'StoreWriteError';
    this.code = full ? 'STORE_FULL' : 'STORE_IO';
    this.file = file;
  }
}
