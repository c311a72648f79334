// Times in the $JS.API as Go's time.Time writes and reads them in JSON: RFC3339 with up to nine fraction
// digits, trailing zeros dropped. Inside leafgate a time is a bigint of nanoseconds since the epoch.

/** What Go writes for its zero time.Time (a never-written stream's first_ts, an unset created). */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

export const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

/** A time read from a JSON body: the instant, and the UTC offset it was written with (Go writes it back so). */
export interface ZonedTime {
  ns: bigint;
  offsetMinutes: number;
}

/**
 * RFC3339Nano as Go's time.Time MarshalJSON writes it, in UTC unless an offset is given. 0n stands for Go's
 * zero time: an epoch-exact timestamp never occurs in practice, and callers use 0 for "never" (store state,
 * unset times).
 */
export function formatTime(ns: bigint, offsetMinutes = 0): string {
  if (ns === 0n) return GO_ZERO_TIME;
  const local = ns + BigInt(offsetMinutes * 60) * NS_PER_S;
  let secs = local / NS_PER_S;
  let sub = Number(local - secs * NS_PER_S);
  if (sub < 0) {
    sub += 1_000_000_000;
    secs -= 1n;
  }
  return `${secondText(Number(secs))}${fractionText(sub)}${offsetMinutes === 0 ? 'Z' : offsetText(offsetMinutes)}`;
}

// Stored messages come in time order: consecutive calls mostly fall in the same second.
let cachedSecond = Number.NaN;
let cachedSecondText = '';

/** `YYYY-MM-DDTHH:MM:SS` of a second since the epoch. */
function secondText(second: number): string {
  if (second !== cachedSecond) {
    cachedSecondText = new Date(second * 1000).toISOString().slice(0, 19);
    cachedSecond = second;
  }
  return cachedSecondText;
}

/** `.` and up to nine digits, trailing zeros dropped; empty for a whole second. */
function fractionText(ns: number): string {
  if (ns === 0) return '';
  let digits = 9;
  let v = ns;
  while (v % 10 === 0) {
    v /= 10;
    digits--;
  }
  return `.${String(v).padStart(digits, '0')}`;
}

function offsetText(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;

/** An RFC3339 time (any offset), or null when Go's parser would refuse it. */
export function parseTime(text: string): ZonedTime | null {
  const m = RFC3339.exec(text);
  if (m === null) return null;
  const [year, month, day, hour, min, sec] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || hour > 23 || min > 59 || sec > 59) return null;
  if (day < 1 || day > new Date(Date.UTC(2000, month, 0)).getUTCDate() || (month === 2 && day === 29 && !isLeap(year))) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec, 0);
  const local = BigInt(d.getTime()) * NS_PER_MS + BigInt((m[7] ?? '').padEnd(9, '0'));
  const offsetMinutes = m[9] === undefined ? 0 : (m[9] === '+' ? 1 : -1) * (Number(m[10]) * 60 + Number(m[11]));
  return { ns: local - BigInt(offsetMinutes * 60) * 1_000_000_000n, offsetMinutes };
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/**
 * How far wallClockNs may be from the wall clock before it takes the wall clock again: past Date.now()'s own
 * millisecond and a little slewing, so a step of the clock (NTP) shows at once.
 */
const RESYNC_NS = 2_000_000n;
let wallMinusMono = BigInt(Date.now()) * NS_PER_MS - process.hrtime.bigint();

/**
 * The wall-clock time in nanoseconds, for the times Go writes with RFC3339Nano (advisories): the monotonic
 * clock's resolution, set on the wall clock and set again when the wall clock has been stepped.
 */
export function wallClockNs(): bigint {
  const ns = process.hrtime.bigint() + wallMinusMono;
  const wall = BigInt(Date.now()) * NS_PER_MS;
  const drift = ns - wall;
  if (drift > RESYNC_NS || drift < -RESYNC_NS) {
    wallMinusMono = wall - process.hrtime.bigint();
    return wall;
  }
  return ns;
}
