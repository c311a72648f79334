// Go duration strings (time.ParseDuration / Duration.String), the form nats-server configs use:
// "2m", "1h30m", "500ms", "1.5s". Errors carry Go's wording since they end up in config errors.

const NS_PER_UNIT: ReadonlyMap<string, number> = new Map([
  ['ns', 1],
  ['us', 1e3],
  ['µs', 1e3], // U+00B5 micro sign
  ['μs', 1e3], // U+03BC Greek small letter mu
  ['ms', 1e6],
  ['s', 1e9],
  ['m', 60e9],
  ['h', 3600e9],
]);

export class DurationError extends Error {
  override readonly name = 'DurationError';
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Parses a Go duration string into nanoseconds (a float: config durations are far below 2^53 ns). */
export function parseGoDurationNs(text: string): number {
  const invalid = (): DurationError => new DurationError(`time: invalid duration ${quote(text)}`);
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let total = 0;
  while (rest !== '') {
    if (!(rest[0] === '.' || isDigit(rest[0]))) throw invalid();
    let i = 0;
    while (isDigit(rest[i])) i++;
    const whole = rest.slice(0, i);
    let fraction = '';
    if (rest[i] === '.') {
      const start = ++i;
      while (isDigit(rest[i])) i++;
      fraction = rest.slice(start, i);
    }
    if (whole === '' && fraction === '') throw invalid();
    rest = rest.slice(i);
    let u = 0;
    while (u < rest.length && rest[u] !== '.' && !isDigit(rest[u])) u++;
    const unit = rest.slice(0, u);
    if (unit === '') throw new DurationError(`time: missing unit in duration ${quote(text)}`);
    const scale = NS_PER_UNIT.get(unit);
    if (scale === undefined) throw new DurationError(`time: unknown unit ${quote(unit)} in duration ${quote(text)}`);
    rest = rest.slice(u);
    total += Number(`${whole || '0'}.${fraction || '0'}`) * scale;
  }
  return sign * total;
}

/** Parses a Go duration string into milliseconds (fractional below 1ms). */
export function parseGoDurationMs(text: string): number {
  return parseGoDurationNs(text) / 1e6;
}
