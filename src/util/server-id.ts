// Server ids in nats-server's form: an NKEY-style public key starting with 'N'.

import { encodePublicKey, NkeyRole } from './nkey.js';

export function generateServerId(): string {
  const raw = Buffer.alloc(32);
  // The id is public (every INFO carries it) and only has to be unique. Math.random is seeded from the
  // system's entropy in each process; node:crypto would add about 1 MB to an idle gateway just for this.
  for (let i = 0; i < 32; i++) raw[i] = Math.floor(Math.random() * 256);
  return encodePublicKey(NkeyRole.Server, raw);
}
