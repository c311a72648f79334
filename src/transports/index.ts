export { listenTcp, boundPort } from './tcp.js';
export { createTlsUpgrader } from './tls.js';
export type { TlsCredentials, TlsUpgrader, UpgradedSocket } from './tls.js';
