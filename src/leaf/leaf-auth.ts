// Who may open a leaf link on our leafnodes port (nats-server's isLeafNodeAuthorized): the block's
// own `authorization` (one user, or a list, each bound to an account) when it sets one; otherwise the
// login clients use, with the link's CONNECT as the credentials. Nobody configured: the global account.

import { verifySecret } from '../auth/index.js';
import { CONNECT_DEFAULTS } from '../protocol/nats/index.js';
import type { LeafConnect } from '../protocol/nats/index.js';
import type { AuthOutcome, ClientAuthenticator } from '../core/index.js';
import { GLOBAL_ACCOUNT } from '../util/index.js';

/** The leafnodes block's own `authorization`. */
export interface LeafListenerLogin {
  readonly user?: string;
  readonly password?: string;
  readonly account?: string;
  readonly timeoutMs?: number;
  readonly users: readonly { readonly user: string; readonly password: string; readonly account?: string }[];
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

  async authenticate(connect: LeafConnect, nonce: string, host: string, connectionType: 'LEAFNODE' | 'LEAFNODE_WS'): Promise<AuthOutcome> {
    const own = this.own;
    if (own !== null) {
      if (own.user !== undefined) {
        if (connect.user !== own.user || !(await verifySecret(own.password ?? '', connect.pass ?? ''))) return { ok: false, user: connect.user ?? '' };
        return { ok: true, user: own.user, account: own.account ?? GLOBAL_ACCOUNT };
      }
      const user = own.users.find((u) => u.user === connect.user);
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
