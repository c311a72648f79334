/** A start that cannot go on; the message is the fatal log line, worded as nats-server's. */
export class StartError extends Error {
  readonly code = 'START_FAILED';

  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'StartError';
  }
}
