// Public face of auth: who is connecting, and may they?
export { Authenticator } from './authenticator.js';
export { AuthConfigError, type AuthConfigErrorCode } from './errors.js';
export { isBcryptHash, verifySecret } from './password.js';
export {
  type AccountSpec,
  type AuthContext,
  type AuthFailure,
  type AuthFailureReason,
  type AuthOptions,
  type AuthResult,
  type AuthSuccess,
  type AuthorizationSpec,
  type UserSpec,
} from './types.js';
