// Random tokens for generated names and flow-control subjects, from the alphabet nats-server uses.

import { randomBytes } from 'node:crypto';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `n` random letters and digits (ephemeral consumer names, flow-control subjects). */
export function randomToken(n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[bytes[i] % ALNUM.length];
  return s;
}
