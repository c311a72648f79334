// The websocket block's listener: NATS clients (and MQTT clients, on a path ending in /mqtt) over
// ws:// or wss://, on its own host, 0.0.0.0 unless set (not the client listener's: nats-server's default).

import type { WebsocketConfig } from '../config/index.js';
import { listenWebsocket } from '../transports/index.js';
import type { WebsocketClient, WebsocketListener } from '../transports/index.js';
import { formatHostPort, ListenError } from '../util/index.js';
import type { Logger } from '../util/index.js';
import { StartError } from './start-error.js';
import { tlsCredentialsOf } from './tls-setup.js';

/**
 * The largest WebSocket message a client may send: a client packs many operations into one message;
 * the NATS parser enforces max_payload and max_control_line on what is inside.
 */
const WEBSOCKET_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const WEBSOCKET_DEFAULT_HOST = '0.0.0.0';

export async function openWebsocketListener(ws: WebsocketConfig, onClient: (client: WebsocketClient) => void, log: Logger): Promise<WebsocketListener> {
  const host = ws.host !== '' ? ws.host : WEBSOCKET_DEFAULT_HOST;
  const tls = ws.tls === undefined ? undefined : tlsCredentialsOf(ws.tls);
  const listener = await listenWebsocket(
    {
      host,
      port: ws.port < 0 ? 0 : ws.port,
      ...(tls !== undefined && { tls }),
      sameOrigin: ws.sameOrigin,
      allowedOrigins: ws.allowedOrigins,
      // wss without a handshake timeout of its own takes the TLS block's, as in nats-server.
      handshakeTimeoutMs: ws.handshakeTimeoutMs > 0 ? ws.handshakeTimeoutMs : (ws.tls?.timeoutMs ?? 0),
      compression: ws.compression,
      maxMessageBytes: WEBSOCKET_MAX_MESSAGE_BYTES,
      jwtCookie: ws.jwtCookie ?? '',
    },
    onClient,
    (message) => log.error(message),
  ).catch((err: Error) => {
    throw new StartError(err instanceof ListenError ? `Unable to listen for websocket connections: listen tcp ${err.hostPort}: ${err.message}` : err.message, err);
  });
  log.info(`Listening for websocket clients on ${tls !== undefined ? 'wss' : 'ws'}://${formatHostPort(host, listener.port)}`);
  if (tls === undefined) log.warn('Websocket not configured with TLS. DO NOT USE IN PRODUCTION!');
  return listener;
}
