// NKEY public keys as nats-server writes them: a prefix byte naming the key's role, the 32 bytes of
// the ed25519 public key, and a CRC-16 (XMODEM) of the two, little-endian, in base32 without padding:
// 56 characters, the first telling the role ('U' a user, 'A' an account, 'O' an operator, 'N' a server).

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const RAW_KEY_BYTES = 32;
/** Prefix, key and CRC. */
const ENCODED_BYTES = 1 + RAW_KEY_BYTES + 2;
const ENCODED_CHARS = 56;

/** The prefix bytes of the public key roles (the role's number shifted left by 3). */
export const NkeyRole = {
  Account: 0,
  Server: 13 << 3,
  Operator: 14 << 3,
  User: 20 << 3,
} as const;
export type NkeyRole = (typeof NkeyRole)[keyof typeof NkeyRole];

function crc16(data: Uint8Array): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function base32(data: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** The bytes of a base32 text of whole bytes, or null when a character is not base32. */
function fromBase32(text: string): Buffer | null {
  const out = Buffer.alloc(Math.floor((text.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = BASE32.indexOf(text[i] as string);
    if (digit < 0) return null;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[n++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out;
}

/** The public key `raw` (32 bytes) of `role` as an NKEY. */
export function encodePublicKey(role: NkeyRole, raw: Uint8Array): string {
  const bytes = Buffer.alloc(ENCODED_BYTES);
  bytes[0] = role;
  bytes.set(raw.subarray(0, RAW_KEY_BYTES), 1);
  const crc = crc16(bytes.subarray(0, ENCODED_BYTES - 2));
  bytes[ENCODED_BYTES - 2] = crc & 0xff;
  bytes[ENCODED_BYTES - 1] = crc >> 8;
  return base32(bytes);
}

/** The 32 bytes of an NKEY public key of `role`, or null when `key` is not one (wrong role, length, characters or CRC). */
export function decodePublicKey(role: NkeyRole, key: string): Buffer | null {
  if (key.length !== ENCODED_CHARS) return null;
  const bytes = fromBase32(key);
  if (bytes === null || bytes.length !== ENCODED_BYTES || bytes[0] !== role) return null;
  const crc = bytes[ENCODED_BYTES - 2]! | (bytes[ENCODED_BYTES - 1]! << 8);
  if (crc !== crc16(bytes.subarray(0, ENCODED_BYTES - 2))) return null;
  return bytes.subarray(1, 1 + RAW_KEY_BYTES);
}

/** The first byte of every seed carries this, with the role's top bits. */
const SEED_PREFIX = 18 << 3;
/** Two prefix bytes, the raw seed, and the CRC. */
const SEED_BYTES = 2 + RAW_KEY_BYTES + 2;

/** The 32-byte ed25519 seed of an NKEY seed (`SU…` for a user) and its role, or null when `seed` is not one. */
export function decodeSeed(seed: string): { readonly role: number; readonly raw: Buffer } | null {
  const bytes = fromBase32(seed.trim());
  if (bytes === null || bytes.length !== SEED_BYTES || (bytes[0]! & 0xf8) !== SEED_PREFIX) return null;
  const crc = bytes[SEED_BYTES - 2]! | (bytes[SEED_BYTES - 1]! << 8);
  if (crc !== crc16(bytes.subarray(0, SEED_BYTES - 2))) return null;
  const role = ((bytes[0]! & 7) << 5) | (bytes[1]! >> 3);
  return { role, raw: bytes.subarray(2, 2 + RAW_KEY_BYTES) };
}
