// Server ids in nats-server's form: a 56-character NKEY-style public key starting with 'N'.

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** NKEY prefix byte for servers: 13 << 3 encodes as 'N'. */
const SERVER_PREFIX = 13 << 3;

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

export function generateServerId(): string {
  const raw = Buffer.alloc(35);
  raw[0] = SERVER_PREFIX;
  // The id is public (every INFO carries it) and only has to be unique. Math.random is seeded from the
  // system's entropy in each process; node:crypto would add about 1 MB to an idle gateway just for this.
  for (let i = 1; i <= 32; i++) raw[i] = Math.floor(Math.random() * 256);
  const crc = crc16(raw.subarray(0, 33));
  raw[33] = crc & 0xff;
  raw[34] = crc >> 8;
  return base32(raw);
}
