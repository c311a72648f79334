import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OptionLayer } from '../../../src/config/index.js';
import { parseCommandLine, type CommandLine } from '../../../src/cli/command-line.js';
import { helpText } from '../../../src/cli/program.js';

function runOf(argv: readonly string[]): Extract<CommandLine, { kind: 'run' }> {
  const result = parseCommandLine(argv);
  assert.equal(result.kind, 'run', JSON.stringify(result));
  return result as Extract<CommandLine, { kind: 'run' }>;
}

const LAYER_CASES: ReadonlyArray<readonly [readonly string[], OptionLayer]> = [
  [[], {}],
  [['-a', '127.0.0.1'], { host: '127.0.0.1' }],
  [['--addr=::1'], { host: '::1' }],
  [['-net', '10.0.0.1'], { host: '10.0.0.1' }],
  [['-p', '4223'], { port: 4223 }],
  [['--port=-1'], { port: -1 }],
  [['-n', 'edge-1'], { serverName: 'edge-1' }],
  [['--server_name=hub'], { serverName: 'hub' }],
  [['-P', '/run/leafgate.pid'], { pidFile: '/run/leafgate.pid' }],
  [['-m', '8222'], { httpPort: 8222 }],
  [['--http_port=8222'], { httpPort: 8222 }],
  [['-c', 'a.conf'], {}],
  [['--client_advertise', 'edge.local:4222'], { clientAdvertise: 'edge.local:4222' }],
  [['--ports_file_dir', '/tmp'], { portsFileDir: '/tmp' }],
  [['-l', '/var/log/leafgate.log'], { logFile: '/var/log/leafgate.log' }],
  [['-T=false'], { logtime: false }],
  [['--logtime'], { logtime: true }],
  [['-D'], { debug: true }],
  [['-V'], { trace: true }],
  [['--trace=false'], { trace: false }],
  [['-VV'], { trace: true, traceVerbose: true }],
  [['-DV'], { debug: true, trace: true }],
  [['-DVV'], { debug: true, trace: true, traceVerbose: true }],
  [['-D', '-DV=false'], { debug: false, trace: false }],
  [['-DVV', '-VV=false'], { debug: true, trace: false, traceVerbose: false }],
  [['-D', '-debug=false'], { debug: false }],
  [['--max_traced_msg_len', '128'], { maxTracedMsgLen: 128 }],
  [['-js'], { jetstream: { enabled: true } }],
  [['--jetstream=false'], { jetstream: { enabled: false } }],
  [['-sd', '/data'], { jetstream: { storeDir: '/data' } }],
  [['--store_dir=/data', '-jetstream'], { jetstream: { enabled: true, storeDir: '/data' } }],
  [['--user', 'u', '--pass', 'p'], { auth: { users: [], user: 'u', password: 'p' } }],
  [['--auth', 's3cr3t'], { auth: { users: [], token: 's3cr3t' } }],
  [['--tls', '--tlscert', 'c.pem', '--tlskey', 'k.pem'], {
    tls: { certFile: 'c.pem', keyFile: 'k.pem', verify: false, timeoutMs: 2000 },
  }],
  [['--tlscert=c.pem', '--tlskey=k.pem', '--tlsverify', '--tlscacert=ca.pem'], {
    tls: { certFile: 'c.pem', keyFile: 'k.pem', caFile: 'ca.pem', verify: true, timeoutMs: 2000 },
  }],
  [['-p', '1', '-p', '2'], { port: 2 }],
];

for (const [argv, layer] of LAYER_CASES) {
  test(`flags ${JSON.stringify(argv)} map to their option layer`, () => {
    assert.deepEqual(runOf(argv).flags, layer);
  });
}

test('the config file is reported beside the layer', () => {
  const run = runOf(['-c', 'leafgate.conf', '-js']);
  assert.equal(run.configFile, 'leafgate.conf');
  assert.equal(runOf(['-js']).configFile, undefined);
});

test('--tls=false clears the file TLS and wins over the other TLS flags', () => {
  const run = runOf(['--tls=false', '--tlscert', 'c.pem']);
  assert.deepEqual(run.flags, {});
  assert.deepEqual(run.clearedKeys, ['tls']);
  assert.deepEqual(runOf(['-js']).clearedKeys, []);
});

test('cluster, route, profile, syslog and https flags are validated and listed as not yet supported', () => {
  const run = runOf([
    '--routes', 'nats-route://a:1,nats-route://b:2',
    '--cluster', 'nats://r:p@0.0.0.0:-1',
    '--cluster_listen', 'nats://0.0.0.0:6222',
    '--cluster_name', 'c1',
    '--no_advertise',
    '--cluster_advertise', 'h:6222',
    '--connect_retries', '3',
    '--profile', '6060',
    '-s',
    '-r', 'udp://localhost:514',
    '--log_size_limit', '1000',
    '-ms', '8443',
  ]);
  assert.deepEqual(run.flags, {});
  assert.deepEqual(
    [...run.notYetSupported].sort(),
    [
      '--cluster', '--cluster_advertise', '--cluster_listen', '--cluster_name', '--connect_retries', '--https_port',
      '--log_size_limit', '--no_advertise', '--profile', '--remote_syslog', '--routes', '--syslog',
    ],
  );
  assert.deepEqual(runOf(['--syslog=false', '--no_advertise=false']).notYetSupported, []);
});

test('-js and -sd are real flags: nothing reported as not supported', () => {
  const run = runOf(['-js', '-sd', '/data']);
  assert.deepEqual(run.flags, { jetstream: { enabled: true, storeDir: '/data' } });
  assert.deepEqual(run.notYetSupported, []);
});

const ERROR_CASES: ReadonlyArray<readonly [readonly string[], string, boolean]> = [
  [['-foo'], 'flag provided but not defined: -foo', true],
  [['-p'], 'flag needs an argument: -p', true],
  [['-p', 'abc'], 'invalid value "abc" for flag -p: parse error', true],
  [['--connect_retries=x'], 'invalid value "x" for flag -connect_retries: parse error', true],
  [['foo'], 'leafgate: unrecognized command: "foo"', false],
  [['-js', 'start'], 'leafgate: unrecognized command: "start"', false],
  [['-t'], 'leafgate: must specify [-c, --config] option to check configuration file syntax', false],
  [['--tlsverify'], 'leafgate: TLS Server certificate must be present and valid', false],
  [['--tlscacert', 'ca.pem'], 'leafgate: TLS Server certificate must be present and valid', false],
  [['--tlscert', 'c.pem'], 'leafgate: TLS Server private key must be present and valid', false],
  [['--cluster', 'nats://u@h:6222'], 'leafgate: expected cluster password to be set', false],
  [['--cluster', 'nats://h'], 'leafgate: address h: missing port in address', false],
  [['--cluster_listen', 'not a url'], 'leafgate: invalid cluster URL "not a url"', false],
  [['-sl', 'bogus'], 'leafgate: unknown signal "bogus"', false],
  [['-sl', 'reload=1=2'], 'leafgate: invalid signal parameters: [2]', false],
];

for (const [argv, message, hinted] of ERROR_CASES) {
  test(`${JSON.stringify(argv)} is an error with one clear line`, () => {
    const result = parseCommandLine(argv);
    assert.equal(result.kind, 'error');
    if (result.kind !== 'error') return;
    assert.equal(result.message, message);
    assert.equal(result.hint !== undefined, hinted);
    if (hinted) assert.match(result.hint ?? '', /leafgate --help/);
  });
}

test('version, help and check are recognised in nats-server order', () => {
  assert.deepEqual(parseCommandLine(['-v']), { kind: 'version' });
  assert.deepEqual(parseCommandLine(['--version']), { kind: 'version' });
  assert.deepEqual(parseCommandLine(['version']), { kind: 'version' });
  assert.deepEqual(parseCommandLine(['VERSION']), { kind: 'version' });
  assert.deepEqual(parseCommandLine(['-h', '-v']), { kind: 'version' });
  assert.equal(parseCommandLine(['-h']).kind, 'help');
  assert.equal(parseCommandLine(['help']).kind, 'help');
  assert.equal(parseCommandLine(['-help=false']).kind, 'run');
  assert.deepEqual(parseCommandLine(['-t', '-c', 'x.conf']), { kind: 'check', configFile: 'x.conf' });
  assert.deepEqual(parseCommandLine(['-t', '-sl', 'quit']), { kind: 'signal', command: 'quit' });
});

test('--help_tls asks for the TLS configuration help, -h and help for the flags', () => {
  assert.deepEqual(parseCommandLine(['--help_tls']), { kind: 'help', topic: 'tls' });
  assert.deepEqual(parseCommandLine(['-h']), { kind: 'help', topic: 'flags' });
  assert.deepEqual(parseCommandLine(['help']), { kind: 'help', topic: 'flags' });
});

test('--signal parses the command and an optional pid or pid file', () => {
  assert.deepEqual(parseCommandLine(['-sl', 'reload']), { kind: 'signal', command: 'reload' });
  assert.deepEqual(parseCommandLine(['--signal=stop=123']), { kind: 'signal', command: 'stop', target: '123' });
  assert.deepEqual(parseCommandLine(['-signal', 'ldm=/run/leafgate.pid']), {
    kind: 'signal',
    command: 'ldm',
    target: '/run/leafgate.pid',
  });
});

test('help lists every group and the Go-style flag spellings', () => {
  const text = helpText();
  const groups = [
    'Server Options:',
    'Logging Options:',
    'JetStream Options:',
    'Authorization Options:',
    'TLS Options:',
    'Cluster Options:',
    'Profiling Options:',
    'Common Options:',
  ];
  let previous = -1;
  for (const group of groups) {
    const at = text.indexOf(`\n${group}\n`);
    assert.ok(at > previous, `${group} present and in order`);
    previous = at;
  }
  for (const term of ['-js, --jetstream', '-sd, --store_dir <dir>', '-ms, --https_port <port>', '-DVV', '-sl, --signal']) {
    assert.ok(text.includes(term), term);
  }
  assert.ok(text.startsWith('Usage: leafgate [options]'));
  assert.ok(!text.includes('<value>'), 'no commander placeholder leaks into the help');
});

test('help marks every flag accepted but not implemented yet, and names the unsupported config blocks', () => {
  const lines = helpText().split('\n');
  const marked = (term: string): boolean => {
    const at = lines.findIndex((line) => line.trimStart().startsWith(term));
    assert.ok(at >= 0, `help lists ${term}`);
    for (let i = at; i < lines.length && (i === at || lines[i]!.startsWith('   ')); i++) {
      if (lines[i]!.includes('(not supported yet)')) return true;
    }
    return false;
  };
  for (const term of [
    '-ms, --https_port', '-s, --syslog', '-r, --remote_syslog', '--log_size_limit',
    '--routes', '--cluster ', '--cluster_name', '--no_advertise', '--cluster_advertise', '--connect_retries',
    '--cluster_listen', '--profile',
  ]) {
    assert.equal(marked(term), true, `${term} is marked`);
  }
  for (const term of ['-js, --jetstream', '-sd, --store_dir', '-p, --port', '-m, --http_port', '-l, --log', '--tlscert', '--user', '-P, --pid', '--ports_file_dir']) {
    assert.equal(marked(term), false, `${term} is not marked`);
  }
  assert.ok(lines.includes('      --routes <url1,url2>          Routes to solicit and connect'));
  assert.ok(lines.includes('                                    (not supported yet)'));
  assert.ok(lines.includes('cluster and gateway, and these jetstream settings:'));
});
