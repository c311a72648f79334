// One subscription of one connection; what the sublist stores.

import type { PubFrame } from '../protocol/nats/index.js';
import type { Connection } from './connection.js';
import type { StreamImport } from './stream-import.js';

/**
 * How an internal subscription takes a message: called during delivery with the publish itself, whose
 * subject as sent is `msg.receivedSubject`. Its byte views are borrowed (util borrowed-bytes): valid
 * only until the handler returns.
 */
export type MsgHandler = (msg: PubFrame, sub: Subscription, from: Connection) => void;

export class Subscription {
  readonly conn: Connection;
  readonly subject: string;
  readonly queue: string | null;
  readonly sid: string;
  /** Set for a subscription of code inside the server; null when deliveries are written to a socket. */
  readonly handler: MsgHandler | null;
  /** A link's queue subscription stands for this many members on the other side (LS+ weight); 1 otherwise. */
  weight = 1;
  /** Messages delivered so far (UNSUB max counts these). */
  delivered = 0;
  /** Auto-unsubscribe after this many deliveries; 0 = never. */
  max = 0;
  closed = false;
  /** Index in its sublist node (kept by the sublist). */
  slot = -1;
  /**
   * Set on a shadow: the copy of a subscription that a stream import puts into the exporting
   * account, delivering there under the importer's subject. Null for an ordinary subscription.
   */
  streamImport: StreamImport | null = null;
  /** A shadow's subscription (its deliveries count there); null for an ordinary one. */
  origin: Subscription | null = null;
  /** An ordinary subscription's shadows in exporting accounts; null when it has none. */
  shadows: Subscription[] | null = null;

  constructor(conn: Connection, subject: string, queue: string | null, sid: string, handler: MsgHandler | null = null) {
    this.conn = conn;
    this.subject = subject;
    this.queue = queue;
    this.sid = sid;
    this.handler = handler;
  }
}
