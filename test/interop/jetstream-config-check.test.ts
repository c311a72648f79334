// Differential: the JetStream settings through the config check (`-t -c FILE`) of leafgate and of the real
// nats-server 2.9.10, which must accept and refuse the same files. sync_interval is the one intended
// difference: it is nats-server 2.10's option, which 2.9.10 refuses as an unknown field.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { LEAFGATE_MAIN, findNatsServer } from '../helpers/processes.js';

interface Case {
  readonly name: string;
  readonly text: string;
  readonly leafgate: boolean;
  readonly natsServer: boolean;
}

const same = (name: string, text: string, valid: boolean): Case => ({ name, text, leafgate: valid, natsServer: valid });

const cases: Case[] = [
  same('jetstream enabled', 'jetstream: enabled', true),
  same('jetstream false', 'jetstream: false', true),
  same('block with store dir and sizes', 'jetstream { store_dir: "/nonexistent/js", max_mem: 1G, max_file: "2G" }', true),
  same('empty and negative sizes', 'jetstream { max_mem: "", max_file: -1 }', true),
  same('top-level store_dir', 'store_dir: "/nonexistent/js"\njetstream: true', true),
  same('account limits', 'jetstream: enabled\naccounts { A { jetstream: { max_mem: 1G, max_file: 10GB, max_streams: 10, max_consumers: 100, max_bytes_required: true } } }', true),
  same('account enabled and disabled', 'accounts { A { jetstream: enabled }, B { jetstream: disabled } }', true),
  same('size with a unit after the suffix', 'jetstream { max_mem: "1GB" }', false),
  same('size of the wrong type', 'jetstream { max_file: true }', false),
  same('unknown size suffix', 'jetstream { max_mem: "1X" }', false),
  same('bad enable word', 'jetstream: maybe', false),
  same('store_dir twice', 'store_dir: /a\njetstream { store_dir: /b }', false),
  same('quoted account size', 'accounts { A { jetstream: { max_mem: "1G" } } }', false),
  same('unknown account limit', 'accounts { A { jetstream: { foo: 1 } } }', false),
  same('account jetstream of the wrong type', 'accounts { A { jetstream: 5 } }', false),
  { name: 'sync_interval always (2.10 option)', text: 'jetstream { sync_interval: always }', leafgate: true, natsServer: false },
  { name: 'sync_interval duration (2.10 option)', text: 'jetstream { sync_interval: "2m" }', leafgate: true, natsServer: false },
];

const dir = mkdtempSync(join(tmpdir(), 'leafgate-js-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let natsServer: string | undefined;
try {
  natsServer = findNatsServer();
} catch {
  natsServer = undefined;
}

function accepts(command: string, args: readonly string[], file: string): { ok: boolean; output: string } {
  const result = spawnSync(command, [...args, '-t', '-c', file], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(result.error, undefined, `${command} ran`);
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

cases.forEach(({ name, text, leafgate, natsServer: natsValid }, i) => {
  const file = join(dir, `case-${i}.conf`);
  writeFileSync(file, text);

  test(`config check: ${name} is ${leafgate ? 'valid' : 'invalid'} for leafgate -t`, () => {
    const { ok, output } = accepts(process.execPath, [LEAFGATE_MAIN], file);
    assert.equal(ok, leafgate, output);
  });

  test(`config check: ${name} is ${natsValid ? 'valid' : 'invalid'} for nats-server -t`, { skip: natsServer === undefined && 'nats-server not installed' }, () => {
    const { ok, output } = accepts(natsServer!, [], file);
    assert.equal(ok, natsValid, output);
  });
});
