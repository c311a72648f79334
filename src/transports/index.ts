export { listenTcp, boundPort } from './tcp.js';
export { createTlsUpgrader, tlsDetails } from './tls.js';
export type { TlsCredentials, TlsUpgrader, UpgradedSocket } from './tls.js';
export type { WebsocketClient, WebsocketListener, WebsocketListenOptions } from './websocket.js';

/** The WebSocket listener, loaded only when configured: node:http and ws are a good part of an idle gateway's memory. */
export async function listenWebsocket(...args: Parameters<typeof import('./websocket.js').listenWebsocket>): ReturnType<typeof import('./websocket.js').listenWebsocket> {
  const { listenWebsocket: listen } = await import('./websocket.js');
  return listen(...args);
}
export { dial, secureSocket } from './dial.js';
export type { DialedSocket, DialKind, DialOptions, DialProxy, DialTls } from './dial.js';
