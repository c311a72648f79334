// What a client certificate says about who its holder is, as TLS `verify_and_map` looks it up.

export interface CertIdentity {
  readonly emails: readonly string[];
  readonly dnsNames: readonly string[];
  readonly uris: readonly string[];
  /** The subject's attributes in the certificate's order, values unescaped: `[['O', 'Acme'], ['CN', 'alice']]`. */
  readonly subject: readonly (readonly [type: string, value: string])[];
}
