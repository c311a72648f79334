// Decoding a parsed JSON body into typed fields the way Go's encoding/json fills a struct: unknown members
// ignored, member names matched exactly or else case-insensitively, `null` leaving a plain field untouched,
// and any value of the wrong type (a string for a number, 1.5 or 1e9 for an integer, a number out of range)
// failing the whole body — which the $JS.API answers with 10025 invalid JSON.

import { JsonNumber, JsonObject } from './json.js';
import type { JsonValue } from './json.js';
import { parseTime } from './time.js';
import type { ZonedTime } from './time.js';

export class DecodeError extends Error {}

/** Sets one member's value on the target; throws DecodeError when Go would refuse the value. */
export type FieldDecoder<T> = (target: T, v: JsonValue) => void;

/** The member names of a struct with their decoders, looked up as Go does. */
export class StructFields<T> {
  private readonly exact: Map<string, FieldDecoder<T>>;
  private readonly folded: Map<string, FieldDecoder<T>>;

  constructor(fields: Readonly<Record<string, FieldDecoder<T>>>) {
    this.exact = new Map(Object.entries(fields));
    this.folded = new Map(Object.entries(fields).map(([k, f]) => [k.toLowerCase(), f]));
  }

  /** Fills target from v as decode() does; false (target partly filled) where Go's decoder would refuse v. */
  tryDecode(target: T, v: JsonValue): boolean {
    try {
      this.decode(target, v);
      return true;
    } catch (err) {
      if (err instanceof DecodeError) return false;
      throw err;
    }
  }

  /** Fills target from v (an object, or null which changes nothing). */
  decode(target: T, v: JsonValue): void {
    if (v === null) return;
    if (!(v instanceof JsonObject)) throw new DecodeError('expected an object');
    for (const [key, value] of v.entries) {
      const f = this.exact.get(key) ?? this.folded.get(key.toLowerCase());
      if (f !== undefined) f(target, value);
    }
  }
}

export function str(v: JsonValue): string | undefined {
  if (v === null) return undefined;
  if (typeof v !== 'string') throw new DecodeError('expected a string');
  return v;
}

export function bool(v: JsonValue): boolean | undefined {
  if (v === null) return undefined;
  if (typeof v !== 'boolean') throw new DecodeError('expected a boolean');
  return v;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function integer(v: JsonValue, min: bigint, max: bigint): bigint | undefined {
  if (v === null) return undefined;
  if (!(v instanceof JsonNumber) || !/^-?\d+$/.test(v.text)) throw new DecodeError('expected an integer');
  const n = BigInt(v.text);
  if (n < min || n > max) throw new DecodeError('integer out of range');
  return n;
}

/** A Go int/int64 field (counts and limits). Values past 2^53 keep their magnitude, not every digit. */
export function int64(v: JsonValue): number | undefined {
  const n = integer(v, INT64_MIN, INT64_MAX);
  return n === undefined ? undefined : Number(n);
}

export function int32(v: JsonValue): number | undefined {
  const n = integer(v, -(2n ** 31n), 2n ** 31n - 1n);
  return n === undefined ? undefined : Number(n);
}

export function uint64(v: JsonValue): number | undefined {
  const n = integer(v, 0n, 2n ** 64n - 1n);
  return n === undefined ? undefined : Number(n);
}

/** A time.Duration: integer nanoseconds, kept exact. */
export function duration(v: JsonValue): bigint | undefined {
  return integer(v, INT64_MIN, INT64_MAX);
}

/** A *time.Time: RFC3339 text; null clears it. */
export function time(v: JsonValue): ZonedTime | null {
  if (v === null) return null;
  if (typeof v !== 'string') throw new DecodeError('expected a time string');
  const t = parseTime(v);
  if (t === null) throw new DecodeError('invalid time');
  return t;
}

/** A Go slice: null clears it, each element decoded by `item` (whose own null leaves the zero value). */
export function list<E>(v: JsonValue, item: (e: JsonValue) => E | undefined, zero: E): E[] | null {
  if (v === null) return null;
  if (!Array.isArray(v)) throw new DecodeError('expected an array');
  return v.map((e) => item(e) ?? zero);
}

/** A string-valued Go enum with its own UnmarshalJSON: exactly one of the listed texts (null is refused too). */
export function oneOf<E extends string>(v: JsonValue, values: Readonly<Record<string, E>>): E {
  if (typeof v === 'string' && Object.hasOwn(values, v)) return values[v];
  throw new DecodeError('unknown enum value');
}
