// Where and when a JWT user may connect: `src` (CIDR blocks the client's address must fall in) and
// `times` with `times_location` (daily windows of wall-clock time), checked as nats-server's
// validateSrc and validateTimes check them.

import { BlockList, isIP } from 'node:net';

/** Whether `host` falls in one of the `src` blocks (a list, or one comma-separated string); any host without blocks. */
export function sourceAllowed(src: readonly string[] | string | undefined, host: string): boolean {
  const blocks = typeof src === 'string' ? src.split(',').map((s) => s.trim()).filter((s) => s !== '') : (src ?? []);
  if (blocks.length === 0) return true;
  const family = isIP(host);
  if (family === 0) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const cidr of blocks) {
    const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
    const netFamily = m === null ? 0 : isIP(m[1] as string);
    // A malformed block refuses, as nats-server's does.
    if (m === null || netFamily === 0) return false;
    if (netFamily !== family) continue;
    const list = new BlockList();
    list.addSubnet(m[1] as string, Number(m[2]), type);
    if (list.check(host, type)) return true;
  }
  return false;
}

export interface ConnectWindow {
  readonly allowed: boolean;
  /** When the window the client connects in closes (ms since the epoch); absent without windows. */
  readonly endsAtMs?: number;
}

const DAY_S = 86400;

/**
 * Whether `nowMs` lies in one of the daily windows, read in `location` (an IANA zone; the server's own
 * zone when empty). A window whose start is after its end runs into the next day; like nats-server's,
 * only the one that starts today counts.
 */
export function connectWindow(times: readonly { readonly start: string; readonly end: string }[] | undefined, location: string | undefined, nowMs: number): ConnectWindow {
  if (times === undefined || times.length === 0) return { allowed: true };
  const now = secondsIntoDay(nowMs, location);
  if (now === null) return { allowed: false };
  for (const range of times) {
    const start = parseClock(range.start);
    const end = parseClock(range.end);
    if (start === null || end === null) return { allowed: false };
    const endToday = start > end ? end + DAY_S : end;
    if (start < now && endToday > now) return { allowed: true, endsAtMs: nowMs + (endToday - now) * 1000 };
  }
  return { allowed: false };
}

/** Go's "15:04:05". */
function parseClock(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  if (m === null) return null;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return h < 24 && min < 60 && s < 60 ? h * 3600 + min * 60 + s : null;
}

/** Seconds (with fractions) since midnight of `nowMs` in the zone; null for a zone that does not exist. */
function secondsIntoDay(nowMs: number, location: string | undefined): number | null {
  let parts: Intl.DateTimeFormatPart[];
  try {
    const format = new Intl.DateTimeFormat('en-US', { timeZone: location === '' ? undefined : location, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    parts = format.formatToParts(new Date(nowMs));
  } catch {
    return null;
  }
  const field = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return field('hour') * 3600 + field('minute') * 60 + field('second') + (nowMs % 1000) / 1000;
}
