export { LeafNodes } from './leaf-nodes.js';
export type { LeafLinkState, LeafNodesOptions } from './leaf-nodes.js';
export type { LeafListenerLogin } from './leaf-auth.js';
export type { LeafRemoteOptions } from './leaf-remote.js';
export { LeafConnection } from './leaf-connection.js';
export type { UplinkOptions, UplinkState } from './uplink.js';
