export { Logger, LoggerError } from './logger.js';
export type { LoggerOptions, LogStream } from './logger.js';
export { generateServerId } from './server-id.js';
export { decodePublicKey, decodeSeed, encodePublicKey, NkeyRole } from './nkey.js';
export { GLOBAL_ACCOUNT } from './accounts.js';
export { goDuration, formatGoDuration } from './go-duration.js';
export { listen, ListenError, formatHostPort, reachableUrls } from './listen.js';
export type { ListenTarget } from './listen.js';
export { KEEP_BY_REFERENCE, keepBytes } from './borrowed-bytes.js';
export { subjectFromText, subjectToText } from './subject-text.js';
export { writeDecimal } from './decimal.js';
export { isValidLiteralSubject, isValidSubscribeSubject, matchesTokens, subjectMatches, tokenCount } from './subject.js';
export { SubjectTransform } from './subject-transform.js';
export { MappingError, SubjectMappings } from './subject-mapping.js';
export type { MappingDestination, MappingSpec } from './subject-mapping.js';
export type { CertIdentity } from './cert-identity.js';
export { rfc3339Nano } from './rfc3339.js';
export { isSubsetMatch, subjectIsSubsetOf, subjectsCollide } from './subject-sets.js';
export { DEFAULT_RESPONSE_THRESHOLD_MS, linkAccounts, ResponseType, withSystemLinks } from './account-links.js';
export type {
  AccountLinks,
  AccountLinksSpec,
  ExportSpec,
  LinkedAccount,
  LinkedServiceExport,
  LinkedServiceImport,
  LinkedStreamExport,
  LinkedStreamImport,
  ServiceExportSpec,
  ServiceImportSpec,
  StreamImportSpec,
} from './account-links.js';
export { clientInfoJson } from './client-info.js';
export { randomBase62 } from './base62.js';
export { LongTimer } from './long-timer.js';
export type { AccountJwtInfo } from './account-jwt-info.js';
export type { JetStreamLimits } from './jetstream-limits.js';
