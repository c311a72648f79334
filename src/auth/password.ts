// Checks a secret presented in CONNECT (pass, auth_token) against the configured one,
// which is either plain text or a bcrypt hash.

// Same prefix rule as nats-server: version 2 with minor a/b/x/y, then a 2-digit cost.
const BCRYPT_PREFIX = /^\$2[abxy]\$\d{2}\$/;

export function isBcryptHash(secret: string): boolean {
  return BCRYPT_PREFIX.test(secret);
}

/** Resolves true when `presented` matches `configured`; a malformed hash never matches. */
export async function verifySecret(configured: string, presented: string): Promise<boolean> {
  if (isBcryptHash(configured)) return verifyBcrypt(configured, presented);
  return equalsInConstantTime(configured, presented);
}

/** node:crypto is loaded with the first secret checked: a gateway without passwords never needs it. */
function cryptoModule(): Promise<typeof import('node:crypto')> {
  return import('node:crypto');
}

async function verifyBcrypt(hash: string, presented: string): Promise<boolean> {
  // bcryptjs refuses the $2x$ minor, while Go's bcrypt (what nats-server uses) treats every
  // minor alike; the minor only shows up in the output prefix, so swapping it is exact.
  const accepted = hash[2] === 'x' ? `$2b${hash.slice(3)}` : hash;
  try {
    // Loaded on first use: most gateways configure no bcrypt hash, and the module costs memory.
    const bcrypt = (await import('bcryptjs')).default;
    return await bcrypt.compare(presented, accepted);
  } catch {
    return false;
  }
}

async function equalsInConstantTime(a: string, b: string): Promise<boolean> {
  const { createHash, timingSafeEqual } = await cryptoModule();
  // Digests give equal-length buffers, so neither content nor length leaks through timing.
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
