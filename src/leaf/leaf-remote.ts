// One configured remote: dials its URLs in turn until a leaf link is up, and again whenever the link
// drops. The wait between attempts starts at the `reconnect` delay and doubles while attempts fail, up
// to MAX_BACKOFF_MS, each wait drawn between half and all of it (jitter), so many edges coming back at
// once do not hit the hub together. A loop or a same-cluster refusal waits 30 s, as nats-server does.

import { dial } from '../transports/index.js';
import type { DialKind, DialProxy, DialTls } from '../transports/index.js';
import type { UserCredentials } from '../auth/index.js';
import type { Duplex } from 'node:stream';

/** The longest wait between attempts. */
const MAX_BACKOFF_MS = 10_000;
const DIAL_TIMEOUT_MS = 2_000;
const DEFAULT_PORT = 7422;

/** A remote as the leaf module takes it. */
export interface LeafRemoteOptions {
  readonly urls: readonly string[];
  /** The local account the link binds. */
  readonly account: string;
  readonly hub: boolean;
  readonly noRandomize: boolean;
  /** TLS toward the hub (its CA, our certificate); absent: plain, unless the hub's INFO asks for TLS. */
  readonly tls?: DialTls & { readonly timeoutMs: number };
  /** Subjects whose messages this side never takes from the hub (no LS+ for them) and never sends it. */
  readonly denyImports: readonly string[];
  readonly denyExports: readonly string[];
  /** A user JWT and the seed that signs the hub's nonce (a `.creds` file). */
  readonly credentials?: UserCredentials;
  /** Reach the hub through this HTTP proxy's CONNECT tunnel. */
  readonly proxy?: DialProxy;
  /** A user NKEY: its public key goes in CONNECT with the hub's nonce signed. */
  readonly nkey?: { readonly publicKey: string; sign(nonce: string): string };
}

/** Where one attempt goes. */
export interface LeafTarget {
  readonly url: URL;
  readonly host: string;
  readonly port: number;
  /** tcp for nats-leaf:// and tls:// (TLS starts after INFO), ws or wss for a WebSocket leaf link. */
  readonly kind: DialKind;
}

export interface LeafDialer {
  /** A socket to the remote is open: start the handshake on it. Resolves when that link closes, with the wait it asks for (0: the usual). */
  linkUp(remote: LeafRemote, stream: Duplex, target: LeafTarget): Promise<{ registered: boolean; retryDelayMs: number }>;
  readonly reconnectDelayMs: number;
  logError(message: string): void;
  logDebug(message: string): void;
}

export class LeafRemote {
  readonly options: LeafRemoteOptions;
  /** Connect attempts that failed in a row (0 after a link registered). */
  failures = 0;
  private readonly dialer: LeafDialer;
  private targets: LeafTarget[];
  private next = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(options: LeafRemoteOptions, dialer: LeafDialer) {
    this.options = options;
    this.dialer = dialer;
    const targets = options.urls.map(targetOf);
    this.targets = options.noRandomize ? targets : shuffle(targets);
  }

  start(): void {
    void this.attempt();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * The hub told its cluster's leafnode URLs: they are tried first, then the configured ones (each
   * address once). Credentials in the configured URL go with the learned ones.
   */
  learn(hostPorts: readonly string[], via: LeafTarget): void {
    // The hub gossips its leafnode ports: no use to a WebSocket remote.
    if (via.kind !== 'tcp') return;
    const learned: LeafTarget[] = [];
    for (const hp of hostPorts) {
      const url = new URL(via.url.href);
      const colon = hp.lastIndexOf(':');
      if (colon < 0) continue;
      url.hostname = hp.slice(0, colon);
      url.port = hp.slice(colon + 1);
      learned.push(targetOf(url.href));
    }
    const configured = this.options.urls.map(targetOf);
    const seen = new Set<string>();
    this.targets = [...learned, ...configured].filter((t) => {
      const key = `${t.host}:${t.port}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    this.next = 0;
  }

  private async attempt(): Promise<void> {
    this.timer = null;
    if (this.stopped) return;
    const target = this.targets[this.next++ % this.targets.length];
    let stream: Duplex;
    const o = this.options;
    const websocket = target.kind !== 'tcp';
    try {
      const dialed = await dial({
        kind: target.kind,
        host: target.host,
        port: target.port,
        timeoutMs: websocket ? Math.max(DIAL_TIMEOUT_MS, o.tls?.timeoutMs ?? 0) : DIAL_TIMEOUT_MS,
        ...(websocket && { path: leafnodePath(target.url) }),
        ...(target.kind === 'wss' && o.tls !== undefined && { tls: o.tls }),
        ...(o.proxy !== undefined && { proxy: o.proxy }),
      });
      stream = dialed.stream;
    } catch (err) {
      this.failures++;
      this.dialer.logError(`Error trying to connect as leafnode to remote server "${target.host}:${target.port}" (attempt ${this.failures}): ${(err as Error).message}`);
      return this.retry(0);
    }
    if (this.stopped) {
      stream.destroy();
      return;
    }
    const end = await this.dialer.linkUp(this, stream, target);
    if (end.registered) this.failures = 0;
    else this.failures++;
    this.retry(end.retryDelayMs);
  }

  private retry(delayMs: number): void {
    if (this.stopped) return;
    const base = this.dialer.reconnectDelayMs;
    const backoff = Math.min(base * 2 ** Math.max(this.failures - 1, 0), Math.max(MAX_BACKOFF_MS, base));
    const wait = delayMs > 0 ? delayMs : backoff * (0.5 + Math.random() * 0.5);
    this.dialer.logDebug(`Will try to connect to remote leafnode again in ${Math.round(wait)}ms`);
    this.timer = setTimeout(() => void this.attempt(), wait);
  }
}

const WEBSOCKET_PORTS: Readonly<Record<string, number>> = { 'ws:': 80, 'wss:': 443 };

function targetOf(text: string): LeafTarget {
  const url = new URL(text);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const ws = WEBSOCKET_PORTS[url.protocol];
  const kind: DialKind = ws === undefined ? 'tcp' : url.protocol === 'wss:' ? 'wss' : 'ws';
  return { url, host, port: url.port !== '' ? Number(url.port) : (ws ?? DEFAULT_PORT), kind };
}

/**
 * The request path of a WebSocket leaf link: `/leafnode`, which both nats-server 2.9.10 (a path
 * starting with it) and 2.10.5+ (ending with it) take; after a path of the URL's own, 2.10.5+'s form.
 */
function leafnodePath(url: URL): string {
  const own = url.pathname.replace(/\/+$/, '');
  return `${own}/leafnode`;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
