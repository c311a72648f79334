// Query parameters decoded the way nats-server decodes them (Go's strconv), with its 400 texts.

import { BadRequestError } from './errors.js';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Which connections /connz looks at. */
export const ConnState = { Open: 0, Closed: 1, All: 2 } as const;
export type ConnState = (typeof ConnState)[keyof typeof ConnState];

/** `subs` of /connz and /routez: a boolean, or `detail`. */
export interface SubsOption {
  readonly list: boolean;
  readonly detail: boolean;
}

export class Query {
  private readonly params: URLSearchParams;

  constructor(params: URLSearchParams) {
    this.params = params;
  }

  /** The first value of a parameter; '' when absent. */
  string(name: string): string {
    return this.params.get(name) ?? '';
  }

  bool(name: string): boolean {
    const text = this.string(name);
    if (text === '' || FALSE_WORDS.has(text)) return false;
    if (TRUE_WORDS.has(text)) return true;
    throw new BadRequestError(`Error decoding boolean for '${name}': ${syntaxError('ParseBool', text)}`);
  }

  int(name: string): number {
    const text = this.string(name);
    if (text === '') return 0;
    if (!/^[+-]?[0-9]+$/.test(text)) throw new BadRequestError(`Error decoding int for '${name}': ${syntaxError('Atoi', text)}`);
    const value = BigInt(text);
    if (value > INT64_MAX || value < INT64_MIN) throw new BadRequestError(`Error decoding int for '${name}': ${rangeError('Atoi', text)}`);
    return Number(value);
  }

  uint(name: string): number {
    const text = this.string(name);
    if (text === '') return 0;
    if (!/^[0-9]+$/.test(text)) throw new BadRequestError(`Error decoding uint64 for '${name}': ${syntaxError('ParseUint', text)}`);
    const value = BigInt(text);
    if (value > UINT64_MAX) throw new BadRequestError(`Error decoding uint64 for '${name}': ${rangeError('ParseUint', text)}`);
    return Number(value);
  }

  subs(): SubsOption {
    if (this.string('subs').toLowerCase() === 'detail') return { list: false, detail: true };
    return { list: this.bool('subs'), detail: false };
  }

  state(): ConnState {
    const text = this.string('state');
    switch (text.toLowerCase()) {
      case '':
      case 'open':
        return ConnState.Open;
      case 'closed':
        return ConnState.Closed;
      case 'any':
      case 'all':
        return ConnState.All;
      default:
        throw new BadRequestError(`Error decoding state for ${text}`);
    }
  }
}

function syntaxError(fn: string, text: string): string {
  return `strconv.${fn}: parsing ${goQuote(text)}: invalid syntax`;
}

function rangeError(fn: string, text: string): string {
  return `strconv.${fn}: parsing ${goQuote(text)}: value out of range`;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** Go's %q of a string: double quotes, backslash escapes for quotes and control characters. */
function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const short = SHORT_ESCAPES[ch];
    const code = ch.codePointAt(0) as number;
    if (short !== undefined) out += short;
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}
