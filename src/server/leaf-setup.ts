// Leaf node links as the options configure them: the leaf module is loaded only when the leafnodes
// block is set, and its listener failing to open stops the start like any other.

import fs from 'node:fs';
import { CredentialsError, nkeyOf, parseCredentials } from '../auth/index.js';
import type { LeafRemoteConfig, LeafnodesConfig, Options } from '../config/index.js';
import type { ClientAuthenticator, Router } from '../core/index.js';
import type { LeafNodes, LeafRemoteOptions } from '../leaf/index.js';
import type { DialProxy } from '../transports/index.js';
import { GLOBAL_ACCOUNT, ListenError } from '../util/index.js';
import { StartError } from './start-error.js';
import { dialTlsOf, loadTls } from './tls-setup.js';

/** nats-server's default TLS handshake deadline for leaf links. */
const LEAF_TLS_TIMEOUT_MS = 2000;

export async function openLeafNodes(config: LeafnodesConfig, opts: Options, router: Router, clients: ClientAuthenticator): Promise<LeafNodes> {
  const { LeafNodes } = await import('../leaf/index.js');
  const leafs = new LeafNodes(
    router,
    {
      host: config.host !== '' ? config.host : opts.host,
      port: config.port,
      advertise: config.advertise,
      ...(config.auth !== undefined && { login: { ...config.auth, verifyAndMap: config.tls?.verifyAndMap === true } }),
      ...(config.minVersion !== undefined && { minVersion: config.minVersion }),
      ...(config.tls !== undefined && { tls: { upgrade: loadTls(config.tls), timeoutMs: config.tls.timeoutMs, verify: config.tls.verify } }),
      reconnectDelayMs: config.reconnectDelayMs,
      remotes: config.remotes.map(remoteOptionsOf),
      domain: opts.jetstream?.domain ?? '',
      jetstream: opts.jetstream !== undefined,
    },
    clients,
  );
  await leafs.start().catch((err: Error) => {
    leafs.stop();
    throw new StartError(err instanceof ListenError ? `Error listening on port: ${err.hostPort}, "${err.message}"` : err.message, err);
  });
  const u = opts.uplink;
  if (u !== undefined) {
    // The name is part of the local stream's name: only the characters a stream name may hold.
    const name = (u.name !== '' ? u.name : opts.serverName !== '' ? opts.serverName : router.serverName).replace(/[^A-Za-z0-9_-]/g, '_');
    await leafs
      .startUplink({ name, account: u.account ?? GLOBAL_ACCOUNT, subjects: u.subjects, stream: u.stream, domain: u.domain, prefix: u.prefix ?? `${name}.`, maxBytes: u.maxBytes, maxAgeMs: u.maxAgeMs, maxMsgs: u.maxMsgs, maxInflight: u.maxInflight })
      .catch((err: Error) => {
        leafs.stop();
        throw new StartError(err.message, err);
      });
  }
  return leafs;
}

/** A remote as the leaf module takes it: certificate and credentials files read here. A `tls://` URL asks for TLS without a block. */
function remoteOptionsOf(r: LeafRemoteConfig): LeafRemoteOptions {
  const secure = r.tls !== undefined || r.urls.some((u) => u.startsWith('tls://') || u.startsWith('wss://'));
  let credentials;
  if (r.credentials !== undefined) {
    try {
      credentials = parseCredentials(fs.readFileSync(r.credentials, 'utf8'), r.credentials);
    } catch (err) {
      const message = err instanceof CredentialsError ? err.message : `error reading leafnode credentials: ${(err as Error).message}`;
      throw new StartError(message, err);
    }
  }
  return {
    urls: r.urls,
    account: r.account ?? GLOBAL_ACCOUNT,
    hub: r.hub,
    noRandomize: r.noRandomize,
    denyImports: r.denyImports,
    denyExports: r.denyExports,
    ...(secure && { tls: { ...dialTlsOf(r.tls), timeoutMs: r.tls?.timeoutMs ?? LEAF_TLS_TIMEOUT_MS } }),
    ...(credentials !== undefined && { credentials }),
    ...(r.proxy !== undefined && { proxy: proxyOf(r.proxy) }),
    ...(r.nkey !== undefined && { nkey: nkeyOf(r.nkey, 'leafnode remote nkey') }),
  };
}

function proxyOf(p: NonNullable<LeafRemoteConfig['proxy']>): DialProxy {
  const url = new URL(p.url);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
    ...(p.username !== undefined && { username: p.username }),
    ...(p.password !== undefined && { password: p.password }),
  };
}
