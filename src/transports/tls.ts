// TLS for client connections: nats-server sends INFO in clear text, then the client starts TLS on
// the same socket, so the upgrade happens on an accepted TCP socket.
//
// The handshake runs through a tls.Server that never listens: only a tls.Server verifies client
// certificates against the CA (a bare TLSSocket in server mode does not), so each raw socket is
// handed to it as a 'connection' and matched back by its peer address.
//
// With allow_non_tls the server has already read the start of the ClientHello to tell TLS from plain
// text. Those bytes are put back on the paused socket: a TLSSocket wrapping a socket first feeds it
// whatever the socket has buffered, so the same tls.Server verifies both paths.

import type tls from 'node:tls';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

import type { CertIdentity } from '../util/index.js';

/**
 * node:tls takes megabytes and milliseconds to load, and most gateways run without TLS: they
 * are loaded with the first upgrader, synchronously (the server builds upgraders on start and on reload alike).
 */
const requireBuiltin = createRequire(import.meta.url);

function tlsModule(): typeof tls {
  return requireBuiltin('node:tls') as typeof tls;
}

/** PEM contents of the server certificate, its key and the CA for client certificates. */
export interface TlsCredentials {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly ca?: Buffer;
  readonly verify: boolean;
  /** `pinned_certs`: the only client certificate keys accepted (peerKeyId, lower-case hex). */
  readonly pinnedCerts?: ReadonlySet<string>;
}

export interface UpgradedSocket {
  readonly socket: tls.TLSSocket;
  readonly version: string;
  readonly cipher: string;
  /** SHA-256 of the client certificate's SubjectPublicKeyInfo, hex; '' when it sent none. */
  readonly peerKeyId: string;
  readonly peerIdentity: CertIdentity | null;
}

/** Why a handshake that completed is refused anyway. */
export class CertificateNotPinnedError extends Error {
  constructor() {
    super('certificate not pinned');
    this.name = 'CertificateNotPinnedError';
  }
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
    const up = upgraded(socket);
    if (creds.pinnedCerts !== undefined && !creds.pinnedCerts.has(up.peerKeyId)) {
      socket.destroy();
      p.reject(new CertificateNotPinnedError());
      return;
    }
    p.resolve(up);
  });
  server.on('tlsClientError', (err: Error, socket: tls.TLSSocket) => {
    const key = peerKey(socket);
    const p = pending.get(key);
    if (p === undefined) return;
    pending.delete(key);
    p.reject(err);
  });
  return (raw, alreadyRead) =>
    new Promise((resolve, reject) => {
      const key = peerKey(raw);
      pending.set(key, { resolve, reject });
      raw.once('close', () => {
        const p = pending.get(key);
        if (p === undefined) return;
        pending.delete(key);
        p.reject(new Error('connection closed during the TLS handshake'));
      });
      if (alreadyRead !== undefined) {
        // Paused, so the bytes stay buffered for the TLSSocket instead of being emitted as data.
        raw.pause();
        raw.unshift(alreadyRead);
      }
      server.emit('connection', raw);
    });
}

function upgraded(socket: tls.TLSSocket): UpgradedSocket {
  return { socket, ...tlsDetails(socket) };
}

/** What a finished handshake tells: protocol version, cipher, and the client certificate's key id and names. */
export function tlsDetails(socket: tls.TLSSocket): Omit<UpgradedSocket, 'socket'> {
  const cert = socket.getPeerCertificate(false);
  const has = cert?.raw !== undefined;
  return {
    version: socket.getProtocol() ?? '',
    cipher: socket.getCipher()?.standardName ?? '',
    peerKeyId: has ? peerKeyId(cert.raw) : '',
    peerIdentity: has ? peerIdentity(cert) : null,
  };
}

/** The names in the client certificate: its subject alternative names and its subject's attributes. */
function peerIdentity(cert: tls.PeerCertificate): CertIdentity {
  const emails: string[] = [];
  const dnsNames: string[] = [];
  const uris: string[] = [];
  for (const name of (cert.subjectaltname ?? '').split(', ')) {
    const colon = name.indexOf(':');
    const value = name.slice(colon + 1);
    if (name.startsWith('email:')) emails.push(value);
    else if (name.startsWith('DNS:')) dnsNames.push(value);
    else if (name.startsWith('URI:')) uris.push(value);
  }
  const subject: [string, string][] = [];
  for (const [type, value] of Object.entries(cert.subject ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) subject.push([type, String(v)]);
  }
  return { emails, dnsNames, uris, subject };
}

/** nats-server's key id of a certificate (its DER bytes): the SHA-256 of its SubjectPublicKeyInfo, in hex. */
function peerKeyId(raw: Buffer): string {
  const crypto = requireBuiltin('node:crypto') as typeof import('node:crypto');
  const spki = new crypto.X509Certificate(raw).publicKey.export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(spki).digest('hex');
}
