// Differential: a table of auth configurations (users in `authorization` and in `accounts`, with and
// without no_auth_user, token, bcrypt, single user) and of clients (right, wrong and missing credentials,
// anonymous, no CONNECT at all). For every row both servers must show the same: INFO auth_required,
// the CONNECT outcome (or its -ERR), the account and user /connz?auth=1 binds the connection to, and
// what a SUB and a PUB on a subject a restricted user may not use answer.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { RawClient } from '../helpers/raw-client.js';
import { withoutServerPings } from '../helpers/wire-frames.js';
import { serverPair } from './differential.js';

// Cost 4 keeps the table fast; both servers accept it.
const hash = (secret: string): string => bcrypt.hashSync(secret, 4);

/** Subscribe only to "bar", publish anything but "secret": the restricted user. */
const RESTRICTED = 'permissions: { publish: { deny: ["secret"] }, subscribe: { allow: ["bar"], deny: [">"] } }';

const AUTH_VIOLATION = "refused: -ERR 'Authorization Violation'\r\n";
const AUTH_TIMEOUT = "refused: -ERR 'Authentication Timeout'\r\n";
const ACCEPTED = 'accepted: ';
const BOTH_DENIED = `-ERR 'Permissions Violation for Subscription to "secret"'\r\n-ERR 'Permissions Violation for Publish to "secret"'\r\n`;
/** An unrestricted client subscribed to "secret" gets its own message back. */
const ECHOED = 'MSG secret 9 1\r\nx\r\n';
/** The same for a client that sent no CONNECT: verbose is on by default. */
const ECHOED_VERBOSE = `+OK\r\n+OK\r\n${ECHOED}`;

interface Observed {
  readonly authRequired: boolean;
  readonly connect: string;
  readonly account?: string;
  readonly user?: string;
  /** What the SUB secret / PUB secret pair answered. */
  readonly probe?: string;
}

interface Row {
  readonly name: string;
  /** CONNECT fields; absent: the client's first operation is PING; 'silent': it sends nothing. */
  readonly connect?: Record<string, unknown> | 'silent';
  readonly want: Omit<Observed, 'authRequired'>;
}

interface Table {
  readonly title: string;
  readonly conf: string;
  readonly authRequired: boolean;
  readonly rows: readonly Row[];
}

const refused = (name: string, connect?: Row['connect'], text = AUTH_VIOLATION): Row => ({ name, ...(connect !== undefined && { connect }), want: { connect: text } });
const accepted = (name: string, connect: Row['connect'], bound: { account?: string; user?: string }, probe: string): Row => ({
  name,
  ...(connect !== undefined && { connect }),
  want: { connect: ACCEPTED, ...bound, probe },
});

const tables: Table[] = [
  {
    title: 'users in authorization',
    conf: `authorization { users: [ { user: alice, password: apw, ${RESTRICTED} }, { user: bob, password: "${hash('bpw')}" } ] }`,
    authRequired: true,
    rows: [
      accepted('plain password', { user: 'alice', pass: 'apw' }, { user: 'alice' }, BOTH_DENIED),
      accepted('bcrypt password', { user: 'bob', pass: 'bpw' }, { user: 'bob' }, ECHOED),
      refused('wrong password', { user: 'alice', pass: 'nope' }),
      refused('wrong bcrypt password', { user: 'bob', pass: 'nope' }),
      refused('the hash itself as password', { user: 'bob', pass: hash('bpw') }),
      refused('unknown user', { user: 'mallory', pass: 'apw' }),
      refused('user without password', { user: 'alice' }),
      refused('password without user', { pass: 'apw' }),
      refused('token instead of user', { auth_token: 'apw' }),
      refused('anonymous CONNECT', {}),
      refused('no CONNECT'),
    ],
  },
  {
    title: 'users in authorization with no_auth_user',
    conf: `authorization { users: [ { user: alice, password: apw, ${RESTRICTED} }, { user: bob, password: "${hash('bpw')}" } ] }\nno_auth_user: alice`,
    authRequired: false,
    rows: [
      accepted('anonymous CONNECT is the no_auth_user', {}, { user: 'alice' }, BOTH_DENIED),
      accepted('no CONNECT is the no_auth_user too', undefined, { user: 'alice' }, BOTH_DENIED),
      accepted('other credentials still count', { user: 'bob', pass: 'bpw' }, { user: 'bob' }, ECHOED),
      refused('wrong password', { user: 'bob', pass: 'nope' }),
      refused('wrong password for the no_auth_user', { user: 'alice', pass: 'nope' }),
      refused('unknown user', { user: 'mallory', pass: 'x' }),
      refused('password without user', { pass: 'apw' }),
      refused('token', { auth_token: 'apw' }),
    ],
  },
  {
    title: 'users in accounts',
    conf: `accounts {\n  a { users: [ { user: foo, password: fpw } ] }\n  b { users: [ { user: bar, password: "${hash('bpw')}", ${RESTRICTED} } ] }\n}`,
    authRequired: true,
    rows: [
      accepted('account a', { user: 'foo', pass: 'fpw' }, { account: 'a', user: 'foo' }, ECHOED),
      accepted('account b, restricted', { user: 'bar', pass: 'bpw' }, { account: 'b', user: 'bar' }, BOTH_DENIED),
      refused('wrong password', { user: 'bar', pass: 'nope' }),
      refused('anonymous CONNECT', {}),
      refused('no CONNECT'),
    ],
  },
  {
    // The configuration: no_auth_user must not switch authentication off.
    title: 'users in accounts with no_auth_user',
    conf: `accounts {\n  a { users: [ { user: foo, password: fpw } ] }\n  b { users: [ { user: bar, password: "${hash('bpw')}", ${RESTRICTED} } ] }\n}\nno_auth_user: foo\nauthorization { timeout: 1 }`,
    authRequired: false,
    rows: [
      accepted('anonymous CONNECT is foo in account a', {}, { account: 'a', user: 'foo' }, ECHOED),
      accepted('no CONNECT is foo in account a', undefined, { account: 'a', user: 'foo' }, ECHOED_VERBOSE),
      accepted('bar keeps its permissions', { user: 'bar', pass: 'bpw' }, { account: 'b', user: 'bar' }, BOTH_DENIED),
      refused('wrong password for bar', { user: 'bar', pass: 'nope' }),
      refused('unknown user', { user: 'mallory', pass: 'x' }),
      refused('legacy account field', { user: 'foo', pass: 'fpw', account: 'b' }),
      refused('the CONNECT deadline still applies', 'silent', AUTH_TIMEOUT),
    ],
  },
  {
    title: 'no_auth_user with a bcrypt password',
    conf: `accounts { a { users: [ { user: guest, password: "${hash('gpw')}" } ] } }\nno_auth_user: guest`,
    authRequired: false,
    // nats-server compares the stored hash with itself for an empty CONNECT, which never matches;
    // a client that skips CONNECT is let in without that check.
    rows: [
      refused('anonymous CONNECT', {}),
      accepted('no CONNECT', undefined, { account: 'a', user: 'guest' }, ECHOED_VERBOSE),
      accepted('its own password', { user: 'guest', pass: 'gpw' }, { account: 'a', user: 'guest' }, ECHOED),
    ],
  },
  {
    title: 'plain token',
    conf: 'authorization { token: s3cret }',
    authRequired: true,
    rows: [
      // nats-server 2.9.10 shows the token itself as the user; later releases and leafgate show [REDACTED].
      accepted('right token', { auth_token: 's3cret' }, { user: '[REDACTED]' }, ECHOED),
      refused('wrong token', { auth_token: 'nope' }),
      refused('user and password instead', { user: 's3cret', pass: 's3cret' }),
      refused('anonymous CONNECT', {}),
      refused('no CONNECT'),
    ],
  },
  {
    title: 'bcrypt token',
    conf: `authorization { token: "${hash('s3cret')}" }`,
    authRequired: true,
    rows: [
      accepted('right token', { auth_token: 's3cret' }, { user: '[REDACTED]' }, ECHOED),
      refused('wrong token', { auth_token: 'nope' }),
    ],
  },
  {
    title: 'single user with a bcrypt password',
    conf: `authorization { user: admin, password: "${hash('apw')}" }`,
    authRequired: true,
    rows: [
      accepted('right password', { user: 'admin', pass: 'apw' }, { user: 'admin' }, ECHOED),
      refused('wrong password', { user: 'admin', pass: 'nope' }),
      refused('other user', { user: 'root', pass: 'apw' }),
      refused('anonymous CONNECT', {}),
    ],
  },
  {
    title: 'no authentication',
    conf: 'port: 4222',
    authRequired: false,
    rows: [
      accepted('anonymous CONNECT', {}, {}, ECHOED),
      // Credentials nobody asked for are ignored, but still shown as the user.
      accepted('unasked credentials', { user: 'who', pass: 'ever' }, { user: 'who' }, ECHOED),
      accepted('no CONNECT', undefined, {}, ECHOED_VERBOSE),
      refused('legacy account field', { account: 'x' }),
    ],
  },
];

const CLOSE_WITHIN_MS = 5000;

async function observe(port: number, httpPort: number, row: Row): Promise<Observed> {
  const { client, info } = await RawClient.open(port);
  try {
    const authRequired = info.auth_required === true;
    if (row.connect === 'silent') return { authRequired, connect: await closing(client) };
    if (row.connect !== undefined) client.send(`CONNECT ${JSON.stringify({ verbose: false, pedantic: false, ...row.connect })}\r\n`);
    let before: string;
    try {
      before = await client.sync(3000);
    } catch {
      return { authRequired, connect: await closing(client) };
    }
    const bound = await connzEntry(httpPort, info.client_id as number);
    client.send('SUB secret 9\r\nPUB secret 1\r\nx\r\n');
    const probe = withoutServerPings(await client.sync(3000));
    const token = typeof row.connect === 'object' ? row.connect.auth_token : undefined;
    const user = bound.authorized_user !== undefined && bound.authorized_user === token ? '[REDACTED]' : bound.authorized_user;
    return {
      authRequired,
      connect: ACCEPTED + withoutServerPings(before),
      ...(bound.account !== undefined && { account: bound.account }),
      ...(user !== undefined && { user }),
      probe,
    };
  } finally {
    client.close();
  }
}

async function closing(client: RawClient): Promise<string> {
  try {
    return `refused: ${withoutServerPings(await client.waitClosed(CLOSE_WITHIN_MS))}`;
  } catch {
    return `still open: ${client.buffered}`;
  }
}

async function connzEntry(httpPort: number, cid: number): Promise<{ account?: string; authorized_user?: string }> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/connz?auth=1`);
  const body = (await res.json()) as { connections: { cid: number; account?: string; authorized_user?: string }[] };
  const entry = body.connections.find((c) => c.cid === cid);
  assert.ok(entry !== undefined, `cid ${cid} not in /connz`);
  return entry;
}

for (const table of tables) {
  describe(`auth table: ${table.title}`, () => {
    const servers = serverPair(table.conf, { monitoring: true });
    for (const row of table.rows) {
      test(row.name, async () => {
        const { natsServer, leafgate, httpPort } = servers();
        const [fromNats, fromLeafgate] = await Promise.all([observe(natsServer.port, httpPort.natsServer, row), observe(leafgate.port, httpPort.leafgate, row)]);
        const want: Observed = { authRequired: table.authRequired, ...row.want };
        assert.deepEqual({ natsServer: fromNats, leafgate: fromLeafgate }, { natsServer: want, leafgate: want });
      });
    }
  });
}
