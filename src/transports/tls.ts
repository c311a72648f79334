// TLS for client connections: nats-server sends INFO in clear text, then the client starts TLS on
// the same socket, so the upgrade happens on an accepted TCP socket.

import fs from 'node:fs';
import tls from 'node:tls';
import type { Socket } from 'node:net';

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile?: string;
  readonly verify: boolean;
}

export interface UpgradedSocket {
  readonly socket: tls.TLSSocket;
  readonly version: string;
  readonly cipher: string;
}

export type TlsUpgrader = (raw: Socket) => Promise<UpgradedSocket>;

/** Loads the certificate files once and returns the function that upgrades a socket. */
export function createTlsUpgrader(files: TlsFiles): TlsUpgrader {
  const context = tls.createSecureContext({
    cert: fs.readFileSync(files.certFile),
    key: fs.readFileSync(files.keyFile),
    ca: files.caFile !== undefined ? fs.readFileSync(files.caFile) : undefined,
  });
  return (raw) =>
    new Promise((resolve, reject) => {
      const socket = new tls.TLSSocket(raw, {
        isServer: true,
        secureContext: context,
        requestCert: files.verify,
        rejectUnauthorized: files.verify,
      });
      const onError = (err: Error): void => {
        socket.destroy();
        reject(err);
      };
      socket.once('error', onError);
      socket.once('secure', () => {
        socket.off('error', onError);
        resolve({ socket, version: socket.getProtocol() ?? '', cipher: socket.getCipher()?.standardName ?? '' });
      });
    });
}
