// Plain TCP listener for client connections.

import net from 'node:net';
import type { Socket } from 'node:net';
import { listen } from '../util/index.js';
import type { ListenTarget } from '../util/index.js';

/** Listens and hands each accepted socket to onSocket; rejects with the util ListenError. */
export async function listenTcp(addr: ListenTarget, onSocket: (socket: Socket) => void): Promise<net.Server> {
  const server = net.createServer({ noDelay: true }, onSocket);
  await listen(server, { host: addr.host, port: addr.port, backlog: 1024 });
  return server;
}

export function boundPort(server: net.Server): number {
  const a = server.address();
  return typeof a === 'object' && a !== null ? a.port : 0;
}
