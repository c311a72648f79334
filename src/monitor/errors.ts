// Failures of the monitoring endpoint. A BadRequestError becomes an HTTP 400 whose plain-text
// body is the message, worded as nats-server words it.

export type MonitorErrorCode = 'MONITOR_BAD_REQUEST' | 'MONITOR_LISTEN';

export class MonitorError extends Error {
  readonly code: MonitorErrorCode;

  constructor(code: MonitorErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MonitorError';
    this.code = code;
  }
}

/** A query the endpoint cannot answer; the message is the response body. */
export class BadRequestError extends MonitorError {
  constructor(message: string) {
    super('MONITOR_BAD_REQUEST', message);
    this.name = 'BadRequestError';
  }
}

/** The HTTP listener could not be bound. */
export class MonitorListenError extends MonitorError {
  constructor(cause: Error) {
    super('MONITOR_LISTEN', `can't listen to the monitor port: ${cause.message}`, { cause });
    this.name = 'MonitorListenError';
  }
}
