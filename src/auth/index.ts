// Public face of auth: who is connecting, and may they?
export { Authenticator, authTimeoutMs } from './authenticator.js';
export type { JwtAccountSetup } from './account-claims.js';
export { JwtAuthenticator } from './jwt-authenticator.js';
export { operatorMode } from './operator-mode.js';
export type { OperatorMode } from './operator-mode.js';
export { OperatorTrustError } from './operator-trust.js';
export { AccountJwtDir } from './account-jwt-dir.js';
export { ClaimsRequests, outcomeJson } from './claims-requests.js';
export type { ClaimsOutcome } from './claims-requests.js';
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
export { CredentialsError, nkeyOf, parseCredentials } from './credentials.js';
export { certUser } from './cert-user.js';
export type { UserCredentials } from './credentials.js';
