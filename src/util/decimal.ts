// Writing a non-negative integer as ASCII decimal straight into a buffer: protocol lines and JSON
// replies built per message, without a string per number.

/** Writes `value` at `at`; returns the offset after its last digit. */
export function writeDecimal(buf: Buffer, at: number, value: number): number {
  if (value < 10) {
    buf[at] = 0x30 + value;
    return at + 1;
  }
  let digits = 0;
  for (let v = value; v > 0; v = Math.floor(v / 10)) digits++;
  let p = at + digits - 1;
  for (let v = value; v > 0; v = Math.floor(v / 10)) buf[p--] = 0x30 + (v % 10);
  return at + digits;
}
