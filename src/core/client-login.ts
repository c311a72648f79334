// A client's login: CONNECT's credentials checked by the authenticator (asynchronously, with the
// client's input held meanwhile), the no_auth_user for a client whose first operation is not
// CONNECT, the CONNECT deadline, and re-checking a logged-in client after a configuration reload.

import { WireError, subRevokedViolation } from '../protocol/nats/index.js';
import { LongTimer } from '../util/index.js';
import { Permissions } from './permissions.js';
import type { PermissionRules } from './permissions.js';
import type { Account } from './account.js';
import type { ClientConnection } from './client-connection.js';
import type { AuthFailureOutcome, AuthOutcome, AuthSuccessOutcome, ClientAuthenticator, LoginContext } from './transport.js';
import type { Router } from './router.js';

const NO_USER: AuthFailureOutcome = Object.freeze({ ok: false });

export class ClientLogin {
  /** Authenticated (or nothing to authenticate): operations may run. */
  authed: boolean;
  /** An authentication is running: input waits in the stash. */
  pending = false;
  private readonly conn: ClientConnection;
  private readonly router: Router;
  /** Input that arrived while an authentication was in progress. */
  private stash: Buffer[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Closes the client when its login stops being valid (a JWT's expiry or connect-time window). */
  private readonly expiry = new LongTimer(() => this.expired(WireError.UserAuthExpired));
  /** Closes the client when its account stops being valid (the account JWT's expiry). */
  private readonly accountExpiry = new LongTimer(() => this.expired(WireError.AccountAuthExpired));

  constructor(conn: ClientConnection, router: Router) {
    this.conn = conn;
    this.router = router;
    this.authed = !router.authenticatorFor(conn.type).configured;
  }

  /** With configured auth, CONNECT must come within the authenticator's timeout. */
  startDeadline(): void {
    const auth = this.router.authenticatorFor(this.conn.type);
    if (auth.configured) this.timer = setTimeout(() => this.timedOut(), auth.timeoutMs);
  }

  /** CONNECT arrived (already decoded and checked): log the client in. */
  connect(): void {
    const auth = this.router.authenticatorFor(this.conn.type);
    const conn = this.conn;
    if (!auth.configured) {
      if (conn.opts.account || conn.opts.new_account === true) return this.refuse(NO_USER);
      // Auth may have been switched off by a reload since this client was accepted.
      if (!this.authed) this.admit(this.router.globalAccount(), '', undefined);
      return conn.connected();
    }
    this.pending = true;
    conn.holdInput();
    this.authenticate(auth);
  }

  /** Keeps input that arrived during an authentication (copied when `copy`, the read buffer being Node's). */
  hold(chunk: Buffer, copy: boolean): void {
    this.stash.push(copy ? Buffer.from(chunk) : chunk);
  }

  private authenticate(auth: ClientAuthenticator): void {
    auth.authenticate(this.conn.opts, this.authContext()).then(
      (outcome) => {
        // A reload while the check ran: decide with the configuration now in force.
        if (this.router.authenticatorFor(this.conn.type) !== auth && !this.conn.closed) return this.authenticate(this.router.authenticatorFor(this.conn.type));
        this.conn.guard(() => this.authenticated(outcome));
      },
      (err: Error) => {
        this.router.log.error(`${this.conn.label()} - authentication error: ${err.message}`);
        this.conn.guard(() => this.authenticated(NO_USER));
      },
    );
  }

  private authenticated(outcome: AuthOutcome): void {
    const conn = this.conn;
    if (conn.closed) return;
    this.pending = false;
    if (!outcome.ok) return this.refuse(outcome);
    const account = this.router.findAccount(outcome.account);
    if (account === null) return this.refuse({ ok: false, user: outcome.user ?? '' });
    if (account.connectionsFull()) return conn.closeWithError(WireError.MaxAccountConnections, 'Maximum Account Connections Exceeded');
    this.admit(account, outcome.user ?? '', outcome.permissions);
    if (!this.applyLogin(outcome)) return;
    this.router.events?.connected(conn);
    conn.connected();
    conn.releaseInput();
    const stash = this.stash;
    this.stash = [];
    for (const chunk of stash) {
      if (conn.closed) return;
      if (this.pending) this.stash.push(chunk);
      else conn.feed(chunk, false);
    }
  }

  /**
   * An operation before CONNECT: nats-server lets the client in as the no_auth_user (telnet demos), with
   * neither a password nor a connection type check. Without one the client is refused and closed: false.
   */
  loginWithoutConnect(): boolean {
    const auth = this.router.authenticatorFor(this.conn.type);
    const login = auth.noAuthLogin;
    const account = login === null ? null : this.router.findAccount(login.account);
    if (login === null || account === null) {
      this.refuse(auth.refusedBeforeConnect);
      return false;
    }
    this.admit(account, login.user ?? '', login.permissions);
    this.router.events?.connected(this.conn);
    return true;
  }

  /** Authentication passed: the client is bound to its account and the CONNECT deadline ends. */
  private admit(account: Account, user: string, rules: PermissionRules | undefined): void {
    this.authed = true;
    this.stopDeadline();
    this.conn.bindTo(account, user, rules);
  }

  /**
   * What a login brings beyond its account and permissions: the JWT's limits and expiry, and its
   * issuer for monitoring. False when the client was closed for holding more subscriptions than allowed.
   */
  private applyLogin(outcome: AuthSuccessOutcome): boolean {
    const conn = this.conn;
    conn.issuerKey = outcome.issuerKey ?? '';
    conn.nameTag = outcome.nameTag ?? '';
    conn.tags = outcome.tags ?? [];
    conn.loginLimits = outcome.limits ?? null;
    conn.loginExpiresAtMs = outcome.expiresAtMs ?? 0;
    if (outcome.expiresAtMs !== undefined) this.expiry.at(outcome.expiresAtMs);
    else this.expiry.stop();
    if (outcome.accountExpiresAtMs !== undefined) this.accountExpiry.at(outcome.accountExpiresAtMs);
    else this.accountExpiry.stop();
    return conn.applyLimits();
  }

  private authContext(): LoginContext {
    const conn = this.conn;
    return { connectionType: conn.type, nonce: conn.nonce, tlsIdentity: conn.tlsIdentity, host: conn.ip };
  }

  /** After a reload with `reauthorize`: the client is checked against the users and permissions now in force. */
  recheck(): void {
    if (!this.authed || this.pending) return;
    const conn = this.conn;
    const auth = this.router.authenticatorFor(this.conn.type);
    if (!auth.configured) {
      conn.perms = null;
      return;
    }
    auth.authenticate(conn.opts, this.authContext()).then(
      (outcome) => conn.guard(() => this.rechecked(outcome)),
      () => conn.guard(() => this.rechecked(NO_USER)),
    );
  }

  private rechecked(outcome: AuthOutcome): void {
    const conn = this.conn;
    if (conn.closed) return;
    if (!outcome.ok && outcome.revoked === true) return this.closeQuietly(WireError.UserAuthRevoked, 'Credentials Revoked');
    if (!outcome.ok && outcome.accountExpired === true) return this.closeQuietly(WireError.AccountAuthExpired, 'Authentication Expired');
    if (!outcome.ok) return this.refuse(outcome);
    if (outcome.account !== conn.account?.name) return this.refuse({ ok: false, user: outcome.user ?? '' });
    conn.user = outcome.user ?? '';
    const perms = outcome.permissions !== undefined ? new Permissions(outcome.permissions) : null;
    conn.perms = perms;
    if (!this.applyLogin(outcome) || perms === null) return;
    for (const sub of [...conn.subs.values()]) {
      if (perms.canSubscribe(sub.subject, sub.queue)) continue;
      conn.removeSub(sub);
      conn.sendErr(subRevokedViolation(sub.subject, sub.sid));
    }
  }

  /** Logged as nats-server logs it: the client's label, and the user tried when users are configured. */
  refuse(failure: AuthFailureOutcome): void {
    const conn = this.conn;
    if (conn.closed) return;
    const user = failure.user === undefined ? '' : ` - User ${JSON.stringify(failure.user)}`;
    if (failure.logError !== undefined) this.router.log.error(`${conn.label()} - ${failure.logError}`);
    this.router.log.error(`${conn.label()} - authentication error${user}`);
    if (!this.authed) this.router.events?.authFailed(conn);
    conn.sendErrNow(WireError.AuthViolation);
    conn.close('Authentication Failure');
  }

  /** The login's or its account's JWT expired (or the connect-time window closed) while the client was connected. */
  private expired(text: typeof WireError.UserAuthExpired | typeof WireError.AccountAuthExpired): void {
    this.closeQuietly(text, 'Authentication Expired');
  }

  /** Tells the client why and closes it, logged at debug level only (nats-server's sendErrAndDebug). */
  private closeQuietly(text: string, reason: string): void {
    const conn = this.conn;
    if (conn.closed) return;
    if (this.router.log.debugEnabled) this.router.log.debug(`${conn.label()} - ${text}`);
    conn.sendErrNow(text);
    conn.close(reason);
  }

  /** No CONNECT in time: nats-server logs this at debug level only. */
  private timedOut(): void {
    const conn = this.conn;
    if (conn.closed) return;
    if (this.router.log.debugEnabled) this.router.log.debug(`${conn.label()} - ${WireError.AuthTimeout}`);
    conn.sendErrNow(WireError.AuthTimeout);
    conn.close('Authentication Timeout');
  }

  stopDeadline(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The connection closed: nothing held is needed any more. */
  release(): void {
    this.stopDeadline();
    this.expiry.stop();
    this.accountExpiry.stop();
    this.stash = [];
  }
}
