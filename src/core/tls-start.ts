// How a client's byte stream starts: plain at once, TLS after INFO when the listener requires it, or,
// with allow_non_tls, TLS only when the client's first bytes are a TLS ClientHello.

import type { AcceptedSocket, TlsUpgrade } from './transport.js';

/** The handshake's deadline when the listener gives none (nats-server's default TLS timeout). */
const DEFAULT_TLS_TIMEOUT_MS = 2000;
/** A TLS record of type handshake: the first byte of every ClientHello. */
const TLS_HANDSHAKE_RECORD = 0x16;

export interface TransportStartOwner {
  readonly closed: boolean;
  /** Protocol bytes may flow; `firstBytes` were already read from a plain client. */
  attach(firstBytes: Buffer | null): void;
  /** The handshake finished: the connection continues on the TLS socket. */
  upgraded(up: TlsUpgrade): void;
  handshakeTimedOut(): void;
  handshakeFailed(err: Error): void;
}

export function startTransport(accepted: AcceptedSocket, owner: TransportStartOwner): void {
  if (accepted.upgradeTls === undefined) return owner.attach(null);
  if (accepted.tlsOptional !== true) return startTls(accepted, owner, undefined);
  accepted.socket.once('data', (first: Buffer) => {
    if (first[0] === TLS_HANDSHAKE_RECORD) startTls(accepted, owner, first);
    else owner.attach(first);
  });
}

function startTls(accepted: AcceptedSocket, owner: TransportStartOwner, alreadyRead: Buffer | undefined): void {
  const timer = setTimeout(() => owner.handshakeTimedOut(), accepted.tlsTimeoutMs ?? DEFAULT_TLS_TIMEOUT_MS);
  (accepted.upgradeTls as NonNullable<AcceptedSocket['upgradeTls']>)(alreadyRead).then(
    (up: TlsUpgrade) => {
      clearTimeout(timer);
      if (owner.closed) up.socket.destroy();
      else owner.upgraded(up);
    },
    (err: Error) => {
      clearTimeout(timer);
      owner.handshakeFailed(err);
    },
  );
}
