// Who may open a leaf link on our leafnodes port (nats-server's isLeafNodeAuthorized): the block's
// own `authorization` (one user, or a list, each bound to an account) when it sets one; otherwise the
// login clients use, with the link's CONNECT as the credentials. Nobody configured: the global account.
// With the listener's `tls { verify_and_map }`, a list's user is the one the leaf's certificate names
// (looked up as for clients), and the CONNECT must still carry that user's password, if it has one.

import { certUser, verifySecret } from '../auth/index.js';
import { CONNECT_DEFAULTS } from '../protocol/nats/index.js';
import type { LeafConnect } from '../protocol/nats/index.js';
import type { AuthOutcome, ClientAuthenticator } from '../core/index.js';
import { GLOBAL_ACCOUNT } from '../util/index.js';
import type { CertIdentity } from '../util/index.js';

/** The leafnodes block's own `authorization`. */
export interface LeafListenerLogin {
  readonly user?: string;
  readonly password?: string;
  readonly account?: string;
  readonly timeoutMs?: number;
  readonly users: readonly { readonly user: string; readonly password: string; readonly account?: string }[];
  /** The listener's `verify_and_map`: a list's user is taken from the leaf's certificate. */
  readonly verifyAndMap?: boolean;
}

const DEFAULT_TIMEOUT_MS = 2000;

export class LeafAuth {
  readonly timeoutMs: number;
  private readonly own: LeafListenerLogin | null;
  private readonly clients: ClientAuthenticator;

  constructor(own: LeafListenerLogin | undefined, clients: ClientAuthenticator) {
    this.own = own !== undefined && (own.user !== undefined || own.users.length > 0) ? own : null;
    this.clients = clients;
    this.timeoutMs = own?.timeoutMs ?? (this.own === null ? clients.timeoutMs : DEFAULT_TIMEOUT_MS);
  }

  /** A nonce for the accepting side's INFO: only client logins sign one (JWT and nkey users). */
  newNonce(): string {
    return this.own === null ? this.clients.newNonce() : '';
  }

  /** `identity`: the leaf's TLS certificate, null without one. */
  async authenticate(connect: LeafConnect, nonce: string, host: string, connectionType: 'LEAFNODE' | 'LEAFNODE_WS', identity: CertIdentity | null): Promise<AuthOutcome> {
    const own = this.own;
    if (own !== null) {
      if (own.user !== undefined) {
        if (connect.user !== own.user || !(await verifySecret(own.password ?? '', connect.pass ?? ''))) return { ok: false, user: connect.user ?? '' };
        return { ok: true, user: own.user, account: own.account ?? GLOBAL_ACCOUNT };
      }
      const byName = (name: string | undefined): LeafListenerLogin['users'][number] | undefined => own.users.find((u) => u.user === name);
      const user =
        own.verifyAndMap === true ? (identity === null ? undefined : certUser(identity, own.users.map((u): [string, typeof u] => [u.user, u]), byName)) : byName(connect.user);
      if (user === undefined || !(await verifySecret(user.password, connect.pass ?? ''))) return { ok: false, user: connect.user ?? '' };
      return { ok: true, user: user.user, account: user.account ?? GLOBAL_ACCOUNT };
    }
    if (!this.clients.configured) return { ok: true, account: GLOBAL_ACCOUNT };
    const asClient = {
      ...CONNECT_DEFAULTS,
      ...(connect.user !== undefined && { user: connect.user }),
      ...(connect.pass !== undefined && { pass: connect.pass }),
      ...(connect.jwt !== undefined && { jwt: connect.jwt }),
      ...(connect.sig !== undefined && { sig: connect.sig }),
      ...(connect.nkey !== undefined && { nkey: connect.nkey }),
    };
    return this.clients.authenticate(asClient, { connectionType, nonce, tlsIdentity: null, host });
  }
}
