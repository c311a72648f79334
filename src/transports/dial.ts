// Connections out: to another broker (an MQTT bridge now, leaf links later) over TCP, TLS, or a
// WebSocket (plain or TLS). The caller gets a byte stream whatever the transport; over a WebSocket
// each write is one binary frame and each frame's payload arrives as one chunk.

import { createRequire } from 'node:module';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type tls from 'node:tls';

import { WebSocket, createWebSocketStream } from 'ws';

export type DialKind = 'tcp' | 'tls' | 'ws' | 'wss';

export interface DialTls {
  /** PEM; absent: Node's default CAs. */
  readonly ca?: Buffer;
  /** Our certificate and key (PEM), for a remote that asks for one. */
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** Do not verify the remote's certificate. */
  readonly insecure: boolean;
  /** The name its certificate must carry (and SNI); default the host. */
  readonly serverName?: string;
}

export interface DialOptions {
  readonly kind: DialKind;
  /** An IPv6 literal without brackets. */
  readonly host: string;
  readonly port: number;
  /** The WebSocket request path; default `/`. */
  readonly path?: string;
  readonly tls?: DialTls;
  /** The WebSocket subprotocol the remote must accept. */
  readonly subprotocol?: string;
  /** For connecting, the TLS handshake and the WebSocket upgrade together. */
  readonly timeoutMs: number;
}

export interface DialedSocket {
  readonly stream: Duplex;
  readonly remoteAddress: string;
  readonly tls: { readonly version: string; readonly cipher: string } | null;
}

/** node:tls is loaded with the first TLS dial: most gateways never make one. */
const requireBuiltin = createRequire(import.meta.url);

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function tlsOptions(host: string, t: DialTls | undefined): tls.ConnectionOptions {
  const servername = t?.serverName ?? (net.isIP(host) === 0 ? host : undefined);
  return {
    rejectUnauthorized: t?.insecure !== true,
    ...(t?.ca !== undefined && { ca: t.ca }),
    ...(t?.cert !== undefined && { cert: t.cert }),
    ...(t?.key !== undefined && { key: t.key }),
    ...(servername !== undefined && { servername }),
  };
}

export function dial(opts: DialOptions): Promise<DialedSocket> {
  return opts.kind === 'ws' || opts.kind === 'wss' ? dialWebsocket(opts) : dialSocket(opts);
}

function dialSocket(opts: DialOptions): Promise<DialedSocket> {
  const where = hostPort(opts.host, opts.port);
  return new Promise((resolve, reject) => {
    const secure = opts.kind === 'tls';
    const socket: net.Socket = secure
      ? (requireBuiltin('node:tls') as typeof tls).connect({ host: opts.host, port: opts.port, ...tlsOptions(opts.host, opts.tls) })
      : net.connect({ host: opts.host, port: opts.port });
    const fail = (message: string): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(`timed out after ${opts.timeoutMs} ms connecting to ${where}`), opts.timeoutMs);
    let connected = false;
    socket.once('connect', () => (connected = true));
    socket.once('error', (err: Error) => fail(secure && connected ? `TLS handshake with ${where} failed: ${err.message}` : err.message));
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      const t = secure ? (socket as tls.TLSSocket) : null;
      resolve({ stream: socket, remoteAddress: socket.remoteAddress ?? opts.host, tls: t === null ? null : { version: t.getProtocol() ?? '', cipher: t.getCipher().name } });
    });
  });
}

function dialWebsocket(opts: DialOptions): Promise<DialedSocket> {
  const secure = opts.kind === 'wss';
  const url = `${secure ? 'wss' : 'ws'}://${hostPort(opts.host, opts.port)}${opts.path ?? '/'}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts.subprotocol !== undefined ? [opts.subprotocol] : [], {
      handshakeTimeout: opts.timeoutMs,
      perMessageDeflate: false,
      ...(secure && tlsOptions(opts.host, opts.tls)),
    });
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      ws.terminate();
      reject(new Error(message));
    };
    ws.once('unexpected-response', (_req, res) => fail(`WebSocket upgrade to ${url} refused: HTTP ${res.statusCode ?? 0}`));
    ws.once('error', (err: Error) => fail(/timed out/i.test(err.message) ? `timed out after ${opts.timeoutMs} ms connecting to ${url}` : err.message));
    ws.once('open', () => {
      if (opts.subprotocol !== undefined && ws.protocol !== opts.subprotocol) return fail(`WebSocket at ${url} did not accept subprotocol ${opts.subprotocol}`);
      settled = true;
      ws.removeAllListeners('error');
      const raw = (ws as unknown as { _socket: net.Socket })._socket;
      raw.setNoDelay(true);
      const t = secure ? (raw as tls.TLSSocket) : null;
      resolve({ stream: createWebSocketStream(ws), remoteAddress: raw.remoteAddress ?? opts.host, tls: t === null ? null : { version: t.getProtocol() ?? '', cipher: t.getCipher().name } });
    });
  });
}
