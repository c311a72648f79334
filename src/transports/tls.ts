// TLS for client connections: nats-server sends INFO in clear text, then the client starts TLS on
// the same socket, so the upgrade happens on an accepted TCP socket.
//
// The handshake runs through a tls.Server that never listens: only a tls.Server verifies client
// certificates against the CA (a bare TLSSocket in server mode does not), so each raw socket is
// handed to it as a 'connection' and matched back by its peer address.
//
// With allow_non_tls the server has already read the ClientHello to tell TLS from plain text. Those
// bytes cannot be given back to the socket's handle, so that handshake runs over a stream that
// replays them, and the client certificate is checked against the CA here.

import type { X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import { Duplex } from 'node:stream';
import type tls from 'node:tls';
import type { Socket } from 'node:net';

/**
 * node:tls (with node:crypto) takes megabytes and milliseconds to load, and most gateways run without TLS: they
 * are loaded with the first upgrader, synchronously (the server builds upgraders on start and on reload alike).
 */
const requireBuiltin = createRequire(import.meta.url);

function tlsModule(): typeof tls {
  return requireBuiltin('node:tls') as typeof tls;
}

function cryptoModule(): typeof import('node:crypto') {
  return requireBuiltin('node:crypto') as typeof import('node:crypto');
}

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

/** Upgrades an accepted socket; `alreadyRead` is the start of the handshake when it was read to sniff TLS. */
export type TlsUpgrader = (raw: Socket, alreadyRead?: Buffer) => Promise<UpgradedSocket>;

interface Pending {
  resolve(up: UpgradedSocket): void;
  reject(err: Error): void;
}

function peerKey(s: { remoteAddress?: string; remotePort?: number }): string {
  return `${s.remoteAddress ?? ''}|${s.remotePort ?? 0}`;
}

/** Returns the function that upgrades an accepted socket with these credentials. */
export function createTlsUpgrader(creds: TlsCredentials): TlsUpgrader {
  const tls = tlsModule();
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
    p.resolve(upgraded(socket));
  });
  server.on('tlsClientError', (err: Error, socket: tls.TLSSocket) => {
    const key = peerKey(socket);
    const p = pending.get(key);
    if (p === undefined) return;
    pending.delete(key);
    p.reject(err);
  });
  const context = tls.createSecureContext({ cert: creds.cert, key: creds.key, ca: creds.ca });
  const cas = creds.ca !== undefined ? parseCertificates(creds.ca) : [];
  return (raw, alreadyRead) => {
    if (alreadyRead !== undefined) return handshakeReplaying(raw, alreadyRead, context, creds.verify, cas);
    return new Promise((resolve, reject) => {
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
  };
}

function upgraded(socket: tls.TLSSocket): UpgradedSocket {
  return { socket, version: socket.getProtocol() ?? '', cipher: socket.getCipher()?.standardName ?? '' };
}

function handshakeReplaying(raw: Socket, first: Buffer, context: tls.SecureContext, verify: boolean, cas: readonly X509Certificate[]): Promise<UpgradedSocket> {
  const { TLSSocket } = tlsModule();
  return new Promise((resolve, reject) => {
    const socket = new TLSSocket(replaying(raw, first), { isServer: true, secureContext: context, requestCert: verify, rejectUnauthorized: false });
    socket.once('error', reject);
    socket.once('secure', () => {
      socket.off('error', reject);
      if (verify && !issuedByTrustedCa(socket, cas)) {
        socket.destroy();
        reject(new Error('client certificate not signed by a trusted CA'));
        return;
      }
      resolve(upgraded(socket));
    });
  });
}

/** A stream over the raw socket that first yields the bytes already read from it. */
function replaying(raw: Socket, first: Buffer): Duplex {
  const stream = new Duplex({
    read: () => raw.resume(),
    write: (chunk: Buffer, _encoding, done) => raw.write(chunk, done),
    final: (done) => {
      raw.end();
      done();
    },
    destroy: (err, done) => {
      raw.destroy();
      done(err);
    },
  });
  stream.push(first);
  raw.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) raw.pause();
  });
  raw.once('end', () => stream.push(null));
  raw.once('close', () => stream.destroy());
  return stream;
}

/** Fails closed: a certificate must be issued and signed directly by one of the CAs, and be in date. */
function issuedByTrustedCa(socket: tls.TLSSocket, cas: readonly X509Certificate[]): boolean {
  const peer = socket.getPeerX509Certificate();
  if (peer === undefined) return false;
  const now = Date.now();
  if (now < Date.parse(peer.validFrom) || now > Date.parse(peer.validTo)) return false;
  return cas.some((ca) => peer.checkIssued(ca) && peer.verify(ca.publicKey));
}

function parseCertificates(pem: Buffer): X509Certificate[] {
  const blocks = pem.toString('latin1').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const { X509Certificate: Certificate } = cryptoModule();
  return blocks.map((b) => new Certificate(b));
}
