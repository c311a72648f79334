// Builds the value tree from the token stream (semantics of conf/parse.go in nats-server 2.9.10):
// size suffixes, `$VAR` references (enclosing maps innermost first, then the environment, whose
// text is parsed as a config value), `include` (parsed on its own, merged where it appears) and
// duplicate keys (last wins). Unlike nats-server, an unknown size suffix (`1kbb`) is an error rather
// than a value silently left unset, and an integer overflowing int64 is an error rather than wrapping.

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

import type { ConfEntry, ConfMap, ConfNode, SourcePos } from './conf-tree.js';
import { formatPos } from './conf-tree.js';
import { ConfigError } from './errors.js';
import { LexError, Lexer } from './lexer.js';
import type { Token } from './lexer.js';

export interface ParseOptions {
  /** Consulted for `$NAME` references no enclosing map defines; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

interface ParseContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Absolute paths of the files being parsed, outermost first: an include of one of them is a cycle. */
  readonly includeChain: readonly string[];
  /** Environment variables being expanded, outermost first: a reference back to one is a cycle. */
  readonly envChain: readonly string[];
}

interface MutableMap {
  readonly kind: 'map';
  readonly pos: SourcePos;
  readonly entries: Map<string, ConfEntry>;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Size suffixes (case-insensitive): bare letters are powers of 1000, `b`/`i`/`ib` forms powers of 1024. */
const SIZE_MULTIPLIERS: ReadonlyMap<string, bigint> = (() => {
  const table = new Map<string, bigint>([['', 1n]]);
  const letters = ['k', 'm', 'g', 't', 'p', 'e'];
  letters.forEach((letter, index) => {
    const exponent = BigInt(index + 1);
    table.set(letter, 1000n ** exponent);
    for (const binary of ['b', 'i', 'ib']) table.set(letter + binary, 1024n ** exponent);
  });
  return table;
})();

/** The key an environment variable's text is assigned to so it can be parsed as a value. */
const ENV_VALUE_KEY = 'pk';

/** A leading byte-order mark is not whitespace to the lexer; drop it rather than make it part of a key. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses config text; `file` names it in positions and anchors relative includes. */
export function parseConf(text: string, file: string, options: ParseOptions = {}): ConfMap {
  const context: ParseContext = { env: options.env ?? process.env, includeChain: [resolve(file)], envChain: [] };
  return new ConfParser(stripBom(text), file, context).parseDocument();
}

/** Reads and parses a config file. */
export function parseConfFile(path: string, options: ParseOptions = {}): ConfMap {
  return parseConf(readConfigText(path), path, options);
}

function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('CONFIG_READ', [`error opening config file: ${(err as Error).message}`]);
  }
}

class ConfParser {
  private readonly tokens: Generator<Token, void, undefined>;
  private readonly file: string;
  private readonly context: ParseContext;
  /** Entries of the maps enclosing the current position, outermost first: the variable scopes. */
  private readonly scopes: Map<string, ConfEntry>[] = [];

  constructor(text: string, file: string, context: ParseContext) {
    this.tokens = new Lexer(text).tokens();
    this.file = file;
    this.context = context;
  }

  parseDocument(): ConfMap {
    const root: MutableMap = { kind: 'map', pos: { file: this.file, line: 1, column: 1 }, entries: new Map() };
    this.scopes.push(root.entries);
    this.parseEntries(root.entries, 'eof');
    this.scopes.pop();
    return root;
  }

  private next(): Token {
    try {
      const step = this.tokens.next();
      return step.done === true ? { kind: 'eof', text: '', line: 0, column: 0 } : step.value;
    } catch (err) {
      if (err instanceof LexError) throw this.syntaxError({ line: err.line, column: err.column }, err.message);
      throw err;
    }
  }

  private pos(token: { readonly line: number; readonly column: number }): SourcePos {
    return { file: this.file, line: token.line, column: token.column };
  }

  private syntaxError(at: { readonly line: number; readonly column: number }, message: string): ConfigError {
    return new ConfigError('CONFIG_SYNTAX', [`${formatPos(this.pos(at))}: ${message}`]);
  }

  private parseEntries(entries: Map<string, ConfEntry>, end: 'eof' | 'mapEnd'): void {
    for (;;) {
      const token = this.next();
      if (token.kind === end) return;
      if (token.kind === 'include') {
        this.include(token, entries);
        continue;
      }
      if (token.kind !== 'key') throw this.syntaxError(token, `unexpected ${token.kind}, expected a key`);
      const valueToken = this.next();
      // A key at the very end of the file without a value is ignored, as nats-server does.
      if (valueToken.kind === 'eof' && end === 'eof') return;
      const value = this.parseValue(valueToken);
      setEntry(entries, { key: token.text, pos: this.pos(token), value, usedAsVariable: false });
    }
  }

  private parseValue(token: Token): ConfNode {
    const pos = this.pos(token);
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.text, pos };
      case 'boolean': {
        const word = token.text.toLowerCase();
        return { kind: 'boolean', value: word === 'true' || word === 'yes' || word === 'on', pos };
      }
      case 'integer':
        return { kind: 'integer', value: this.parseInteger(token), pos };
      case 'float': {
        const value = Number(token.text);
        if (!Number.isFinite(value)) throw this.syntaxError(token, `float '${token.text}' is out of range`);
        return { kind: 'float', value, pos };
      }
      case 'datetime':
        return { kind: 'datetime', value: this.parseDatetime(token), pos };
      case 'arrayStart': {
        const items: ConfNode[] = [];
        for (let item = this.next(); item.kind !== 'arrayEnd'; item = this.next()) items.push(this.parseValue(item));
        return { kind: 'array', items, pos };
      }
      case 'mapStart': {
        const map: MutableMap = { kind: 'map', pos, entries: new Map() };
        this.scopes.push(map.entries);
        this.parseEntries(map.entries, 'mapEnd');
        this.scopes.pop();
        return map;
      }
      case 'variable':
        return this.resolveVariable(token);
      default:
        throw this.syntaxError(token, `unexpected ${token.kind}, expected a value`);
    }
  }

  private parseInteger(token: Token): bigint {
    const match = /^(-?\d+)([a-zA-Z]*)$/.exec(token.text);
    const digits = match?.[1];
    const suffix = match?.[2] ?? '';
    const multiplier = SIZE_MULTIPLIERS.get(suffix.toLowerCase());
    if (digits === undefined || multiplier === undefined) {
      throw this.syntaxError(token, `invalid size suffix '${suffix}' in '${token.text}'`);
    }
    const value = BigInt(digits) * multiplier;
    if (value < INT64_MIN || value > INT64_MAX) throw this.syntaxError(token, `integer '${token.text}' is out of range`);
    return value;
  }

  private parseDatetime(token: Token): Date {
    const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(token.text);
    const [year, month, day, hour, minute, second] = (match?.slice(1) ?? []).map(Number);
    if (
      year === undefined ||
      month === undefined ||
      day === undefined ||
      hour === undefined ||
      minute === undefined ||
      second === undefined
    ) {
      throw this.syntaxError(token, `expected a Zulu datetime, got '${token.text}'`);
    }
    // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute, second, 0);
    const roundTrips =
      date.getUTCFullYear() === year &&
      date.getUTCMonth() === month - 1 &&
      date.getUTCDate() === day &&
      date.getUTCHours() === hour &&
      date.getUTCMinutes() === minute &&
      date.getUTCSeconds() === second;
    if (!roundTrips) throw this.syntaxError(token, `expected a Zulu datetime, got '${token.text}'`);
    return date;
  }

  private resolveVariable(token: Token): ConfNode {
    const name = token.text;
    const pos = this.pos(token);
    // An unquoted bcrypt hash ($2a$...) looks like a variable reference; keep it literally.
    if (name.startsWith('2a$')) return { kind: 'string', value: `$${name}`, pos };

    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const entry = this.scopes[i]?.get(name);
      if (entry !== undefined) {
        entry.usedAsVariable = true;
        return { ...entry.value, pos };
      }
    }

    const envText = this.context.env[name];
    if (envText === undefined) {
      throw this.syntaxError(token, `variable reference for '${name}' on line ${token.line} can not be found`);
    }
    if (this.context.envChain.includes(name)) {
      throw this.syntaxError(
        token,
        `variable reference for '${name}' on line ${token.line} could not be parsed: ` +
          `environment variable reference cycle through '${[...this.context.envChain, name].join("' -> '")}'`,
      );
    }
    const envContext: ParseContext = { ...this.context, envChain: [...this.context.envChain, name] };
    let parsed: ConfMap;
    try {
      parsed = new ConfParser(`${ENV_VALUE_KEY}=${envText}`, `env:${name}`, envContext).parseDocument();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      throw this.syntaxError(
        token,
        `variable reference for '${name}' on line ${token.line} could not be parsed: ${err.message}`,
      );
    }
    const entry = parsed.entries.get(ENV_VALUE_KEY);
    if (entry === undefined) {
      throw this.syntaxError(token, `variable reference for '${name}' on line ${token.line} can not be found`);
    }
    return { ...entry.value, pos };
  }

  private include(token: Token, entries: Map<string, ConfEntry>): void {
    const relativeTo = dirname(this.file);
    const label = isAbsolute(token.text) ? token.text : join(relativeTo, token.text);
    const target = resolve(relativeTo, token.text);
    const where = formatPos(this.pos(token));
    const prefix = `${where}: error parsing include file '${token.text}', `;
    if (this.context.includeChain.includes(target)) {
      throw new ConfigError('CONFIG_SYNTAX', [`${prefix}include cycle through '${target}'`]);
    }
    let included: ConfMap;
    try {
      const text = stripBom(readConfigText(target));
      const includeContext: ParseContext = { ...this.context, includeChain: [...this.context.includeChain, target] };
      included = new ConfParser(text, label, includeContext).parseDocument();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      throw new ConfigError(err.code, [prefix + err.message]);
    }
    for (const entry of included.entries.values()) setEntry(entries, entry);
  }
}

/** Last definition wins and also takes the last place in iteration order. */
function setEntry(entries: Map<string, ConfEntry>, entry: ConfEntry): void {
  entries.delete(entry.key);
  entries.set(entry.key, entry);
}
