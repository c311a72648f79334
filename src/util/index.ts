export { Logger, LoggerError } from './logger.js';
export type { LoggerOptions, LogStream } from './logger.js';
export { generateServerId } from './server-id.js';
export { GLOBAL_ACCOUNT } from './accounts.js';
export { goDuration, formatGoDuration } from './go-duration.js';
export { listen, ListenError, formatHostPort, reachableUrls } from './listen.js';
export type { ListenTarget } from './listen.js';
export { KEEP_BY_REFERENCE, keepBytes } from './borrowed-bytes.js';
export { subjectFromText, subjectToText } from './subject-text.js';
