// How a connection's socket ends, for every kind with one (clients, leaf links): what is queued goes
// out first unless the peer is too slow to take it, and a peer that never reads cannot keep a
// half-closed socket open.

import type { Outbound } from './outbound.js';
import type { TransportSocket } from './transport.js';

/** Longest a half-closed socket waits for the peer before it is destroyed. */
const END_GRACE_MS = 1000;

export function closeSocket(socket: TransportSocket, outbound: Outbound, dropPending: boolean): void {
  if (dropPending) socket.destroy();
  else {
    if (outbound.pendingBytes > 0 && !socket.destroyed) outbound.flushTo(socket);
    socket.end();
    setTimeout(() => socket.destroy(), END_GRACE_MS).unref();
  }
  // Closed connections stay listed for monitoring; keep them small.
  outbound.discard();
}
