export type { ServerInfo, ConnectOptions, LeafInfo, LeafConnect } from './types.js';
export { NATS_COMPAT_VERSION } from './types.js';
export { NatsParser, PubFrame, ParseErrorKind, parseSize } from './parser.js';
export type { ClientOpHandler, LeafOpHandler } from './parser.js';
export { WireError, leafLoopDetected, leafMinVersion, pubViolation, replyViolation, subViolation, subRevokedViolation, subTokensViolation, errFrame } from './errors.js';
export type { WireErrorText } from './errors.js';
export { decodeConnect, CONNECT_DEFAULTS } from './connect.js';
export { headerValue, encodeHeaders, appendHeaders, removeHeader } from './headers.js';
