// MQTT as the server runs it: the service with its SQLite store (beside JetStream's data, in
// `<store_dir>/mqtt/`), its listener (TCP or mqtts), and its bridges' dial targets. The MQTT code is
// loaded only when the mqtt block is configured.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type net from 'node:net';

import { resolveJetStreamStorage } from '../config/index.js';
import type { MqttBridgeConfig, MqttConfig, Options } from '../config/index.js';
import type { Router } from '../core/index.js';
import type { BridgeSpec, BridgeStatus, MqttService } from '../mqtt/index.js';
import { boundPort, listenTcp } from '../transports/index.js';
import type { DialKind, TlsUpgrader, WebsocketClient } from '../transports/index.js';
import { formatHostPort, ListenError } from '../util/index.js';
import type { Logger } from '../util/index.js';
import { diskAvailable } from './disk.js';
import { StartError } from './start-error.js';
import { dialTlsOf, loadTls } from './tls-setup.js';

export class MqttFront {
  private listener: net.Server | null = null;

  private constructor(
    private readonly service: MqttService,
    private readonly log: Logger,
    /** False once the server stops taking clients (lame duck, shutdown). */
    private readonly accepting: () => boolean,
  ) {}

  /**
   * Opens the store, restores the sessions, starts the bridges and listens. Like nats-server, MQTT
   * needs JetStream on; checked here, not with the file, so that `-js` on the command line counts
   * (nats-server waives it when a link could reach JetStream elsewhere; leafgate keeps MQTT state
   * under the local store directory).
   */
  static async open(config: MqttConfig, opts: Options, router: Router, log: Logger, accepting: () => boolean): Promise<MqttFront> {
    const js = opts.jetstream;
    if (js === undefined) throw new StartError('mqtt requires JetStream to be enabled if running in standalone mode', null);
    const storage = resolveJetStreamStorage(js, { tmpDir: os.tmpdir(), totalMemory: os.totalmem(), diskAvailable });
    const dir = path.join(path.dirname(storage.dataDir), 'mqtt');
    const { MqttService, openMqttStore } = await import('../mqtt/index.js');
    let front: MqttFront;
    try {
      fs.mkdirSync(dir, { recursive: true });
      const store = openMqttStore({ file: path.join(dir, 'mqtt.db'), sync: js.syncInterval });
      const { ackWaitMs, maxAckPending, rejectQos2Publish, downgradeQos2Subscribe, maxKeepaliveSeconds } = config;
      const bridges = config.bridges.map(bridgeSpecOf);
      const service = new MqttService(router, store, { ackWaitMs, maxAckPending, rejectQos2Publish, downgradeQos2Subscribe, maxKeepaliveSeconds, bridges }, log);
      front = new MqttFront(service, log, accepting);
      service.start();
    } catch (err) {
      throw new StartError(`Can't start MQTT: ${(err as Error).message}`, err);
    }
    await front.listen(config, opts.host);
    return front;
  }

  /** The listener's bound port; 0 once it stopped listening. */
  get port(): number {
    return this.listener === null ? 0 : boundPort(this.listener);
  }

  /** The bridges' state, for /varz and /healthz. */
  bridges(): readonly BridgeStatus[] {
    return this.service.bridgeStatus();
  }

  /** An MQTT client of the websocket listener (a path ending in /mqtt). */
  acceptWebsocket(client: WebsocketClient): void {
    this.service.accept(client.socket, 'MQTT_WS', client.remoteAddress, client.tls ?? null);
  }

  /** Refuses new connections; open ones are closed by stop(). */
  stopListening(): void {
    this.listener?.close();
    this.listener = null;
  }

  /** Closes the connections and bridges; sessions and outboxes stay in the store. */
  stop(): void {
    this.stopListening();
    this.service.stop();
  }

  private async listen(config: MqttConfig, serverHost: string): Promise<void> {
    const tls = config.tls !== undefined ? loadTls(config.tls) : null;
    const host = config.host !== '' ? config.host : serverHost;
    const tlsTimeoutMs = config.tls?.timeoutMs ?? 2000;
    this.listener = await listenTcp({ host, port: config.port < 0 ? 0 : config.port }, (socket) => this.onSocket(socket, tls, tlsTimeoutMs)).catch((err: Error) => {
      throw new StartError(err instanceof ListenError ? `Error listening on port: ${err.hostPort}, "${err.message}"` : err.message, err);
    });
    this.log.info(`Listening for MQTT clients on ${tls !== null ? 'tls' : 'tcp'}://${formatHostPort(host, this.port)}`);
  }

  private onSocket(socket: net.Socket, tls: TlsUpgrader | null, tlsTimeoutMs: number): void {
    if (!this.accepting()) {
      socket.destroy();
      return;
    }
    const remote = socket.remoteAddress ?? '';
    if (tls === null) {
      this.service.accept(socket, 'MQTT', remote);
      return;
    }
    // MQTT has no INFO to announce TLS: the handshake starts at once.
    const timer = setTimeout(() => socket.destroy(), tlsTimeoutMs);
    tls(socket).then(
      (up) => {
        clearTimeout(timer);
        this.service.accept(up.socket, 'MQTT', remote, { version: up.version, cipher: up.cipher, peerIdentity: up.peerIdentity });
      },
      (err: Error) => {
        clearTimeout(timer);
        this.log.error(`${remote}:${socket.remotePort ?? 0} - MQTT TLS handshake error: ${err.message}`);
        socket.destroy();
      },
    );
  }
}

const BRIDGE_SCHEMES: Readonly<Record<string, { kind: DialKind; port: number }>> = {
  'mqtt:': { kind: 'tcp', port: 1883 },
  'mqtts:': { kind: 'tls', port: 8883 },
  'ws:': { kind: 'ws', port: 80 },
  'wss:': { kind: 'wss', port: 443 },
};

/**
 * A configured bridge as the MQTT service takes it: where to dial (certificate files read here, as
 * transports do no file I/O), and the URL shown in logs and monitoring without its credentials.
 */
function bridgeSpecOf(b: MqttBridgeConfig): BridgeSpec {
  const url = new URL(b.url);
  const { kind, port } = BRIDGE_SCHEMES[url.protocol];
  const secure = kind === 'tls' || kind === 'wss';
  const t = b.tls;
  const username = b.username ?? (url.username !== '' ? decodeURIComponent(url.username) : undefined);
  const password = b.password ?? (url.password !== '' ? decodeURIComponent(url.password) : undefined);
  url.username = '';
  url.password = '';
  return {
    name: b.name,
    url: url.href,
    target: {
      kind,
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port !== '' ? Number(url.port) : port,
      ...((kind === 'ws' || kind === 'wss') && { path: `${url.pathname === '/' ? '/mqtt' : url.pathname}${url.search}`, subprotocol: 'mqtt' }),
      ...(secure && { tls: dialTlsOf(t) }),
      timeoutMs: Math.max(t?.timeoutMs ?? 0, 5000),
    },
    ...(b.account !== undefined && { account: b.account }),
    clientId: b.clientId ?? `${os.hostname()}.${b.name}`,
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    clean: b.clean,
    keepaliveSeconds: b.keepaliveSeconds,
    protocolVersion: b.protocolVersion,
    in: b.in,
    out: b.out,
    maxBytes: b.maxBytes,
    maxAgeMs: b.maxAgeMs,
    maxInflight: b.maxInflight,
    reconnectDelayMs: b.reconnectDelayMs,
    maxReconnectDelayMs: b.maxReconnectDelayMs,
  };
}
