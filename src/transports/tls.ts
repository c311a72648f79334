// TLS for client connections: nats-server sends INFO in clear text, then the client starts TLS on
// the same socket, so the upgrade happens on an accepted TCP socket.
//
// The handshake runs through a tls.Server that never listens: only a tls.Server verifies client
// certificates against the CA (a bare TLSSocket in server mode does not), so each raw socket is
// handed to it as a 'connection' and matched back by its peer address.

import tls from 'node:tls';
import type { Socket } from 'node:net';

/** PEM contents of the server certificate, its key and the CA for client certificates. */
export interface TlsCredentials {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly ca?: Buffer;
  readonly verify: boolean;
}

export interface UpgradedSocket {
  readonly socket: tls.TLSSocket;
  readonly version: string;
  readonly cipher: string;
}

export type TlsUpgrader = (raw: Socket) => Promise<UpgradedSocket>;

interface Pending {
  resolve(up: UpgradedSocket): void;
  reject(err: Error): void;
}

function peerKey(s: { remoteAddress?: string; remotePort?: number }): string {
  return `${s.remoteAddress ?? ''}|${s.remotePort ?? 0}`;
}

/** Returns the function that upgrades an accepted socket with these credentials. */
export function createTlsUpgrader(creds: TlsCredentials): TlsUpgrader {
  const pending = new Map<string, Pending>();
  const server = tls.createServer({
    cert: creds.cert,
    key: creds.key,
    ca: creds.ca,
    requestCert: creds.verify,
    rejectUnauthorized: creds.verify,
  });
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    const key = peerKey(socket);
    const p = pending.get(key);
    if (p === undefined) {
      socket.destroy();
      return;
    }
    pending.delete(key);
    p.resolve({ socket, version: socket.getProtocol() ?? '', cipher: socket.getCipher()?.standardName ?? '' });
  });
  server.on('tlsClientError', (err: Error, socket: tls.TLSSocket) => {
    const key = peerKey(socket);
    const p = pending.get(key);
    if (p === undefined) return;
    pending.delete(key);
    p.reject(err);
  });
  return (raw) =>
    new Promise((resolve, reject) => {
      const key = peerKey(raw);
      pending.set(key, { resolve, reject });
      raw.once('close', () => {
        const p = pending.get(key);
        if (p === undefined) return;
        pending.delete(key);
        p.reject(new Error('connection closed during the TLS handshake'));
      });
      server.emit('connection', raw);
    });
}
