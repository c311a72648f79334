// Every statement the store runs, prepared once when it opens.

import type { Database, Statement } from 'better-sqlite3';

import { OutboundState, QUEUED_AT_START } from './types.js';

/**
 * An insert that updates the row in place when its key exists: a retained topic or a session written
 * again keeps its row, where INSERT OR REPLACE would delete it and insert a new one.
 */
function upsert(table: string, key: readonly string[], rest: readonly string[]): string {
  const columns = [...key, ...rest];
  return (
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
    `ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${rest.map((c) => `${c} = excluded.${c}`).join(', ')}`
  );
}

const MESSAGE_COLUMNS = ['topic', 'payload', 'qos', 'properties', 'expires_at_ms'];

export class Statements {
  readonly begin: Statement;
  readonly commit: Statement;
  readonly rollback: Statement;

  readonly putSession: Statement;
  readonly deleteSession: Statement;
  readonly deleteSessionOutbound: Statement;
  readonly deleteSessionInbound: Statement;
  readonly putRetained: Statement;
  readonly deleteRetained: Statement;
  readonly putOutbound: Statement;
  /** Parameters: packet id, state, state again, account, client id, seq. */
  readonly updateOutbound: Statement;
  readonly deleteOutbound: Statement;
  readonly putInbound: Statement;
  readonly deleteInbound: Statement;

  readonly putOutbox: Statement;
  readonly deleteOutboxRange: Statement;
  readonly deleteOutboxThrough: Statement;
  readonly outboxThroughSize: Statement;
  readonly readOutbox: Statement;
  readonly outboxSizes: Statement;
  readonly lastOutboxBefore: Statement;
  readonly outboxSummary: Statement;
  readonly outboxBridges: Statement;
  readonly deleteBridgeOutbox: Statement;

  readonly sessions: Statement;
  readonly retained: Statement;
  readonly outbound: Statement;
  readonly queued: Statement;
  readonly lastSeq: Statement;
  readonly inbound: Statement;

  constructor(db: Database) {
    this.begin = db.prepare('BEGIN');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');

    this.putSession = db.prepare(upsert('sessions', ['account', 'client_id'], ['protocol_version', 'expiry_seconds', 'disconnected_at_ms', 'subscriptions']));
    this.deleteSession = db.prepare('DELETE FROM sessions WHERE account = ? AND client_id = ?');
    this.deleteSessionOutbound = db.prepare('DELETE FROM outbound WHERE account = ? AND client_id = ?');
    this.deleteSessionInbound = db.prepare('DELETE FROM inbound WHERE account = ? AND client_id = ?');
    this.putRetained = db.prepare(upsert('retained', ['account', 'topic'], MESSAGE_COLUMNS.slice(1)));
    this.deleteRetained = db.prepare('DELETE FROM retained WHERE account = ? AND topic = ?');
    this.putOutbound = db.prepare(upsert('outbound', ['account', 'client_id', 'seq'], ['packet_id', 'state', ...MESSAGE_COLUMNS, 'retain', 'subscription_ids']));
    // A released QoS 2 message awaits only PUBCOMP: its payload is not needed again, so it leaves the file.
    this.updateOutbound = db.prepare(
      `UPDATE outbound SET packet_id = ?, state = ?, payload = CASE WHEN ? = ${OutboundState.Released} THEN x'' ELSE payload END ` +
        'WHERE account = ? AND client_id = ? AND seq = ?',
    );
    this.deleteOutbound = db.prepare('DELETE FROM outbound WHERE account = ? AND client_id = ? AND seq = ?');
    this.putInbound = db.prepare(upsert('inbound', ['account', 'client_id', 'packet_id'], [...MESSAGE_COLUMNS, 'retain']));
    this.deleteInbound = db.prepare('DELETE FROM inbound WHERE account = ? AND client_id = ? AND packet_id = ?');

    const size = 'length(CAST(topic AS BLOB)) + length(payload)';
    this.putOutbox = db.prepare('INSERT INTO bridge_outbox (bridge, seq, topic, payload, qos, retain, properties, stored_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.deleteOutboxRange = db.prepare('DELETE FROM bridge_outbox WHERE bridge = ? AND seq BETWEEN ? AND ?');
    this.deleteOutboxThrough = db.prepare('DELETE FROM bridge_outbox WHERE bridge = ? AND seq <= ?');
    this.outboxThroughSize = db.prepare(`SELECT count(*) AS count, total(${size}) AS bytes FROM bridge_outbox WHERE bridge = ? AND seq <= ?`);
    this.readOutbox = db.prepare('SELECT seq, topic, payload, qos, retain, properties, stored_at_ms FROM bridge_outbox WHERE bridge = ? AND seq > ? ORDER BY seq LIMIT ?');
    this.outboxSizes = db.prepare(`SELECT seq, ${size} AS bytes FROM bridge_outbox WHERE bridge = ? ORDER BY seq LIMIT ?`);
    this.lastOutboxBefore = db.prepare('SELECT max(seq) AS seq FROM bridge_outbox WHERE bridge = ? AND stored_at_ms < ?');
    this.outboxSummary = db.prepare(`SELECT count(*) AS count, total(${size}) AS bytes, min(seq) AS first, max(seq) AS last FROM bridge_outbox WHERE bridge = ?`);
    this.outboxBridges = db.prepare('SELECT DISTINCT bridge FROM bridge_outbox');
    this.deleteBridgeOutbox = db.prepare('DELETE FROM bridge_outbox WHERE bridge = ?');

    this.sessions = db.prepare('SELECT * FROM sessions ORDER BY account, client_id');
    this.retained = db.prepare('SELECT * FROM retained ORDER BY account, topic');
    // At start: what is in flight, and the first QUEUED_AT_START waiting messages of each session (the rest are paged in later).
    this.outbound = db.prepare(
      'SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY account, client_id, packet_id = 0 ORDER BY seq) AS n FROM outbound) ' +
        `WHERE packet_id != 0 OR n <= ${QUEUED_AT_START} ORDER BY account, client_id, seq`,
    );
    this.lastSeq = db.prepare('SELECT max(seq) AS seq FROM outbound WHERE account = ? AND client_id = ?');
    this.queued = db.prepare('SELECT * FROM outbound WHERE account = ? AND client_id = ? AND packet_id = 0 AND seq > ? ORDER BY seq LIMIT ?');
    this.inbound = db.prepare('SELECT * FROM inbound ORDER BY account, client_id, packet_id');
  }
}
