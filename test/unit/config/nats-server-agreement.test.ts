// Grammar edge cases checked two ways: our loader, and (when installed) the real nats-server with
// `-t -c`, which must accept and reject the same files.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { ConfigError } from '../../../src/config/index.js';
import { loadConfigFile } from '../../../src/config/reader.js';

const ENV = { ENV_PORT: '4333' };
const BCRYPT = '$2a$11$W2zko751KUvVy59mUTWmpOdWXJn9jBH6Kh8X4Kw6C3cQv8VbqOWMW';

const cases: { name: string; text: string; valid: boolean }[] = [
  { name: 'colon separator', text: 'port: 4222', valid: true },
  { name: 'JSON document', text: '{"port": 4222, "debug": true}', valid: true },
  { name: 'whitespace and equals separators', text: 'port 4222\ndebug = true', valid: true },
  { name: 'quoted key', text: '"port": 4222', valid: true },
  { name: 'block string', text: 'server_name (\nmulti\nline\n)\n', valid: true },
  { name: 'size suffix', text: 'max_payload: 1k', valid: true },
  { name: 'dangling last key', text: 'port: 4222\ndebug', valid: true },
  { name: 'value on the line after the key', text: 'port\n4222', valid: true },
  { name: 'unquoted bcrypt password', text: `authorization { users = [ {user: a, password: ${BCRYPT}} ] }`, valid: true },
  { name: 'helper variable', text: 'HELPER: 4333\nport: $HELPER', valid: true },
  { name: 'environment variable', text: 'port: $ENV_PORT', valid: true },
  { name: 'hex escape', text: 'server_name: "a\\x41\\t"', valid: true },
  { name: 'address string', text: 'listen: 127.0.0.1:4222', valid: true },
  { name: 'comments', text: 'port: 4222 # c\n// d\n', valid: true },
  { name: 'map entries on lines', text: 'authorization {\n  user: a\n  password: b\n}\n', valid: true },
  { name: 'account users', text: 'accounts { A { users: [ {user: a, password: b} ] } }', valid: true },
  { name: 'unicode escape', text: 'server_name: "\\u0041"', valid: false },
  { name: 'float with size suffix', text: 'max_payload: 1.5GB', valid: false },
  { name: 'unresolved variable', text: 'port: $NOPE_NOT_SET', valid: false },
  { name: 'unknown field', text: 'bar: 1', valid: false },
  { name: 'value on the next line after a separator', text: 'port:\n4222', valid: false },
  { name: 'quoted boolean', text: 'debug: "true"', valid: false },
  { name: 'unknown tls field', text: 'tls { cert_file: c, key_file: k, foo: 1 }', valid: false },
  { name: 'reserved account', text: 'accounts { "$G" { } }', valid: false },
  { name: 'token with user', text: 'authorization { token: t, user: a, password: b }', valid: false },
  { name: 'short lame duck', text: 'lame_duck_duration: "10s"', valid: false },
  { name: 'too many subject tokens', text: 'max_sub_tokens: 300', valid: false },
];

const dir = mkdtempSync(join(tmpdir(), 'leafgate-agree-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const natsServer = spawnSync('nats-server', ['--version'], { encoding: 'utf8' }).status === 0;

cases.forEach(({ name, text, valid }, i) => {
  const file = join(dir, `case-${i}.conf`);
  writeFileSync(file, text);

  test(`agreement: ${name} is ${valid ? 'valid' : 'invalid'} for leafgate`, () => {
    let accepted = true;
    try {
      loadConfigFile(file, { env: ENV });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      accepted = false;
    }
    assert.equal(accepted, valid);
  });

  test(`agreement: ${name} is ${valid ? 'valid' : 'invalid'} for nats-server -t`, { skip: !natsServer && 'nats-server not installed' }, () => {
    const result = spawnSync('nats-server', ['-t', '-c', file], { encoding: 'utf8', env: { ...process.env, ...ENV } });
    assert.equal(result.status === 0, valid, result.stderr);
  });
});
