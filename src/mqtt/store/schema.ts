// The MQTT store's schema as an ordered list of migrations; a file's PRAGMA user_version says how
// many it has had. Opening the store applies the missing ones, each in its own transaction, so a file
// written by an older leafgate is upgraded in place and a crash mid-upgrade leaves a consistent file.
//
// Ordinary rowid tables, not WITHOUT ROWID: rows carry message payloads, far larger than the twentieth
// of a page that SQLite's guidance gives for WITHOUT ROWID, whose interior pages would hold copies of them.
// Text columns hold topics and client ids as the client sent them; `properties` is JSON (records.ts).

import type { Database } from 'better-sqlite3';

type Migration = (db: Database) => void;

const MIGRATIONS: readonly Migration[] = [
  // 1: sessions with their subscriptions, retained messages, outbound QoS 1/2 messages, inbound QoS 2 messages.
  (db) => {
    db.exec(`
      CREATE TABLE sessions (
        account TEXT NOT NULL,
        client_id TEXT NOT NULL,
        protocol_version INTEGER NOT NULL,
        expiry_seconds INTEGER NOT NULL,
        disconnected_at_ms INTEGER NOT NULL,
        subscriptions TEXT NOT NULL,
        PRIMARY KEY (account, client_id)
      );
      CREATE TABLE retained (
        account TEXT NOT NULL,
        topic TEXT NOT NULL,
        payload BLOB NOT NULL,
        qos INTEGER NOT NULL,
        properties TEXT,
        expires_at_ms INTEGER NOT NULL,
        PRIMARY KEY (account, topic)
      );
      CREATE TABLE outbound (
        account TEXT NOT NULL,
        client_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        packet_id INTEGER NOT NULL,
        state INTEGER NOT NULL,
        topic TEXT NOT NULL,
        payload BLOB NOT NULL,
        qos INTEGER NOT NULL,
        properties TEXT,
        expires_at_ms INTEGER NOT NULL,
        retain INTEGER NOT NULL,
        subscription_ids TEXT NOT NULL,
        PRIMARY KEY (account, client_id, seq)
      );
      CREATE TABLE inbound (
        account TEXT NOT NULL,
        client_id TEXT NOT NULL,
        packet_id INTEGER NOT NULL,
        topic TEXT NOT NULL,
        payload BLOB NOT NULL,
        qos INTEGER NOT NULL,
        properties TEXT,
        expires_at_ms INTEGER NOT NULL,
        retain INTEGER NOT NULL,
        PRIMARY KEY (account, client_id, packet_id)
      );
    `);
  },
  // 2: the outboxes of bridges to other brokers, one queue per bridge.
  (db) => {
    db.exec(`
      CREATE TABLE bridge_outbox (
        bridge TEXT NOT NULL,
        seq INTEGER NOT NULL,
        topic TEXT NOT NULL,
        payload BLOB NOT NULL,
        qos INTEGER NOT NULL,
        retain INTEGER NOT NULL,
        properties TEXT,
        stored_at_ms INTEGER NOT NULL,
        PRIMARY KEY (bridge, seq)
      );
    `);
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the migrations a file lacks. */
export function migrate(db: Database): void {
  for (let v = schemaVersion(db); v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      MIGRATIONS[v](db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
