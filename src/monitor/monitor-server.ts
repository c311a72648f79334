// The HTTP listener of `-m <port>` (node:http): routes GET requests under the base path to the
// endpoint handlers and writes their replies as nats-server does (JSON, JSONP, plain-text 400s).

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from '../util/index.js';
import { WallClock } from './clock.js';
import type { EndpointContext, EndpointReply } from './context.js';
import { ENDPOINTS, ROOT_PATH, joinPath, normalizeBasePath } from './endpoints.js';
import type { Endpoint } from './endpoints.js';
import { BadRequestError, MonitorListenError } from './errors.js';
import { indexPage } from './index-page.js';
import type { PageLink } from './index-page.js';
import { ProcessUsage } from './process-usage.js';
import { Query } from './query.js';
import type { MonitorSource } from './source.js';

/** A JSONP callback must be a (dotted) JavaScript name, so the reply cannot carry injected script. */
const CALLBACK_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;
const TEXT = 'text/plain; charset=utf-8';

export class MonitorServer {
  private readonly source: MonitorSource;
  private readonly clock = new WallClock();
  private readonly usage = new ProcessUsage();
  private readonly requestCounts = new Map<string, number>();
  private readonly routes = new Map<string, Endpoint>();
  private rootPath = ROOT_PATH;
  private links: PageLink[] = [];
  private server: http.Server | null = null;
  private bound: AddressInfo | null = null;

  constructor(source: MonitorSource) {
    this.source = source;
  }

  /** The bound port; 0 when not listening. */
  get port(): number {
    return this.bound?.port ?? 0;
  }

  /** The bound address; null when not listening. */
  get address(): AddressInfo | null {
    return this.bound;
  }

  /** Binds the listener; port -1 picks a free port. Rejects with MonitorListenError. */
  async listen(host: string, port: number, basePath: string): Promise<void> {
    const base = normalizeBasePath(basePath);
    this.rootPath = base;
    this.routes.clear();
    this.links = [];
    for (const e of ENDPOINTS) {
      const full = joinPath(base, e.path);
      this.routes.set(full, e);
      if (e.title !== undefined) this.links.push({ title: e.title, path: full });
    }
    const server = http.createServer((req, res) => this.handle(req, res));
    try {
      await listen(server, { host, port });
    } catch (err) {
      throw new MonitorListenError(err as Error);
    }
    server.on('error', (err) => this.source.log.error(`Monitoring listener error: ${err.message}`));
    this.server = server;
    this.bound = server.address() as AddressInfo;
  }

  /** Stops listening and drops open (keep-alive) connections. */
  async close(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    this.bound = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const { path, params } = splitTarget(req.url ?? '/');
    const endpoint = this.routes.get(path);
    const isRoot = path === this.rootPath;
    if (endpoint === undefined && !isRoot) {
      send(res, 404, { 'Content-Type': TEXT, 'X-Content-Type-Options': 'nosniff' }, '404 page not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { 'Content-Type': TEXT, Allow: 'GET, HEAD' }, '405 method not allowed\n');
      return;
    }
    const statsKey = endpoint?.statsKey ?? ROOT_PATH;
    this.requestCounts.set(statsKey, (this.requestCounts.get(statsKey) ?? 0) + 1);
    const ctx: EndpointContext = {
      source: this.source,
      query: new Query(params),
      nowMs: this.clock.nowMs(),
      usage: this.usage,
      requestCounts: this.requestCounts,
      compact: false,
    };
    let reply: EndpointReply;
    try {
      reply = endpoint === undefined ? indexPage(this.links) : endpoint.handler(ctx);
    } catch (err) {
      if (err instanceof BadRequestError) {
        send(res, 400, { 'Content-Type': TEXT }, err.message);
        return;
      }
      this.source.log.error(`Error answering monitoring request ${path}: ${(err as Error).message}`);
      send(res, 500, { 'Content-Type': TEXT }, '500 internal server error\n');
      return;
    }
    this.write(res, reply, params.get('callback') ?? '');
  }

  private write(res: http.ServerResponse, reply: EndpointReply, callback: string): void {
    if (reply.kind === 'html') return send(res, 200, { 'Content-Type': 'text/html; charset=utf-8' }, reply.body);
    if (callback === '') return send(res, reply.status, { 'Content-Type': 'application/json' }, reply.body);
    if (!CALLBACK_NAME.test(callback)) return send(res, 400, { 'Content-Type': TEXT }, `invalid callback name: ${callback}`);
    send(res, reply.status, { 'Content-Type': 'application/javascript' }, `${callback}(${reply.body})`);
  }
}

/** The request target's path (percent-decoded, as Go matches it) and its query. */
function splitTarget(target: string): { path: string; params: URLSearchParams } {
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // A malformed escape matches no endpoint; the raw path gets the 404.
  }
  return { path, params: new URLSearchParams(q === -1 ? '' : target.slice(q + 1)) };
}

function send(res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, body: string): void {
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
