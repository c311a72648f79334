// The MQTT store's file: made at the current schema version, refused when newer or not a database.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';

import Sqlite from 'better-sqlite3';

import { openMqttStore } from '../../../../src/mqtt/store/index.js';
import { SCHEMA_VERSION } from '../../../../src/mqtt/store/schema.js';
import { tempDir } from '../../../helpers/temp-dir.js';

function withFile<T>(file: string, use: (db: Sqlite.Database) => T): T {
  const db = new Sqlite(file);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

test('a new file gets the tables and the current schema version', (t) => {
  const file = tempDir(t).path('mqtt.db');
  openMqttStore({ file, sync: 'always' }).close();
  withFile(file, (db) => {
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.ok(SCHEMA_VERSION >= 1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    assert.deepEqual(tables, ['bridge_outbox', 'inbound', 'outbound', 'retained', 'sessions']);
  });
});

test('a file from a newer schema is refused and left as it was', (t) => {
  const file = tempDir(t).path('mqtt.db');
  openMqttStore({ file, sync: 'always' }).close();
  withFile(file, (db) => db.pragma(`user_version = ${SCHEMA_VERSION + 1}`));
  assert.throws(() => openMqttStore({ file, sync: 'always' }), { code: 'STORE_VERSION' });
  withFile(file, (db) => assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION + 1));
});

test('a file that is not a database is refused as damaged', (t) => {
  const file = tempDir(t).write('mqtt.db', 'not a database, but long enough to have a header where SQLite looks for one');
  assert.throws(() => openMqttStore({ file, sync: 'always' }), { code: 'STORE_DAMAGED' });
  assert.equal(fs.readFileSync(file, 'utf8').slice(0, 3), 'not');
});
