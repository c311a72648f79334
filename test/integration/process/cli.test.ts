// The bin's command line run to completion: help, version, flag errors, config check.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLeafgate, startLeafgate } from '../../helpers/processes.js';
import { tempDir } from '../../helpers/temp-dir.js';

test('--help prints the grouped flags on stdout and exits 0', async () => {
  for (const flag of ['--help', '-h', 'help']) {
    const r = await runLeafgate([flag]);
    assert.equal(r.code, 0, `${flag}: ${r.stderr}`);
    for (const group of ['Server Options:', 'Logging Options:', 'JetStream Options:', 'Authorization Options:', 'TLS Options:', 'Common Options:']) {
      assert.ok(r.stdout.includes(group), `${flag}: help has ${group}`);
    }
    for (const term of ['-p, --port <port>', '-c, --config <file>', '-P, --pid <file>', '-l, --log <file>', '-m, --http_port <port>']) {
      assert.ok(r.stdout.includes(term), `${flag}: help lists ${term}`);
    }
    assert.equal(r.stderr, '');
  }
});

test('-v and version print one version line naming the nats-server release, exit 0', async () => {
  for (const args of [['-v'], ['--version'], ['version']]) {
    const r = await runLeafgate(args);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^leafgate: v\d+\.\d+\.\d+.*2\.9\.10.*\n$/);
  }
});

test('an unknown flag: one clear line naming it, no usage dump, exit 1', async () => {
  const r = await runLeafgate(['--bogus']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, "flag provided but not defined: -bogus (run 'leafgate --help' to list the flags)\n");
  assert.ok(!r.stderr.includes('Server Options:'), 'the usage text is not dumped');
});

test('a bad flag value or a missing value: a clear line, exit 1', async () => {
  const bad = await runLeafgate(['-p', 'abc']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, `invalid value "abc" for flag -p: parse error (run 'leafgate --help' to list the flags)\n`);
  const missing = await runLeafgate(['-c']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, "flag needs an argument: -c (run 'leafgate --help' to list the flags)\n");
  const word = await runLeafgate(['start']);
  assert.equal(word.code, 1);
  assert.match(word.stderr, /unrecognized command: "start"/);
});

test('-t with a valid config file reports it valid and exits 0', async (t) => {
  const tmp = tempDir(t);
  const conf = tmp.write('ok.conf', 'port: 4333\nauthorization {\n  user: a\n  password: b\n}\nmax_payload: 65536\n');
  const r = await runLeafgate(['-t', '-c', conf]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`configuration file ${conf.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is valid`));
});

test('-t with an invalid config file prints the error and exits 1', async (t) => {
  const tmp = tempDir(t);
  const syntax = tmp.write('syntax.conf', 'port: 4333\nauthorization {\n  user: a\n');
  const r1 = await runLeafgate(['-t', '-c', syntax]);
  assert.equal(r1.code, 1);
  assert.notEqual(r1.stderr.trim(), '');
  assert.doesNotMatch(r1.stderr, /is valid/);

  const badValue = tmp.write('value.conf', 'port: "not a number"\n');
  const r2 = await runLeafgate(['-t', '-c', badValue]);
  assert.equal(r2.code, 1);
  assert.doesNotMatch(r2.stderr, /is valid/);

  const r3 = await runLeafgate(['-t', '-c', tmp.path('missing.conf')]);
  assert.equal(r3.code, 1);
  assert.doesNotMatch(r3.stderr, /is valid/);
});

test('-t without -c asks for the config file, exit 1', async () => {
  const r = await runLeafgate(['-t']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /must specify \[-c, --config\] option to check configuration file syntax/);
});

test('starting with an invalid config file fails with exit 1 and a message', async (t) => {
  const tmp = tempDir(t);
  const conf = tmp.write('bad.conf', 'host: 127.0.0.1\nport: -1\nno_such_option_anywhere: true\n');
  const r = await runLeafgate(['-c', conf]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no_such_option_anywhere/);
});

test('a flag accepted but not implemented yet: one warning naming it, and the server runs', async (t) => {
  const lg = await startLeafgate({ args: ['--routes', 'nats-route://127.0.0.1:1', '--syslog'] });
  t.after(() => lg.stop());
  await lg.stop();
  const warnings = lg.output().split('\n').filter((line) => line.includes('[WRN]')).map((line) => line.slice(line.indexOf('[WRN]')));
  assert.deepEqual(warnings, ['[WRN] flag --syslog is not supported yet', '[WRN] flag --routes is not supported yet']);
});
