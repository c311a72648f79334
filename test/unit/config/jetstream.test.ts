// The JetStream options: the top-level `jetstream` (every form), sizes, sync_interval, the accounts'
// `jetstream`, layering with the flags, which accounts get JetStream, storage defaults and reload rules.
// Error texts are nats-server 2.9.10's (sync_interval: 2.10's) unless a comment says otherwise.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  ConfigError,
  DEFAULTS,
  FALLBACK_MAX_FILE_STORE,
  FALLBACK_MAX_MEMORY_STORE,
  JETSTREAM_DEFAULTS,
  UNLIMITED_ACCOUNT_JETSTREAM,
  describeChanges,
  diffOptions,
  jetStreamAccounts,
  mergeOptions,
  resolveJetStreamStorage,
} from '../../../src/config/index.js';
import type { HostFacts, JetStreamConfig, JetStreamLayer, LoadedConfig, Options } from '../../../src/config/index.js';
import { parseConfigText } from '../../../src/config/reader.js';

const GIB = 1024 ** 3;

function load(text: string): LoadedConfig {
  return parseConfigText(text, 'c.conf');
}

function problemsOf(text: string): readonly string[] {
  try {
    load(text);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  assert.fail(`expected a config error for ${JSON.stringify(text)}`);
}

// ---- the top-level jetstream setting -------------------------------------------------------------

const layers: { name: string; text: string; jetstream: JetStreamLayer }[] = [
  { name: 'true', text: 'jetstream: true', jetstream: { enabled: true } },
  { name: 'false', text: 'jetstream: false', jetstream: { enabled: false } },
  { name: 'enabled', text: 'jetstream: enabled', jetstream: { enabled: true } },
  { name: 'Enable, any case', text: 'jetstream: "Enable"', jetstream: { enabled: true } },
  { name: 'disabled', text: 'jetstream: "disabled"', jetstream: { enabled: false } },
  { name: 'disable', text: 'jetstream: disable', jetstream: { enabled: false } },
  { name: 'empty block enables', text: 'jetstream {}', jetstream: { enabled: true } },
  { name: 'block with enabled: false', text: 'jetstream { enabled: false, store: /d2 }', jetstream: { enabled: false, storeDir: '/d2' } },
  { name: 'store_dir', text: 'jetstream { store_dir: "/data" }', jetstream: { enabled: true, storeDir: '/data' } },
  { name: 'storedir alias', text: 'jetstream { StoreDir: /d1 }', jetstream: { enabled: true, storeDir: '/d1' } },
  { name: 'top-level store_dir before', text: 'store_dir: /data\njetstream: on', jetstream: { enabled: true, storeDir: '/data' } },
  { name: 'top-level storedir after', text: 'jetstream: on\nstoredir: /data', jetstream: { enabled: true, storeDir: '/data' } },
  { name: 'top-level store_dir alone does not enable', text: 'store_dir: /data', jetstream: { storeDir: '/data' } },
  // Unquoted suffixes are the lexer's: K/M/G/T powers of 1000, KB/MB/GB/TB powers of 1024.
  { name: 'unquoted sizes', text: 'jetstream { max_mem: 1G, max_file: 8GB }', jetstream: { enabled: true, maxMemoryStore: 1e9, maxFileStore: 8 * GIB } },
  { name: 'quoted sizes are powers of 1024', text: 'jetstream { max_memory_store: "512M", max_file_store: "2T" }', jetstream: { enabled: true, maxMemoryStore: 512 * 1024 ** 2, maxFileStore: 2 * 1024 ** 4 } },
  { name: 'quoted K', text: 'jetstream { max_mem_store: "1K" }', jetstream: { enabled: true, maxMemoryStore: 1024 } },
  { name: 'plain bytes', text: 'jetstream { max_mem: 1048576, max_file: 0 }', jetstream: { enabled: true, maxMemoryStore: 1_048_576, maxFileStore: 0 } },
  { name: 'empty string is 0', text: 'jetstream { max_file: "" }', jetstream: { enabled: true, maxFileStore: 0 } },
  { name: 'negative means the default', text: 'jetstream { max_mem: -1, max_file: "-1G" }', jetstream: { enabled: true, maxMemoryStore: -1, maxFileStore: -GIB } },
  { name: 'sync_interval always', text: 'jetstream { sync_interval: always }', jetstream: { enabled: true, syncInterval: 'always' } },
  { name: 'sync_interval ALWAYS', text: 'jetstream { sync_interval: "ALWAYS" }', jetstream: { enabled: true, syncInterval: 'always' } },
  { name: 'sync_interval duration', text: 'jetstream { sync_interval: "2m" }', jetstream: { enabled: true, syncInterval: 120_000 } },
  { name: 'sync alias, compound duration', text: 'jetstream { sync: "1m30s" }', jetstream: { enabled: true, syncInterval: 90_000 } },
  { name: 'sub-second sync_interval', text: 'jetstream { sync_interval: "250ms" }', jetstream: { enabled: true, syncInterval: 250 } },
];

for (const { name, text, jetstream } of layers) {
  test(`jetstream layer: ${name}`, () => {
    const { layer, warnings } = load(text);
    assert.deepEqual(layer, { jetstream });
    assert.deepEqual(warnings, []);
  });
}

test('jetstream: enabled with nothing else gets the defaults, sync_interval always', () => {
  const opts = mergeOptions(load('jetstream: enabled').layer);
  assert.deepEqual(opts.jetstream, { storeDir: '', maxMemoryStore: -1, maxFileStore: -1, syncInterval: 'always', domain: '' });
  assert.deepEqual(opts.jetstream, JETSTREAM_DEFAULTS);
  assert.ok(Object.isFrozen(opts.jetstream));
});

test('jetstream: off leaves no jetstream in Options, whatever else the block says', () => {
  assert.equal(DEFAULTS.jetstream, undefined);
  assert.equal(mergeOptions(load('jetstream { enabled: false, max_mem: 1G }').layer).jetstream, undefined);
  assert.equal(mergeOptions(load('store_dir: /d').layer).jetstream, undefined);
});

test('jetstream: an integer sync_interval is seconds, with the deprecation warning', () => {
  const { layer, warnings } = load('jetstream {\n  sync_interval: 30\n}');
  assert.equal(layer.jetstream?.syncInterval, 30_000);
  assert.deepEqual(warnings, ['c.conf:2:3: invalid use of field "sync_interval": sync_interval should be converted to a duration']);
});

test('jetstream: settings of features to come load with a warning; domain is read without one', () => {
  const text = `jetstream {
  domain: edge
  max_outstanding_catchup: 64MB
  cipher: aes
  key: s3cr3t
  unique_tag: az
  extension_hint: will_extend
  limits { max_ack_pending: 100 }
}`;
  const { layer, warnings } = load(text);
  assert.deepEqual(layer.jetstream, { enabled: true, domain: 'edge' });
  assert.deepEqual(warnings, [
    'c.conf:3:3: jetstream.max_outstanding_catchup is not supported yet, ignored',
    'c.conf:4:3: jetstream.cipher is not supported yet, ignored',
    'c.conf:5:3: jetstream.key is not supported yet, ignored',
    'c.conf:6:3: jetstream.unique_tag is not supported yet, ignored',
    'c.conf:7:3: jetstream.extension_hint is not supported yet, ignored',
    'c.conf:8:3: jetstream.limits is not supported yet, ignored',
  ]);
});

const failures: { name: string; text: string; problems: string[] }[] = [
  { name: 'bad word', text: 'jetstream: maybe', problems: ["c.conf:1:1: Expected 'enabled' or 'disabled' for string value, got 'maybe'"] },
  { name: 'wrong type', text: 'jetstream: 1', problems: ['c.conf:1:1: Expected map, bool or string to define JetStream, got int64'] },
  { name: 'unknown key', text: 'jetstream { max_memory: 1G }', problems: ['c.conf:1:13: unknown field "max_memory"'] },
  { name: 'size with a unit after the suffix', text: 'jetstream { max_mem: "1GB" }', problems: ['c.conf:1:13: max_mem_store strconv.ParseInt: parsing "1G": invalid syntax'] },
  { name: 'fractional size', text: 'jetstream { max_file: "1.5G" }', problems: ['c.conf:1:13: max_file_store strconv.ParseInt: parsing "1.5": invalid syntax'] },
  { name: 'unknown size suffix', text: 'jetstream { max_mem: "1X" }', problems: ['c.conf:1:13: max_mem_store sizes defined as strings must end in K, M, G, T'] },
  { name: 'lower-case quoted suffix', text: 'jetstream { max_file: "1g" }', problems: ['c.conf:1:13: max_file_store sizes defined as strings must end in K, M, G, T'] },
  { name: 'size out of range', text: 'jetstream { max_mem: "99999999999999999999G" }', problems: ['c.conf:1:13: max_mem_store strconv.ParseInt: parsing "99999999999999999999": value out of range'] },
  { name: 'size of the wrong type', text: 'jetstream { max_file: true }', problems: ['c.conf:1:13: max_file_store must be int64 or string'] },
  { name: 'float size', text: 'jetstream { max_mem: 1.5 }', problems: ['c.conf:1:13: max_mem_store must be int64 or string'] },
  { name: 'catchup size', text: 'jetstream { max_outstanding_catchup: "x" }', problems: ['c.conf:1:13: max_outstanding_catchup strconv.ParseInt: parsing "": invalid syntax'] },
  { name: 'sync_interval word', text: 'jetstream { sync_interval: never }', problems: ['c.conf:1:13: error parsing sync_interval: time: invalid duration "never"'] },
  { name: 'sync_interval without unit', text: 'jetstream { sync_interval: "5" }', problems: ['c.conf:1:13: error parsing sync_interval: time: missing unit in duration "5"'] },
  { name: 'sync alias, unknown unit', text: 'jetstream { SYNC: "5d" }', problems: ['c.conf:1:13: error parsing SYNC: time: unknown unit "d" in duration "5d"'] },
  // Ours: nats-server falls back to 2 minutes for 0 and fails at run time for a negative interval.
  { name: 'zero sync_interval', text: 'jetstream { sync_interval: "0s" }', problems: ['c.conf:1:13: invalid sync_interval: expected "always" or a positive duration'] },
  { name: 'negative sync_interval', text: 'jetstream { sync_interval: "-1m" }', problems: ['c.conf:1:13: invalid sync_interval: expected "always" or a positive duration'] },
  { name: 'sync_interval boolean', text: 'jetstream { sync_interval: true }', problems: ['c.conf:1:13: invalid value for "sync_interval": expected "always" or a duration string such as "2m", got boolean true'] },
  { name: 'unknown cipher', text: 'jetstream { cipher: rot13 }', problems: ['c.conf:1:13: Unknown cipher type: "rot13"'] },
  { name: 'store_dir twice', text: 'store_dir: /a\njetstream { store_dir: /b }', problems: ["c.conf:2:13: Duplicate 'store_dir' configuration"] },
  { name: 'domain with a dot', text: 'jetstream { domain: "a.b" }', problems: ['c.conf:1:1: invalid domain name: may not contain ., * or >'] },
  { name: 'domain with a wildcard', text: 'jetstream { domain: "*" }', problems: ['c.conf:1:1: invalid domain name: may not contain ., * or >'] },
  { name: 'domain with a space', text: 'jetstream { domain: "a b" }', problems: ['c.conf:1:1: invalid domain name: derived "$JS.a b.API.>" is not a valid subject'] },
  { name: 'domain >', text: 'jetstream { domain: ">" }', problems: ['c.conf:1:1: invalid domain name: derived "$JS.>.API.>" is not a valid subject'] },
];

for (const { name, text, problems } of failures) {
  test(`jetstream error: ${name}`, () => {
    assert.deepEqual(problemsOf(text), problems);
  });
}

// ---- layering with the command line --------------------------------------------------------------

test('flags over the file: -js enables the file block with its limits, -sd replaces its store dir', () => {
  const file = load('jetstream { enabled: false, store_dir: /file, max_mem: 1G, sync_interval: "1m" }').layer;
  assert.equal(mergeOptions(file).jetstream, undefined);
  assert.deepEqual(mergeOptions(file, { jetstream: { enabled: true } }).jetstream, {
    ...JETSTREAM_DEFAULTS,
    storeDir: '/file',
    maxMemoryStore: 1e9,
    syncInterval: 60_000,
  });
  assert.equal(mergeOptions(file, { jetstream: { enabled: true, storeDir: '/flag' } }).jetstream?.storeDir, '/flag');
});

test('flags over the file: -sd alone does not enable JetStream; --jetstream=false turns the file block off', () => {
  assert.equal(mergeOptions({ jetstream: { storeDir: '/flag' } }).jetstream, undefined);
  const on = load('jetstream: enabled').layer;
  assert.equal(mergeOptions(on, { jetstream: { storeDir: '/flag' } }).jetstream?.storeDir, '/flag');
  assert.equal(mergeOptions(on, { jetstream: { enabled: false } }).jetstream, undefined);
});

// ---- accounts ------------------------------------------------------------------------------------

function accountJetStream(value: string): Options['accounts'][number]['jetstream'] {
  const { layer, warnings } = load(`accounts { A { jetstream: ${value} } }`);
  assert.deepEqual(warnings, []);
  return layer.accounts?.[0]?.jetstream;
}

test('accounts: jetstream true, enabled and Enable mean unlimited; false, disabled and absent mean none', () => {
  for (const value of ['true', 'enabled', '"Enable"']) assert.deepEqual(accountJetStream(value), UNLIMITED_ACCOUNT_JETSTREAM, value);
  for (const value of ['false', 'disabled', 'disable']) assert.equal(accountJetStream(value), undefined, value);
  assert.equal(load('accounts { A { users: [] } }').layer.accounts?.[0]?.jetstream, undefined);
  assert.deepEqual(UNLIMITED_ACCOUNT_JETSTREAM, {
    maxMemory: -1,
    maxStore: -1,
    maxStreams: -1,
    maxConsumers: -1,
    maxBytesRequired: false,
    memoryMaxStreamBytes: -1,
    storeMaxStreamBytes: -1,
    maxAckPending: -1,
  });
});

test('accounts: a jetstream block sets the limits it names; the rest stay unlimited', () => {
  assert.deepEqual(accountJetStream('{ max_mem: 1G, max_file: 10GB, max_streams: 10, max_consumers: 100 }'), {
    ...UNLIMITED_ACCOUNT_JETSTREAM,
    maxMemory: 1e9,
    maxStore: 10 * GIB,
    maxStreams: 10,
    maxConsumers: 100,
  });
  assert.deepEqual(accountJetStream('{}'), UNLIMITED_ACCOUNT_JETSTREAM);
});

const accountAliases: [string, keyof typeof UNLIMITED_ACCOUNT_JETSTREAM][] = [
  ['max_memory', 'maxMemory'],
  ['mem', 'maxMemory'],
  ['memory', 'maxMemory'],
  ['max_store', 'maxStore'],
  ['max_disk', 'maxStore'],
  ['store', 'maxStore'],
  ['disk', 'maxStore'],
  ['streams', 'maxStreams'],
  ['consumers', 'maxConsumers'],
  ['mem_max_stream_bytes', 'memoryMaxStreamBytes'],
  ['memory_max_stream_bytes', 'memoryMaxStreamBytes'],
  ['disk_max_stream_bytes', 'storeMaxStreamBytes'],
  ['store_max_stream_bytes', 'storeMaxStreamBytes'],
  ['max_ack_pending', 'maxAckPending'],
];

for (const [key, limit] of accountAliases) {
  test(`accounts: jetstream { ${key} } sets ${limit}`, () => {
    assert.deepEqual(accountJetStream(`{ ${key.toUpperCase()}: 7 }`), { ...UNLIMITED_ACCOUNT_JETSTREAM, [limit]: 7 });
  });
}

test('accounts: max_bytes_required and its aliases are booleans', () => {
  for (const key of ['max_bytes_required', 'max_stream_bytes', 'max_bytes']) {
    assert.deepEqual(accountJetStream(`{ ${key}: true }`), { ...UNLIMITED_ACCOUNT_JETSTREAM, maxBytesRequired: true }, key);
  }
});

const accountFailures: { name: string; text: string; problems: string[] }[] = [
  { name: 'quoted size', text: 'accounts { A { jetstream: { max_mem: "1G" } } }', problems: ['c.conf:1:29: Expected a parseable size for "max_mem", got 1G'] },
  { name: 'boolean size', text: 'accounts { A { jetstream: { max_streams: true } } }', problems: ['c.conf:1:29: Expected a parseable size for "max_streams", got true'] },
  { name: 'non-boolean max_bytes_required', text: 'accounts { A { jetstream: { max_bytes_required: 1 } } }', problems: ['c.conf:1:29: Expected a parseable bool for "max_bytes_required", got 1'] },
  { name: 'unknown limit', text: 'accounts { A { jetstream: { foo: 1 } } }', problems: ['c.conf:1:29: unknown field "foo"'] },
  { name: 'bad word', text: 'accounts { A { jetstream: maybe } }', problems: ["c.conf:1:16: Expected 'enabled' or 'disabled' for string value, got 'maybe'"] },
  { name: 'wrong type', text: 'accounts { A { jetstream: 5 } }', problems: ['c.conf:1:16: Expected map, bool or string to define JetStream, got int64'] },
];

for (const { name, text, problems } of accountFailures) {
  test(`accounts jetstream error: ${name}`, () => {
    assert.deepEqual(problemsOf(text), problems);
  });
}

// ---- which accounts get JetStream ----------------------------------------------------------------

function accountsOf(text: string): ReturnType<typeof jetStreamAccounts> {
  return jetStreamAccounts(mergeOptions(load(text).layer));
}

function names(result: ReturnType<typeof jetStreamAccounts>): string[] {
  assert.ok(result.ok);
  return [...result.limits.keys()];
}

test('jetStreamAccounts: JetStream off gives no account JetStream, even accounts that ask', () => {
  assert.deepEqual(names(accountsOf('accounts { A { jetstream: enabled } }')), []);
});

test('jetStreamAccounts: no declared account but the system one: the global account, unlimited', () => {
  const only = accountsOf('jetstream: enabled');
  assert.deepEqual(names(only), ['$G']);
  assert.ok(only.ok && only.limits.get('$G') === UNLIMITED_ACCOUNT_JETSTREAM);
  assert.deepEqual(names(accountsOf('jetstream: enabled\naccounts { SYS { users: [ {user: s, password: p} ] } }\nsystem_account: SYS')), ['$G']);
});

test('jetStreamAccounts: once accounts are declared, only those saying jetstream; $G has none', () => {
  assert.deepEqual(names(accountsOf('jetstream: enabled\naccounts: [A, B]')), []);
  const text = 'jetstream: enabled\naccounts { A { jetstream: { max_streams: 2 } }, B {}, C { jetstream: enabled }, D { jetstream: disabled } }';
  const result = accountsOf(text);
  assert.deepEqual(names(result), ['A', 'C']);
  assert.ok(result.ok && result.limits.get('A')?.maxStreams === 2);
});

test('jetStreamAccounts: JetStream on the system account is refused (nats-server will not start)', () => {
  assert.deepEqual(accountsOf('jetstream: enabled\naccounts { SYS { jetstream: enabled }, A {} }\nsystem_account: SYS'), {
    ok: false,
    error: 'Not allowed to enable JetStream on the system account',
  });
});

// ---- storage location and limits -----------------------------------------------------------------

const HOST: HostFacts = { tmpDir: '/tmp', totalMemory: 8 * GIB, diskAvailable: () => 100 * GIB };
const config = (settings: Partial<JetStreamConfig>): JetStreamConfig => ({ ...JETSTREAM_DEFAULTS, ...settings });

test('storage: defaults are <tmp>/nats/jetstream, 75% of memory and 75% of the free disk there', () => {
  const asked: string[] = [];
  const host: HostFacts = { ...HOST, diskAvailable: (dir) => (asked.push(dir), 100 * GIB) };
  assert.deepEqual(resolveJetStreamStorage(JETSTREAM_DEFAULTS, host), { dataDir: '/tmp/nats/jetstream', maxMemory: 6 * GIB, maxStore: 75 * GIB });
  assert.deepEqual(asked, ['/tmp/nats/jetstream']);
});

test('storage: the data goes in <store_dir>/jetstream; explicit limits are kept, 0 included', () => {
  assert.deepEqual(resolveJetStreamStorage(config({ storeDir: '/var/lib/leafgate', maxMemoryStore: 0 }), HOST), {
    dataDir: '/var/lib/leafgate/jetstream',
    maxMemory: 0,
    maxStore: 75 * GIB,
  });
  assert.deepEqual(resolveJetStreamStorage(config({ storeDir: '/d', maxMemoryStore: 1, maxFileStore: 2 }), HOST), { dataDir: '/d/jetstream', maxMemory: 1, maxStore: 2 });
});

test('storage: with both limits set and no store dir, nats-server 2.9.10 uses <tmp>/jetstream', () => {
  assert.deepEqual(resolveJetStreamStorage(config({ maxMemoryStore: GIB, maxFileStore: 2 * GIB }), HOST), { dataDir: '/tmp/jetstream', maxMemory: GIB, maxStore: 2 * GIB });
});

test('storage: unknown memory and disk fall back to 256 MiB and 1 TiB', () => {
  const unknown: HostFacts = { tmpDir: '/t', totalMemory: 0, diskAvailable: () => undefined };
  assert.deepEqual(resolveJetStreamStorage(JETSTREAM_DEFAULTS, unknown), { dataDir: '/t/nats/jetstream', maxMemory: FALLBACK_MAX_MEMORY_STORE, maxStore: FALLBACK_MAX_FILE_STORE });
  assert.equal(FALLBACK_MAX_MEMORY_STORE, 256 * 1024 * 1024);
  assert.equal(FALLBACK_MAX_FILE_STORE, 1024 ** 4);
});

test('storage: 75% is taken as Go does, a quarter rounded down times three', () => {
  const odd: HostFacts = { tmpDir: '/t', totalMemory: 4003, diskAvailable: () => 7 };
  assert.deepEqual(resolveJetStreamStorage(JETSTREAM_DEFAULTS, odd), { dataDir: '/t/nats/jetstream', maxMemory: 3000, maxStore: 3 });
});

// ---- reload --------------------------------------------------------------------------------------

const enabled = (settings: Partial<JetStreamConfig> = {}): Options => mergeOptions({ jetstream: { enabled: true, ...settings } });

test('reload: turning JetStream on or off is applied, logged as "JetStream"', () => {
  for (const [before, after] of [[DEFAULTS, enabled()], [enabled({ maxMemoryStore: GIB }), DEFAULTS]] as const) {
    const diff = diffOptions(before, after);
    assert.deepEqual(diff, { changed: ['jetstream'], refused: [] });
    assert.deepEqual(describeChanges(before, after, diff.changed), ['JetStream']);
  }
});

test('reload: account JetStream limits are reloadable', () => {
  const before = mergeOptions(load('jetstream: enabled\naccounts { A { jetstream: enabled } }').layer);
  const after = mergeOptions(load('jetstream: enabled\naccounts { A { jetstream: { max_streams: 1 } } }').layer);
  assert.deepEqual(diffOptions(before, after), { changed: ['accounts'], refused: [] });
});

const refusals: { name: string; before: Partial<JetStreamConfig>; after: Partial<JetStreamConfig>; refusal: string }[] = [
  { name: 'store dir changed', before: { storeDir: '/a' }, after: { storeDir: '/b' }, refusal: 'config reload not supported for jetstream storage directory' },
  { name: 'store dir set', before: {}, after: { storeDir: '/b' }, refusal: 'config reload not supported for jetstream storage directory' },
  { name: 'store dir back to the default', before: { storeDir: '/a' }, after: {}, refusal: 'config reload not supported for jetstream storage dir' },
  { name: 'memory limit changed', before: { maxMemoryStore: 1 }, after: { maxMemoryStore: 2 }, refusal: 'config reload not supported for jetstream max memory and store' },
  { name: 'file limit set from the default', before: {}, after: { maxFileStore: 2 }, refusal: 'config reload not supported for jetstream dynamic max memory and store' },
  { name: 'file limit back to the default', before: { maxFileStore: 2 }, after: {}, refusal: 'config reload not supported for jetstream max memory and max store' },
  { name: 'domain', before: {}, after: { domain: 'edge' }, refusal: 'config reload not supported for JetStreamDomain: old=, new=edge' },
  { name: 'sync interval', before: { syncInterval: 60_000 }, after: { syncInterval: 90_000 }, refusal: 'config reload not supported for SyncInterval: old=1m0s, new=1m30s' },
  { name: 'always to its interval', before: {}, after: { syncInterval: 120_000 }, refusal: 'config reload not supported for SyncAlways: old=true, new=false' },
  { name: 'always to another interval', before: {}, after: { syncInterval: 1000 }, refusal: 'config reload not supported for SyncInterval: old=2m0s, new=1s' },
  // nats-server refuses at the first field in its order, but a limit going back to its default only at the end.
  { name: 'limit unset and domain', before: { maxMemoryStore: 1 }, after: { domain: 'x' }, refusal: 'config reload not supported for JetStreamDomain: old=, new=x' },
  { name: 'limit unset and store dir unset', before: { maxMemoryStore: 1, storeDir: '/a' }, after: {}, refusal: 'config reload not supported for jetstream max memory and max store' },
];

for (const { name, before, after, refusal } of refusals) {
  test(`reload refused while JetStream runs: ${name}`, () => {
    assert.deepEqual(diffOptions(enabled(before), enabled(after)), { changed: ['jetstream'], refused: ['jetstream'], refusal });
  });
}

test('reload: a JetStream refusal follows the other refused settings', () => {
  const before = mergeOptions({ port: 1, jetstream: { enabled: true } });
  const after = mergeOptions({ port: 2, jetstream: { enabled: true, domain: 'd' } });
  assert.equal(diffOptions(before, after).refusal, 'config reload not supported for port; config reload not supported for JetStreamDomain: old=, new=d');
});
