// Public face of auth: who is connecting, and may they?
export { Authenticator, type AuthOptions } from './authenticator.js';
export { AuthConfigError, type AuthConfigErrorCode } from './errors.js';
export { isBcryptHash, verifySecret } from './password.js';
export {
  type AuthContext,
  type AuthFailure,
  type AuthFailureReason,
  type AuthResult,
  type AuthSuccess,
} from './types.js';
