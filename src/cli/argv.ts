// Go `flag`-package command-line grammar, parsed in one pass into typed values by canonical key.
// Go accepts `-name` and `--name` alike (so `-js`, `-sd DIR`, `-DVV`, `-cluster_name=x`), takes a value either
// after `=` or as the next argument (even one starting with `-`: `-p -1`), lets booleans take a value only
// after `=` (`-T=false`), and stops at the first non-flag argument or at `--`:
//   -p 4222 -js -T=false   →   port: 4222, jetstream: true, logtime: false
import { CliError } from './errors.js';
import { findFlag, type FlagValue } from './flags.js';

export interface ParsedArgv {
  /** The flags given, by canonical key, each with its last value. */
  readonly flags: ReadonlyMap<string, FlagValue>;
  /** Arguments after the flags (from the first non-flag argument, or after `--`). */
  readonly positional: readonly string[];
}

/** Go's %q is close enough to JSON string quoting for anything a user types. */
export function quote(text: string): string {
  return JSON.stringify(text);
}

/** Parses Go-style flags; throws CliError with Go's message for malformed, unknown or badly valued flags. */
export function parseArgv(argv: readonly string[]): ParsedArgv {
  const flags = new Map<string, FlagValue>();
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (arg.length < 2 || arg[0] !== '-') break;
    const dashes = arg[1] === '-' ? 2 : 1;
    if (dashes === 2 && arg.length === 2) {
      i++;
      break;
    }
    const body = arg.slice(dashes);
    if (body.length === 0 || body[0] === '-' || body[0] === '=') {
      throw new CliError('FLAG_SYNTAX', `bad flag syntax: ${arg}`);
    }
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const inlineValue = eq < 0 ? undefined : body.slice(eq + 1);
    const spec = findFlag(name);
    if (spec === undefined) {
      throw new CliError('FLAG_UNDEFINED', `flag provided but not defined: -${name}`);
    }
    i++;

    if (spec.kind === 'bool') {
      flags.set(spec.key, inlineValue === undefined ? true : parseBoolValue(inlineValue, name));
      continue;
    }
    let value = inlineValue;
    if (value === undefined) {
      if (i >= argv.length) throw new CliError('FLAG_NEEDS_ARGUMENT', `flag needs an argument: -${name}`);
      value = argv[i++]!;
    }
    flags.set(spec.key, spec.kind === 'int' ? parseIntValue(value, name) : value);
  }
  return { flags, positional: argv.slice(i) };
}

function parseBoolValue(text: string, name: string): boolean {
  const value = parseGoBool(text);
  if (value === undefined) {
    throw new CliError('FLAG_INVALID_VALUE', `invalid boolean value ${quote(text)} for -${name}: parse error`);
  }
  return value;
}

function parseIntValue(text: string, name: string): number {
  const value = parseGoInt(text);
  if (typeof value === 'string') {
    throw new CliError('FLAG_INVALID_VALUE', `invalid value ${quote(text)} for flag -${name}: ${value}`);
  }
  return value;
}

const TRUE_WORDS: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's strconv.ParseBool; undefined when the text is not one of its words. */
export function parseGoBool(text: string): boolean | undefined {
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  return undefined;
}

const INT64_MAX = (1n << 63n) - 1n;

const DIGITS: Readonly<Record<number, RegExp>> = {
  2: /^[01]*$/,
  8: /^[0-7]*$/,
  10: /^[0-9]+$/,
  16: /^[0-9a-fA-F]+$/,
};

const BIGINT_PREFIX: Readonly<Record<number, string>> = { 2: '0b', 8: '0o', 10: '', 16: '0x' };

/**
 * Go's strconv.ParseInt(text, 0, 64), which flag.IntVar uses: optional sign, `0x`/`0o`/`0b` prefixes, a
 * leading `0` meaning octal (so `-p 010` is port 8, as with nats-server), `_` between digits.
 * Returns the number, or Go's reason for refusing it.
 */
export function parseGoInt(text: string): number | 'parse error' | 'value out of range' {
  let rest = text;
  let negative = false;
  if (rest[0] === '+' || rest[0] === '-') {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest.length === 0 || !underscoresOk(rest)) return 'parse error';

  let base = 10;
  if (rest[0] === '0') {
    const marker = rest.length >= 3 ? rest[1]!.toLowerCase() : '';
    base = marker === 'x' ? 16 : marker === 'o' ? 8 : marker === 'b' ? 2 : 8;
    rest = rest.slice(marker === 'x' || marker === 'o' || marker === 'b' ? 2 : 1);
  }
  const digits = rest.replaceAll('_', '');
  if (!DIGITS[base]!.test(digits)) return 'parse error';

  const magnitude = digits.length === 0 ? 0n : BigInt(`${BIGINT_PREFIX[base]}${digits}`);
  if (magnitude > (negative ? INT64_MAX + 1n : INT64_MAX)) return 'value out of range';
  return Number(negative ? -magnitude : magnitude);
}

/** Go's rule: `_` only between digits, or between a base prefix and a digit. */
function underscoresOk(unsigned: string): boolean {
  let previous: 'start' | 'digit' | 'underscore' | 'other' = 'start';
  let i = 0;
  const hex = /^0[xX]/.test(unsigned);
  if (/^0[bBoOxX]/.test(unsigned)) {
    i = 2;
    previous = 'digit';
  }
  for (; i < unsigned.length; i++) {
    const c = unsigned[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      previous = 'digit';
    } else if (c === '_') {
      if (previous !== 'digit') return false;
      previous = 'underscore';
    } else {
      if (previous === 'underscore') return false;
      previous = 'other';
    }
  }
  return previous !== 'underscore';
}
