// Random base-62 text for identifiers that are unique, not secret: service reply tokens and event ids.

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 62^6 < 2^53: six digits come from one draw. */
const SIX_DIGITS = 56_800_235_584;

export function randomBase62(length: number): string {
  let s = '';
  while (s.length < length) {
    let r = Math.floor(Math.random() * SIX_DIGITS);
    for (let i = 0; i < 6 && s.length < length; i++) {
      s += DIGITS[r % 62];
      r = Math.floor(r / 62);
    }
  }
  return s;
}
