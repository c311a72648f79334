// Certificates read from the files the configuration names: transports do no file I/O.

import fs from 'node:fs';

import type { ClientTlsConfig, TlsConfig } from '../config/index.js';
import { createTlsUpgrader } from '../transports/index.js';
import type { DialTls, TlsCredentials, TlsUpgrader } from '../transports/index.js';

/** A listener's `tls` block as credentials; `verify_and_map` needs a verified client certificate too. */
export function tlsCredentialsOf(tls: TlsConfig): TlsCredentials {
  return {
    cert: fs.readFileSync(tls.certFile),
    key: fs.readFileSync(tls.keyFile),
    ...(tls.caFile !== undefined && { ca: fs.readFileSync(tls.caFile) }),
    verify: tls.verify || tls.verifyAndMap === true,
    ...(tls.pinnedCerts !== undefined && { pinnedCerts: new Set(tls.pinnedCerts) }),
  };
}

/** The TLS upgrade of a listener's accepted sockets. */
export function loadTls(tls: TlsConfig): TlsUpgrader {
  return createTlsUpgrader(tlsCredentialsOf(tls));
}

/** TLS toward a remote broker (a bridge's, a leaf remote's) with its files read. */
export function dialTlsOf(t: ClientTlsConfig | undefined): DialTls {
  return {
    insecure: t?.insecure ?? false,
    ...(t?.caFile !== undefined && { ca: fs.readFileSync(t.caFile) }),
    ...(t?.certFile !== undefined && { cert: fs.readFileSync(t.certFile) }),
    ...(t?.keyFile !== undefined && { key: fs.readFileSync(t.keyFile) }),
    ...(t?.serverName !== undefined && { serverName: t.serverName }),
  };
}
