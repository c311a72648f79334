// Go's time.Duration String(), which nats-server uses in logs, errors and monitoring.

const NS_PER_US = 1_000;
const NS_PER_MS = 1_000_000;
const NS_PER_S = 1_000_000_000;

/** Go's time.Duration String() of a whole number of nanoseconds: `0s`, `850ns`, `281µs`, `1.895619ms`, `2.5s`, `1h0m3s`. */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const u = Math.abs(Math.trunc(ns));
  if (u < NS_PER_US) return `${sign}${u}ns`;
  if (u < NS_PER_MS) return `${sign}${withFraction(u, NS_PER_US)}µs`;
  if (u < NS_PER_S) return `${sign}${withFraction(u, NS_PER_MS)}ms`;
  const totalSecs = Math.floor(u / NS_PER_S);
  const secs = withFraction(u - (totalSecs - (totalSecs % 60)) * NS_PER_S, NS_PER_S);
  const totalMins = Math.floor(totalSecs / 60);
  const hours = Math.floor(totalMins / 60);
  if (hours > 0) return `${sign}${hours}h${totalMins % 60}m${secs}s`;
  if (totalMins > 0) return `${sign}${totalMins}m${secs}s`;
  return `${sign}${secs}s`;
}

/** `value / unit` printed with the remainder as a decimal fraction without trailing zeros. */
function withFraction(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const digits = String(unit).length - 1;
  const frac = String(value - whole * unit).padStart(digits, '0').replace(/0+$/, '');
  return frac === '' ? String(whole) : `${whole}.${frac}`;
}

/** Milliseconds (fractions kept to the nanosecond) as Go prints the same duration. */
export function formatGoDuration(ms: number): string {
  return goDuration(Math.round(ms * NS_PER_MS));
}
