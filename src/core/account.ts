// An account: its own subject space and the client connections bound to it.

import { Sublist } from './sublist.js';
import type { Subscription } from './subscription.js';
import type { ClientConnection } from './client-connection.js';

export class Account {
  readonly name: string;
  readonly sublist: Sublist<Subscription>;
  /** Clients only: code inside the server (internal clients) is not listed as a connection. */
  readonly conns = new Set<ClientConnection>();
  readonly isSystem: boolean;

  constructor(name: string, isSystem: boolean, useCache: boolean) {
    this.name = name;
    this.isSystem = isSystem;
    this.sublist = new Sublist<Subscription>(useCache);
  }
}
