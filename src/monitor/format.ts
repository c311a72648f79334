// Value formats of nats-server's monitoring JSON: Go's RFC3339Nano timestamps, its own uptime
// layout, and Go's time.Duration strings.

import { goDuration } from '../util/index.js';

export { rfc3339Nano } from '../util/index.js';

const NS_PER_US = 1_000;
const NS_PER_MS = 1_000_000;

/** nats-server's uptime layout: whole seconds as `45s`, `1m2s`, `3h0m4s`, `2d3h4m5s`, `1y2d3h4m5s`. */
export function uptime(ms: number): string {
  const secs = Math.floor(Math.max(ms, 0) / 1000);
  const mins = Math.floor(secs / 60);
  const hours = Math.floor(mins / 60);
  const days = Math.floor(hours / 24);
  const years = Math.floor(days / 365);
  if (years > 0) return `${years}y${days % 365}d${hours % 24}h${mins % 60}m${secs % 60}s`;
  if (days > 0) return `${days}d${hours % 24}h${mins % 60}m${secs % 60}s`;
  if (hours > 0) return `${hours}h${mins % 60}m${secs % 60}s`;
  if (mins > 0) return `${mins}m${secs % 60}s`;
  return `${secs}s`;
}

/**
 * A round-trip time as nats-server reports it: below a millisecond it is cut to whole
 * microseconds, otherwise kept to the nanosecond.
 */
export function rtt(ms: number): string {
  let ns = Math.round(ms * NS_PER_MS);
  if (ns > NS_PER_US && ns < NS_PER_MS) ns -= ns % NS_PER_US;
  return goDuration(ns);
}

/** TLS protocol name as nats-server prints it: `1.2`, `1.3` (node says `TLSv1.3`). */
export function tlsVersion(protocol: string): string {
  return protocol.startsWith('TLSv') ? protocol.slice(4) : protocol;
}
