// Typed errors of the config subsystem. Messages already carry `<file>:<line>:<col>: ` where a
// position is known, so callers print them as they are.

export type ConfigErrorCode =
  /** The config file (or an included file) could not be read. */
  | 'CONFIG_READ'
  /** Lexer or parser problem: bad syntax, unresolved variable, bad include. */
  | 'CONFIG_SYNTAX'
  /** Well-formed file whose settings are wrong: unknown field, bad type, failed validation. */
  | 'CONFIG_INVALID';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  /** One line per problem; the message is these joined by newlines. */
  readonly problems: readonly string[];

  constructor(code: ConfigErrorCode, problems: readonly string[]) {
    super(problems.join('\n'));
    this.code = code;
    this.problems = problems;
  }
}
