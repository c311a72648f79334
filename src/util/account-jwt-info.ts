// What monitoring shows of an account JWT in operator mode: auth reads it from the JWT, /accountz
// shows it. A shape only, here because both may import util and neither may import the other.

export interface AccountJwtInfo {
  readonly jwt: string;
  /** The key that signed the account (the operator's or one of its signing keys). */
  readonly issuerKey: string;
  readonly nameTag: string;
  readonly tags: readonly string[];
  /** Revoked user keys, each with the time (s) before which its JWTs are revoked. */
  readonly revocations: Readonly<Record<string, number>>;
  /** When the account JWT expires (s since the epoch); 0 for never. */
  readonly expires: number;
}
