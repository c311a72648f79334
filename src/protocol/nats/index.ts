export type { ServerInfo, ConnectOptions } from './types.js';
export { NATS_COMPAT_VERSION } from './types.js';
export { ClientParser, PubFrame, ParseErrorKind, parseSize } from './parser.js';
export type { ClientOpHandler } from './parser.js';
export { WireError, pubViolation, replyViolation, subViolation, subRevokedViolation, subTokensViolation, errFrame } from './errors.js';
export type { WireErrorText } from './errors.js';
export { decodeConnect, CONNECT_DEFAULTS } from './connect.js';
export { headerValue, encodeHeaders, appendHeaders, removeHeader } from './headers.js';
