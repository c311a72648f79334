// The `websocket {}` block, read as nats-server's parseWebsocket reads it, with its checks
// (validateWebsocketOptions). Its own `authorization` and `no_auth_user` replace the top-level ones
// for WebSocket clients, and `jwt_cookie` names a cookie that may carry the user JWT.

import type { Issues } from './conf-reader.js';
import { fieldOf, lowerCased, readBoolean, readString, readStringList } from './conf-reader.js';
import type { ConfEntry } from './conf-tree.js';
import { DurationError, parseGoDurationMs } from './durations.js';
import { emptyListener, readListenerField } from './from-conf-listener.js';
import type { WebsocketConfig } from './options.js';

/** nats-server's default when `handshake_timeout` is not set: the TLS timeout for wss, else none. */
const NO_TIMEOUT = 0;

export function readWebsocket(issues: Issues, entry: ConfEntry): WebsocketConfig | undefined {
  if (entry.value.kind !== 'map') {
    issues.error(entry.pos, `Expected websocket to be a map, got ${entry.value.kind === 'array' ? '[]interface {}' : entry.value.kind}`);
    return undefined;
  }
  const listener = emptyListener();
  let advertise = '';
  let noTls = false;
  let sameOrigin = false;
  let allowedOrigins: string[] = [];
  let handshakeTimeoutMs = NO_TIMEOUT;
  let compression = false;
  let jwtCookie = '';
  for (const [key, child] of lowerCased(entry.value)) {
    if (readListenerField(issues, key, child, listener, 'websocket')) continue;
    const field = fieldOf(child);
    switch (key) {
      case 'advertise':
        advertise = readString(issues, field) ?? advertise;
        break;
      case 'no_tls':
        noTls = readBoolean(issues, field) ?? noTls;
        break;
      case 'same_origin':
        sameOrigin = readBoolean(issues, field) ?? sameOrigin;
        break;
      case 'allowed_origins':
      case 'allowed_origin':
      case 'allow_origins':
      case 'allow_origin':
      case 'origins':
      case 'origin':
        allowedOrigins = readStringList(issues, field) ?? allowedOrigins;
        break;
      case 'handshake_timeout':
        if (child.value.kind === 'integer') handshakeTimeoutMs = Number(child.value.value) * 1000;
        else if (child.value.kind === 'string') {
          try {
            handshakeTimeoutMs = parseGoDurationMs(child.value.value);
          } catch (err) {
            if (!(err instanceof DurationError)) throw err;
            issues.error(child.pos, err.message);
          }
        } else issues.error(child.pos, `error parsing handshake timeout: unsupported type ${child.value.kind}`);
        break;
      case 'compress':
      case 'compression':
        compression = readBoolean(issues, field) ?? compression;
        break;
      case 'jwt_cookie':
        jwtCookie = readString(issues, field) ?? jwtCookie;
        break;
      default:
        issues.unknownField(child);
    }
  }
  const { host, port, tls, auth, noAuthUser } = listener;
  // Port 0 leaves websocket off, whatever else the block says.
  if (port === 0) return undefined;
  if (tls === undefined && !noTls) {
    issues.error(entry.pos, 'websocket requires TLS configuration');
    return undefined;
  }
  for (const origin of allowedOrigins) {
    if (!URL.canParse(origin)) issues.error(entry.pos, `unable to parse allowed origin: parse ${JSON.stringify(origin)}: invalid URI for request`);
  }
  return {
    host,
    port,
    advertise,
    ...(tls !== undefined && !noTls && { tls }),
    sameOrigin,
    allowedOrigins,
    handshakeTimeoutMs,
    compression,
    ...(auth !== undefined && { auth }),
    ...(noAuthUser !== '' && { noAuthUser }),
    ...(jwtCookie !== '' && { jwtCookie }),
  };
}
