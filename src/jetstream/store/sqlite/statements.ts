// Every statement the store runs, prepared once when it opens.

import type { Database, Statement } from 'better-sqlite3';

/** A message row as the load statements return it (integers as BigInt: time_ns passes 2^53). */
export interface MsgRow {
  seq: bigint;
  sid: bigint;
  time_ns: bigint;
  hdr: Buffer | null;
  data: Buffer;
}

/** What removing a message needs to know of it. */
export interface RowInfo {
  seq: number;
  sid: number;
  size: number;
  stored_ms: number;
}

/** The subjects a filter matches, by its slot in the temp table filter_subjects (subjects.ts). */
const IN_SUBJECTS = 'sid IN (SELECT sid FROM filter_subjects WHERE slot = ?)';
const ID_IN_SUBJECTS = 'id IN (SELECT sid FROM filter_subjects WHERE slot = ?)';
const MSG_COLUMNS = 'seq, sid, time_ns, hdr, data';

export class Statements {
  readonly begin: Statement;
  readonly commit: Statement;
  readonly rollback: Statement;

  readonly loadMsg: Statement;
  readonly nextMsg: Statement;
  /**
   * Up to ? messages from seq ? on, packed into one row: their numbers as a JSON array (the time as
   * text, past 2^53) and their header and data bytes back to back. One Buffer per window instead of
   * one or two per message: 2.2 µs a row here instead of 3.2 (read-ahead.ts unpacks it).
   */
  readonly packedMsgs: Statement;
  readonly nextMsgOfSubject: Statement;
  /** `+sid` keeps the planner on the seq order, stopping at the first match, not sorting each subject's rows. */
  readonly nextMsgOfSubjects: Statement;
  readonly lastMsg: Statement;
  /** Rows without headers are passed over inside SQLite, their payloads never read out. */
  readonly headersBetween: Statement;
  readonly firstSeqTime: Statement;
  readonly frontRows: Statement;
  readonly rowOf: Statement;
  readonly rowsOfSubjectsBelow: Statement;
  readonly oldestOfSubject: Statement;
  readonly newestOfSubjectsAt: Statement;
  readonly lastSeqOfSubject: Statement;
  readonly deleteMsg: Statement;
  readonly deleteBelow: Statement;
  readonly subjectCountsBelow: Statement;
  /** One statement for a KV key's update: a lookup then a delete cost ~3 µs more. */
  readonly deleteOldestOfSubject: Statement;
  readonly deleteAllMsgs: Statement;
  readonly countFrom: Statement;
  readonly countBelow: Statement;
  readonly countOfSubjectsFrom: Statement;
  readonly seqsBetween: Statement;

  readonly subjectByName: Statement;
  readonly subjectById: Statement;
  readonly insertSubject: Statement;
  readonly updateSubject: Statement;
  readonly deleteSubject: Statement;
  readonly deleteAllSubjects: Statement;
  readonly allSubjects: Statement;
  readonly subjectIdsOver: Statement;
  readonly sumMsgsOfSubjects: Statement;
  readonly countSubjectsLastFrom: Statement;
  readonly countAllSubjectsLastFrom: Statement;
  readonly maxLastOfSubjects: Statement;
  readonly addFilterSubject: Statement;
  readonly dropFilterSubject: Statement;
  readonly dropFilterSlot: Statement;
  readonly dropFilterSlots: Statement;

  readonly readStream: Statement;
  readonly writeStream: Statement;
  readonly writeConfig: Statement;

  readonly readConsumers: Statement;
  readonly readPending: Statement;
  readonly upsertConsumer: Statement;
  readonly writeConsumerState: Statement;
  readonly deleteConsumer: Statement;
  readonly deletePendingAll: Statement;
  readonly deletePendingUpTo: Statement;
  readonly upsertPending: Statement;
  readonly deletePending: Statement;

  constructor(db: Database) {
    // Per connection, never in the file: the subjects each cached filter matches, for the queries below.
    db.exec(`
      CREATE TEMP TABLE filter_subjects (slot INTEGER NOT NULL, sid INTEGER NOT NULL, PRIMARY KEY (slot, sid)) WITHOUT ROWID;
      CREATE INDEX temp.filter_subjects_by_sid ON filter_subjects (sid);
    `);
    this.begin = db.prepare('BEGIN');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');

    this.loadMsg = db.prepare(`SELECT ${MSG_COLUMNS} FROM msgs WHERE seq = ?`).safeIntegers(true);
    this.nextMsg = db.prepare(`SELECT ${MSG_COLUMNS} FROM msgs WHERE seq >= ? ORDER BY seq LIMIT 1`).safeIntegers(true);
    this.packedMsgs = db
      .prepare(
        `SELECT json_group_array(json_array(seq, sid, CAST(time_ns AS TEXT), length(hdr), length(data)) ORDER BY seq),
                CAST(group_concat(coalesce(hdr, x'') || data, x'' ORDER BY seq) AS BLOB)
         FROM (SELECT ${MSG_COLUMNS} FROM msgs WHERE seq >= ? ORDER BY seq LIMIT ?)`,
      )
      .raw(true);
    this.nextMsgOfSubject = db.prepare(`SELECT ${MSG_COLUMNS} FROM msgs WHERE sid = ? AND seq >= ? ORDER BY seq LIMIT 1`).safeIntegers(true);
    this.nextMsgOfSubjects = db.prepare(`SELECT ${MSG_COLUMNS} FROM msgs WHERE seq >= ? AND +${IN_SUBJECTS} ORDER BY seq LIMIT 1`).safeIntegers(true);
    this.headersBetween = db.prepare('SELECT seq, time_ns, hdr FROM msgs WHERE seq BETWEEN ? AND ? AND hdr IS NOT NULL ORDER BY seq').safeIntegers(true);
    this.lastMsg = db.prepare(`SELECT ${MSG_COLUMNS} FROM msgs ORDER BY seq DESC LIMIT 1`).safeIntegers(true);
    this.firstSeqTime = db.prepare('SELECT seq, time_ns FROM msgs WHERE seq >= ? ORDER BY seq LIMIT 1').safeIntegers(true);
    this.frontRows = db.prepare('SELECT seq, sid, size, stored_ms FROM msgs WHERE seq >= ? ORDER BY seq LIMIT ?');
    this.rowOf = db.prepare('SELECT seq, sid, size, stored_ms FROM msgs WHERE seq = ?');
    // In index order (subject by subject), not seq order: a sort would redo itself for every batch of a large purge.
    this.rowsOfSubjectsBelow = db.prepare(`SELECT seq, sid, size, stored_ms FROM msgs WHERE ${IN_SUBJECTS} AND seq < ? LIMIT ?`);
    this.oldestOfSubject = db.prepare('SELECT seq, sid, size, stored_ms FROM msgs WHERE sid = ? ORDER BY seq LIMIT 1');
    this.newestOfSubjectsAt = db.prepare(`SELECT seq FROM msgs WHERE +${IN_SUBJECTS} ORDER BY seq DESC LIMIT 1 OFFSET ?`).pluck();
    this.lastSeqOfSubject = db.prepare('SELECT max(seq) FROM msgs WHERE sid = ?').pluck();
    this.deleteMsg = db.prepare('DELETE FROM msgs WHERE seq = ?');
    this.deleteBelow = db.prepare('DELETE FROM msgs WHERE seq < ?');
    // NOT INDEXED: grouping by sid would otherwise walk the whole subject index, not the sequence range.
    this.subjectCountsBelow = db.prepare('SELECT sid, count(*) AS msgs, sum(size) AS bytes FROM msgs NOT INDEXED WHERE seq < ? GROUP BY sid');
    this.deleteOldestOfSubject = db.prepare(
      'DELETE FROM msgs WHERE seq = (SELECT seq FROM msgs WHERE sid = ? ORDER BY seq LIMIT 1) RETURNING seq, sid, size, stored_ms',
    );
    this.deleteAllMsgs = db.prepare('DELETE FROM msgs');
    this.countFrom = db.prepare('SELECT count(*) FROM msgs WHERE seq >= ?').pluck();
    this.countBelow = db.prepare('SELECT count(*) FROM msgs WHERE seq < ?').pluck();
    this.countOfSubjectsFrom = db.prepare(`SELECT count(*) FROM msgs WHERE ${IN_SUBJECTS} AND seq >= ?`).pluck();
    this.seqsBetween = db.prepare('SELECT seq FROM msgs WHERE seq >= ? AND seq <= ? ORDER BY seq').pluck();

    this.subjectByName = db.prepare('SELECT id, msgs, last_seq FROM subjects WHERE subject = ?');
    this.subjectById = db.prepare('SELECT subject, msgs, last_seq FROM subjects WHERE id = ?');
    this.insertSubject = db.prepare('INSERT INTO subjects (subject, msgs, last_seq) VALUES (?, 0, 0)');
    this.updateSubject = db.prepare('UPDATE subjects SET msgs = ?, last_seq = ? WHERE id = ?');
    this.deleteSubject = db.prepare('DELETE FROM subjects WHERE id = ?');
    this.deleteAllSubjects = db.prepare('DELETE FROM subjects');
    this.allSubjects = db.prepare('SELECT id, subject, msgs, last_seq FROM subjects');
    this.subjectIdsOver = db.prepare('SELECT id FROM subjects WHERE msgs > ?').pluck();
    this.sumMsgsOfSubjects = db.prepare(`SELECT coalesce(sum(msgs), 0) FROM subjects WHERE ${ID_IN_SUBJECTS}`).pluck();
    this.countSubjectsLastFrom = db.prepare(`SELECT count(*) FROM subjects WHERE ${ID_IN_SUBJECTS} AND msgs > 0 AND last_seq >= ?`).pluck();
    this.maxLastOfSubjects = db.prepare(`SELECT coalesce(max(last_seq), 0) FROM subjects WHERE ${ID_IN_SUBJECTS} AND msgs > 0`).pluck();
    this.addFilterSubject = db.prepare('INSERT OR IGNORE INTO filter_subjects (slot, sid) VALUES (?, ?)');
    this.dropFilterSubject = db.prepare('DELETE FROM filter_subjects WHERE sid = ?');
    this.dropFilterSlot = db.prepare('DELETE FROM filter_subjects WHERE slot = ?');
    this.dropFilterSlots = db.prepare('DELETE FROM filter_subjects');
    this.countAllSubjectsLastFrom = db.prepare('SELECT count(*) FROM subjects WHERE msgs > 0 AND last_seq >= ?').pluck();

    this.readStream = db.prepare('SELECT * FROM stream WHERE id = 1').safeIntegers(true);
    this.writeStream = db.prepare(
      'UPDATE stream SET msgs = ?, bytes = ?, last_seq = ?, last_time_ns = ?, num_subjects = ?, clock_stored_ms = ?, clock_wall_ms = ?, clock_mono_ms = ?, clock_boot_id = ? WHERE id = 1',
    );
    this.writeConfig = db.prepare('UPDATE stream SET config = ?, created_ns = ? WHERE id = 1');

    this.readConsumers = db.prepare('SELECT * FROM consumers').safeIntegers(true);
    this.readPending = db.prepare('SELECT stream_seq, consumer_seq, time_ms, deliveries FROM consumer_pending WHERE consumer = ? ORDER BY stream_seq');
    this.upsertConsumer = db.prepare('INSERT INTO consumers (name, config, created_ns) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET config = excluded.config, created_ns = excluded.created_ns');
    this.writeConsumerState = db.prepare(
      'UPDATE consumers SET has_state = 1, delivered_stream_seq = ?, delivered_consumer_seq = ?, ack_floor_stream_seq = ?, ack_floor_consumer_seq = ? WHERE name = ?',
    );
    this.deleteConsumer = db.prepare('DELETE FROM consumers WHERE name = ?');
    this.deletePendingAll = db.prepare('DELETE FROM consumer_pending WHERE consumer = ?');
    this.deletePendingUpTo = db.prepare('DELETE FROM consumer_pending WHERE consumer = ? AND stream_seq <= ?');
    this.upsertPending = db.prepare('INSERT OR REPLACE INTO consumer_pending (consumer, stream_seq, consumer_seq, time_ms, deliveries) VALUES (?, ?, ?, ?, ?)');
    this.deletePending = db.prepare('DELETE FROM consumer_pending WHERE consumer = ? AND stream_seq = ?');
  }
}
