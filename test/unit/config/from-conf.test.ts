import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ConfigError } from '../../../src/config/index.js';
import { parseConfigText } from '../../../src/config/reader.js';
import type { LoadedConfig, OptionLayer, PermissionsConfig, UserConfig } from '../../../src/config/index.js';

const FILE = 'c.conf';

function load(text: string, env: Record<string, string> = {}): LoadedConfig {
  return parseConfigText(text, FILE, { env });
}

function layerOf(text: string): OptionLayer {
  return load(text).layer;
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

const mappings: { name: string; text: string; layer: OptionLayer }[] = [
  { name: 'port and host', text: 'host: 127.0.0.1\nport: 4333', layer: { host: '127.0.0.1', port: 4333 } },
  { name: 'net alias', text: 'net: 10.0.0.1', layer: { host: '10.0.0.1' } },
  { name: 'listen host:port', text: 'listen: 127.0.0.1:4333', layer: { host: '127.0.0.1', port: 4333 } },
  { name: 'listen port only', text: 'listen: 4333', layer: { port: 4333 } },
  { name: 'listen :port keeps the default host', text: 'listen: ":4333"', layer: { port: 4333 } },
  { name: 'listen IPv6', text: 'listen: "[::1]:4333"', layer: { host: '::1', port: 4333 } },
  { name: 'random port', text: 'port: -1', layer: { port: -1 } },
  { name: 'port 0 means the default port', text: 'port: 0', layer: { port: 4222 } },
  { name: 'server name and advertise', text: 'server_name: edge-1\nclient_advertise: "edge.local:4222"', layer: { serverName: 'edge-1', clientAdvertise: 'edge.local:4222' } },
  { name: 'logging flags', text: 'debug: true\ntrace: on\nlogtime: false', layer: { debug: true, trace: true, logtime: false } },
  { name: 'trace_verbose implies trace', text: 'trace_verbose: true', layer: { traceVerbose: true, trace: true } },
  { name: 'log file aliases', text: 'log_file: /var/log/a.log\nlogfile_size_limit: 10MB', layer: { logFile: '/var/log/a.log', logSizeLimit: 10 * 1_048_576 } },
  { name: 'logfile and log_size_limit', text: 'logfile: a.log\nlog_size_limit: 1000', layer: { logFile: 'a.log', logSizeLimit: 1000 } },
  { name: 'pid file aliases', text: 'pid_file: /run/a.pid\nports_file_dir: /run', layer: { pidFile: '/run/a.pid', portsFileDir: '/run' } },
  { name: 'pidfile', text: 'pidfile: a.pid', layer: { pidFile: 'a.pid' } },
  { name: 'http host:port', text: 'http: 127.0.0.1:8222', layer: { httpHost: '127.0.0.1', httpPort: 8222 } },
  { name: 'http port only', text: 'http: 8222', layer: { httpPort: 8222 } },
  { name: 'http_port', text: 'http_port: 8222\nhttp_base_path: /nats', layer: { httpPort: 8222, httpBasePath: '/nats' } },
  { name: 'monitor_port alias', text: 'monitor_port: -1', layer: { httpPort: -1 } },
  { name: 'limits with size suffixes', text: 'max_control_line: 2KB\nmax_payload: 1MB\nmax_pending: 32MB', layer: { maxControlLine: 2048, maxPayload: 1_048_576, maxPending: 32 * 1_048_576 } },
  { name: 'lower-case k is 1000', text: 'max_payload: 1k', layer: { maxPayload: 1000 } },
  { name: 'connection limits aliases', text: 'max_conn: 100\nmax_subs: 50\nmax_subscription_tokens: 16', layer: { maxConnections: 100, maxSubscriptions: 50, maxSubTokens: 16 } },
  { name: 'connection limits', text: 'max_connections: 10\nmax_subscriptions: 5\nmax_sub_tokens: 255\nmax_traced_msg_len: 128', layer: { maxConnections: 10, maxSubscriptions: 5, maxSubTokens: 255, maxTracedMsgLen: 128 } },
  { name: 'duration strings', text: 'ping_interval: "1h30m"\nwrite_deadline: "500ms"\nping_max: 3', layer: { pingIntervalMs: 5_400_000, writeDeadlineMs: 500, pingMax: 3 } },
  { name: 'lame duck', text: 'lame_duck_duration: "45s"\nlame_duck_grace_period: "2.5s"', layer: { lameDuckDurationMs: 45_000, lameDuckGracePeriodMs: 2500 } },
  { name: 'booleans', text: 'allow_non_tls: true\nno_header_support: yes\nno_sublist_cache: true\nno_sys_acc: true', layer: { allowNonTls: true, noHeaderSupport: true, disableSublistCache: true, noSystemAccount: true } },
  { name: 'disable_sublist_cache and no_system_account', text: 'disable_sublist_cache: true\nno_system_account: false\nno_system: true', layer: { disableSublistCache: true, noSystemAccount: true } },
  { name: 'keys are case-insensitive', text: 'PORT: 4333\nServer_Name: x', layer: { port: 4333, serverName: 'x' } },
  { name: 'helper keys used as variables are not unknown fields', text: 'BASE_PORT: 4333\nport: $BASE_PORT', layer: { port: 4333 } },
  { name: 'system account', text: 'accounts { SYS {} }\nsystem_account: SYS', layer: { accounts: [{ name: 'SYS', users: [] }], systemAccount: 'SYS' } },
  { name: 'system alias', text: 'accounts: [ADMIN]\nsystem: ADMIN', layer: { accounts: [{ name: 'ADMIN', users: [] }], systemAccount: 'ADMIN' } },
  { name: 'system_account wins over system', text: 'accounts: [A, B]\nsystem_account: A\nsystem: B', layer: { accounts: [{ name: 'A', users: [] }, { name: 'B', users: [] }], systemAccount: 'A' } },
  { name: 'explicit $SYS needs no declaration', text: 'system_account: "$SYS"', layer: { systemAccount: '$SYS' } },
];

for (const { name, text, layer } of mappings) {
  test(`from-conf: ${name}`, () => {
    assert.deepEqual(layerOf(text), layer);
  });
}

// ---- authorization -----------------------------------------------------------------------------

test('authorization: token', () => {
  assert.deepEqual(layerOf('authorization { token: "s3cr3t", timeout: 3 }').auth, {
    users: [],
    token: 's3cr3t',
    timeoutMs: 3000,
  });
});

test('authorization: single user with aliases; float timeout', () => {
  assert.deepEqual(layerOf('authorization { username: a, pass: b, timeout: 0.5 }').auth, {
    users: [],
    user: 'a',
    password: 'b',
    timeoutMs: 500,
  });
});

test('authorization: timeout as a duration string', () => {
  assert.equal(layerOf('authorization { user: a, password: b, timeout: "5s" }').auth?.timeoutMs, 5000);
});

test('authorization: users with permissions in every form', () => {
  const text = `
authorization {
  users: [
    { user: alice, password: "$2a$11$abc",
      permissions: {
        publish: { allow: ["orders.>"], deny: ["orders.secret"] }
        subscribe: { allow: ["_INBOX.>", "orders.* workers"] }
      }
    }
    { user: bob, password: b, permissions: { pub: "a.b", sub: ["c", "d"] } }
    { user: carol, password: c, permission: { import: { deny: "x" }, export: {} } }
    { user: dave, password: d, authorization: { publish: ["p"], allow_responses: true } }
    { user: erin, password: e, permissions: { allow_responses: { max: 5, expires: "1m" } } }
    { user: fred, password: f, permissions: { publish_allow_responses: { max_msgs: -1, ttl: "0s" }, publish: { deny: "z" } } }
    { user: gina }
  ]
}`;
  const users = layerOf(text).auth?.users ?? [];
  const perms = Object.fromEntries(users.map((u) => [u.user, u.permissions]));
  assert.deepEqual(perms, {
    alice: { publish: { allow: ['orders.>'], deny: ['orders.secret'] }, subscribe: { allow: ['_INBOX.>', 'orders.* workers'] } },
    bob: { publish: { allow: ['a.b'] }, subscribe: { allow: ['c', 'd'] } },
    carol: { publish: { deny: ['x'] } },
    dave: { publish: { allow: ['p'] }, allowResponses: { max: 1, expiresMs: 120_000 } },
    erin: { publish: { allow: [] }, allowResponses: { max: 5, expiresMs: 60_000 } },
    fred: { publish: { allow: [], deny: ['z'] }, allowResponses: { max: -1, expiresMs: 120_000 } },
    gina: undefined,
  } satisfies Record<string, PermissionsConfig | undefined>);
  assert.deepEqual(users.find((u) => u.user === 'gina'), { user: 'gina', password: '', account: '$G' } satisfies UserConfig);
  assert.equal(users.find((u) => u.user === 'alice')?.password, '$2a$11$abc');
});

test('authorization: default_permissions apply to users without their own', () => {
  const text = `authorization {
    default_permissions: { publish: "pub.>" }
    users: [ { user: a, password: x }, { user: b, password: y, permissions: { subscribe: "s" } } ]
  }`;
  const auth = layerOf(text).auth;
  assert.deepEqual(auth?.defaultPermissions, { publish: { allow: ['pub.>'] } });
  assert.deepEqual(
    auth?.users.map((u) => [u.user, u.permissions]),
    [
      ['a', { publish: { allow: ['pub.>'] } }],
      ['b', { subscribe: { allow: ['s'] } }],
    ],
  );
});

test('authorization: permission subjects are kept as their UTF-8 bytes, the form wire subjects have', () => {
  const text = `authorization {
    default_permissions: { subscribe: { deny: "bär.*" } }
    users: [ { user: a, password: x, permissions: { publish: { allow: ["ünï.>", "ok"], deny: "föö.>" }, subscribe: "€.* grüppe" } }, { user: b } ]
  }`;
  const auth = layerOf(text).auth;
  const bytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
  assert.deepEqual(auth?.users.map((u) => u.permissions), [
    { publish: { allow: [bytes('ünï.>'), 'ok'], deny: [bytes('föö.>')] }, subscribe: { allow: [bytes('€.* grüppe')] } },
    { subscribe: { deny: [bytes('bär.*')] } },
  ]);
});

test('authorization: a bad non-ASCII permission subject is quoted as the file wrote it', () => {
  assert.deepEqual(problemsOf('authorization { users: [ { user: a, permissions: { publish: "föö..x" } } ] }'), [
    'c.conf:1:52: subject "föö..x" is not a valid subject',
  ]);
});

test('authorization: allowed connection types are upper-cased, aliases accepted', () => {
  const text = `authorization { users: [
    { user: a, password: x, allowed_connection_types: ["standard", "WebSocket"] }
    { user: b, password: y, connection_types: mqtt }
    { user: c, password: z, clients: ["LEAFNODE", "leafnode_ws", "mqtt_ws"] }
  ] }`;
  assert.deepEqual(
    layerOf(text).auth?.users.map((u) => u.allowedConnectionTypes),
    [['STANDARD', 'WEBSOCKET'], ['MQTT'], ['LEAFNODE', 'LEAFNODE_WS', 'MQTT_WS']],
  );
});

test('authorization: variables for passwords and permissions', () => {
  const text = `
APP_PASS: "s3cret"
PUB_ONLY: { publish: "app.>", subscribe: { deny: ">" } }
authorization { users: [ { user: app, password: $APP_PASS, permissions: $PUB_ONLY } ] }`;
  assert.deepEqual(layerOf(text).auth?.users, [
    { user: 'app', password: 's3cret', account: '$G', permissions: { publish: { allow: ['app.>'] }, subscribe: { deny: ['>'] } } },
  ]);
});

test('no_auth_user without an authorization block', () => {
  const layer = layerOf('accounts { A { users: [ { user: guest, password: g } ] } }\nno_auth_user: guest');
  assert.deepEqual(layer.auth, { users: [], noAuthUser: 'guest' });
});

// ---- accounts ----------------------------------------------------------------------------------

test('accounts: users bound to their account; account default permissions', () => {
  const text = `
accounts {
  APP: {
    users: [ { user: app, password: p }, { user: ro, password: r, permissions: { publish: { deny: ">" } } } ]
    default_permissions: { subscribe: "app.>" }
  }
  OTHER { users [ { user: other, password: o } ] }
}`;
  assert.deepEqual(layerOf(text).accounts, [
    {
      name: 'APP',
      users: [
        { user: 'app', password: 'p', account: 'APP', permissions: { subscribe: { allow: ['app.>'] } } },
        { user: 'ro', password: 'r', account: 'APP', permissions: { publish: { deny: ['>'] } } },
      ],
      defaultPermissions: { subscribe: { allow: ['app.>'] } },
    },
    { name: 'OTHER', users: [{ user: 'other', password: 'o', account: 'OTHER' }] },
  ]);
});

test('accounts: exports and imports are read and linked', () => {
  const text = `accounts {
  APP {
    users: [ { user: a, password: b } ]
    jetstream: enabled
    exports: [ { stream: "events.>", accounts: [OTHER] }, { service: "svc.echo", response: stream, threshold: "5s" } ]
    imports: [ { stream: { account: OTHER, subject: "feed.>" }, prefix: other } ]
    mappings: { "old.>": "new.>" }
  }
  OTHER {
    jetstream { max_mem: 1G }
    exports: [ { stream: "feed.>" } ]
    imports: [ { service: { account: APP, subject: "svc.echo" }, to: "echo", share: true } ]
  }
}`;
  const { layer, warnings } = load(text);
  assert.deepEqual(warnings, []);
  const [app, other] = layer.accounts ?? [];
  assert.deepEqual(app?.streamExports, [{ subject: 'events.>', accounts: ['OTHER'] }]);
  assert.deepEqual(app?.serviceExports, [{ subject: 'svc.echo', responseType: 'Streamed', responseThresholdMs: 5000 }]);
  assert.deepEqual(app?.streamImports, [{ account: 'OTHER', subject: 'feed.>', prefix: 'other' }]);
  assert.deepEqual(other?.serviceImports, [{ account: 'APP', subject: 'svc.echo', to: 'echo', share: true }]);
});

test('accounts: imports that cannot link are errors at the accounts block, in nats-server\'s words', () => {
  const text = `accounts {
  A { exports: [ { stream: "priv.>", accounts: [B] }, { service: "a.>" } ], imports: [ { service: { account: B, subject: "b.>" }, to: "a.>" } ] }
  B {
    exports: [ { service: "b.>" } ]
    imports: [
      { stream: { account: A, subject: "nope.>" } }
      { stream: { account: A, subject: "priv.>" }, prefix: "p.*" }
      { service: { account: Z, subject: "x" } }
      { service: { account: A, subject: "a.>" }, to: "b.>" }
    ]
  }
  C { imports: [ { stream: { account: A, subject: "priv.>" } } ] }
}`;
  assert.throws(() => load(text), (err: { problems?: string[] }) => {
    assert.deepEqual(err.problems, [
      'c.conf:1:1: Error adding stream import "nope.>": stream import not authorized',
      'c.conf:1:1: Error adding stream import "priv.>": stream import prefix can not contain wildcard tokens',
      'c.conf:1:1: Error adding stream import "priv.>": stream import not authorized',
      'c.conf:1:1: "Z" account not defined for service import',
      'c.conf:1:1: Error adding service import "a.>": import forms a cycle',
    ]);
    return true;
  });
});

test('accounts: an export naming an empty list of accounts is public, as in nats-server', () => {
  const { layer } = load(`accounts {
  A { exports: [ { stream: "s.>", accounts: [] } ] }
  B { imports: [ { stream: { account: A, subject: "s.>" } } ] }
}`);
  assert.deepEqual(layer.accounts?.[0]?.streamExports, [{ subject: 's.>' }]);
});

test('accounts: a malformed export or import is an error where it is written', () => {
  const text = `accounts {
  A { exports: [ { service: "q", response: bogus, threshold: "x" }, { stream: "s", response: stream } ] }
  B { imports: [ { service: { account: A, subject: "q" }, to: "z" }, { service: { account: A, subject: "q" }, to: "z" }, { stream: { account: A } } ] }
}`;
  assert.throws(() => load(text), (err: { problems?: string[] }) => {
    assert.deepEqual(err.problems?.map((p) => p.replace(/^c\.conf:\d+:\d+: /, '')), [
      'Unknown response type: "bogus"',
      'Expected response threshold to be a parseable time duration, got "x"',
      'Detected response directive on non-service',
      'Duplicate service import subject "z", previously used in import for account "A", subject "q"',
      'Expect an account name and a subject',
    ]);
    return true;
  });
});

// ---- tls -----------------------------------------------------------------------------------------

test('tls: files, verify and timeout forms', () => {
  assert.deepEqual(layerOf('tls { cert_file: "c.pem", key_file: "k.pem", ca_file: "ca.pem", verify: true, timeout: 5 }').tls, {
    certFile: 'c.pem',
    keyFile: 'k.pem',
    caFile: 'ca.pem',
    verify: true,
    timeoutMs: 5000,
  });
  assert.equal(layerOf('tls { cert_file: c, key_file: k, timeout: 0.75 }').tls?.timeoutMs, 750);
  assert.equal(layerOf('tls { cert_file: c, key_file: k, timeout: "1.5s" }').tls?.timeoutMs, 1500);
  assert.deepEqual(layerOf('tls { cert_file: c, key_file: k }').tls, { certFile: 'c', keyFile: 'k', verify: false, timeoutMs: 2000 });
});

test('tls: other known keys are accepted with warnings', () => {
  const text = `tls {
  cert_file: c
  key_file: k
  cipher_suites: ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]
  curve_preferences: ["CurveP256"]
  verify_and_map: false
  insecure: false
  connection_rate_limit: 10
}`;
  const { layer, warnings } = load(text);
  assert.equal(layer.tls?.certFile, 'c');
  assert.deepEqual(warnings, [
    'c.conf:4:3: tls.cipher_suites is not supported yet, ignored',
    'c.conf:5:3: tls.curve_preferences is not supported yet, ignored',
    'c.conf:7:3: tls.insecure is not supported yet, ignored',
    'c.conf:8:3: tls.connection_rate_limit is not supported yet, ignored',
  ]);
});

const REFUSED = 'not supported yet; refusing to start rather than run without the access control it sets';

test('tls: verify_and_map turns verify on; checking known URLs (routes, gateways) is refused', () => {
  assert.deepEqual(layerOf('tls { cert_file: c, key_file: k, verify_and_map: true }').tls, { certFile: 'c', keyFile: 'k', verify: true, timeoutMs: 2000, verifyAndMap: true });
  assert.deepEqual(problemsOf('tls {\n  cert_file: c\n  key_file: k\n  verify_cert_and_check_known_urls: true\n}'), [`c.conf:4:3: tls.verify_cert_and_check_known_urls is ${REFUSED}`]);
});

test('tls: pinned_certs are read in lower case; an entry that is not a hex SHA-256 is an error', () => {
  const upper = 'AB'.repeat(32);
  assert.deepEqual(layerOf(`tls { cert_file: c, key_file: k, verify: true, pinned_certs: ["${upper}"] }`).tls?.pinnedCerts, [upper.toLowerCase()]);
  assert.deepEqual(problemsOf('tls { cert_file: c, key_file: k, pinned_certs: ["abc"] }'), ["c.conf:1:34: error parsing tls config, 'pinned_certs' entry abc does not look like a hex-encoded SHA-256"]);
});

// ---- warnings ------------------------------------------------------------------------------------

test('websocket: the listener, its origins, timeout, compression, own authorization and JWT cookie; without TLS or no_tls refused', () => {
  const { layer } = load('websocket { listen: "127.0.0.1:8080", no_tls: true, same_origin: true, allowed_origins: ["http://a.example"], handshake_timeout: "2s", compression: true }');
  assert.deepEqual(layer.websocket, { host: '127.0.0.1', port: 8080, advertise: '', sameOrigin: true, allowedOrigins: ['http://a.example'], handshakeTimeoutMs: 2000, compression: true });
  assert.equal(load('ws { port: 8080, no_tls: true, handshake_timeout: 3 }').layer.websocket?.handshakeTimeoutMs, 3000);
  assert.equal(load('websocket { port: 0 }').layer.websocket, undefined, 'port 0 leaves it off');
  assert.deepEqual(problemsOf('websocket { port: 8080 }'), ['c.conf:1:1: websocket requires TLS configuration']);
  assert.deepEqual(problemsOf('websocket { port: 8080, no_tls: true, bogus: 1 }'), ['c.conf:1:39: unknown field "bogus"']);
  assert.equal(load('websocket { port: 8080, no_tls: true, jwt_cookie: my_jwt }').layer.websocket?.jwtCookie, 'my_jwt');
  const own = load('websocket { port: 8080, no_tls: true, authorization { username: u, pass: p, token: t, timeout: 1.5 }, no_auth_user: guest }').layer.websocket;
  assert.deepEqual({ auth: own?.auth, noAuthUser: own?.noAuthUser }, { auth: { user: 'u', password: 'p', token: 't', timeoutMs: 1500 }, noAuthUser: 'guest' });
});

test('warnings: keys of later subsystems load with a warning each', () => {
  const keys = [
    'cluster { name: c }',
    'gateway { name: g }',
    'server_tags: ["a:b"]',
    'default_js_domain { A: d }',
    'ocsp: false',
    'syslog: true',
    'remote_syslog: "udp://h:514"',
    'prof_port: 6060',
    'connect_error_reports: 10',
    'reconnect_error_reports: 10',
    'https: "0.0.0.0:8443"',
    'https_port: 8443',
  ];
  const { warnings } = load(keys.join('\n'));
  assert.deepEqual(
    warnings,
    keys.map((line, i) => `c.conf:${i + 1}:1: ${/^[a-z_]+/.exec(line)?.[0] ?? ''} is not supported yet, ignored`),
  );
});

test('operator mode settings not built yet are refused: ignoring them would serve without the access control they set', () => {
  const keys = ['resolver_tls { cert_file: c }', 'resolver_pinned_accounts: [A]', 'trusted: ["O"]', 'trusted_keys: "O"'];
  for (const line of keys) {
    const key = /^[a-z_]+/.exec(line)?.[0] ?? '';
    assert.deepEqual(problemsOf(`port: 4222\n${line}`), [`c.conf:2:1: ${key} is ${REFUSED}`], line);
  }
  for (const key of ['resolver', 'account_resolver', 'accounts_resolver']) {
    assert.deepEqual(problemsOf(`port: 4222\n${key}: URL("http://127.0.0.1:9090/jwt/v1/accounts/")`), [`c.conf:2:1: ${key} URL(...) is ${REFUSED}`], key);
  }
});

test("operator keys: a file that cannot be read is nats-server's error; a value that is no file and looks like a JWT is the token", () => {
  for (const key of ['operator', 'operators', 'root', 'roots', 'root_operator', 'root_operators']) {
    assert.deepEqual(problemsOf(`${key}: "/etc/op.jwt"`), ['c.conf:1:1: error parsing operator JWT: open /etc/op.jwt: no such file or directory'], key);
  }
  assert.deepEqual(problemsOf('operators: ["a"]'), ['c.conf:1:1: error parsing operators: unsupported type []interface {}']);
  const { layer } = load('operator: eyJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.sig\nresolver: MEMORY\nresolver_preload { AKEY: "x.y.z" }\nsystem_account: AKEY');
  assert.deepEqual(layer.operatorMode, { operators: ['eyJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.sig'], resolver: { type: 'memory' }, preload: { AKEY: 'x.y.z' }, systemAccount: 'AKEY' });
});

test("the full resolver's map, and nats-server's errors for the maps it refuses", () => {
  const op = 'operator: eyJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.sig\n';
  const { layer } = load(`${op}resolver: { type: full, dir: "./jwt", allow_delete: true, limit: 10, interval: "2m", timeout: "1.9s" }`);
  assert.deepEqual(layer.operatorMode?.resolver, { type: 'full', dir: './jwt', allowDelete: true, limit: 10 });
  assert.deepEqual(load(`${op}resolver { type: FULL, dir: /tmp/leafgate-no-such-dir }`).layer.operatorMode?.resolver, { type: 'full', dir: '/tmp/leafgate-no-such-dir', allowDelete: false, limit: Number.MAX_SAFE_INTEGER });
  assert.deepEqual(problemsOf(`${op}resolver { type: full }`), ['c.conf:2:1: dir has no value and needs to point to a directory']);
  assert.deepEqual(problemsOf(`${op}resolver { type: full, dir: "./jwt", ttl: "1h" }`), ['c.conf:2:1: FULL does not accept ttl']);
  assert.deepEqual(problemsOf(`${op}resolver { dir: "./jwt" }`), ['c.conf:2:1: error parsing account resolver, should be MEM or  URL("url") or a map containing dir and type state=[FULL|CACHE])']);
  assert.deepEqual(problemsOf(`${op}resolver { type: full, dir: "./jwt", interval: "soon" }`), ['c.conf:2:1: time: invalid duration "soon"']);
  assert.deepEqual(problemsOf(`${op}resolver: 42`), ['c.conf:2:1: error parsing operator resolver, wrong type int64']);
  assert.deepEqual(problemsOf(`${op}resolver { type: cache, dir: "./jwt" }`), [`c.conf:2:1: resolver of type CACHE is ${REFUSED}`]);
});

test('warnings: integer seconds for ping_interval and write_deadline', () => {
  const { layer, warnings } = load('ping_interval: 30\nwrite_deadline: 2');
  assert.equal(layer.pingIntervalMs, 30_000);
  assert.equal(layer.writeDeadlineMs, 2000);
  assert.deepEqual(warnings, [
    'c.conf:1:1: invalid use of field "ping_interval": ping_interval should be converted to a duration',
    'c.conf:2:1: invalid use of field "write_deadline": write_deadline should be converted to a duration',
  ]);
});

const NKEY = 'UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4';

test('nkey users: in authorization and in accounts, with permissions, default permissions and connection types', () => {
  const other = 'UC6NLCN7AS34YOJVCYD4PJ3QB7QGLYG5B5IMBT25VW5K4TNUJODM7BOX';
  const layer = layerOf(`
    authorization {
      default_permissions: { publish: "p.>" }
      users: [ { nkey: "${NKEY}" }, { user: a, password: b } ]
    }
    accounts { A { users: [ { nkey: ${other}, permissions: { subscribe: "s.>" }, allowed_connection_types: [websocket] } ] } }
  `);
  assert.deepEqual(layer.auth?.users, [{ user: 'a', password: 'b', account: '$G', permissions: { publish: { allow: ['p.>'] } } }]);
  assert.deepEqual(layer.auth?.nkeys, [{ nkey: NKEY, account: '$G', permissions: { publish: { allow: ['p.>'] } } }]);
  assert.deepEqual(layer.accounts?.[0]?.nkeys, [{ nkey: other, account: 'A', permissions: { subscribe: { allow: ['s.>'] } }, allowedConnectionTypes: ['WEBSOCKET'] }]);
  assert.deepEqual(layer.accounts?.[0]?.users, []);
});

test('mappings: top-level and per account, plain and weighted; cluster-scoped entries never apply here', () => {
  const layer = layerOf(`
    mappings { "a.*": "b.$1", w: [ { destination: x, weight: "40%" }, { dest: y, weight: 20 }, { destination: z, weight: 100, cluster: c1 } ] }
    accounts { A { maps: { s: t } } }
  `);
  assert.deepEqual(layer.mappings, [
    { source: 'a.*', destinations: [{ subject: 'b.$1', weight: 100 }] },
    { source: 'w', destinations: [{ subject: 'x', weight: 40 }, { subject: 'y', weight: 20 }] },
  ]);
  assert.deepEqual(layer.accounts?.[0]?.mappings, [{ source: 's', destinations: [{ subject: 't', weight: 100 }] }]);
});

// ---- errors --------------------------------------------------------------------------------------

const failures: { name: string; text: string; problems: string[] }[] = [
  { name: 'unknown top-level field', text: 'port: 1\nbar: 2', problems: ['c.conf:2:1: unknown field "bar"'] },
  { name: 'unknown field keeps its spelling', text: '  Bar: 2', problems: ['c.conf:1:3: unknown field "Bar"'] },
  { name: 'every problem is reported', text: 'a: 1\nb: 2', problems: ['c.conf:1:1: unknown field "a"', 'c.conf:2:1: unknown field "b"'] },
  { name: 'wrong type', text: 'port: "4222"', problems: ['c.conf:1:1: invalid value for "port": expected an integer, got string "4222"'] },
  { name: 'quoted boolean is a string', text: 'debug: "true"', problems: ['c.conf:1:1: invalid value for "debug": expected a boolean, got string "true"'] },
  { name: 'float port', text: 'port: 4222.5', problems: ['c.conf:1:1: invalid value for "port": expected an integer, got float 4222.5'] },
  { name: 'unquoted 2m is a number, not a duration', text: 'lame_duck_duration: 2m', problems: ['c.conf:1:1: invalid value for "lame_duck_duration": expected a duration string such as "2m", got integer 2000000'] },
  { name: 'bad duration', text: 'ping_interval: "abc"', problems: ['c.conf:1:1: error parsing ping_interval: time: invalid duration "abc"'] },
  { name: 'duration without unit', text: 'write_deadline: "10"', problems: ['c.conf:1:1: error parsing write_deadline: time: missing unit in duration "10"'] },
  { name: 'duration with unknown unit', text: 'ping_interval: "1d"', problems: ['c.conf:1:1: error parsing ping_interval: time: unknown unit "d" in duration "1d"'] },
  { name: 'lame duck below 30s', text: 'lame_duck_duration: "10s"', problems: ['c.conf:1:1: invalid lame_duck_duration of 10s, minimum is 30 seconds'] },
  { name: 'negative grace period', text: 'lame_duck_grace_period: "-1s"', problems: ['c.conf:1:1: invalid lame_duck_grace_period, needs to be positive'] },
  { name: 'grace not below duration', text: 'lame_duck_duration: "40s"\nlame_duck_grace_period: "40s"', problems: ['c.conf:2:1: lame duck grace period (40s) should be strictly lower than lame duck duration (40s)'] },
  { name: 'payload above pending', text: 'max_payload: 100MB', problems: ['c.conf:1:1: max_payload (104857600) cannot be higher than max_pending (67108864)'] },
  { name: 'payload above configured pending', text: 'max_pending: 1MB\nmax_payload: 2MB', problems: ['c.conf:2:1: max_payload (2097152) cannot be higher than max_pending (1048576)'] },
  { name: 'control line too big', text: 'max_control_line: 3GB', problems: ['c.conf:1:1: max_control_line value is too big'] },
  { name: 'sub tokens too big', text: 'max_sub_tokens: 256', problems: ['c.conf:1:1: max_sub_tokens value is too big'] },
  { name: 'sub tokens zero', text: 'max_subscription_tokens: 0', problems: ['c.conf:1:1: max_subscription_tokens value can not be negative'] },
  { name: 'bad listen', text: 'listen: "localhost"', problems: ['c.conf:1:1: could not parse address string "localhost"'] },
  { name: 'bad listen port', text: 'listen: "localhost:abc"', problems: ['c.conf:1:1: could not parse port "abc"'] },
  { name: 'token with user', text: 'authorization {\n  user: a\n  password: b\n  token: t\n}', problems: ['c.conf:1:1: Cannot have a user/pass and token'] },
  { name: 'token with users', text: 'authorization { token: t, users: [ { user: a, password: b } ] }', problems: ['c.conf:1:1: Can not have a token and a users array'] },
  { name: 'single user with users', text: 'authorization { user: x, password: y, users: [] }', problems: ['c.conf:1:1: Can not have a single user/pass and a users array'] },
  { name: 'token with account users', text: 'authorization { token: t }\naccounts { A { users: [ { user: a } ] } }', problems: ['c.conf:2:16: Can not have a token and accounts'] },
  { name: 'single user with account users', text: 'accounts { A { users: [ { user: a } ] } }\nauthorization { user: x, password: y }', problems: ['c.conf:1:16: Can not have a single user/pass and accounts'] },
  { name: 'duplicate users across accounts', text: 'accounts {\n  A { users: [ { user: u } ] }\n  B { users: [ { user: u } ] }\n}', problems: ['c.conf:3:16: Duplicate user "u" detected'] },
  { name: 'duplicate users across authorization and accounts', text: 'accounts { A { users: [ { user: u } ] } }\nauthorization { users: [ { user: u } ] }', problems: ['c.conf:2:26: Duplicate user "u" detected'] },
  { name: 'duplicate users in one list', text: 'authorization { users: [ { user: u }, { user: u } ] }', problems: ['c.conf:1:39: Duplicate user "u" detected'] },
  { name: 'reserved account', text: 'accounts {\n  $G { }\n}', problems: ['c.conf:2:3: "$G" is a Reserved Account'] },
  { name: 'reserved account in a list', text: 'accounts: [A, "$G"]', problems: ['c.conf:1:15: "$G" is a Reserved Account'] },
  { name: 'duplicate account in a list', text: 'accounts: [A, A]', problems: ['c.conf:1:15: Duplicate Account Entry: A'] },
  { name: 'account that is not a map', text: 'accounts { A: 1 }', problems: ['c.conf:1:12: Expected map entries for accounts'] },
  { name: 'unknown account key', text: 'accounts { A { userz: [] } }', problems: ['c.conf:1:16: unknown field "userz"'] },
  { name: 'no_auth_user without users', text: 'no_auth_user: nobody', problems: ['c.conf:1:1: no_auth_user: "nobody" present, but users are not defined'] },
  { name: 'no_auth_user not configured', text: 'authorization { users: [ { user: a } ] }\nno_auth_user: b', problems: ['c.conf:2:1: no_auth_user: "b" not present as user in authorization block or account configuration'] },
  { name: 'undeclared system account', text: 'system_account: SYS', problems: ['c.conf:1:1: error resolving system account: account missing'] },
  { name: 'unknown authorization field', text: 'authorization {\n  tokn: x\n}', problems: ['c.conf:2:3: unknown field "tokn"'] },
  { name: 'unknown user field', text: 'authorization { users: [ { user: a, pasword: b } ] }', problems: ['c.conf:1:37: unknown field "pasword"'] },
  { name: 'user without name', text: 'authorization { users: [ { password: b } ] }', problems: ['c.conf:1:26: User entry requires a user'] },
  { name: 'users not an array', text: 'authorization { users: { user: a } }', problems: ['c.conf:1:17: Expected users field to be an array, got map'] },
  { name: 'nkey user with a name', text: `authorization { users: [ { nkey: "${NKEY}", user: a } ] }`, problems: ['c.conf:1:26: Nkey users do not take usernames or passwords'] },
  { name: 'nkey that is not a user key', text: 'authorization { users: [ { nkey: "U1" } ] }', problems: ['c.conf:1:26: Not a valid public nkey for a user'] },
  { name: 'nkey user with a seed', text: 'accounts { A { users: [ { nkey: SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4 } ] } }', problems: ['c.conf:1:25: Not a valid public nkey for a user'] },
  { name: 'duplicate nkeys across accounts', text: `accounts {\n  A { users: [ { nkey: ${NKEY} } ] }\n  B { users: [ { nkey: ${NKEY} } ] }\n}`, problems: [`c.conf:3:16: Duplicate nkey "${NKEY}" detected`] },
  { name: 'unknown permission field', text: 'authorization { users: [ { user: a, permissions: { publsh: "x" } } ] }', problems: ['c.conf:1:52: Unknown field "publsh" parsing permissions'] },
  { name: 'unknown subject permission field', text: 'authorization { users: [ { user: a, permissions: { publish: { alow: "x" } } } ] }', problems: ['c.conf:1:63: Unknown field name "alow" parsing subject permissions, only \'allow\' or \'deny\' are permitted'] },
  { name: 'invalid subject', text: 'authorization { users: [ { user: a, permissions: { publish: "a..b" } } ] }', problems: ['c.conf:1:52: subject "a..b" is not a valid subject'] },
  { name: 'full wildcard not last', text: 'authorization { default_permissions: { subscribe: { deny: ["a.>.b"] } } }', problems: ['c.conf:1:53: subject "a.>.b" is not a valid subject'] },
  { name: 'permissions not a map', text: 'authorization { users: [ { user: a, permissions: "x" } ] }', problems: ['c.conf:1:37: Expected permissions to be a map/struct, got string "x"'] },
  { name: 'bad allow_responses', text: 'authorization { users: [ { user: a, permissions: { allow_responses: "yes" } } ] }', problems: ['c.conf:1:52: error parsing response permissions, expected a boolean or a map'] },
  { name: 'bad allow_responses expiry', text: 'authorization { users: [ { user: a, permissions: { allow_responses: { expires: 5 } } } ] }', problems: ['c.conf:1:71: error parsing expires, not a duration string'] },
  { name: 'bad connection type', text: 'authorization { users: [ { user: a, allowed_connection_types: ["STANDARD", "FOO"] } ] }', problems: ['c.conf:1:37: invalid connection types ["FOO"]'] },
  { name: 'mapping weight not a number', text: 'mappings { a: [ { destination: b, weight: "x%" } ] }', problems: ['c.conf:1:43: Invalid weight "x" for mapping destination'] },
  { name: 'mapping weight above 100', text: 'mappings { a: [ { destination: b, weight: 120 } ] }', problems: ['c.conf:1:43: Invalid weight 120 for mapping destination'] },
  { name: 'mapping weight missing', text: 'mappings { a: [ { destination: b } ] }', problems: ['c.conf:1:17: Missing weight for mapping destination "b"'] },
  { name: 'mapping destination field unknown', text: 'mappings { a: [ { to: b, weight: 1 } ] }', problems: ['c.conf:1:19: Unknown field "to" for mapping destination'] },
  { name: 'mapping destination of another type', text: 'mappings { a: 1 }', problems: ['c.conf:1:15: Unknown type integer 1 for mapping destination'] },
  { name: 'mapping function unknown to 2.9', text: 'accounts { A { mappings { a.*: "p.{{random(3)}}" } } }', problems: ['c.conf:1:27: Error adding mapping for "a.*" to "p.{{random(3)}}" : invalid mapping destination: unknown function in {{random(3)}}'] },
  { name: 'mapping destination that does not fit its source', text: 'mappings { "a.*": "b.$2" }', problems: ['c.conf:1:13: Error adding mapping for "a.*" to "b.$2" : invalid mapping destination: wildcard index out of range in $2: [2]'] },
  { name: 'mapping source that is not a subject', text: 'mappings { "a..b": "c" }', problems: ['c.conf:1:13: Subject "a..b" is not a valid subject'] },
  { name: 'mapping weights above 100 together', text: 'mappings { a: [ { destination: b, weight: 60 }, { destination: c, weight: 60 } ] }', problems: ['c.conf:1:12: Error adding mapping for "a": total weight needs to be <= 100'] },
  { name: 'unknown tls field', text: 'tls {\n  cert_file: c\n  key_file: k\n  verify_peer: true\n}', problems: ['c.conf:4:3: error parsing tls config, unknown field ["verify_peer"]'] },
  { name: 'tls without key file', text: 'tls { cert_file: c }', problems: ['c.conf:1:1: error parsing tls config, cert_file and key_file are both required'] },
  { name: 'tls verify not boolean', text: 'tls { cert_file: c, key_file: k, verify: "yes" }', problems: ["c.conf:1:34: error parsing tls config, expected 'verify' to be a boolean"] },
  { name: 'tls bad timeout', text: 'tls { cert_file: c, key_file: k, timeout: "soon" }', problems: ['c.conf:1:34: error parsing tls config, \'timeout\' time: invalid duration "soon"'] },
];

for (const { name, text, problems } of failures) {
  test(`from-conf error: ${name}`, () => {
    assert.deepEqual(problemsOf(text), problems);
  });
}

test('from-conf: errors are ConfigError with code CONFIG_INVALID and the problems as message', () => {
  assert.throws(
    () => load('a: 1\nb: 2'),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.code === 'CONFIG_INVALID' &&
      err.message === 'c.conf:1:1: unknown field "a"\nc.conf:2:1: unknown field "b"',
  );
});
