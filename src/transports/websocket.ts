// The WebSocket listener (nats-server's websocket.go): an HTTP(S) server whose GET upgrades become
// NATS client connections, or MQTT ones on a path ending in `/mqtt`. The handshake is checked as nats-server checks it (method,
// Host, Upgrade, Connection, key, version 13, then the origin rules), with its HTTP statuses. After
// the upgrade the NATS protocol flows as a byte stream in binary frames: frames may split or join
// protocol lines, and the server sends binary. `ws` does the framing (masking, fragments,
// permessage-deflate when enabled); it is imported only here.

import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Duplex } from 'node:stream';

import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

import { listen } from '../util/index.js';
import { tlsDetails } from './tls.js';
import type { ListenTarget } from '../util/index.js';

export interface WebsocketListenOptions extends ListenTarget {
  /** wss: the server's certificate (and the CA that verifies clients when `verify`). */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer; readonly ca?: Buffer; readonly verify: boolean; readonly pinnedCerts?: ReadonlySet<string> };
  readonly sameOrigin: boolean;
  /** Allowed origins as written (`http://host:port`); empty: any. */
  readonly allowedOrigins: readonly string[];
  /** 0 for none. */
  readonly handshakeTimeoutMs: number;
  readonly compression: boolean;
  /** The largest message a client may send (the server's max_payload plus room for the control line). */
  readonly maxMessageBytes: number;
  /** The cookie that may carry a user JWT (`jwt_cookie`); '' for none. */
  readonly jwtCookie: string;
}

/** A NATS client connected over WebSocket. */
export interface WebsocketClient {
  readonly socket: WebsocketStream;
  readonly remoteAddress: string;
  /** X-Forwarded-For when it holds an IP address. */
  readonly forwardedFor?: string;
  /** The JWT cookie's value, when configured and sent. */
  readonly jwtCookie?: string;
  /** MQTT over WebSocket: the request's path ends in `/mqtt` (nats-server 2.10.5+). */
  readonly mqtt: boolean;
  /** A leaf node link: the path starts (nats-server 2.9.10) or ends (2.10.5+) with `/leafnode`. */
  readonly leaf: boolean;
  /** wss: the handshake's details (client certificate included). */
  readonly tls?: ReturnType<typeof tlsDetails>;
}

export interface WebsocketListener {
  readonly server: net.Server;
  readonly port: number;
  close(): Promise<void>;
}

export async function listenWebsocket(opts: WebsocketListenOptions, onClient: (client: WebsocketClient) => void, onError: (message: string) => void): Promise<WebsocketListener> {
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: opts.compression,
    maxPayload: opts.maxMessageBytes,
    clientTracking: false,
    // MQTT clients ask for the subprotocol `mqtt` and must get it back [MQTT-6.0.0-3].
    handleProtocols: (protocols, req) => (isMqttPath(req) && protocols.has('mqtt') ? 'mqtt' : false),
  });
  const secure = opts.tls !== undefined;
  /** Logs a refused handshake and answers it as Go's http.Error does. */
  const refuse = (req: http.IncomingMessage, socket: net.Socket | Duplex, [status, reason]: [number, string]): void => {
    onError(`${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? 0} - websocket handshake error: ${reason}`);
    const body = `${reason}\n`;
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  // A request that asks for no upgrade fails the same checks (at the Upgrade header at the latest).
  const onRequest = (req: http.IncomingMessage): void => refuse(req, req.socket, handshakeProblem(req, opts, secure) ?? [400, "invalid value for header 'Upgrade'"]);
  const server = opts.tls === undefined ? http.createServer(onRequest) : https.createServer({ cert: opts.tls.cert, key: opts.tls.key, ...(opts.tls.ca !== undefined && { ca: opts.tls.ca }), requestCert: opts.tls.verify, rejectUnauthorized: opts.tls.verify }, onRequest);
  if (opts.handshakeTimeoutMs > 0) server.headersTimeout = server.requestTimeout = opts.handshakeTimeoutMs;
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const problem = handshakeProblem(req, opts, secure);
    if (problem !== null) return refuse(req, socket, problem);
    const tls = secure ? tlsDetails(req.socket as TLSSocket) : undefined;
    if (tls !== undefined && opts.tls?.pinnedCerts !== undefined && !opts.tls.pinnedCerts.has(tls.peerKeyId)) {
      onError(`${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? 0} - websocket TLS handshake error: certificate not pinned`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const forwarded = forwardedFor(req);
      const jwt = opts.jwtCookie === '' ? null : cookie(req, opts.jwtCookie);
      onClient({
        socket: new WebsocketStream(ws, req.socket.remotePort ?? 0),
        remoteAddress: req.socket.remoteAddress ?? '',
        ...(forwarded !== null && { forwardedFor: forwarded }),
        ...(jwt !== null && { jwtCookie: jwt }),
        mqtt: isMqttPath(req),
        leaf: isLeafPath(req),
        ...(tls !== undefined && { tls }),
      });
    });
  });
  await listen(server, { host: opts.host, port: opts.port, backlog: 1024 });
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address !== null ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function isMqttPath(req: http.IncomingMessage): boolean {
  const path = (req.url ?? '/').split('?')[0];
  return path.endsWith('/mqtt');
}

function isLeafPath(req: http.IncomingMessage): boolean {
  const path = (req.url ?? '/').split('?')[0];
  return path.startsWith('/leafnode') || path.endsWith('/leafnode');
}

/** nats-server's wsUpgrade checks, in its order: [HTTP status, reason] for the first that fails. */
function handshakeProblem(req: http.IncomingMessage, opts: WebsocketListenOptions, secure: boolean): [number, string] | null {
  if (req.method !== 'GET') return [405, 'request method must be GET'];
  if (!req.headers.host) return [400, "'Host' missing in request"];
  if (!headerHas(req.headers.upgrade, 'websocket')) return [400, "invalid value for header 'Upgrade'"];
  if (!headerHas(req.headers.connection, 'upgrade')) return [400, "invalid value for header 'Connection'"];
  if (!req.headers['sec-websocket-key']) return [400, 'key missing'];
  if (!headerHas(req.headers['sec-websocket-version'], '13')) return [400, 'invalid version'];
  const origin = originProblem(req, opts, secure);
  return origin === null ? null : [403, `origin not allowed: ${origin}`];
}

/** A comma-separated header holds `token` (case-insensitive). */
function headerHas(value: string | undefined, token: string): boolean {
  return value !== undefined && value.split(',').some((v) => v.trim().toLowerCase() === token);
}

/** nats-server's checkOrigin: no Origin header passes; same_origin compares with Host; the list compares scheme, host and port. */
function originProblem(req: http.IncomingMessage, opts: WebsocketListenOptions, secure: boolean): string | null {
  if (!opts.sameOrigin && opts.allowedOrigins.length === 0) return null;
  const origin = req.headers.origin ?? (req.headers['sec-websocket-origin'] as string | undefined) ?? '';
  if (origin === '') return null;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `parse ${JSON.stringify(origin)}: invalid URI for request`;
  }
  const [oh, op] = hostAndPort(url.host, url.protocol === 'https:');
  if (opts.sameOrigin) {
    const [rh, rp] = hostAndPort(req.headers.host ?? '', secure);
    if (oh !== rh || op !== rp) return 'not same origin';
  }
  if (opts.allowedOrigins.length > 0) {
    const allowed = opts.allowedOrigins.some((text) => {
      if (!URL.canParse(text)) return false;
      const a = new URL(text);
      const [ah, ap] = hostAndPort(a.host, a.protocol === 'https:');
      return ah === oh && ap === op && a.protocol === url.protocol;
    });
    if (!allowed) return 'not in the allowed list';
  }
  return null;
}

/** Host and port of `host[:port]`, the port defaulting to the scheme's. */
function hostAndPort(hostPort: string, secure: boolean): [string, string] {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(hostPort);
  return [(m?.[1] ?? hostPort).toLowerCase(), m?.[2] ?? (secure ? '443' : '80')];
}

/** The value of the request's cookie `name`; null without one. */
function cookie(req: http.IncomingMessage, name: string): string | null {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return null;
}

/** The first X-Forwarded-For value, when it is an IP address. */
function forwardedFor(req: http.IncomingMessage): string | null {
  const value = req.headers['x-forwarded-for'];
  const first = (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() ?? '';
  return /^[0-9.]+$|^[0-9a-f:]+$/i.test(first) && first !== '' ? first : null;
}

/**
 * A WebSocket as the byte stream a NATS connection reads and writes: each message's bytes are read in
 * order, each write goes out as one binary message, and reads pause the socket while the reader is full.
 */
export class WebsocketStream extends Duplex {
  readonly remotePort: number;
  private readonly ws: WebSocket;

  constructor(ws: WebSocket, remotePort: number) {
    super();
    this.ws = ws;
    this.remotePort = remotePort;
    ws.on('message', (data: Buffer) => {
      if (!this.push(data)) ws.pause();
    });
    ws.once('close', () => {
      this.push(null);
      this.destroy();
    });
    ws.on('error', (err: Error) => this.destroy(err));
  }

  override _read(): void {
    this.ws.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.ws.send(chunk, { binary: true }, done);
  }

  override _final(done: () => void): void {
    this.ws.close(1000);
    done();
  }

  override _destroy(err: Error | null, done: (err: Error | null) => void): void {
    if (this.ws.readyState !== this.ws.CLOSED) this.ws.terminate();
    done(err);
  }
}
