// One subscription of one connection; what the sublist stores.

import type { Connection } from './connection.js';

export class Subscription {
  readonly conn: Connection;
  readonly subject: string;
  readonly queue: string | null;
  readonly sid: string;
  /** Messages delivered so far (UNSUB max counts these). */
  delivered = 0;
  /** Auto-unsubscribe after this many deliveries; 0 = never. */
  max = 0;
  closed = false;
  /** Index in its sublist node (kept by the sublist). */
  slot = -1;

  constructor(conn: Connection, subject: string, queue: string | null, sid: string) {
    this.conn = conn;
    this.subject = subject;
    this.queue = queue;
    this.sid = sid;
  }
}
