// Plain TCP listener for client connections.

import net from 'node:net';
import type { Socket } from 'node:net';

export interface ListenAddress {
  readonly host: string;
  /** -1 = any free port. */
  readonly port: number;
}

/** Listens and hands each accepted socket to onSocket; resolves with the bound port. */
export function listenTcp(addr: ListenAddress, onSocket: (socket: Socket) => void): Promise<net.Server> {
  const server = net.createServer({ noDelay: true }, onSocket);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: addr.host, port: addr.port < 0 ? 0 : addr.port, backlog: 1024 }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export function boundPort(server: net.Server): number {
  const a = server.address();
  return typeof a === 'object' && a !== null ? a.port : 0;
}
