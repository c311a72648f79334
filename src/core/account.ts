// An account: its own subject space and the connections bound to it.

import { Sublist } from './sublist.js';
import type { Subscription } from './subscription.js';
import type { Connection } from './connection.js';

export class Account {
  readonly name: string;
  readonly sublist: Sublist<Subscription>;
  readonly conns = new Set<Connection>();
  readonly isSystem: boolean;

  constructor(name: string, isSystem: boolean, useCache: boolean) {
    this.name = name;
    this.isSystem = isSystem;
    this.sublist = new Sublist<Subscription>(useCache);
  }
}
