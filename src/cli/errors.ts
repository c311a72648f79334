// Command-line failures. The message is the exact text shown to the user (nats-server's wording).

export type CliErrorCode =
  // The flag grammar rejects the arguments: pointing at --help helps.
  | 'FLAG_SYNTAX'
  | 'FLAG_UNDEFINED'
  | 'FLAG_NEEDS_ARGUMENT'
  | 'FLAG_INVALID_VALUE'
  // The flags parse but ask for something impossible.
  | 'UNRECOGNIZED_COMMAND'
  | 'CONFIG_REQUIRED'
  | 'TLS_INCOMPLETE'
  | 'CLUSTER_URL'
  // --signal could not be delivered.
  | 'SIGNAL_UNKNOWN'
  | 'SIGNAL_PARAMETERS'
  | 'SIGNAL_PID'
  | 'SIGNAL_NO_PROCESS'
  | 'SIGNAL_MANY_PROCESSES'
  | 'SIGNAL_FAILED';

const USAGE_CODES: ReadonlySet<CliErrorCode> = new Set<CliErrorCode>([
  'FLAG_SYNTAX',
  'FLAG_UNDEFINED',
  'FLAG_NEEDS_ARGUMENT',
  'FLAG_INVALID_VALUE',
]);

export class CliError extends Error {
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string) {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }

  /** True when the user typed something the flag grammar rejects, so pointing at --help helps. */
  get isUsageError(): boolean {
    return USAGE_CODES.has(this.code);
  }
}
