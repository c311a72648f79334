import { test } from 'node:test';
import assert from 'node:assert/strict';
import bcrypt from 'bcryptjs';
import { createUser } from '@nats-io/nkeys';
import { AuthConfigError, Authenticator, type AccountSpec, type AuthContext, type AuthOptions, type AuthorizationSpec, type AuthResult } from '../../../src/auth/index.js';
import type { ConnectOptions } from '../../../src/protocol/nats/types.js';

const STANDARD: AuthContext = { connectionType: 'STANDARD' };
const WEBSOCKET: AuthContext = { connectionType: 'WEBSOCKET' };
const MQTT: AuthContext = { connectionType: 'MQTT' };

const HASH_2A = bcrypt.hashSync('pa55', bcrypt.genSaltSync(4).replace(/^\$2b\$/, '$2a$'));
const HASH_2B = bcrypt.hashSync('pa55', 4);

const NO_AUTH: AuthOptions = { auth: { users: [] }, accounts: [], systemAccount: '$SYS', noSystemAccount: false };

function auth(a: Partial<AuthorizationSpec>, rest: Partial<AuthOptions> = {}): Authenticator {
  return new Authenticator({ ...NO_AUTH, auth: { users: [], ...a }, ...rest });
}

function connect(fields: Partial<ConnectOptions> = {}): ConnectOptions {
  return { verbose: false, pedantic: false, echo: true, ...fields };
}

function user(name: string, password: string, extra: Record<string, unknown> = {}) {
  return { user: name, password, ...extra };
}

async function login(a: Authenticator, fields: Partial<ConnectOptions> = {}, ctx = STANDARD): Promise<AuthResult> {
  return a.authenticate(connect(fields), ctx);
}

test('without auth configured everyone lands in $G', async () => {
  const a = new Authenticator(NO_AUTH);
  assert.equal(a.configured, false);
  assert.equal(a.advertiseRequired, false);
  assert.equal(a.noAuthLogin, null);
  assert.deepEqual(await login(a), { ok: true, account: '$G' });
  assert.deepEqual(await login(a, { user: 'x', pass: 'y', auth_token: 'z' }), { ok: true, account: '$G' });
});

test('legacy account fields fail, with or without auth', async () => {
  const open = new Authenticator(NO_AUTH);
  assert.deepEqual(await login(open, { account: 'A' }), { ok: false, reason: 'LEGACY_ACCOUNT' });
  assert.deepEqual(await login(open, { new_account: true }), { ok: false, reason: 'LEGACY_ACCOUNT' });
  assert.equal((await login(open, { account: '', new_account: false })).ok, true);
  const a = auth({ token: 't' });
  assert.deepEqual(await login(a, { auth_token: 't', account: 'A' }), { ok: false, reason: 'LEGACY_ACCOUNT' });
});

test('plain token', async () => {
  const a = auth({ token: 's3cr3t' });
  assert.ok(a.configured && a.advertiseRequired);
  assert.deepEqual(await login(a, { auth_token: 's3cr3t' }), { ok: true, account: '$G' });
  // Without users nats-server's failure log names no user.
  assert.deepEqual(await login(a, { auth_token: 'nope' }), { ok: false, reason: 'BAD_CREDENTIALS' });
  assert.deepEqual(a.refusedBeforeConnect, { ok: false, reason: 'BAD_CREDENTIALS' });
  assert.equal((await login(a)).ok, false);
  assert.equal((await login(a, { user: 's3cr3t', pass: 's3cr3t' })).ok, false);
});

test('bcrypt token', async () => {
  const a = auth({ token: HASH_2B });
  assert.deepEqual(await login(a, { auth_token: 'pa55' }), { ok: true, account: '$G' });
  assert.equal((await login(a, { auth_token: HASH_2B })).ok, false);
});

test('single user and password, plain and bcrypt', async () => {
  for (const password of ['pa55', HASH_2A, HASH_2B]) {
    const a = auth({ user: 'admin', password });
    assert.ok(a.configured && a.advertiseRequired);
    assert.deepEqual(await login(a, { user: 'admin', pass: 'pa55' }), { ok: true, user: 'admin', account: '$G' });
    assert.equal((await login(a, { user: 'admin', pass: 'wrong' })).ok, false, password);
    assert.equal((await login(a, { user: 'other', pass: 'pa55' })).ok, false, password);
    assert.equal((await login(a, { pass: 'pa55' })).ok, false, password);
  }
});

test('users list: plain and bcrypt passwords, unknown user, wrong password', async () => {
  assert.ok(HASH_2A.startsWith('$2a$04$') && HASH_2B.startsWith('$2b$04$'));
  const a = auth({ users: [user('alice', 'pa55'), user('bob', HASH_2A), user('carol', HASH_2B)] });
  assert.ok(a.configured && a.advertiseRequired);
  for (const name of ['alice', 'bob', 'carol']) {
    assert.deepEqual(await login(a, { user: name, pass: 'pa55' }), { ok: true, user: name, account: '$G' });
    assert.deepEqual(await login(a, { user: name, pass: 'nope' }), { ok: false, reason: 'BAD_CREDENTIALS', user: name });
  }
  assert.deepEqual(await login(a, { user: 'mallory', pass: 'pa55' }), { ok: false, reason: 'UNKNOWN_USER', user: 'mallory' });
  assert.deepEqual(await login(a), { ok: false, reason: 'BAD_CREDENTIALS', user: '' });
  assert.deepEqual(a.refusedBeforeConnect, { ok: false, reason: 'BAD_CREDENTIALS', user: '' });
  assert.equal((await login(a, { pass: 'pa55' })).ok, false);
});

test('account users bind to their account, authorization users to $G', async () => {
  const accounts: AccountSpec[] = [
    { name: 'APP', users: [user('app', 'p')] },
    { name: 'SYS', users: [user('sys', 'p')] },
  ];
  const a = auth({ users: [user('global', 'p')] }, { accounts, systemAccount: 'SYS' });
  assert.ok(a.configured && a.advertiseRequired);
  assert.deepEqual(await login(a, { user: 'app', pass: 'p' }), { ok: true, user: 'app', account: 'APP' });
  assert.deepEqual(await login(a, { user: 'sys', pass: 'p' }), { ok: true, user: 'sys', account: 'SYS' });
  assert.deepEqual(await login(a, { user: 'global', pass: 'p' }), { ok: true, user: 'global', account: '$G' });
  assert.equal((await login(a)).ok, false);
});

test('account users alone make auth required', async () => {
  const a = auth({}, { accounts: [{ name: 'APP', users: [user('app', 'p')] }] });
  assert.ok(a.configured && a.advertiseRequired);
  assert.equal((await login(a)).ok, false);
  assert.equal((await login(a, { user: 'app', pass: 'p' })).ok, true);
});

test('no_auth_user fills in only when CONNECT has no user, pass or token', async () => {
  const perms = { publish: { allow: ['public.>'] } };
  const a = auth({ users: [user('guest', 'g', { permissions: perms }), user('alice', 'pa55')], noAuthUser: 'guest' });
  assert.ok(a.configured && !a.advertiseRequired, 'must authenticate, but INFO says auth is not required');
  assert.deepEqual(await login(a), { ok: true, user: 'guest', account: '$G', permissions: perms });
  assert.deepEqual(a.noAuthLogin, { ok: true, user: 'guest', account: '$G', permissions: perms });
  assert.deepEqual(await login(a, { user: 'alice', pass: 'pa55' }), { ok: true, user: 'alice', account: '$G' });
  assert.deepEqual(await login(a, { user: 'alice', pass: 'bad' }), { ok: false, reason: 'BAD_CREDENTIALS', user: 'alice' });
  assert.deepEqual(await login(a, { user: 'mallory' }), { ok: false, reason: 'UNKNOWN_USER', user: 'mallory' });
  assert.equal((await login(a, { pass: 'g' })).ok, false);
  assert.equal((await login(a, { auth_token: 'g' })).ok, false);
});

test('no_auth_user may be an account user', async () => {
  const accounts: AccountSpec[] = [{ name: 'APP', users: [user('anon', 'x')] }];
  const a = auth({ noAuthUser: 'anon' }, { accounts });
  assert.ok(a.configured && !a.advertiseRequired, 'must authenticate, but INFO says auth is not required');
  assert.deepEqual(await login(a), { ok: true, user: 'anon', account: 'APP' });
});

test('no_auth_user with a bcrypt password never logs anyone in, as in nats-server', async () => {
  const a = auth({ users: [user('guest', HASH_2B)], noAuthUser: 'guest' });
  assert.deepEqual(await login(a), { ok: false, reason: 'BAD_CREDENTIALS', user: 'guest' });
  assert.equal((await login(a, { user: 'guest', pass: 'pa55' })).ok, true);
  // nats-server's parser lets a client that skips CONNECT in as the no_auth_user without any password check.
  assert.deepEqual(a.noAuthLogin, { ok: true, user: 'guest', account: '$G' });
});

test('no_auth_user must name a configured user', () => {
  assert.throws(
    () => auth({ users: [user('alice', 'p')], noAuthUser: 'bob' }),
    (e: unknown) => e instanceof AuthConfigError && e.code === 'UNKNOWN_NO_AUTH_USER',
  );
});

test('user names are unique across authorization and accounts', () => {
  const accounts: AccountSpec[] = [{ name: 'APP', users: [user('alice', 'q')] }];
  assert.throws(
    () => auth({ users: [user('alice', 'p')] }, { accounts }),
    (e: unknown) => e instanceof AuthConfigError && e.code === 'DUPLICATE_USER',
  );
});

test('default_permissions fill in for users without their own', async () => {
  const own = { subscribe: { allow: ['own.>'] } };
  const authDefault = { publish: { deny: ['secret.>'] } };
  const accountDefault = { publish: { allow: ['app.>'] }, allowResponses: { max: 1, expiresMs: 120000 } };
  const accounts: AccountSpec[] = [
    {
      name: 'APP',
      users: [user('app1', 'p'), user('app2', 'p', { permissions: own })],
      defaultPermissions: accountDefault,
    },
    { name: 'BARE', users: [user('bare', 'p')] },
  ];
  const a = auth({ users: [user('g1', 'p'), user('g2', 'p', { permissions: own })], defaultPermissions: authDefault }, { accounts });
  const permsOf = async (name: string) => {
    const r = await login(a, { user: name, pass: 'p' });
    assert.equal(r.ok, true, name);
    return r.ok ? r.permissions : undefined;
  };
  assert.deepEqual(await permsOf('g1'), authDefault);
  assert.deepEqual(await permsOf('g2'), own);
  assert.deepEqual(await permsOf('app1'), accountDefault);
  assert.deepEqual(await permsOf('app2'), own);
  // The authorization block's default does not reach account users.
  assert.equal(await permsOf('bare'), undefined);
});

test('token and single-user logins carry no permissions', async () => {
  const perms = { publish: { deny: ['>'] } };
  const t = await login(auth({ token: 't', defaultPermissions: perms }), { auth_token: 't' });
  assert.deepEqual(t, { ok: true, account: '$G' });
  const u = await login(auth({ user: 'u', password: 'p', defaultPermissions: perms }), { user: 'u', pass: 'p' });
  assert.deepEqual(u, { ok: true, user: 'u', account: '$G' });
});

test('allowed_connection_types is enforced, case-insensitively', async () => {
  const a = auth({
    users: [
      user('web', 'p', { allowedConnectionTypes: ['websocket'] }),
      user('both', 'p', { allowedConnectionTypes: ['Standard', 'MQTT'] }),
      user('any', 'p', { allowedConnectionTypes: [] }),
    ],
  });
  const creds = (name: string) => ({ user: name, pass: 'p' });
  assert.equal((await login(a, creds('web'), WEBSOCKET)).ok, true);
  assert.deepEqual(await login(a, creds('web'), STANDARD), { ok: false, reason: 'CONNECTION_TYPE_NOT_ALLOWED', user: 'web' });
  assert.equal((await login(a, creds('both'), STANDARD)).ok, true);
  assert.equal((await login(a, creds('both'), MQTT)).ok, true);
  assert.equal((await login(a, creds('both'), WEBSOCKET)).ok, false);
  assert.equal((await login(a, creds('any'), { connectionType: 'LEAFNODE' })).ok, true);
});

test('allowed_connection_types also applies to the no_auth_user', async () => {
  const a = auth({ users: [user('guest', 'g', { allowedConnectionTypes: ['WEBSOCKET'] })], noAuthUser: 'guest' });
  assert.equal((await login(a, {}, WEBSOCKET)).ok, true);
  assert.deepEqual(await login(a, {}, STANDARD), { ok: false, reason: 'CONNECTION_TYPE_NOT_ALLOWED', user: 'guest' });
});

test('unknown connection types are refused at construction', () => {
  assert.throws(
    () => auth({ users: [user('u', 'p', { allowedConnectionTypes: ['CARRIER_PIGEON'] })] }),
    (e: unknown) => e instanceof AuthConfigError && e.code === 'UNKNOWN_CONNECTION_TYPE',
  );
});

test('a system account as the only declared account lets clients without credentials into $G', async () => {
  const accounts: AccountSpec[] = [{ name: 'SYS', users: [user('sys', 'p')] }];
  const a = auth({}, { accounts, systemAccount: 'SYS' });
  assert.ok(a.configured && a.advertiseRequired);
  assert.deepEqual(await login(a), { ok: true, account: '$G' });
  assert.deepEqual(await login(a, { user: 'sys', pass: 'p' }), { ok: true, user: 'sys', account: 'SYS' });
  assert.equal((await login(a, { user: 'x', pass: 'p' })).ok, false);
  assert.equal((await login(a, { pass: 'p' })).ok, false);
});

test('an authorization block keeps clients without credentials out even then', async () => {
  const accounts: AccountSpec[] = [{ name: 'SYS', users: [user('sys', 'p')] }];
  const a = auth({ users: [user('a', 'b')] }, { accounts, systemAccount: 'SYS' });
  assert.equal((await login(a)).ok, false);
  assert.equal((await login(a, { user: 'a', pass: 'b' })).ok, true);
});

test('no implicit $G login when the only account is not the system account', async () => {
  const accounts: AccountSpec[] = [{ name: 'APP', users: [user('app', 'p')] }];
  assert.equal((await login(auth({}, { accounts }))).ok, false);
});

test('timeoutMs: configured, else 2s, else TLS timeout + 1s', () => {
  const tls = { timeoutMs: 500 };
  assert.equal(auth({}).timeoutMs, 2000);
  assert.equal(auth({ timeoutMs: 5000 }).timeoutMs, 5000);
  assert.equal(auth({}, { tls }).timeoutMs, 1500);
  assert.equal(auth({ timeoutMs: 750 }, { tls }).timeoutMs, 750);
  assert.equal(auth({ timeoutMs: 0 }).timeoutMs, 2000);
});

test('accountNames: $G, declared accounts and the system account', () => {
  assert.deepEqual(new Authenticator(NO_AUTH).accountNames(), ['$G', '$SYS']);
  const accounts: AccountSpec[] = [
    { name: 'APP', users: [] },
    { name: 'SYS', users: [] },
  ];
  assert.deepEqual(auth({}, { accounts, systemAccount: 'SYS' }).accountNames(), ['$G', 'APP', 'SYS']);
  assert.deepEqual(auth({}, { accounts: [{ name: 'APP', users: [] }], noSystemAccount: true }).accountNames(), ['$G', 'APP']);
  const a = auth({});
  a.accountNames().push('MUTATED');
  assert.deepEqual(a.accountNames(), ['$G', '$SYS']);
});

/** A user key pair, and CONNECT's fields signing `nonce` with it (base64url, as the clients send). */
function nkeyUser(): { nkey: string; signs: (nonce: string, encoding?: BufferEncoding) => Partial<ConnectOptions> } {
  const kp = createUser();
  const nkey = kp.getPublicKey();
  return { nkey, signs: (nonce, encoding = 'base64url') => ({ nkey, sig: Buffer.from(kp.sign(Buffer.from(nonce))).toString(encoding) }) };
}

test('nkey users: a fresh 15-character nonce per connection, and a login by signing it', async () => {
  const alice = nkeyUser();
  const bob = nkeyUser();
  const a = auth({ nkeys: [{ nkey: alice.nkey }] }, { accounts: [{ name: 'B', users: [], nkeys: [{ nkey: bob.nkey, permissions: { publish: { allow: ['b.>'] } } }] }] });
  assert.equal(a.configured, true);
  assert.equal(a.advertiseRequired, true);
  const nonce = a.newNonce();
  assert.match(nonce, /^[A-Za-z0-9_-]{15}$/);
  assert.notEqual(a.newNonce(), nonce);
  const ctx: AuthContext = { connectionType: 'STANDARD', nonce };
  assert.deepEqual(await login(a, alice.signs(nonce), ctx), { ok: true, user: alice.nkey, account: '$G', issuerKey: '$G' });
  assert.deepEqual(await login(a, alice.signs(nonce, 'base64'), ctx), { ok: true, user: alice.nkey, account: '$G', issuerKey: '$G' }, 'standard base64 too');
  assert.deepEqual(await login(a, bob.signs(nonce), ctx), { ok: true, user: bob.nkey, account: 'B', permissions: { publish: { allow: ['b.>'] } }, issuerKey: 'B' });
});

test('nkey users: a signature of another nonce, by another key, missing or not base64, and an unknown key are refused', async () => {
  const alice = nkeyUser();
  const stranger = nkeyUser();
  const a = auth({ nkeys: [{ nkey: alice.nkey, allowedConnectionTypes: ['STANDARD'] }] });
  const nonce = a.newNonce();
  const ctx: AuthContext = { connectionType: 'STANDARD', nonce };
  const refused = (reason: string, user = alice.nkey) => ({ ok: false, reason, user });
  assert.deepEqual(await login(a, alice.signs(a.newNonce()), ctx), refused('BAD_CREDENTIALS'));
  assert.deepEqual(await login(a, { ...stranger.signs(nonce), nkey: alice.nkey }, ctx), refused('BAD_CREDENTIALS'));
  assert.deepEqual(await login(a, { nkey: alice.nkey }, ctx), refused('BAD_CREDENTIALS'));
  assert.deepEqual(await login(a, { nkey: alice.nkey, sig: '!!not base64!!' }, ctx), refused('BAD_CREDENTIALS'));
  assert.deepEqual(await login(a, alice.signs(nonce), { connectionType: 'STANDARD', nonce: '' }), refused('BAD_CREDENTIALS'), 'no nonce was sent');
  assert.deepEqual(await login(a, stranger.signs(nonce), ctx), refused('UNKNOWN_USER', stranger.nkey));
  assert.deepEqual(await login(a, alice.signs(nonce), { connectionType: 'WEBSOCKET', nonce }), refused('CONNECTION_TYPE_NOT_ALLOWED'));
  assert.deepEqual(await login(a, {}, ctx), { ok: false, reason: 'BAD_CREDENTIALS', user: '' }, 'no key: nothing else is configured');
});

test('nkey users beside password users: CONNECT with a key takes the key path, without one the password path', async () => {
  const alice = nkeyUser();
  const a = auth({ users: [user('carol', 'pw')], nkeys: [{ nkey: alice.nkey }] });
  const nonce = a.newNonce();
  const ctx: AuthContext = { connectionType: 'STANDARD', nonce };
  assert.equal((await login(a, alice.signs(nonce), ctx)).ok, true);
  assert.deepEqual(await login(a, { user: 'carol', pass: 'pw' }, ctx), { ok: true, user: 'carol', account: '$G' });
  assert.equal((await login(a, { ...alice.signs(a.newNonce()), user: 'carol', pass: 'pw' }, ctx)).ok, false, 'a bad signature does not fall back to the password');
});

test('without nkey users there is no nonce, and a key in CONNECT is ignored', async () => {
  const alice = nkeyUser();
  const a = auth({ users: [user('carol', 'pw')] });
  assert.equal(a.newNonce(), '');
  assert.deepEqual(await login(a, { ...alice.signs('x'), user: 'carol', pass: 'pw' }), { ok: true, user: 'carol', account: '$G' });
});

test('the same nkey twice is a configuration error', () => {
  const alice = nkeyUser();
  assert.throws(() => auth({ nkeys: [{ nkey: alice.nkey }] }, { accounts: [{ name: 'A', users: [], nkeys: [{ nkey: alice.nkey }] }] }), (e: unknown) => e instanceof AuthConfigError && /duplicate nkey/.test(e.message));
});
