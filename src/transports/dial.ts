// Connections out: to another broker (an MQTT bridge now, leaf links later) over TCP, TLS, or a
// WebSocket (plain or TLS). The caller gets a byte stream whatever the transport; over a WebSocket
// each write is one binary frame and each frame's payload arrives as one chunk.
//
// The TCP or TLS socket is made here for WebSocket too (ws is handed it through createConnection), so
// one deadline covers connect, handshake and upgrade, and errors are worded by the step that failed.

import { createRequire } from 'node:module';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type tls from 'node:tls';

import type { WebSocket } from 'ws';

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
  /** For connecting, the TLS handshake and the WebSocket upgrade together (the proxy's tunnel has as long again). */
  readonly timeoutMs: number;
  /** Reach the host through this HTTP proxy's CONNECT tunnel. */
  readonly proxy?: DialProxy;
}

/** An HTTP proxy that opens tunnels with CONNECT (networks that only let HTTPS out through one). */
export interface DialProxy {
  readonly host: string;
  readonly port: number;
  /** Basic authentication; both or neither. */
  readonly username?: string;
  readonly password?: string;
}

export interface DialedSocket {
  /** Paused when it came through a plain proxy tunnel: resume it once listening. */
  readonly stream: Duplex;
  readonly remoteAddress: string;
  readonly tls: { readonly version: string; readonly cipher: string } | null;
}

/** node:tls is loaded with the first TLS dial (and ws, which loads node:http too, with the first WebSocket one): most gateways make neither. */
const requireBuiltin = createRequire(import.meta.url);

type Step = 'connect' | 'tls' | 'upgrade';

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A TLS client to `host`: over a new connection to `port`, or on `socket`, already connected. */
function tlsConnect(opts: { readonly host: string; readonly port?: number; readonly socket?: Duplex; readonly tls?: DialTls }): tls.TLSSocket {
  const tlsModule = requireBuiltin('node:tls') as typeof tls;
  const t = opts.tls;
  const name = t?.serverName ?? opts.host;
  // Node refuses an IP address as SNI (RFC 6066), and checks the certificate against `servername` when set, else the host.
  const ip = net.isIP(name) !== 0;
  return tlsModule.connect({
    host: opts.host,
    ...(opts.socket !== undefined ? { socket: opts.socket } : { port: opts.port }),
    rejectUnauthorized: t?.insecure !== true,
    ...(t?.ca !== undefined && { ca: t.ca }),
    ...(t?.cert !== undefined && { cert: t.cert }),
    ...(t?.key !== undefined && { key: t.key }),
    ...(!ip && { servername: name }),
    ...(ip && name !== opts.host && { checkServerIdentity: (_host: string, cert: tls.PeerCertificate) => tlsModule.checkServerIdentity(name, cert) }),
  });
}

export async function dial(opts: DialOptions): Promise<DialedSocket> {
  const websocket = opts.kind === 'ws' || opts.kind === 'wss' ? await import('ws') : null;
  const secure = opts.kind === 'tls' || opts.kind === 'wss';
  const where = hostPort(opts.host, opts.port);
  const url = `${opts.kind}://${where}${opts.path ?? '/'}`;
  const tunnel = opts.proxy === undefined ? null : await proxyTunnel(opts.proxy, where, opts.timeoutMs);
  return new Promise((resolve, reject) => {
    const socket: net.Socket = secure ? tlsConnect({ ...opts, ...(tunnel !== null && { socket: tunnel }) }) : (tunnel ?? net.connect({ host: opts.host, port: opts.port }));
    // TLS and WebSocket speak first, so nothing waits in a tunnel for them: it may flow now.
    if (tunnel !== null && (secure || websocket !== null)) tunnel.resume();
    let step: Step = tunnel === null ? 'connect' : secure ? 'tls' : 'upgrade';
    let settled = false;
    let ws: WebSocket | null = null;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws?.terminate();
      socket.destroy();
      reject(new Error(message));
    };
    // Stays on the socket and ws after a failure: a late error on either must not go unhandled.
    const failed = (err: Error): void =>
      fail(step === 'connect' ? err.message : step === 'tls' ? `TLS handshake with ${where} failed: ${err.message}` : `WebSocket upgrade to ${url} failed: ${err.message}`);
    const waiting = { connect: '', tls: ' (no TLS handshake)', upgrade: ' (no WebSocket upgrade)' } as const;
    const timer = setTimeout(() => fail(`timed out after ${opts.timeoutMs} ms connecting to ${where}${waiting[step]}`), opts.timeoutMs);
    const done = (stream: Duplex): void => {
      settled = true;
      clearTimeout(timer);
      socket.removeListener('error', failed);
      socket.setNoDelay(true);
      const t = secure ? (socket as tls.TLSSocket) : null;
      resolve({ stream, remoteAddress: socket.remoteAddress ?? opts.host, tls: t === null ? null : { version: t.getProtocol() ?? '', cipher: t.getCipher().standardName } });
    };
    socket.on('error', failed);
    if (tunnel === null) socket.once('connect', () => (step = secure ? 'tls' : 'upgrade'));
    if (secure) socket.once('secureConnect', () => (step = 'upgrade'));
    if (websocket === null) {
      // A plain tunnel is connected already.
      if (!secure && tunnel !== null) process.nextTick(() => done(socket));
      else socket.once(secure ? 'secureConnect' : 'connect', () => done(socket));
      return;
    }
    // ws itself fails the upgrade when the remote does not answer with the requested subprotocol.
    const client = new websocket.WebSocket(url, opts.subprotocol !== undefined ? [opts.subprotocol] : [], { perMessageDeflate: false, createConnection: () => socket });
    ws = client;
    client.on('error', failed);
    // Listening to it makes ws leave the response to us, hence the terminate in fail().
    client.once('unexpected-response', (_req, res) => fail(`WebSocket upgrade to ${url} refused: HTTP ${res.statusCode ?? 0}`));
    client.once('open', () => {
      client.removeListener('error', failed);
      const stream = websocket.createWebSocketStream(client);
      // ws only ends the readable side when the remote closes; a socket's caller expects 'close' then.
      stream.once('end', () => stream.destroy());
      done(stream);
    });
  });
}

/**
 * Starts TLS on a connection that is already open (a leaf link upgrades after the hub's INFO), with
 * the same verification as a TLS dial; rejects on a failed handshake or after `timeoutMs`.
 */
export function secureSocket(socket: Duplex, host: string, tlsOptions: DialTls | undefined, timeoutMs: number): Promise<DialedSocket> {
  return new Promise((resolve, reject) => {
    const secured = tlsConnect({ host, socket, ...(tlsOptions !== undefined && { tls: tlsOptions }) });
    const fail = (err: Error): void => {
      clearTimeout(timer);
      secured.destroy();
      reject(new Error(`TLS handshake with ${host} failed: ${err.message}`));
    };
    const timer = setTimeout(() => fail(new Error(`no handshake within ${timeoutMs} ms`)), timeoutMs);
    secured.once('error', fail);
    secured.once('secureConnect', () => {
      clearTimeout(timer);
      secured.removeListener('error', fail);
      resolve({ stream: secured, remoteAddress: secured.remoteAddress ?? host, tls: { version: secured.getProtocol() ?? '', cipher: secured.getCipher().standardName } });
    });
  });
}

/**
 * A connection to `target` (`host:port`) through an HTTP proxy: `CONNECT` and a 2xx answer make the
 * socket a tunnel. Bytes after the answer's headers belong to the tunnel and are put back; the socket
 * is left paused, so a plain stream's caller resumes it once it listens (a server that speaks first,
 * as a NATS server does, may have sent them with the answer).
 */
function proxyTunnel(proxy: DialProxy, target: string, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const via = hostPort(proxy.host, proxy.port);
    const socket = net.connect({ host: proxy.host, port: proxy.port });
    let head = Buffer.alloc(0);
    const fail = (message: string): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms opening a tunnel to ${target} through proxy ${via}`), timeoutMs);
    const onError = (err: Error): void => fail(`proxy ${via}: ${err.message}`);
    socket.on('error', onError);
    socket.once('connect', () => {
      const auth = proxy.username !== undefined ? `Proxy-Authorization: Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ''}`).toString('base64')}\r\n` : '';
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
    });
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16 * 1024) fail(`proxy ${via} sent no answer to CONNECT`);
        return;
      }
      socket.off('data', onData);
      socket.pause();
      const status = /^HTTP\/1\.[01] (\d{3})([^\r]*)/.exec(head.toString('latin1', 0, end));
      if (status === null || status[1]![0] !== '2') return fail(`proxy ${via} refused the tunnel to ${target}: ${status === null ? 'not HTTP' : `HTTP ${status[1]}${status[2]}`}`);
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    };
    socket.on('data', onData);
  });
}
