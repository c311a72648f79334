// Go's RFC3339Nano timestamps, as nats-server's JSON (monitoring, events, request info) writes them.

const NS_PER_US = 1_000;

/** Epoch milliseconds (fractions kept to the microsecond) as Go's RFC3339Nano in UTC: trailing zeros of the fraction dropped. */
export function rfc3339Nano(epochMs: number): string {
  const micros = Math.round(epochMs * 1000);
  const seconds = Math.floor(micros / 1_000_000);
  const fracNs = (micros - seconds * 1_000_000) * NS_PER_US;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  const frac = String(fracNs).padStart(9, '0').replace(/0+$/, '');
  return frac === '' ? `${base}Z` : `${base}.${frac}Z`;
}
