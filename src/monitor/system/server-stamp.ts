// The `server` object every system message carries (requests' answers and events alike), numbered
// by one sequence as nats-server numbers everything its system account sends.

import { WallClock } from '../clock.js';
import { rfc3339Nano } from '../format.js';
import type { MonitorSource } from '../source.js';

export class ServerStamp {
  readonly clock = new WallClock();
  private readonly source: MonitorSource;
  private seq = 0;

  constructor(source: MonitorSource) {
    this.source = source;
  }

  /** The next message's `server` object as JSON. */
  next(): string {
    const s = this.source;
    return JSON.stringify({
      name: s.opts.serverName !== '' ? s.opts.serverName : s.id,
      host: s.opts.host,
      id: s.id,
      ...(s.opts.jetstream?.domain ? { domain: s.opts.jetstream.domain } : {}),
      ver: s.router.serverInfo.version,
      seq: ++this.seq,
      jetstream: s.jetStreamSource !== null,
      time: rfc3339Nano(this.clock.nowMs()),
    });
  }

  /** A message nobody listens to still takes its number. */
  skip(): void {
    this.seq++;
  }
}
