// The system account's events, in nats-server's JSON: a client's connect and disconnect
// (`$SYS.ACCOUNT.<acc>.CONNECT` / `DISCONNECT`, not for the global account), an account's connection
// count when it changes and every 30 s while it has any (`$SYS.ACCOUNT.<acc>.SERVER.CONNS` and the
// older `$SYS.SERVER.ACCOUNT.<acc>.CONNS`), a refused login (`$SYS.SERVER.<id>.CLIENT.AUTH.ERR`) and
// the server's statistics (`$SYS.SERVER.<id>.STATSZ`, at 250 ms after start, then twice as long each
// time up to 30 s). A message nobody subscribes to is not built, but takes its sequence number.

import type { Account, ClientConnection, ClientEvents, InternalClient } from '../../core/index.js';
import { clientInfoJson, GLOBAL_ACCOUNT, randomBase62 } from '../../util/index.js';
import { rfc3339Nano } from '../format.js';
import type { ServerStamp } from './server-stamp.js';

/** nats-server's eventsHBInterval: the account heartbeat and the longest STATSZ interval. */
const HEARTBEAT_MS = 30_000;
const FIRST_STATSZ_MS = 250;

/** An account's statistics as nats-server's AccountStat (leaf nodes come with leaf links). */
export function accountStat(a: Account): Record<string, unknown> {
  return {
    acc: a.name,
    conns: a.connectionCount,
    leafnodes: 0,
    total_conns: a.connectionCount,
    sent: { msgs: a.outMsgs, bytes: a.outBytes },
    received: { msgs: a.inMsgs, bytes: a.inBytes },
    slow_consumers: a.slowConsumers,
  };
}

/** nats-server's event ids: 22 characters of a NUID. */
export function eventId(): string {
  return randomBase62(22);
}

export class SystemEvents implements ClientEvents {
  private readonly client: InternalClient;
  private readonly stamp: ServerStamp;
  private readonly serverId: string;
  /** The server's statistics message body (`{"server":…,"statsz":…}`), built where the requests are. */
  private readonly statsz: () => Promise<string>;
  private readonly heartbeats = new Map<Account, NodeJS.Timeout>();
  private readonly log: { error(msg: string): void };
  private statszTimer: NodeJS.Timeout | null = null;
  private statszEveryMs = FIRST_STATSZ_MS;

  constructor(client: InternalClient, stamp: ServerStamp, serverId: string, statsz: () => Promise<string>, log: { error(msg: string): void }) {
    this.log = log;
    this.client = client;
    this.stamp = stamp;
    this.serverId = serverId;
    this.statsz = statsz;
  }

  start(): void {
    this.statszTimer = setTimeout(() => this.heartbeatStatsz(), this.statszEveryMs);
    this.statszTimer.unref();
  }

  stop(): void {
    if (this.statszTimer !== null) clearTimeout(this.statszTimer);
    this.statszTimer = null;
    for (const t of this.heartbeats.values()) clearTimeout(t);
    this.heartbeats.clear();
  }

  connected(conn: ClientConnection): void {
    const acc = conn.account as Account;
    this.accountConns(acc);
    if (acc.name === GLOBAL_ACCOUNT) return;
    this.send(`$SYS.ACCOUNT.${acc.name}.CONNECT`, (server) => {
      const client = clientInfoJson({ ...conn.clientInfo(), rtt: 0 });
      return `{"type":"io.nats.server.advisory.v1.client_connect","id":"${eventId()}","timestamp":"${rfc3339Nano(Date.now())}","server":${server},"client":${client}}`;
    });
  }

  closed(conn: ClientConnection): void {
    const acc = conn.account as Account;
    if (acc.name === GLOBAL_ACCOUNT) return;
    this.accountConns(acc);
    this.send(`$SYS.ACCOUNT.${acc.name}.DISCONNECT`, (server) => this.disconnectEvent(conn, acc.name, conn.closeReason, server));
  }

  authFailed(conn: ClientConnection): void {
    // Before login every client is in the global account, which is where nats-server reports it.
    this.send(`$SYS.SERVER.${this.serverId}.CLIENT.AUTH.ERR`, (server) => this.disconnectEvent(conn, GLOBAL_ACCOUNT, 'Authentication Failure', server));
  }

  private disconnectEvent(conn: ClientConnection, acc: string, reason: string, server: string): string {
    const stop = conn.stop ?? new Date();
    const client = clientInfoJson({ ...conn.clientInfo(), acc, stop: rfc3339Nano(stop.getTime()) });
    const sent = { msgs: conn.inMsgs, bytes: conn.inBytes };
    const received = { msgs: conn.outMsgs, bytes: conn.outBytes };
    return `{"type":"io.nats.server.advisory.v1.client_disconnect","id":"${eventId()}","timestamp":"${rfc3339Nano(stop.getTime())}","server":${server},"client":${client},"sent":${JSON.stringify(sent)},"received":${JSON.stringify(received)},"reason":${JSON.stringify(reason)}}`;
  }

  /** The account's connection count, now and every 30 s while it has connections. */
  private accountConns(acc: Account): void {
    const before = this.heartbeats.get(acc);
    if (before !== undefined) clearTimeout(before);
    this.heartbeats.delete(acc);
    let head = '';
    let stat = '';
    const build = (server: string): string => {
      // One id and time for both subjects; the statistics are read only when someone listens.
      if (head === '') {
        head = `"id":"${eventId()}","timestamp":"${rfc3339Nano(Date.now())}"`;
        stat = JSON.stringify(accountStat(acc)).slice(1, -1);
      }
      return `{"type":"io.nats.server.advisory.v1.account_connections",${head},"server":${server},${stat}}`;
    };
    this.send(`$SYS.SERVER.ACCOUNT.${acc.name}.CONNS`, build);
    this.send(`$SYS.ACCOUNT.${acc.name}.SERVER.CONNS`, build);
    if (acc.connectionCount === 0) return;
    const timer = setTimeout(() => this.accountConns(acc), HEARTBEAT_MS);
    timer.unref();
    this.heartbeats.set(acc, timer);
  }

  private heartbeatStatsz(): void {
    this.statszEveryMs = Math.min(this.statszEveryMs * 2, HEARTBEAT_MS);
    this.statszTimer = setTimeout(() => this.heartbeatStatsz(), this.statszEveryMs);
    this.statszTimer.unref();
    const subject = `$SYS.SERVER.${this.serverId}.STATSZ`;
    if (!this.client.hasSubscribers(subject)) return this.stamp.skip();
    this.statsz().then(
      (body) => {
        if (this.statszTimer !== null) this.client.publish(subject, '', null, Buffer.from(body, 'utf8'));
      },
      (err: Error) => this.log.error(`Error sending server statistics: ${err.message}`),
    );
  }

  private send(subject: string, build: (server: string) => string): void {
    if (!this.client.hasSubscribers(subject)) return this.stamp.skip();
    this.client.publish(subject, '', null, Buffer.from(build(this.stamp.next()), 'utf8'));
  }
}
