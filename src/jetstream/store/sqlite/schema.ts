// The store's schema as an ordered list of migrations; a file's PRAGMA user_version says how many
// it has had. Opening a store applies the missing ones, each in its own transaction, so a store
// written by an older leafgate is upgraded in place and a crash mid-upgrade leaves a consistent file.
//
// Subjects are stored once each, as BLOBs holding the exact wire bytes (the internal latin1 string
// encoded as latin1): lossless for any byte, compared bytewise, and a tool reading the file sees the
// real UTF-8 a client sent. Messages refer to their subject by id, which keeps rows and the
// (subject, seq) index small.

import type { Database } from 'better-sqlite3';

type Migration = (db: Database, wallMs: number) => void;

const MIGRATIONS: readonly Migration[] = [
  // 1: messages, subjects with their counts, the stream's counters and configuration, consumers.
  (db) => {
    db.exec(`
      CREATE TABLE stream (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        config TEXT,
        created_ns INTEGER NOT NULL DEFAULT 0,
        msgs INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        last_seq INTEGER NOT NULL DEFAULT 0,
        last_time_ns INTEGER NOT NULL DEFAULT 0,
        num_subjects INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO stream (id) VALUES (1);
      CREATE TABLE subjects (
        id INTEGER PRIMARY KEY,
        subject BLOB NOT NULL UNIQUE,
        msgs INTEGER NOT NULL,
        last_seq INTEGER NOT NULL
      );
      CREATE TABLE msgs (
        seq INTEGER PRIMARY KEY,
        sid INTEGER NOT NULL,
        size INTEGER NOT NULL,
        time_ns INTEGER NOT NULL,
        hdr BLOB,
        data BLOB NOT NULL
      );
      CREATE INDEX msgs_by_subject ON msgs (sid);
      CREATE TABLE consumers (
        name TEXT PRIMARY KEY,
        config TEXT NOT NULL,
        created_ns INTEGER NOT NULL,
        has_state INTEGER NOT NULL DEFAULT 0,
        delivered_stream_seq INTEGER NOT NULL DEFAULT 0,
        delivered_consumer_seq INTEGER NOT NULL DEFAULT 0,
        ack_floor_stream_seq INTEGER NOT NULL DEFAULT 0,
        ack_floor_consumer_seq INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE consumer_pending (
        consumer TEXT NOT NULL,
        stream_seq INTEGER NOT NULL,
        consumer_seq INTEGER NOT NULL,
        time_ms INTEGER NOT NULL,
        deliveries INTEGER NOT NULL,
        PRIMARY KEY (consumer, stream_seq)
      ) WITHOUT ROWID;
    `);
  },
  // 2: stored time (see stored-time.ts). Messages already stored keep the age their wall-clock
  // timestamp gives them at the upgrade (none younger than 0), on a scale that starts at 0 now.
  (db, wallMs) => {
    db.exec(`
      ALTER TABLE msgs ADD COLUMN stored_ms INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE stream ADD COLUMN clock_stored_ms INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE stream ADD COLUMN clock_wall_ms INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE stream ADD COLUMN clock_mono_ms INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE stream ADD COLUMN clock_boot_id TEXT NOT NULL DEFAULT '';
    `);
    db.prepare('UPDATE msgs SET stored_ms = min(0, time_ns / 1000000 - ?)').run(wallMs);
    db.prepare('UPDATE stream SET clock_wall_ms = ?').run(wallMs);
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the migrations a file lacks, up to `target`. */
export function migrate(db: Database, wallMs: number, target: number = SCHEMA_VERSION): void {
  for (let v = schemaVersion(db); v < target; v++) {
    db.transaction(() => {
      MIGRATIONS[v](db, wallMs);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
