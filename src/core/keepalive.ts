// A client's keepalive: PINGs on an interval, the stale-connection verdict, and the RTT that
// /connz reports (estimated at CONNECT, then measured by PING/PONG), as nats-server does them.

import type { Limits } from './router.js';

/** A busy client's keepalive PING is skipped unless its RTT is older than this (nats-server: an hour). */
const RTT_REFRESH_MS = 3_600_000;

export interface KeepaliveOwner {
  readonly closed: boolean;
  /** The limits in force now (a reload may change them). */
  readonly limits: Limits;
  sendPing(): void;
  /** Too many PINGs went unanswered. */
  closeStale(): void;
}

export class Keepalive {
  /** Round-trip time in ms; 0 until CONNECT gives the first estimate. */
  rttMs = 0;
  /** Message or subscription traffic since the last tick: proof enough the client is alive. */
  active = false;
  private readonly owner: KeepaliveOwner;
  /** performance.now() at accept: CONNECT's arrival gives the first RTT estimate. */
  private readonly acceptedAt: number;
  private timer: NodeJS.Timeout | null = null;
  private pingsOut = 0;
  private pingSentAt = 0;
  /** When the last PING that measured rttMs went out; -1 before the first. */
  private rttPingAt = -1;

  constructor(owner: KeepaliveOwner) {
    this.owner = owner;
    this.acceptedAt = performance.now();
  }

  arm(ms: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.owner.closed) return;
    this.timer = setTimeout(() => this.tick(), ms);
  }

  /** As nats-server: until a PING measures it, the RTT is estimated by INFO out to CONNECT in. */
  connectArrived(): void {
    if (this.rttMs === 0) this.rttMs = Math.max(performance.now() - this.acceptedAt, 1e-6);
  }

  /** nats-server re-arms the first keepalive shortly after CONNECT so RTT is known early. */
  connected(): void {
    this.arm(Math.min(this.owner.limits.pingIntervalMs, 2000) * (1 + Math.random() * 0.2));
  }

  pong(): void {
    this.pingsOut = 0;
    if (this.pingSentAt > 0) {
      this.rttMs = Math.max(performance.now() - this.pingSentAt, 1e-6);
      this.rttPingAt = this.pingSentAt;
      this.pingSentAt = 0;
    }
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private tick(): void {
    this.timer = null;
    if (this.owner.closed) return;
    const limits = this.owner.limits;
    if (this.active && this.pingSentAt === 0 && this.rttPingAt >= 0 && performance.now() - this.rttPingAt < RTT_REFRESH_MS) {
      // Traffic in the last interval proves the connection alive; skip this PING unless the RTT
      // is only the CONNECT estimate or stale.
      this.active = false;
      return this.arm(limits.pingIntervalMs);
    }
    this.active = false;
    if (this.pingsOut + 1 > limits.pingMax) return this.owner.closeStale();
    this.pingsOut++;
    if (this.pingSentAt === 0) this.pingSentAt = performance.now();
    this.owner.sendPing();
    this.arm(limits.pingIntervalMs);
  }
}
