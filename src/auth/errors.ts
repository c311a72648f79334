// Auth settings the authenticator cannot be built from (nats-server refuses to start on these).

export type AuthConfigErrorCode = 'DUPLICATE_USER' | 'UNKNOWN_NO_AUTH_USER' | 'UNKNOWN_CONNECTION_TYPE';

export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
  readonly code: AuthConfigErrorCode;

  constructor(code: AuthConfigErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
